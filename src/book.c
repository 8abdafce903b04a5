/* book: opening, metadata, the chapter list and the chapter text cache.
 * The formats fill in the chapter list (book_dir.c, book_txt.c). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>

#include "book_impl.h"

char *
book_strdupf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* FNV-1a, eight bytes at a step (then the tail a byte at a time): a
 * fingerprint, not a defence against anyone. */
uint64_t
book_hash(const void *p, size_t n, uint64_t h)
{
	const unsigned char *u = p;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, u + i, 8);
		h ^= w;
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++) {
		h ^= u[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
book_hash_file(int fd, uint64_t size, uint64_t h, char *buf)
{
	enum { BLK = BOOK_HASH_BLOCK };
	uint64_t at[3] = { 0, size / 2, size > BLK ? size - BLK : 0 };

	for (int i = 0; i < 3; i++) {
		ssize_t r = pread(fd, buf, BLK, (off_t)at[i]);
		if (r > 0)
			h = book_hash(buf, (size_t)r, h);
	}
	return book_hash(&size, sizeof size, h);
}

char *
book_clean_title(const char *enc, const char *s, size_t n)
{
	struct text_buf b = { 0 };

	if (text_to_clean(enc, s, n, &b) < 0 || text_buf_add(&b, "", 0) < 0) {
		text_buf_free(&b);
		return NULL;
	}
	/* One line, trimmed, at most 200 bytes. */
	char *nl = memchr(b.s, '\n', b.len);
	size_t len = nl ? (size_t)(nl - b.s) : b.len;
	size_t lead = text_indent(b.s, len);
	while (len > lead && (b.s[len - 1] == ' '))
		len--;
	while (len > lead + 3 && memcmp(b.s + len - 3, "\xE3\x80\x80", 3) == 0)
		len -= 3;
	if (len - lead > 200) {
		len = lead + 200;
		while (len > lead && ((unsigned char)b.s[len] & 0xC0) == 0x80)
			len--;
	}
	memmove(b.s, b.s + lead, len - lead);
	b.s[len - lead] = '\0';
	return b.s;
}

int
book_add_chapter(struct book *b, uint64_t size, char *title, char *file)
{
	if (b->map != NULL)
		return -1;	/* a mapped index is finished */
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		uint64_t *st = realloc(b->starts, (cap + 1) * sizeof *st);
		if (st == NULL)
			return -1;
		if (b->n == 0)
			st[0] = 0;
		b->starts = st;
		b->ch_start = st;
		char **t = realloc(b->ch_title, cap * sizeof *t);
		if (t == NULL)
			return -1;
		b->ch_title = t;
		if (file != NULL || b->ch_file != NULL) {
			char **f = realloc(b->ch_file, cap * sizeof *f);
			if (f == NULL)
				return -1;
			if (b->ch_file == NULL)
				memset(f, 0, cap * sizeof *f);
			b->ch_file = f;
		}
		b->cap = cap;
	}
	b->starts[b->n + 1] = b->starts[b->n] + size;
	b->ch_title[b->n] = title;
	if (b->ch_file != NULL)
		b->ch_file[b->n] = file;
	b->n++;
	return 0;
}

int
book_set_index(struct book *b, const uint64_t *start, size_t n, void *map,
	       size_t map_len)
{
	if (n < b->n || b->ch_file != NULL)
		return -1;
	/* calloc: a big array comes as zero pages, touched only where a
	 * title is looked up. */
	char **t = calloc(n, sizeof *t);
	if (t == NULL)
		return -1;
	if (b->n > 0)
		memcpy(t, b->ch_title, b->n * sizeof *t);
	free(b->ch_title);
	free(b->starts);
	b->ch_title = t;
	b->starts = NULL;
	b->ch_start = start;
	b->map = map;
	b->map_len = map_len;
	b->n = b->cap = n;
	return 0;
}

static char *
absolute(const char *path)
{
	char *r = realpath(path, NULL);
	return r ? r : strdup(path);
}

/* Standard input and FIFOs are spooled into an unlinked temp file. */
static int
spool(int in, char **err)
{
	const char *tmp = getenv("TMPDIR");
	char *name = book_strdupf("%s/folio-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (name == NULL)
		return -1;
	int fd = mkstemp(name);
	if (fd < 0) {
		*err = book_strdupf("cannot spool: %s: %s", name, strerror(errno));
		free(name);
		return -1;
	}
	unlink(name);
	free(name);
	char buf[65536];
	for (;;) {
		ssize_t r = read(in, buf, sizeof buf);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*err = book_strdupf("%s", strerror(errno));
			close(fd);
			return -1;
		}
		for (ssize_t off = 0; off < r;) {
			ssize_t w = write(fd, buf + off, (size_t)(r - off));
			if (w < 0) {
				*err = book_strdupf("cannot spool: %s", strerror(errno));
				close(fd);
				return -1;
			}
			off += w;
		}
	}
	return fd;
}

int
book_open(struct book **bp, const char *path, const struct book_opts *o,
	  char **err)
{
	struct book *b = calloc(1, sizeof *b);
	int fd = -1, rc = -1;

	*bp = NULL;
	*err = NULL;
	if (b == NULL)
		return -1;
	if (o != NULL)
		b->opts = *o;
	if (b->opts.encoding != NULL && !text_encoding_known(b->opts.encoding)) {
		*err = book_strdupf("unknown encoding: %s", b->opts.encoding);
		goto out;
	}

	struct stat st;
	if (strcmp(path, "-") == 0) {
		b->path = strdup("");
		fd = spool(0, err);
		if (fd < 0)
			goto out;
		b->title = strdup("standard input");
		rc = book_txt_open(b, fd, err);
		fd = -1;
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		*err = strdup(strerror(errno));
		goto out;
	}
	b->path = absolute(path);
	if (S_ISDIR(st.st_mode)) {
		rc = book_dir_open(b, fd, err);
		fd = -1;
	} else if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) ||
		   S_ISCHR(st.st_mode)) {
		int flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
		if (!S_ISREG(st.st_mode)) {
			int s = spool(fd, err);
			close(fd);
			fd = s;
			if (fd < 0)
				goto out;
			/* A FIFO opened without blocking reads as empty
			 * when no one writes to it: say so, do not wait. */
			struct stat sp;
			if (S_ISFIFO(st.st_mode) && fstat(fd, &sp) == 0 &&
			    sp.st_size == 0) {
				*err = strdup("not a book: a FIFO with nothing "
					      "written to it");
				goto out;
			}
		}
		rc = book_txt_open(b, fd, err);
		fd = -1;
	} else {
		*err = strdup("not a book: not a file or directory");
	}
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		if (*err == NULL)
			*err = strdup(strerror(errno ? errno : ENOMEM));
		book_close(b);
		return -1;
	}
	if (b->title == NULL || b->title[0] == '\0') {
		free(b->title);
		const char *base = strrchr(b->path, '/');
		base = base ? base + 1 : b->path;
		b->title = strdup(base);
		char *dot = b->title ? strrchr(b->title, '.') : NULL;
		if (dot != NULL && dot != b->title && strcmp(b->format, "text") == 0)
			*dot = '\0';
	}
	const char **meta[] = { (const char **)&b->author,
				(const char **)&b->category,
				(const char **)&b->language };
	for (size_t i = 0; i < 3; i++)
		if (*meta[i] == NULL)
			*(char **)meta[i] = strdup("");
	if (b->title == NULL || b->author == NULL || b->category == NULL ||
	    b->language == NULL || b->path == NULL) {
		book_close(b);
		*err = strdup(strerror(ENOMEM));
		return -1;
	}
	*bp = b;
	return 0;
}

