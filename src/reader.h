/* reader: one reading session of one book: the position, the commands
 * that move it, the back stack and search.  Pure: the UI asks for the
 * page and gives commands; tests drive it without a terminal.
 *
 * The position is (chapter, byte offset of the top line).  An anchor
 * remembers the offset the reader chose, so that resizes and settings
 * changes snap from it and never drift. */
#ifndef FOLIO_READER_H
#define FOLIO_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "book.h"
#include "command.h"
#include "layout.h"

#define READER_BACK 100

struct reader_place {
	size_t chapter, pos;
};

struct reader_match {
	size_t start, end;	/* source bytes in the chapter's text */
};

struct reader {
	struct book *book;	/* not owned */
	struct layout_opts lo;
	int height;		/* text lines on screen, >= 1 */
	int overlap;		/* lines repeated on a page turn */

	size_t chapter;
	size_t pos;		/* top line's position */
	size_t anchor;		/* what pos snaps from after a relayout */

	struct reader_place back[READER_BACK];	/* ring */
	int nback, backtop;

	char *needle;		/* owned: the search as typed; NULL: none */
	char *folded;		/* owned: the needle, folded unless it has capitals */
	size_t foldedlen;
	bool fold;		/* case-insensitive */
	bool backward;		/* the last search was ? */
	bool have_match;
	size_t match_chapter;
	struct reader_match match;

	char msg[256];		/* a message for the status bar; "" none */

	struct layout_page page;	/* owned: the page at (page_chapter, page_pos) */
	bool have_page;
	size_t page_chapter, page_pos;
	unsigned long page_id;
	struct layout_page ahead;	/* owned: the page Space shows next */
	bool have_ahead;
	size_t ahead_chapter, ahead_pos, ahead_len;
	unsigned long ahead_id;
	unsigned long last_id;		/* of the last page laid out */
};

/* A page as the screen shows it. */
struct reader_view {
	size_t chapter;
	const struct layout_page *page;	/* the reader's; NULL: none */
	unsigned long id;		/* the same id, the same page laid out
					 * the same way (never 0) */
	double progress;		/* the book's at the page's end, 0..1 */
	double chapter_progress;	/* the chapter's, 0..1 */
};

/* Start at chapter ch, offset pos (clamped to the book).  The book must
 * stay open while the reader lives. */
void reader_init(struct reader *r, struct book *b,
		 const struct layout_opts *lo, int height, int overlap);
void reader_free(struct reader *r);

/* Go to a place; push: remember the current place for BACK.  The
 * offset is clamped to the chapter and snapped to a line. */
int reader_goto(struct reader *r, size_t chapter, size_t pos, bool push);
/* New layout or screen height: the anchor's words stay on the top line. */
void reader_set_view(struct reader *r, const struct layout_opts *lo,
		     int height, int overlap);

/* Carry out a movement command (PREV_CHAPTER .. CHAPTER_END, BACK,
 * SEARCH_NEXT, SEARCH_PREV).  Returns 0; messages land in r->msg. */
int reader_command(struct reader *r, enum command c);

/* Search the whole book for needle from the current position, forward
 * or backward, wrapping around.  Case-insensitive unless the needle has
 * capitals.  Returns 1 if found (the match's line is put at the top), 0
 * if not, -1 on error. */
int reader_search(struct reader *r, const char *needle, bool backward);

/* The current page, owned by the reader and valid until the next call
 * that moves or changes the view; NULL (r->msg says why) when the
 * chapter cannot be read. */
const struct layout_page *reader_page(struct reader *r);
/* Lay out the page the next page-down shows, so that it is ready when
 * the key comes: for the time between keys.  Reads no chapter that is
 * not indexed yet or is over a megabyte, and says nothing (a failure is
 * reported when the key is pressed). */
void reader_prepare(struct reader *r);
/* The current page (v->page NULL when the chapter cannot be read; r->msg
 * says why), and the page reader_prepare laid out (false when there is
 * none).  Valid until the reader next moves or changes. */
void reader_view(struct reader *r, struct reader_view *v);
bool reader_ahead_view(struct reader *r, struct reader_view *v);
/* The current chapter's text (NULL with r->msg set on failure). */
const char *reader_text(struct reader *r, size_t *len);

/* Matches of the search within source bytes [from, to) of a chapter, at
 * most max; returns how many. */
size_t reader_matches(struct reader *r, size_t chapter, size_t from, size_t to,
		      struct reader_match *out, size_t max);

/* Progress through the book and through the chapter, 0..1, as far as
 * the page on screen reaches. */
double reader_progress(struct reader *r);
double reader_chapter_progress(struct reader *r);

#endif
