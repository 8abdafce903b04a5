/* layout: a chapter's clean text (text.h) as lines of a column width.
 *
 * A position is a byte offset into the chapter's text.  Every line has
 * one, its start, and positions strictly increase down the chapter, blank
 * spacer lines included, so "the page at p" is well defined: it begins
 * with the line that contains p.  Pages are derived, never stored; the
 * work for a page is bounded by the paragraphs it touches, and a
 * paragraph is cut into pieces of at most about LAYOUT_PIECE bytes at
 * fixed points of the text, so even a 50 MB line pages as fast as a small
 * one. */
#ifndef FOLIO_LAYOUT_H
#define FOLIO_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_PIECE 16384

struct layout_opts {
	int width;		/* columns, >= 1 */
	int indent;		/* first-line indent of prose paragraphs */
	bool spacing;		/* a blank line between paragraphs */
	bool justify;		/* full justification; never a paragraph's last line */
};

struct layout_line {
	size_t pos;		/* where the line starts in the chapter text */
	size_t end;		/* just past the last source byte it shows */
	char *text;		/* display text, clean UTF-8, no newline */
	size_t len;		/* bytes of text */
	size_t *src;		/* for each byte of text, its source offset;
				 * (size_t)-1 for inserted spaces */
	int cols;		/* display width, <= width */
	bool spacer;		/* the blank line between paragraphs */
	bool title;		/* part of the chapter's title line */
};

struct layout_page {
	struct layout_line *lines;	/* owned, n of them */
	int n;
	size_t next;		/* the next page's position; len at the end */
	bool end;		/* the chapter ends on this page */
};

/* Lay out the page of at most height lines that starts with the line
 * containing pos.  Returns 0, or -1 on allocation failure.  Free with
 * layout_page_free. */
int layout_page(const struct layout_opts *o, const char *text, size_t len,
		size_t pos, int height, struct layout_page *page);
void layout_page_free(struct layout_page *page);
/* Make page, laid out by layout_page in the same text with the same
 * options, the page of height lines at the same place: cut it, or lay
 * out the lines after it.  Returns 0, or -1 on allocation failure (the
 * page is then as it was). */
int layout_page_resize(const struct layout_opts *o, const char *text,
		       size_t len, struct layout_page *page, int height);

/* Call fn for every line of the chapter, in order, until fn returns
 * non-zero.  The line (and its text) is valid only during the call.
 * Returns 0, or -1 on allocation failure. */
int layout_lines(const struct layout_opts *o, const char *text, size_t len,
		 int (*fn)(void *ctx, const struct layout_line *l), void *ctx);

/* The start of the line containing pos. */
size_t layout_snap(const struct layout_opts *o, const char *text, size_t len,
		   size_t pos);
/* The line n lines below the one containing pos; stops at the last line. */
size_t layout_down(const struct layout_opts *o, const char *text, size_t len,
		   size_t pos, int n);
/* The line n lines above the one containing pos; stops at the first. */
size_t layout_up(const struct layout_opts *o, const char *text, size_t len,
		 size_t pos, int n);
/* The position of the page whose last line is the chapter's last line. */
size_t layout_last_page(const struct layout_opts *o, const char *text,
			size_t len, int height);
/* UAX #14 break opportunities as layout uses them: p[i] = 1 if a line may
 * break before s[i] (clean UTF-8, n bytes), else 0. */
void layout_breaks(const char *s, size_t n, char *p);

#endif
