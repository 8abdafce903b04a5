/* book_impl: what book.c shares with the format modules.  Not for
 * anything above the book layer. */
#ifndef FOLIO_BOOK_IMPL_H
#define FOLIO_BOOK_IMPL_H

#include "book.h"
#include "text.h"

struct book_ops {
	/* Index about budget bytes: 1 more to do, 0 complete, -1 error. */
	int (*index_more)(struct book *b, size_t budget);
	/* Append chapter i's clean text to out. */
	int (*load)(struct book *b, size_t i, struct text_buf *out, char **err);
	/* Find chapter i's title (sets ch[i].title); 0 or -1. */
	int (*title)(struct book *b, size_t i);
	void (*free)(struct book *b);
};

struct book_cached {
	size_t chapter;
	unsigned long used;	/* 0: empty slot */
	struct text_buf text;
};

struct book {
	const struct book_ops *ops;
	void *priv;		/* the format's own state */
	struct book_opts opts;

	char *path, *title, *author, *category, *language;
	const char *format, *encoding;	/* static strings */
	char fingerprint[48];
	uint64_t size;

	/* The chapters.  Chapter i is the source bytes [ch_start[i],
	 * ch_start[i + 1]) (a directory's files count as laid end to end),
	 * so ch_start has n + 1 entries once n > 0.  It points into
	 * starts (owned, cap + 1 entries) while the index grows, or into
	 * map (owned, map_len bytes) when a finished index was mapped from
	 * the cache: eight bytes a chapter, and a page of them is read only
	 * when a chapter on it is asked for. */
	const uint64_t *ch_start;
	uint64_t *starts;
	void *map;
	size_t map_len;
	char **ch_title;	/* owned, cap entries: owned or NULL until known */
	char **ch_file;		/* owned, cap entries; directory books only */
	size_t n, cap;
	bool complete;

	struct book_cached cache[BOOK_TEXT_CACHE];
	unsigned long clock;
};

/* Append a chapter of size bytes after the last one; title (may be NULL:
 * found lazily) and file (directory books) pass to the book.  0 or -1. */
int book_add_chapter(struct book *b, uint64_t size, char *title, char *file);
/* Replace the chapter list by a finished index: n chapters whose starts
 * (n + 1 entries) lie in map, which passes to the book (munmap of map_len
 * bytes).  The titles known so far are kept.  0, or -1 (nothing changed,
 * map still the caller's). */
int book_set_index(struct book *b, const uint64_t *start, size_t n,
		   void *map, size_t map_len);
/* printf into a new string; NULL on failure. */
char *book_strdupf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* FNV-1a over a few blocks of an open file of the given size, read into
 * scratch (BOOK_HASH_BLOCK bytes). */
#define BOOK_HASH_BLOCK 16384
uint64_t book_hash_file(int fd, uint64_t size, uint64_t h, char *scratch);
uint64_t book_hash(const void *p, size_t n, uint64_t h);
/* Clean one title line: trims white space, cuts at 200 bytes. Caller frees. */
char *book_clean_title(const char *enc, const char *s, size_t n);

int book_dir_open(struct book *b, int dirfd, char **err);
int book_txt_open(struct book *b, int fd, char **err);

#endif
