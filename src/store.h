/* store: the bookmarks dotfile (~/.folio_bookmarks) and the settings file
 * (~/.foliorc).  Pure: no curses, no libunistring.
 *
 * The dotfile is line-oriented text, a version line first, then one record
 * a line (format: see folio.1, FILES).  A process loads it, changes the
 * records of the books it reads, and saves; a save takes an flock on
 * "<file>.lock", re-reads the file, merges (records this process changed
 * win, everything else on disk is kept, lines that do not parse are kept
 * verbatim), and writes a temp file in the same directory, fsync, rename,
 * fsync of the directory.  A symlinked dotfile stays a symlink (the target
 * is written). */
#ifndef FOLIO_STORE_H
#define FOLIO_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct store_mark {
	size_t chapter;		/* 0-based */
	size_t offset;		/* byte offset in the chapter's clean text */
	char *label;		/* owned, one line, may be "" */
	time_t created;
};

struct store_book {
	char *fingerprint;	/* owned: book_fingerprint() */
	char *path;		/* owned: absolute path, "" for standard input */
	char *title;		/* owned */
	size_t chapter, offset;	/* the last position, for resume */
	size_t nchapters;	/* as of the last save, for the library */
	double progress;	/* 0..1 as of the last save */
	time_t last_read;	/* 0: never */
	struct store_mark *marks;	/* owned, nmarks, oldest first */
	size_t nmarks;
};

struct store;

/* Load file (created on first save if missing).  Returns 0, or -1 with
 * *err (caller frees) when it exists but cannot be read (*sp is then
 * NULL).  Lines that do not parse are kept; store_bad_lines() counts them.
 * In every function here err may be NULL when the message is not wanted. */
int store_load(struct store **sp, const char *file, char **err);
void store_free(struct store *s);	/* accepts NULL */
size_t store_bad_lines(const struct store *s);

/* The record of a book: by fingerprint first, then by path (a book whose
 * content changed), else NULL.  Owned by the store. */
struct store_book *store_find(struct store *s, const char *fingerprint,
			      const char *path);
/* store_find, or a new empty record.  The record's fingerprint and path
 * are updated to the given ones (but "", standard input, does not replace
 * a known path).  NULL on allocation failure. */
struct store_book *store_get(struct store *s, const char *fingerprint,
			     const char *path);
size_t store_count(const struct store *s);
struct store_book *store_at(struct store *s, size_t i);

/* Changes: each marks the record as changed by this process: its place
 * (position, title, identity) or its marks, apart, so that a save keeps
 * from the file what this process did not change (another process's new
 * mark on a book whose place moved here). */
void store_set_position(struct store *s, struct store_book *r, size_t chapter,
			size_t offset, double progress, size_t nchapters,
			const char *title);
int store_add_mark(struct store *s, struct store_book *r, size_t chapter,
		   size_t offset, const char *label);
void store_del_mark(struct store *s, struct store_book *r, size_t i);
int store_rename_mark(struct store *s, struct store_book *r, size_t i,
		      const char *label);

/* Merge with what is on disk and write (see above).  Returns 0, or -1
 * with *err (caller frees): "cannot write /path: Permission denied". */
int store_save(struct store *s, char **err);

/* The default dotfile: --bookmarks, else $FOLIO_BOOKMARKS, else
 * $HOME/.folio_bookmarks.  Caller frees; NULL if HOME is unset too. */
char *store_default_path(const char *option);

/* Settings: ~/.foliorc (override $FOLIORC), "key = value" lines, '#'
 * comments.  Unknown keys and comments survive a save. */
struct settings {
	int width;		/* text column, 20..400; default 72 */
	int margin;		/* least blank columns each side, 0..20; default 2 */
	bool justify;		/* default false */
	bool spacing;		/* blank line between paragraphs; default true */
	int indent;		/* first-line indent, 0..8; default 0 */
	int overlap;		/* lines repeated on a page turn, 0..5; default 0 */
	char theme[16];		/* "default", "light", "dark", "sepia" */
};

void settings_defaults(struct settings *st);
/* Set the theme: name (shorter than the buffer), zero-filled to its end,
 * so that two equal settings are equal byte for byte. */
void settings_set_theme(struct settings *st, const char *name);
/* The themes by number, in the order the settings screen goes through
 * them: "default" first; NULL past the last. */
const char *settings_theme(size_t i);
/* Load file into *st (defaults for what it lacks).  A missing file is
 * not an error.  A bad value is skipped and reported in *err (caller
 * frees) with its line number; the rest still loads. Returns 0, or -1
 * whenever *err is set (an unreadable file, bad values); *st is usable
 * either way. */
int settings_load(struct settings *st, const char *file, char **err);
/* Write *st to file, keeping its comments, unknown keys and order,
 * crash-safe like the dotfile.  0, or -1 with *err. */
int settings_save(const struct settings *st, const char *file, char **err);
/* $FOLIORC, else $HOME/.foliorc.  Caller frees; NULL without HOME. */
char *settings_default_path(void);

#endif
