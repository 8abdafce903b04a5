/* book_txt: a text file whose chapters are found by their headings.
 *
 * The file is indexed lazily: book_index_more() reads the next slice with
 * pread and looks at the lines that could be headings (short ones, with a
 * plausible first byte), so memory stays at one slice however big the
 * file.  A chapter runs from its heading's line to the next heading; text
 * before the first heading is front matter.  Offsets are source bytes, so
 * UTF-16 and GB18030 books are indexed without converting them whole.
 *
 * Books of INDEX_CACHE_MIN bytes and more keep their finished index in
 * the cache directory, keyed by the fingerprint, so that reopening one at
 * its last chapter does not scan it again. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book_impl.h"

#define MAX_HEADING 400		/* source bytes; longer lines are text */
#define INDEX_CACHE_MIN (1u << 20)
#define HEAD_SLICE (64u << 10)	/* read at open: the encoding's sample */

struct txt {
	int fd;
	uint64_t fsize;
	size_t unit;		/* 2 for UTF-16 */
	bool be;		/* UTF-16BE */
	size_t bom;
	uint64_t scan;		/* next source offset to look at: a line start */
	bool skipping;		/* inside a line too long to be a heading */
	bool started;		/* a heading was seen */
	bool saw_text;		/* non-blank text before the first heading */
	uint64_t cur;		/* start of the chapter being delimited */
	char *cur_title;	/* owned */
	regex_t re;
	bool have_re;
	bool cache_tried;	/* looked for a cached index */
	char *buf;		/* owned, one slice */
	size_t bufsz;
	size_t have;		/* bytes from scan on already in buf */
};

static const char *const numwords[] = {
	"one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
	"sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
	"forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
	NULL
};

/* Length of a chapter number at s: digits, a Roman numeral, or English
 * number words joined by hyphens ("Twenty-One").  0 if none. */
static size_t
number_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i > 0)
		return i;
	while (i < n && strchr("IVXLCDMivxlcdm", s[i]) != NULL && s[i])
		i++;
	if (i > 0 && (i == n || !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
		return i;
	i = 0;
	for (;;) {
		size_t w = 0;
		while (i + w < n && ((s[i + w] | 0x20) >= 'a' && (s[i + w] | 0x20) <= 'z'))
			w++;
		bool found = false;
		for (const char *const *p = numwords; *p && w > 0; p++)
			if (strlen(*p) == w && strncasecmp(s + i, *p, w) == 0)
				found = true;
		if (!found)
			return i > 0 ? i - 1 : 0;
		i += w;
		if (i < n && s[i] == '-')
			i++;
		else
			return i;
	}
}

/* What follows a heading's keyword and number: nothing, or a title that
 * does not read as the rest of a sentence. */
static bool
title_rest(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && !strchr(" .:-)", s[i]) && (unsigned char)s[i] < 0x80)
		return false;
	while (i < n && (strchr(" .:-)", s[i]) != NULL))
		i++;
	/* an en or em dash */
	while (i + 3 <= n && (memcmp(s + i, "\xE2\x80\x93", 3) == 0 ||
			      memcmp(s + i, "\xE2\x80\x94", 3) == 0)) {
		i += 3;
		while (i < n && s[i] == ' ')
			i++;
	}
	return i == n || !(s[i] >= 'a' && s[i] <= 'z');
}

static bool
keyword(const char *s, size_t n, const char *word, bool numbered)
{
	size_t k = strlen(word);
	if (n < k || memcmp(s, word, k) != 0)
		return false;
	if (!numbered)
		return k == n || title_rest(s + k, n - k);
	size_t i = k;
	if (i >= n || s[i] != ' ')
		return false;
	while (i < n && s[i] == ' ')
		i++;
	size_t num = number_len(s + i, n - i);
	return num > 0 && title_rest(s + i + num, n - i - num);
}

static bool
cjk_numeral(const char *s, size_t n, size_t *len)
{
	static const char *const digits[] = {
		"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百",
		"千", "万", "零", "〇", "两", "０", "１", "２", "３", "４", "５",
		"６", "７", "８", "９", NULL
	};
	if (n > 0 && s[0] >= '0' && s[0] <= '9') {
		*len = 1;
		return true;
	}
	for (const char *const *d = digits; *d; d++)
		if (n >= 3 && memcmp(s, *d, 3) == 0) {
			*len = 3;
			return true;
		}
	return false;
}

