/* library: every book folio knows of, for the library screen and --list.
 * Pure: no curses; Unicode only through text.h.
 *
 * Known books are the entries of the book roots (the bundled books
 * directory, $XDG_DATA_HOME/folio/books, each directory in $FOLIO_PATH)
 * plus every book recorded in the bookmarks dotfile.  A root's entries are
 * books: each subdirectory with chapter files and each .txt or .md file.
 * A scan opens each book (cheap: a directory book stats its files, a text
 * book reads its first 64 KiB) and never indexes a whole book, so a text
 * book's chapter count comes from its record (or from indexing it when it
 * is at most LIBRARY_INDEX_SMALL bytes).  Nothing is cached between scans:
 * scan again to see changes. */
#ifndef FOLIO_LIBRARY_H
#define FOLIO_LIBRARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "store.h"

/* Text books up to this size are indexed by the scan to count chapters. */
#define LIBRARY_INDEX_SMALL (64u * 1024)

/* One book.  Strings are owned by the library, never NULL, and clean
 * (text.h) except path, which is the file system's bytes. */
struct library_entry {
	const char *title;
	const char *author;	/* "" when unknown */
	/* "Uncategorized" when the book has none.  Books of one category
	 * are adjacent and share the same spelling (categories equal but
	 * for case are one). */
	const char *category;
	const char *path;	/* the real path; a missing book's recorded path */
	const char *format;	/* "directory", "text"; "" for a missing book */
	const char *fingerprint;	/* book_fingerprint(); "" if unknown */
	uint64_t size;		/* source bytes; 0 for a missing book */
	size_t nchapters;	/* 0: not known (a large text book never opened) */
	double progress;	/* 0..1, from the record; 0 without one */
	time_t last_read;	/* from the record; 0: never */
	/* A recorded book whose path no longer exists (or is no longer a
	 * book).  It stays in the dotfile; the library only reads it. */
	bool missing;
	/* The book's record (found by fingerprint, then by path), NULL if
	 * none.  Owned by the caller's store. */
	struct store_book *record;
};

struct library;

/* Scan the roots and the records.  bundled_dir may be NULL; roots that do
 * not exist or cannot be read are skipped, and so are their entries that
 * are not books.  recs[0..nrecs) are the dotfile's records (store_at()
 * for each i < store_count()); they must outlive the library.  Records
 * without a path (standard input) are not listed.  Books are deduplicated
 * by real path, and a recorded book that moved (its fingerprint found
 * under a root, its old path gone) appears once.
 *
 * Order: categories alphabetically, ignoring case, "Uncategorized" last;
 * within one, titles ignoring case, numbers in natural order ("Book 2"
 * before "Book 10").  Returns the library (free with library_free), or
 * NULL with *err (caller frees) when memory runs out. */
struct library *library_scan(const char *bundled_dir,
			     struct store_book *const *recs, size_t nrecs,
			     char **err);
void library_free(struct library *lib);	/* accepts NULL */

size_t library_count(const struct library *lib);
/* Entry i < library_count(), in order; owned by the library. */
const struct library_entry *library_at(const struct library *lib, size_t i);
/* "Continue reading": the book read most recently (the latest last_read,
 * missing books aside), or NULL if none was ever read. */
const struct library_entry *library_continue(const struct library *lib);

/* True if needle is in e's title or author, ignoring case (Unicode case
 * folding).  An empty or NULL needle matches everything.  e must come
 * from library_at() or library_continue(). */
bool library_match(const struct library_entry *e, const char *needle);

/* e's progress as a whole per cent, 0..100, rounded down (100 only at
 * the very end). */
int library_percent(const struct library_entry *e);

/* Write the library for --list: one book a line in library order, fields
 * separated by tabs: category, title, author, chapters ("?" if not
 * known), progress per cent, path.  Tabs and line breaks in a field
 * become spaces and control characters are made inert (so a path that is
 * not valid UTF-8 is shown with U+FFFD).  A missing book's line looks
 * like any other; its path no longer exists.  Returns 0, or -1 on a
 * write error (errno set). */
int library_print(const struct library *lib, FILE *f);

#endif
