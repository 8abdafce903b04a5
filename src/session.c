/* session: see session.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

int
session_open(struct session **sp, const char *file, struct book *b, char **err)
{
	struct session *s = calloc(1, sizeof *s);

	*sp = NULL;
	*err = NULL;
	if (s == NULL || (s->file = strdup(file)) == NULL) {
		free(s);
		*err = strdup(strerror(ENOMEM));
		return -1;
	}
	s->book = b;
	int rc = store_load(&s->store, file, err);
	if (s->store == NULL) {
		session_close(s);
		return -1;
	}
	s->rec = store_find(s->store, book_fingerprint(b), book_path(b));
	s->saved = s->opened = time(NULL);
	*sp = s;
	return rc < 0 ? -1 : 0;
}

void
session_close(struct session *s)
{
	if (s == NULL)
		return;
	store_free(s->store);
	free(s->file);
	free(s);
}

int
session_resume(struct session *s, size_t *chapter, size_t *offset,
	       time_t *last_read)
{
	*last_read = s->rec ? s->rec->last_read : 0;
	if (s->rec == NULL || s->rec->last_read == 0)
		return 0;
	*chapter = s->rec->chapter;
	*offset = s->rec->offset;
	return 1;
}

static struct store_book *
record(struct session *s)
{
	if (s->rec == NULL)
		s->rec = store_get(s->store, book_fingerprint(s->book),
				   book_path(s->book));
	else if (strcmp(s->rec->fingerprint, book_fingerprint(s->book)) != 0 ||
		 strcmp(s->rec->path, book_path(s->book)) != 0)
		s->rec = store_get(s->store, book_fingerprint(s->book),
				   book_path(s->book));
	return s->rec;
}

void
session_place(struct session *s, size_t chapter, size_t offset,
	      double progress)
{
	struct store_book *r = record(s);
	if (r == NULL)
		return;
	if (r->chapter == chapter && r->offset == offset &&
	    r->last_read >= s->opened && r->nchapters == book_nchapters(s->book))
		return;
	store_set_position(s->store, r, chapter, offset, progress,
			   book_complete(s->book) ? book_nchapters(s->book) :
			   r->nchapters, book_title(s->book));
	r->last_read = time(NULL);
	s->dirty = true;
}

int
session_save(struct session *s, bool force, char **err)
{
	*err = NULL;
	if (!s->dirty)
		return 0;
	time_t now = time(NULL);
	if (!force && now - s->saved < SESSION_DEBOUNCE)
		return 0;
	s->saved = now;
	if (store_save(s->store, err) < 0)
		return -1;
	s->dirty = false;
	return 0;
}

size_t
session_nmarks(struct session *s)
{
	return s->rec ? s->rec->nmarks : 0;
}

const struct store_mark *
session_mark(struct session *s, size_t i)
{
	return s->rec && i < s->rec->nmarks ? &s->rec->marks[i] : NULL;
}

int
session_add_mark(struct session *s, size_t chapter, size_t offset,
		 const char *label)
{
	struct store_book *r = record(s);
	if (r == NULL || store_add_mark(s->store, r, chapter, offset, label) < 0)
		return -1;
	s->dirty = true;
	return 0;
}

void
session_del_mark(struct session *s, size_t i)
{
	if (s->rec == NULL || i >= s->rec->nmarks)
		return;
	store_del_mark(s->store, s->rec, i);
	s->dirty = true;
}

int
session_rename_mark(struct session *s, size_t i, const char *label)
{
	if (s->rec == NULL || i >= s->rec->nmarks)
		return -1;
	if (store_rename_mark(s->store, s->rec, i, label) < 0)
		return -1;
	s->dirty = true;
	return 0;
}
