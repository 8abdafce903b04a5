/* book_impl: what book.c shares with the format modules.  Not for
 * anything above the book layer. */
#ifndef FOLIO_BOOK_IMPL_H
#define FOLIO_BOOK_IMPL_H

#include "book.h"
#include "text.h"

struct book_chapter {
	uint64_t start, size;	/* in the source bytes */
	char *title;		/* owned; NULL until known */
	char *file;		/* owned; directory books: the chapter's file */
};

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

	struct book_chapter *ch;	/* owned, n of cap */
	size_t n, cap;
	bool complete;

	struct book_cached cache[BOOK_TEXT_CACHE];
	unsigned long clock;
};

/* Append a chapter; its title may be NULL (found lazily).  0 or -1. */
int book_add_chapter(struct book *b, uint64_t start, uint64_t size,
		     char *title, char *file);
/* Map in now the pages of [p, p + len) that are about to be written:
 * one system call instead of a page fault each (on a virtual machine a
 * fault can cost 10 us; a 28,500-chapter index is 220 pages).  Only a
 * hint: nothing happens where the kernel cannot do it. */
void book_prefault(void *p, size_t len);
/* printf into a new string; NULL on failure. */
char *book_strdupf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* FNV-1a over a few blocks of an open file of the given size. */
uint64_t book_hash_file(int fd, uint64_t size, uint64_t h);
uint64_t book_hash(const void *p, size_t n, uint64_t h);
/* Clean one title line: trims white space, cuts at 200 bytes. Caller frees. */
char *book_clean_title(const char *enc, const char *s, size_t n);

int book_dir_open(struct book *b, int dirfd, char **err);
int book_txt_open(struct book *b, int fd, char **err);

#endif