void
book_close(struct book *b)
{
	if (b == NULL)
		return;
	if (b->ops != NULL && b->ops->free != NULL)
		b->ops->free(b);
	for (size_t i = 0; i < b->n; i++) {
		free(b->ch_title[i]);
		if (b->ch_file != NULL)
			free(b->ch_file[i]);
	}
	free(b->ch_title);
	free(b->ch_file);
	free(b->starts);
	if (b->map != NULL)
		munmap(b->map, b->map_len);
	for (size_t i = 0; i < BOOK_TEXT_CACHE; i++)
		text_buf_free(&b->cache[i].text);
	free(b->path);
	free(b->title);
	free(b->author);
	free(b->category);
	free(b->language);
	free(b);
}

const char *book_title(const struct book *b) { return b->title; }
const char *book_author(const struct book *b) { return b->author; }
const char *book_category(const struct book *b) { return b->category; }
const char *book_language(const struct book *b) { return b->language; }
const char *book_path(const struct book *b) { return b->path; }
const char *book_format(const struct book *b) { return b->format; }
const char *book_encoding(const struct book *b) { return b->encoding; }
const char *book_fingerprint(const struct book *b) { return b->fingerprint; }
uint64_t book_size(const struct book *b) { return b->size; }
size_t book_nchapters(const struct book *b) { return b->n; }
bool book_complete(const struct book *b) { return b->complete; }