/* s: a clean line without its leading and trailing white space. */
static bool
is_heading(const char *s, size_t n)
{
	if (n == 0 || n > 200)
		return false;
	if (s[0] == '#') {
		size_t h = s[1] == '#' ? 2 : 1;
		return n > h + 1 && s[h] == ' ' && s[h + 1] != ' ';
	}
	if (n >= 3 && memcmp(s, "第", 3) == 0) {
		size_t i = 3, k, digits = 0;
		while (i < n && cjk_numeral(s + i, n - i, &k)) {
			i += k;
			digits++;
		}
		static const char *const marks[] = { "章", "回", "节", "卷", "集",
						     "部", "篇", NULL };
		if (digits == 0 || i + 3 > n || n > 150)
			return false;
		for (const char *const *m = marks; *m; m++)
			if (memcmp(s + i, *m, 3) == 0)
				return true;
		return false;
	}
	return keyword(s, n, "Chapter", true) || keyword(s, n, "CHAPTER", true) ||
	       keyword(s, n, "Part", true) || keyword(s, n, "PART", true) ||
	       keyword(s, n, "Book", true) || keyword(s, n, "BOOK", true) ||
	       keyword(s, n, "Prologue", false) || keyword(s, n, "PROLOGUE", false) ||
	       keyword(s, n, "Epilogue", false) || keyword(s, n, "EPILOGUE", false);
}

