/* book: a book as chapters of clean UTF-8 text (see text.h).
 *
 * A book is opened cheaply: a text file is indexed lazily, in slices, so
 * the first chapter is there at once and a 100 MB file is never held in
 * memory.  Chapter boundaries are byte offsets into the source; chapter
 * text is read and cleaned on demand.  Formats: a directory of chapter
 * files (book_dir.c) and a text file whose chapters are found by their
 * headings (book_txt.c). */
#ifndef FOLIO_BOOK_H
#define FOLIO_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct book;

struct book_opts {
	const char *encoding;	/* force this encoding; NULL: detect */
	const char *pattern;	/* POSIX ERE for chapter headings; NULL: built in */
	const char *cache_dir;	/* where to keep index caches; NULL: none */
};

/* Open the book at path ("-" is standard input).  Returns 0, or -1 with
 * *err (caller frees) set to a one-line reason such as "not a book: binary
 * file".  A missing/unreadable path's reason is strerror's. */
int book_open(struct book **bp, const char *path, const struct book_opts *o,
	      char **err);
/* Accepts NULL. */
void book_close(struct book *b);

/* Metadata, owned by the book, never NULL ("" when unknown). */
const char *book_title(const struct book *b);
const char *book_author(const struct book *b);
const char *book_category(const struct book *b);
const char *book_language(const struct book *b);
const char *book_path(const struct book *b);	/* as given (absolute if possible) */
const char *book_format(const struct book *b);	/* "directory" or "text" */
const char *book_encoding(const struct book *b);
/* size plus a hash of a few blocks, as text: "fnv64hex-size" */
const char *book_fingerprint(const struct book *b);
uint64_t book_size(const struct book *b);	/* source bytes of all chapters */

/* Chapters known so far (each with a known end).  Grows while indexing. */
size_t book_nchapters(const struct book *b);
bool book_complete(const struct book *b);
/* Index about budget more source bytes.  Returns 1 if there is more to
 * do, 0 when complete, -1 on a read error (the book stays usable with the
 * chapters found so far, and is then complete). */
int book_index_more(struct book *b, size_t budget);
/* Index until chapter i exists or the book is complete.  Returns 0 if
 * chapter i exists, -1 if not. */
int book_need(struct book *b, size_t i);

/* Chapter i's title (clean, one line); owned by the book. */
const char *book_chapter_title(struct book *b, size_t i);
/* Where chapter i starts in the book's source bytes, and its size. */
uint64_t book_chapter_start(const struct book *b, size_t i);
uint64_t book_chapter_size(const struct book *b, size_t i);

/* Chapter i's clean text.  *text is owned by the book and stays valid
 * until BOOK_TEXT_CACHE other chapters have been fetched since.  Returns 0,
 * or -1 with *err (caller frees). */
#define BOOK_TEXT_CACHE 4
int book_chapter_text(struct book *b, size_t i, const char **text,
		      size_t *len, char **err);

/* Progress through the book, 0..1, for byte offset off in chapter i's
 * clean text of length len. */
double book_progress(const struct book *b, size_t i, size_t off, size_t len);

#endif
