/* session: a book's record in the bookmarks dotfile while it is read:
 * resume, the debounced save of the place, bookmarks.  Pure. */
#ifndef FOLIO_SESSION_H
#define FOLIO_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "book.h"
#include "store.h"

#define SESSION_DEBOUNCE 5	/* seconds between saves while paging */

struct session {
	char *file;		/* owned: the dotfile */
	struct store *store;	/* owned */
	struct store_book *rec;	/* owned by store; created on first change */
	struct book *book;	/* not owned */
	bool dirty;		/* a change not saved yet */
	time_t saved;		/* when it was last saved */
	time_t opened;		/* when the session began */
};

/* Load the dotfile and find the book's record.  Returns 0, or -1 with
 * *err (caller frees); a missing dotfile is not an error.  A dotfile
 * that cannot be read still gives a session (saving will fail and say
 * so) so reading goes on. */
int session_open(struct session **sp, const char *file, struct book *b,
		 char **err);
void session_close(struct session *s);	/* accepts NULL; does not save */

/* The saved place, if any: 1 and *chapter, *offset set, or 0. */
int session_resume(struct session *s, size_t *chapter, size_t *offset,
		   time_t *last_read);
/* Note the current place (chapter, offset); saved by session_save. */
void session_place(struct session *s, size_t chapter, size_t offset,
		   double progress);
/* Save if there is something to save and force is set or the last save
 * is SESSION_DEBOUNCE seconds old.  Returns 0, or -1 with *err. */
int session_save(struct session *s, bool force, char **err);

/* Bookmarks of the book, oldest first (may be none). */
size_t session_nmarks(struct session *s);
const struct store_mark *session_mark(struct session *s, size_t i);
int session_add_mark(struct session *s, size_t chapter, size_t offset,
		     const char *label);
void session_del_mark(struct session *s, size_t i);
int session_rename_mark(struct session *s, size_t i, const char *label);

#endif