/* A cheap look at a raw line before converting it. */
static bool
may_be_heading(const struct txt *t, const char *s, size_t n)
{
	if (t->have_re || t->unit == 2)
		return true;
	size_t i = 0;
	for (;;) {
		if (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		else if (i + 3 <= n && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
			i += 3;
		else if (i + 2 <= n && memcmp(s + i, "\xA1\xA1", 2) == 0)
			i += 2;
		else
			break;
	}
	if (i == n)
		return false;
	unsigned char c = s[i];
	return c == '#' || c == 'C' || c == 'P' || c == 'B' || c == 'E' ||
	       (c == 0xE7 && i + 2 < n && (unsigned char)s[i + 1] == 0xAC) ||
	       (c == 0xB5 && i + 1 < n && (unsigned char)s[i + 1] == 0xDA) ||
	       c == 0xEF;	/* a BOM before the first heading */
}

/* The heading's title if the raw line is one, else NULL.  Caller frees. */
static char *
heading(struct book *b, struct txt *t, const char *s, size_t n)
{
	if (n > MAX_HEADING || !may_be_heading(t, s, n))
		return NULL;
	char *line = book_clean_title(b->encoding, s, n);
	if (line == NULL)
		return NULL;
	size_t len = strlen(line);
	bool yes = t->have_re ? regexec(&t->re, line, 0, NULL, 0) == 0 :
				is_heading(line, len);
	if (!yes) {
		free(line);
		return NULL;
	}
	if (line[0] == '#') {
		size_t h = line[1] == '#' ? 2 : 1;
		memmove(line, line + h + 1, len - h);
	}
	return line;
}

static bool
blank_raw(const struct txt *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n\f", s[i]) && !(t->unit == 2 && s[i] == 0))
			return false;
	return true;
}

/* Before the first heading, remember whether buf[i, e) (part of a line
 * too long to be a heading) has text, as a whole line would. */
static void
note_text(struct txt *t, const char *buf, size_t i, size_t e)
{
	if (t->scan + i < t->bom)
		i = t->bom - t->scan < e ? (size_t)(t->bom - t->scan) : e;
	if (!t->started && !t->saw_text)
		t->saw_text = !blank_raw(t, buf + i, e - i);
}

static int
close_chapter(struct book *b, struct txt *t, uint64_t end)
{
	if (book_add_chapter(b, end - t->cur, t->cur_title, NULL) < 0)
		return -1;
	t->cur_title = NULL;
	return 0;
}

/* The line starting at buf[i]: its end (index of the newline unit, or
 * len if none in the buffer). */
static size_t
line_end(const struct txt *t, const char *buf, size_t i, size_t len)
{
	if (t->unit == 1) {
		const char *nl = memchr(buf + i, '\n', len - i);
		return nl ? (size_t)(nl - buf) : len;
	}
	for (; i + 1 < len; i += 2)
		if (buf[i + t->be] == '\n' && buf[i + !t->be] == 0)
			return i;
	return len;
}

/* ---- the index cache ---- */

/* The cache file's name for this book and chapter pattern.  Caller
 * frees; NULL when the book is not cached. */
static char *
cache_name(struct book *b, struct txt *t)
{
	if (b->opts.cache_dir == NULL || t->fsize < INDEX_CACHE_MIN ||
	    b->path == NULL || b->path[0] == '\0')
		return NULL;
	uint64_t h = 0xcbf29ce484222325ULL;
	if (b->opts.pattern != NULL)
		h = book_hash(b->opts.pattern, strlen(b->opts.pattern), h);
	h = book_hash(b->encoding, strlen(b->encoding), h);
	return book_strdupf("%s/index-%s-%016llx", b->opts.cache_dir,
			    b->fingerprint, (unsigned long long)h);
}

/* The cache file: a header of CACHE_HEAD bytes, the text line
 * "folio-index 3 FILESIZE COUNT ORDER\n" padded with NULs, then the
 * COUNT + 1 chapter starts as native 64-bit integers (the last one is
 * FILESIZE).  It is mapped, not read: the starts are used where they
 * lie.  Titles are not kept: they are read from the book when asked for. */
#define CACHE_HEAD 64
#define CACHE_ORDER 0x0102030405060708ULL

static void
save_cache(struct book *b, struct txt *t)
{
	char *name = cache_name(b, t);
	if (name == NULL)
		return;
	char *tmp = book_strdupf("%s.%ld", name, (long)getpid());
	FILE *f = tmp ? fopen(tmp, "w") : NULL;
	if (f == NULL && tmp != NULL) {
		/* maybe the directory is missing: make it */
		char *slash = strrchr(name, '/');
		if (slash != NULL) {
			*slash = '\0';
			for (char *p = name; (p = strchr(p + 1, '/')) != NULL;) {
				*p = '\0';
				mkdir(name, 0700);
				*p = '/';
			}
			mkdir(name, 0700);
			*slash = '/';
			f = fopen(tmp, "w");
		}
	}
	if (f != NULL) {
		char head[CACHE_HEAD] = { 0 };
		int len = snprintf(head, sizeof head, "folio-index 3 %llu %zu %llu\n",
				   (unsigned long long)t->fsize, b->n,
				   (unsigned long long)CACHE_ORDER);
		bool ok = len > 0 && (size_t)len < sizeof head &&
			  fwrite(head, sizeof head, 1, f) == 1 &&
			  fwrite(b->ch_start, sizeof *b->ch_start, b->n + 1, f) ==
				  b->n + 1;
		if (fclose(f) == 0 && ok)
			rename(tmp, name);
		else
			unlink(tmp);
	}
	free(tmp);
	free(name);
}

/* Map the cached index and hand it to the book.  Returns 0 if it was
 * there, whole and agrees with the chapters found so far; anything
 * doubtful is ignored (and rebuilt by indexing). */
static int
load_cache(struct book *b, struct txt *t)
{
	char *name = cache_name(b, t);
	int fd = name ? open(name, O_RDONLY | O_CLOEXEC) : -1;
	free(name);
	if (fd < 0)
		return -1;
	struct stat st;
	void *map = MAP_FAILED;
	if (fstat(fd, &st) == 0 && st.st_size > CACHE_HEAD &&
	    (uint64_t)st.st_size <= t->fsize * 8 + 2 * CACHE_HEAD)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	size_t len = (size_t)st.st_size;
	char head[CACHE_HEAD + 1];
	memcpy(head, map, CACHE_HEAD);
	head[CACHE_HEAD] = '\0';
	unsigned long long fsize, order;
	size_t n;
	int used = 0;
	const uint64_t *start = (const uint64_t *)((const char *)map + CACHE_HEAD);
	bool ok = sscanf(head, "folio-index 3 %llu %zu %llu\n%n", &fsize, &n,
			 &order, &used) == 3 && used > 0 && fsize == t->fsize &&
		  order == CACHE_ORDER && n > 0 && n >= b->n &&
		  len == CACHE_HEAD + (n + 1) * sizeof *start &&
		  start[0] == 0 && start[n] == fsize;
	/* Every start in order: a page of them is 512 chapters, and the
	 * kernel maps a file's cached pages several at a fault. */
	for (size_t i = 0; ok && i < n; i++)
		ok = start[i] <= start[i + 1];
	for (size_t i = 0; ok && b->n > 0 && i <= b->n; i++)
		ok = start[i] == b->ch_start[i];
	if (!ok || book_set_index(b, start, n, map, len) < 0) {
		munmap(map, len);
		return -1;
	}
	return 0;
}

static int
txt_index_more(struct book *b, size_t budget)
{
	struct txt *t = b->priv;

	/* The first slice is indexed at once, for the first screen; after
	 * it, a cached index (if any) saves the rest of the scan. */
	if (!t->cache_tried && t->scan > 0) {
		t->cache_tried = true;
		if (load_cache(b, t) == 0)
			return 0;
	}
	if (budget < 4096)
		budget = 4096;
	/* What open read is the first slice, cut to the budget. */
	size_t want = budget + MAX_HEADING + 4;
	ssize_t r = (ssize_t)(t->have < want ? t->have : want);
	if (t->have == 0 && t->bufsz < want) {
		char *nb = realloc(t->buf, budget + MAX_HEADING + 4);
		if (nb == NULL)
			return -1;
		t->buf = nb;
		t->bufsz = want;
	}
	while (t->have == 0 &&
	       (r = pread(t->fd, t->buf, want, (off_t)t->scan)) < 0 &&
	       errno == EINTR)
		;
	t->have = 0;
	if (r < 0)
		return -1;
	size_t len = (size_t)r;
	bool eof = t->scan + len >= t->fsize || len == 0;
	if (t->unit == 2)
		len &= ~(size_t)1;

	size_t i = 0;
	while (i < len) {
		size_t e = line_end(t, t->buf, i, len);
		if (e == len && !eof) {
			/* A line cut by the slice's end: take it next time,
			 * unless it is already too long to be a heading. */
			if (i == 0 || e - i > MAX_HEADING) {
				note_text(t, t->buf, i, len);
				t->skipping = true;
				i = len;
			}
			break;
		}
		uint64_t at = t->scan + i;
		if (t->skipping) {
			/* the rest of a long line: text, never a heading */
			note_text(t, t->buf, i, e);
			t->skipping = false;
		} else {
			const char *s = t->buf + i;
			size_t n = e - i;
			if (at == 0 && t->bom > 0) {
				s += t->bom;
				n = n > t->bom ? n - t->bom : 0;
			}
			char *title = heading(b, t, s, n);
			if (title != NULL) {
				if (t->started) {
					if (close_chapter(b, t, at) < 0) {
						free(title);
						return -1;
					}
				} else if (t->saw_text && at > 0) {
					t->cur_title = strdup("Front matter");
					if (t->cur_title == NULL ||
					    close_chapter(b, t, at) < 0) {
						free(title);
						return -1;
					}
				}
				if (!t->started && !t->saw_text)
					at = 0;
				t->started = true;
				t->cur = at;
				t->cur_title = title;
			} else if (!t->started && !t->saw_text) {
				t->saw_text = !blank_raw(t, s, n);
			}
		}
		i = e + t->unit;
	}
	t->scan += i < len ? i : len;
	if (!eof)
		return 1;

	/* The end: close the last chapter. */
	if (!t->started) {
		t->cur = 0;
		t->cur_title = NULL;
	}
	if (close_chapter(b, t, t->fsize) < 0)
		return -1;
	save_cache(b, t);
	return 0;
}

/* Read exactly n bytes at off; 0, or -1 with *err set. */
static int
read_at(struct txt *t, char *buf, size_t n, uint64_t off, char **err)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(t->fd, buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			*err = book_strdupf("cannot read: %s",
					    r < 0 ? strerror(errno) : "file shrank");
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

/* A UTF-8 chapter is cleaned a block at a time straight into out, so a
 * chapter of any size costs its own size once, not twice. */
static int
load_utf8(struct txt *t, uint64_t start, uint64_t size, struct text_buf *out,
	  char **err)
{
	size_t block = size < (1u << 20) ? (size_t)size : 1u << 20;
	char *blk = malloc(block + 4);
	if (blk == NULL || text_buf_reserve(out, size) < 0) {
		free(blk);
		return -1;
	}
	size_t have = 0;	/* a sequence cut at the last block's end */
	bool cr = false;
	uint64_t at = start, end = start + size;
	int rc = 0;
	do {
		size_t n = end - at < block ? (size_t)(end - at) : block;
		if (read_at(t, blk + have, n, at, err) < 0) {
			rc = -1;
			break;
		}
		at += n;
		have += n;
		size_t used;
		if (text_clean_utf8_piece(blk, have, at == end, &cr, out,
					  &used) < 0) {
			rc = -1;
			break;
		}
		memmove(blk, blk + used, have - used);
		have -= used;
	} while (at < end);
	free(blk);
	return rc == 0 ? text_buf_add(out, "", 0) : -1;
}

static int
txt_load(struct book *b, size_t i, struct text_buf *out, char **err)
{
	struct txt *t = b->priv;
	uint64_t start = book_chapter_start(b, i), size = book_chapter_size(b, i);

	if (start < t->bom) {
		size = size > t->bom - start ? size - (t->bom - start) : 0;
		start = t->bom;
	}
	if (strcmp(b->encoding, "UTF-8") == 0)
		return load_utf8(t, start, size, out, err);
	char *raw = malloc(size ? size : 1);
	if (raw == NULL)
		return -1;
	if (read_at(t, raw, size, start, err) < 0) {
		free(raw);
		return -1;
	}
	int rc = text_to_clean(b->encoding, raw, size, out);
	if (rc == 0)
		rc = text_buf_add(out, "", 0);
	free(raw);
	return rc;
}

/* A chapter's title is its heading; the first chapter may have none
 * (front matter, or a book without headings). */
static int
txt_title(struct book *b, size_t i)
{
	struct txt *t = b->priv;
	char line[MAX_HEADING + 8];
	uint64_t at = book_chapter_start(b, i);
	if (at < t->bom)
		at = t->bom;
	ssize_t r = pread(t->fd, line, sizeof line, (off_t)at);
	if (r > 0) {
		size_t e = line_end(t, line, 0, (size_t)r);
		b->ch_title[i] = heading(b, t, line, e);
	}
	if (b->ch_title[i] == NULL)
		b->ch_title[i] = strdup(b->n == 1 && b->title ? b->title :
					i == 0 ? "Front matter" : "Untitled");
	return b->ch_title[i] ? 0 : -1;
}

static void
txt_free(struct book *b)
{
	struct txt *t = b->priv;
	if (t == NULL)
		return;
	if (t->fd >= 0)
		close(t->fd);
	if (t->have_re)
		regfree(&t->re);
	free(t->cur_title);
	free(t->buf);
	free(t);
	b->priv = NULL;
}

static const struct book_ops txt_ops = {
	txt_index_more, txt_load, txt_title, txt_free
};

int
book_txt_open(struct book *b, int fd, char **err)
{
	struct txt *t = calloc(1, sizeof *t);
	struct stat st;

	if (t == NULL) {
		close(fd);
		return -1;
	}
	t->fd = fd;
	b->priv = t;
	b->ops = &txt_ops;
	b->format = "text";
	if (fstat(fd, &st) < 0) {
		*err = strdup(strerror(errno));
		return -1;
	}
	t->fsize = b->size = (uint64_t)st.st_size;
	if (t->fsize == 0) {
		*err = strdup("not a book: empty file");
		return -1;
	}

	/* The head, for the encoding, is also the first slice to index. */
	t->bufsz = HEAD_SLICE + MAX_HEADING + 4;
	t->buf = malloc(t->bufsz);
	if (t->buf == NULL)
		return -1;
	uint64_t h = book_hash_file(fd, t->fsize, 0xcbf29ce484222325ULL, t->buf);
	ssize_t r;
	while ((r = pread(fd, t->buf, t->bufsz, 0)) < 0 && errno == EINTR)
		;
	if (r <= 0) {
		*err = strdup(r < 0 ? strerror(errno) : "not a book: empty file");
		return -1;
	}
	t->have = (size_t)r;
	const char *head = t->buf;
	b->encoding = text_detect(head, (size_t)r, &t->bom);
	if (b->opts.encoding != NULL) {
		b->encoding = b->opts.encoding;
		size_t bom;
		const char *seen = text_detect(head, (size_t)r, &bom);
		t->bom = strcmp(seen, b->encoding) == 0 ? bom : 0;
	} else if (text_is_binary(head, (size_t)r, b->encoding)) {
		*err = strdup("not a book: binary file");
		return -1;
	}
	t->unit = strncmp(b->encoding, "UTF-16", 6) == 0 ? 2 : 1;
	t->be = strcmp(b->encoding, "UTF-16BE") == 0;
	if (b->opts.pattern != NULL) {
		int e = regcomp(&t->re, b->opts.pattern, REG_EXTENDED | REG_NOSUB);
		if (e != 0) {
			char msg[256];
			regerror(e, &t->re, msg, sizeof msg);
			*err = book_strdupf("bad --chapter-pattern: %s", msg);
			return -1;
		}
		t->have_re = true;
	}
	snprintf(b->fingerprint, sizeof b->fingerprint, "%016llx-%llu",
		 (unsigned long long)h, (unsigned long long)t->fsize);
	return 0;
}