int
book_index_more(struct book *b, size_t budget)
{
	if (b->complete)
		return 0;
	int r = b->ops->index_more(b, budget);
	if (r <= 0)
		b->complete = true;
	return r;
}

int
book_need(struct book *b, size_t i)
{
	/* Small slices first: the first chapter should not wait for a
	 * megabyte to be read, nor the first screen for the headings of
	 * the next dozen chapters (16 KiB: a chapter of a novel, or most
	 * of one; the slice doubles until the chapter ends). */
	size_t budget = 16 << 10;
	while (i >= b->n && !b->complete) {
		book_index_more(b, budget);
		if (budget < (1u << 20))
			budget *= 2;
	}
	return i < b->n ? 0 : -1;
}

const char *
book_chapter_title(struct book *b, size_t i)
{
	if (i >= b->n)
		return "";
	if (b->ch_title[i] == NULL && b->ops->title != NULL)
		b->ops->title(b, i);
	if (b->ch_title[i] == NULL) {
		b->ch_title[i] = book_strdupf("Chapter %zu", i + 1);
		if (b->ch_title[i] == NULL)
			return "";
	}
	return b->ch_title[i];
}

uint64_t
book_chapter_start(const struct book *b, size_t i)
{
	return i < b->n ? b->ch_start[i] : b->size;
}

uint64_t
book_chapter_size(const struct book *b, size_t i)
{
	return i < b->n ? b->ch_start[i + 1] - b->ch_start[i] : 0;
}

int
book_chapter_text(struct book *b, size_t i, const char **text, size_t *len,
		  char **err)
{
	struct book_cached *slot = NULL;

	*err = NULL;
	if (i >= b->n) {
		*err = book_strdupf("no chapter %zu", i + 1);
		return -1;
	}
	for (size_t k = 0; k < BOOK_TEXT_CACHE; k++) {
		struct book_cached *c = &b->cache[k];
		if (c->used != 0 && c->chapter == i) {
			c->used = ++b->clock;
			*text = c->text.s ? c->text.s : "";
			*len = c->text.len;
			return 0;
		}
		if (slot == NULL || c->used < slot->used)
			slot = c;
	}
	text_buf_free(&slot->text);
	slot->used = 0;
	if (b->ops->load(b, i, &slot->text, err) < 0) {
		text_buf_free(&slot->text);
		if (*err == NULL)
			*err = strdup(strerror(errno ? errno : ENOMEM));
		return -1;
	}
	slot->chapter = i;
	slot->used = ++b->clock;
	*text = slot->text.s ? slot->text.s : "";
	*len = slot->text.len;
	return 0;
}

double
book_progress(const struct book *b, size_t i, size_t off, size_t len)
{
	if (i >= b->n || b->size == 0)
		return 0;
	double in = len ? (double)off / (double)len : 0;
	double at = (double)b->ch_start[i] +
		    in * (double)(b->ch_start[i + 1] - b->ch_start[i]);
	double p = at / (double)b->size;
	return p < 0 ? 0 : p > 1 ? 1 : p;
}
