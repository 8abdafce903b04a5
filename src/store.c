/* store: the bookmarks dotfile and the settings file.  See store.h.
 *
 * The dotfile
 *
 * Text, one record a line, fields separated by one tab, so that it reads
 * and diffs well and survives hand editing:
 *
 *	folio-bookmarks 1
 *	book FP CHAPTER OFFSET NCHAPTERS PROGRESS LAST_READ PATH TITLE
 *	mark FP CHAPTER OFFSET CREATED LABEL
 *
 * The first line names the format and its version.  A "book" line is the
 * last place in one book: its fingerprint (book_fingerprint()), the
 * 0-based chapter and the byte offset in that chapter's clean text, the
 * number of chapters and the progress (a decimal fraction 0..1 written
 * with a point whatever the locale) as of the last save, when it was last
 * read (seconds since the epoch, 0 for never), its absolute path ("" for
 * standard input) and its title.  A "mark" line is a named bookmark of the
 * book with the same fingerprint: place, creation time, label.  Marks are
 * written after their book, oldest first.  In strings a backslash, tab,
 * newline and carriage return are written \\, \t, \n and \r; any other
 * byte is itself.  Blank lines and lines starting with '#' are comments.
 * A line that does not parse (a record of a kind this version does not
 * know, a mark whose book is missing, a second book line for the same
 * fingerprint, damage) is kept verbatim where it was, and counted by
 * store_bad_lines().
 *
 * In memory
 *
 * A store is the array of records (struct record, whose first member is
 * the public struct store_book, so the caller's pointers are ours), in
 * file order.  Records stay where they are in memory for the store's
 * life: a save merges the file into them rather than replacing them, and
 * a record that a merge drops (deleted on disk by hand) moves to a "dead"
 * list, still valid for a caller that holds it, and comes back if the
 * caller changes it.  Each record remembers what this process changed:
 * its place (with identity and title) and its marks, separately, so that a
 * save keeps another process's new mark on a book whose place we moved.
 * Kept lines are not held in memory: a save re-reads them from the file.
 *
 * Saving
 *
 * flock() on "<file>.lock" (a separate file: the rename swaps the data
 * file's inode), re-read and parse the file, merge, write a temp file
 * "<file>.tmp.XXXXXX" in the same directory, fsync, rename over the
 * file, fsync the directory.  Temp files left by a writer that died are
 * removed under the lock.  The file is first resolved through symlinks,
 * so a symlinked dotfile stays a symlink.  A new file is made mode 0600;
 * an existing file keeps its mode. */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "store.h"

#define STORE_MAGIC	"folio-bookmarks"
#define STORE_VERSION	1UL
#define TEMP_INFIX	".tmp."
#define NEW_FILE_MODE	0600

struct record {
	struct store_book b;	/* first: a store_book * is a record * */
	char *orig_fp;		/* the fingerprint on disk, if b's changed */
	size_t mcap;		/* marks allocated */
	bool pos_changed;	/* place, identity or title changed here */
	bool marks_changed;	/* marks changed here */
	bool listed;		/* in recs, not dead */
	bool mem;		/* a record of the store (not only of a parse) */
	struct record *pair;	/* merge: the record it was matched with */
};

struct store {
	char *file;			/* as given */
	struct record **recs;		/* in file order */
	size_t nrecs, cap;
	struct record **dead;		/* dropped by a merge, see above */
	size_t ndead, deadcap;
	size_t bad;
};

/* A parsed file. */
enum item_kind { ITEM_RECORD, ITEM_LINE, ITEM_MARK, ITEM_GONE };
struct item {
	enum item_kind kind;
	struct record *rec;	/* ITEM_RECORD */
	char *line;		/* ITEM_LINE, ITEM_MARK: verbatim, no newline */
	size_t len;
};
struct parsed {
	struct item *v;
	size_t n, cap;
	size_t bad;
	unsigned long version;
};

/* A growable buffer that remembers an allocation failure. */
struct buf {
	char *s;
	size_t len, cap;
	bool failed;
};

/* A string -> index hash map, open addressing.  Keys are not copied. */
struct map {
	struct map_slot {
		const char *key;
		size_t val;
	} *v;
	size_t cap;		/* a power of two, more than twice n */
	size_t n;
};

static void set_err(char **, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_err(char **err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	free(*err);
	*err = NULL;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) == -1)
		*err = NULL;
	va_end(ap);
}

static void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1) {
			if (cap > SIZE_MAX / 2) {
				b->failed = true;
				return;
			}
			cap *= 2;
		}
		char *s = realloc(b->s, cap);
		if (s == NULL) {
			b->failed = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_printf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* For short things: numbers, a key and its value. */
static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		b->failed = true;
	else
		buf_add(b, tmp, n);
}

static void
buf_escaped(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *e;
		switch (*s) {
		case '\\':
			e = "\\\\";
			break;
		case '\t':
			e = "\\t";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		default:
			continue;
		}
		buf_add(b, run, s - run);
		buf_add(b, e, 2);
		run = s + 1;
	}
	buf_add(b, run, s - run);
}

static size_t
hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (size_t)(h ^ (h >> 32));
}

static int
map_init(struct map *m, size_t keys)
{
	size_t cap = 16;

	while (cap < keys * 2 + 2) {
		if (cap > SIZE_MAX / 4 / sizeof *m->v)
			return -1;
		cap *= 2;
	}
	m->v = calloc(cap, sizeof *m->v);
	if (m->v == NULL)
		return -1;
	m->cap = cap;
	m->n = 0;
	return 0;
}

static void
map_free(struct map *m)
{
	free(m->v);
	memset(m, 0, sizeof *m);
}

static struct map_slot *
map_slot(const struct map *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);

	while (m->v[i].key != NULL && strcmp(m->v[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

/* Add key unless it is there.  Never fails while the map holds no more
 * keys than map_init() was told; grows (and may fail: -1) after that. */
static int
map_put(struct map *m, const char *key, size_t val)
{
	struct map_slot *sl = map_slot(m, key);

	if (sl->key != NULL)
		return 0;
	if ((m->n + 1) * 2 + 2 > m->cap) {
		struct map bigger;
		if (map_init(&bigger, m->n * 2 + 1) == -1)
			return -1;
		for (size_t i = 0; i < m->cap; i++) {
			if (m->v[i].key != NULL)
				*map_slot(&bigger, m->v[i].key) = m->v[i];
		}
		bigger.n = m->n;
		free(m->v);
		*m = bigger;
		sl = map_slot(m, key);
	}
	sl->key = key;
	sl->val = val;
	m->n++;
	return 0;
}

static bool
map_get(const struct map *m, const char *key, size_t *val)
{
	struct map_slot *sl = map_slot(m, key);

	if (sl->key == NULL)
		return false;
	*val = sl->val;
	return true;
}

/* Grow an array of n used elements of size sz to hold want. */
static int
grow(void *vp, size_t *cap, size_t want, size_t sz)
{
	void **p = vp;

	if (want <= *cap)
		return 0;
	size_t c = *cap ? *cap : 8;
	while (c < want) {
		if (c > SIZE_MAX / 2 / sz)
			return -1;
		c *= 2;
	}
	void *np = realloc(*p, c * sz);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = c;
	return 0;
}

static void
record_free(struct record *r)
{
	if (r == NULL)
		return;
	free(r->b.fingerprint);
	free(r->b.path);
	free(r->b.title);
	for (size_t i = 0; i < r->b.nmarks; i++)
		free(r->b.marks[i].label);
	free(r->b.marks);
	free(r->orig_fp);
	free(r);
}

static void
parsed_free(struct parsed *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].kind == ITEM_RECORD && !d->v[i].rec->mem)
			record_free(d->v[i].rec);
		free(d->v[i].line);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

/* Parsing the dotfile. */

static bool
parse_size(const char *s, size_t *v)
{
	size_t n = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = *s - '0';
		if (n > (SIZE_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*v = n;
	return true;
}

static bool
parse_time(const char *s, time_t *t)
{
	bool neg = *s == '-';
	size_t v;

	if (!parse_size(s + neg, &v) || v > (size_t)INT64_MAX)
		return false;
	int64_t x = neg ? -(int64_t)v : (int64_t)v;
	*t = (time_t)x;
	return (int64_t)*t == x;
}

/* A decimal fraction, "0", "1", "0.25": no strtod, whose decimal point
 * follows the locale. */
static bool
parse_fraction(const char *s, double *p)
{
	double v = 0, scale = 1;
	bool digits = false;

	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		digits = true;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			scale /= 10;
			v += (*s - '0') * scale;
			digits = true;
		}
	}
	if (*s != '\0' || !digits)
		return false;
	*p = v > 1 ? 1 : v;
	return true;
}

/* Undo buf_escaped() in place.  An unknown escape is kept as it is. */
static void
unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*o++ = *s;
			continue;
		}
		switch (s[1]) {
		case '\\':
			*o++ = '\\';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		default:
			*o++ = '\\';
			*o++ = s[1];
			break;
		}
		s++;
	}
	*o = '\0';
}

/* Split s at tabs into at most max fields.  Returns the count, or max + 1
 * if there are more. */
static size_t
split(char *s, char **f, size_t max)
{
	size_t n = 0;

	for (;;) {
		if (n == max)
			return max + 1;
		f[n++] = s;
		s = strchr(s, '\t');
		if (s == NULL)
			return n;
		*s++ = '\0';
	}
}

#define BOOK_FIELDS 9
#define MARK_FIELDS 6

/* A book line (in scratch, which it changes) as a new record, or NULL:
 * *oom tells an allocation failure from a line that does not parse. */
static struct record *
parse_book(char *line, bool *oom)
{
	char *f[BOOK_FIELDS];
	struct record *r;
	size_t ch, off, nch;
	double progress;
	time_t when;

	if (split(line, f, BOOK_FIELDS) != BOOK_FIELDS ||
	    strcmp(f[0], "book") != 0 ||
	    !parse_size(f[2], &ch) || !parse_size(f[3], &off) ||
	    !parse_size(f[4], &nch) || !parse_fraction(f[5], &progress) ||
	    !parse_time(f[6], &when))
		return NULL;
	unescape(f[1]);
	unescape(f[7]);
	unescape(f[8]);

	r = calloc(1, sizeof *r);
	if (r == NULL) {
		*oom = true;
		return NULL;
	}
	r->b.fingerprint = strdup(f[1]);
	r->b.path = strdup(f[7]);
	r->b.title = strdup(f[8]);
	if (r->b.fingerprint == NULL || r->b.path == NULL ||
	    r->b.title == NULL) {
		record_free(r);
		*oom = true;
		return NULL;
	}
	r->b.chapter = ch;
	r->b.offset = off;
	r->b.nchapters = nch;
	r->b.progress = progress;
	r->b.last_read = when;
	return r;
}

static int
mark_append(struct record *r, size_t chapter, size_t offset, char *label,
	    time_t created)
{
	if (grow(&r->b.marks, &r->mcap, r->b.nmarks + 1, sizeof *r->b.marks)
	    == -1)
		return -1;
	struct store_mark *m = &r->b.marks[r->b.nmarks++];
	m->chapter = chapter;
	m->offset = offset;
	m->label = label;
	m->created = created;
	return 0;
}

/* A mark line (in scratch): 1 if it was added to its book (found in
 * byfp), 0 if it does not parse or has no book, -1 on allocation failure. */
static int
parse_mark(struct parsed *d, const struct map *byfp, char *line)
{
	char *f[MARK_FIELDS];
	size_t ch, off, i;
	time_t when;

	if (split(line, f, MARK_FIELDS) != MARK_FIELDS ||
	    strcmp(f[0], "mark") != 0 ||
	    !parse_size(f[2], &ch) || !parse_size(f[3], &off) ||
	    !parse_time(f[4], &when))
		return 0;
	unescape(f[1]);
	unescape(f[5]);
	if (!map_get(byfp, f[1], &i))
		return 0;
	char *label = strdup(f[5]);
	if (label == NULL)
		return -1;
	if (mark_append(d->v[i].rec, ch, off, label, when) == -1) {
		free(label);
		return -1;
	}
	return 1;
}

static bool
blank_or_comment(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '#')
			return true;
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	}
	return true;
}

static bool
is_header(const char *s, size_t n, unsigned long *version)
{
	size_t k = strlen(STORE_MAGIC " ");
	unsigned long v = 0;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n <= k || n > k + 9 || memcmp(s, STORE_MAGIC " ", k) != 0)
		return false;
	for (size_t i = k; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*version = v;
	return v > 0;
}

static int
item_add(struct parsed *d, enum item_kind kind, struct record *r,
	 const char *line, size_t len)
{
	struct item *it;

	if (grow(&d->v, &d->cap, d->n + 1, sizeof *d->v) == -1)
		return -1;
	it = &d->v[d->n];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->rec = r;
	if (line != NULL) {
		it->line = malloc(len + 1);
		if (it->line == NULL)
			return -1;
		memcpy(it->line, line, len);
		it->line[len] = '\0';
		it->len = len;
	}
	d->n++;
	return 0;
}

/* Copy a line to the scratch buffer as a C string, dropping a final
 * '\r'.  False if it holds a NUL byte (it cannot be a record). */
static bool
scratch_line(struct buf *sc, const char *s, size_t n)
{
	if (memchr(s, '\0', n) != NULL)
		return false;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	sc->len = 0;
	buf_add(sc, s, n);
	return !sc->failed;
}

/* Parse n bytes of a dotfile.  Returns 0 or -1 (allocation failure). */
static int
parse(struct parsed *d, const char *data, size_t n)
{
	struct buf sc = { 0 };
	struct map byfp = { 0 };
	size_t nmarks = 0;
	const char *p = data, *end = data + n;

	memset(d, 0, sizeof *d);
	d->version = STORE_VERSION;
	if (map_init(&byfp, 64) == -1)
		return -1;

	/* Pass 1: books and kept lines; marks wait for all the books. */
	for (bool first = true; p < end; first = false) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = (nl != NULL ? nl : end) - p;
		const char *line = p;
		struct record *r = NULL;
		bool oom = false;
		size_t j;

		p = nl != NULL ? nl + 1 : end;
		if (first && is_header(line, len, &d->version))
			continue;
		if (blank_or_comment(line, len)) {
			if (item_add(d, ITEM_LINE, NULL, line, len) == -1)
				goto oom;
			continue;
		}
		if (len > 5 && memcmp(line, "mark\t", 5) == 0) {
			if (item_add(d, ITEM_MARK, NULL, line, len) == -1)
				goto oom;
			nmarks++;
			continue;
		}
		if (len > 5 && memcmp(line, "book\t", 5) == 0) {
			if (scratch_line(&sc, line, len))
				r = parse_book(sc.s, &oom);
			if (oom || sc.failed)
				goto oom;
		}
		/* A second book line for a fingerprint is kept as a line. */
		if (r != NULL && map_get(&byfp, r->b.fingerprint, &j)) {
			record_free(r);
			r = NULL;
		}
		if (r == NULL) {
			if (item_add(d, ITEM_LINE, NULL, line, len) == -1)
				goto oom;
			d->bad++;
			continue;
		}
		if (item_add(d, ITEM_RECORD, r, NULL, 0) == -1) {
			record_free(r);
			goto oom;
		}
		if (map_put(&byfp, r->b.fingerprint, d->n - 1) == -1)
			goto oom;
	}

	/* Pass 2: marks join their books. */
	for (size_t i = 0; nmarks > 0 && i < d->n; i++) {
		struct item *it = &d->v[i];
		int rc = 0;

		if (it->kind != ITEM_MARK)
			continue;
		if (scratch_line(&sc, it->line, it->len))
			rc = parse_mark(d, &byfp, sc.s);
		if (rc == -1 || sc.failed)
			goto oom;
		if (rc == 1) {
			free(it->line);
			it->line = NULL;
			it->kind = ITEM_GONE;
		} else {
			it->kind = ITEM_LINE;
			d->bad++;
		}
	}

	map_free(&byfp);
	free(sc.s);
	return 0;

oom:
	map_free(&byfp);
	free(sc.s);
	parsed_free(d);
	return -1;
}

/* The text of a parsed file. */
static void
serialise(struct buf *b, const struct parsed *d)
{
	unsigned long v = d->version > STORE_VERSION ? d->version :
	    STORE_VERSION;

	buf_printf(b, "%s %lu\n", STORE_MAGIC, v);
	for (size_t i = 0; i < d->n; i++) {
		const struct item *it = &d->v[i];
		if (it->kind == ITEM_LINE || it->kind == ITEM_MARK) {
			buf_add(b, it->line, it->len);
			buf_add(b, "\n", 1);
			continue;
		}
		if (it->kind != ITEM_RECORD)
			continue;
		const struct store_book *r = &it->rec->b;
		double p = r->progress;
		unsigned pp;
		if (!(p > 0))		/* also NaN */
			p = 0;
		if (p > 1)
			p = 1;
		pp = (unsigned)(p * 10000 + 0.5);
		buf_str(b, "book\t");
		buf_escaped(b, r->fingerprint);
		buf_printf(b, "\t%zu\t%zu\t%zu\t%u.%04u\t%lld\t", r->chapter,
		    r->offset, r->nchapters, pp / 10000, pp % 10000,
		    (long long)r->last_read);
		buf_escaped(b, r->path);
		buf_add(b, "\t", 1);
		buf_escaped(b, r->title);
		buf_add(b, "\n", 1);
		for (size_t j = 0; j < r->nmarks; j++) {
			const struct store_mark *m = &r->marks[j];
			buf_str(b, "mark\t");
			buf_escaped(b, r->fingerprint);
			buf_printf(b, "\t%zu\t%zu\t%lld\t", m->chapter,
			    m->offset, (long long)m->created);
			buf_escaped(b, m->label);
			buf_add(b, "\n", 1);
		}
	}
}

/* Files. */

/* Read all of path into *out (caller frees; NUL-terminated).  Returns 0,
 * 1 if there is no such file, -1 with errno.  Only a regular file is
 * read: anything else (/dev/null, a FIFO) is empty. */
static int
slurp(const char *path, char **out, size_t *outlen, struct stat *st)
{
	struct buf b = { 0 };
	int fd, e;

	*out = NULL;
	*outlen = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return errno == ENOENT || errno == ENOTDIR ? 1 : -1;
	if (fstat(fd, st) == -1)
		goto fail;
	if (S_ISDIR(st->st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	buf_add(&b, "", 0);
	while (S_ISREG(st->st_mode)) {
		char chunk[65536];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		buf_add(&b, chunk, n);
		if (b.failed) {
			errno = ENOMEM;
			goto fail;
		}
	}
	if (b.failed) {
		errno = ENOMEM;
		goto fail;
	}
	close(fd);
	*out = b.s;
	*outlen = b.len;
	return 0;

fail:
	e = errno;
	close(fd);
	free(b.s);
	errno = e;
	return -1;
}

/* The file a save writes: file itself, or where its symlinks lead (also
 * a dangling one).  Caller frees; NULL on allocation failure. */
static char *
resolve(const char *file)
{
	char *p = realpath(file, NULL);

	if (p != NULL || errno != ENOENT)
		return p != NULL ? p : strdup(file);
	p = strdup(file);
	for (int hops = 0; p != NULL && hops < 40; hops++) {
		struct stat st;
		char link[PATH_MAX];
		ssize_t n;

		if (lstat(p, &st) == -1 || !S_ISLNK(st.st_mode))
			break;
		n = readlink(p, link, sizeof link - 1);
		if (n == -1)
			break;
		link[n] = '\0';
		char *q;
		char *slash = strrchr(p, '/');
		if (link[0] == '/' || slash == NULL)
			q = strdup(link);
		else if (asprintf(&q, "%.*s/%s", (int)(slash - p), p,
		    link) == -1)
			q = NULL;
		free(p);
		p = q;
	}
	return p;
}

/* Split a path into its directory and base name.  Caller frees *dir. */
static int
split_path(const char *path, char **dir, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		*dir = strdup(".");
		*base = path;
	} else {
		*dir = slash == path ? strdup("/") :
		    strndup(path, slash - path);
		*base = slash + 1;
	}
	return *dir == NULL ? -1 : 0;
}

/* Remove temp files of writers that died.  Call under the lock. */
static void
clean_temps(const char *target)
{
	char *dir;
	const char *base;
	char prefix[NAME_MAX + 16];
	DIR *dp;
	struct dirent *de;

	if (split_path(target, &dir, &base) == -1)
		return;
	int n = snprintf(prefix, sizeof prefix, "%s%s", base, TEMP_INFIX);
	dp = n > 0 && (size_t)n < sizeof prefix ? opendir(dir) : NULL;
	if (dp != NULL) {
		while ((de = readdir(dp)) != NULL) {
			if (strncmp(de->d_name, prefix, n) == 0 &&
			    strlen(de->d_name) == (size_t)n + 6)
				unlinkat(dirfd(dp), de->d_name, 0);
		}
		closedir(dp);
	}
	free(dir);
}

/* Take the lock of target.  Returns its descriptor (close it to unlock),
 * or -1 with *err. */
static int
lock_take(const char *target, char **err)
{
	char *lock;
	int fd;

	if (asprintf(&lock, "%s.lock", target) == -1) {
		set_err(err, "out of memory");
		return -1;
	}
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd == -1 && errno == EACCES) {
		/* Someone else's lock file: reading it is enough to lock. */
		fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd == -1)
			errno = EACCES;
	}
	if (fd == -1) {
		set_err(err, "cannot write %s: %s", target, strerror(errno));
		free(lock);
		return -1;
	}
	free(lock);
	while (flock(fd, LOCK_EX) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == ENOLCK || errno == EOPNOTSUPP || errno == EINVAL)
			return fd;	/* no locks here: do without */
		set_err(err, "cannot lock %s.lock: %s", target,
		    strerror(errno));
		close(fd);
		return -1;
	}
	clean_temps(target);
	return fd;
}

/* Get ready to replace file: resolve it (*target, caller frees) and take
 * its lock.  Returns the lock's descriptor, or -1 with *err.  Only a
 * regular file is replaced: never a device (--bookmarks /dev/null), a
 * FIFO or a directory. */
static int
save_begin(const char *file, char **target, char **err)
{
	struct stat st;
	int lock;

	*target = resolve(file);
	if (*target == NULL) {
		set_err(err, "out of memory");
		return -1;
	}
	if (stat(*target, &st) == 0 && !S_ISREG(st.st_mode)) {
		set_err(err, "cannot write %s: not a regular file", *target);
		lock = -1;
	} else
		lock = lock_take(*target, err);
	if (lock == -1) {
		free(*target);
		*target = NULL;
	}
	return lock;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/* Replace target by data: temp file in its directory, fsync, rename,
 * fsync of the directory.  old is the stat of the file it replaces, or
 * NULL.  Returns 0, or -1 with *err. */
static int
replace_file(const char *target, const char *data, size_t len,
	     const struct stat *old, char **err)
{
	char *dir, *tmp = NULL;
	const char *base;
	int fd, dfd, e;

	if (split_path(target, &dir, &base) == -1 ||
	    asprintf(&tmp, "%s%s%s", target, TEMP_INFIX, "XXXXXX") == -1) {
		free(dir);
		set_err(err, "out of memory");
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1) {
		set_err(err, "cannot write %s: %s", target, strerror(errno));
		free(tmp);
		free(dir);
		return -1;
	}
	if (old != NULL) {
		if ((old->st_uid != geteuid() || old->st_gid != getegid()) &&
		    fchown(fd, old->st_uid, old->st_gid) == -1) {
			/* Best effort: only root can give files away. */
		}
		fchmod(fd, old->st_mode & 07777);
	} else
		fchmod(fd, NEW_FILE_MODE);
	if (write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) == -1 || rename(tmp, target) == -1) {
		e = errno;
		goto fail;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1) {
		fsync(dfd);	/* EINVAL on some file systems: fine */
		close(dfd);
	}
	free(tmp);
	free(dir);
	return 0;

fail:
	unlink(tmp);
	set_err(err, "cannot write %s: %s", target, strerror(e));
	free(tmp);
	free(dir);
	return -1;
}

/* The store. */

/* Make recs the store's record list, from the records of d. */
static void
adopt(struct store *s, struct parsed *d, struct record **recs, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++) {
		struct record *r = d->v[i].rec;
		if (d->v[i].kind != ITEM_RECORD)
			continue;
		r->mem = r->listed = true;
		r->pair = NULL;
		recs[n++] = r;
	}
	free(s->recs);
	s->recs = recs;
	s->nrecs = n;
	s->cap = cap;
	s->bad = d->bad;
}

int
store_load(struct store **sp, const char *file, char **err)
{
	struct store *s;
	struct parsed d;
	struct stat st;
	char *data;
	size_t len;
	int rc;

	*sp = NULL;
	if (err != NULL)
		*err = NULL;
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->file = strdup(file)) == NULL) {
		free(s);
		set_err(err, "out of memory");
		return -1;
	}
	rc = slurp(file, &data, &len, &st);
	if (rc == -1) {
		set_err(err, "cannot read %s: %s", file, strerror(errno));
		store_free(s);
		return -1;
	}
	if (parse(&d, data != NULL ? data : "", len) == -1) {
		free(data);
		set_err(err, "out of memory");
		store_free(s);
		return -1;
	}
	free(data);
	struct record **recs = malloc((d.n + 1) * sizeof *recs);
	if (recs == NULL) {
		parsed_free(&d);
		set_err(err, "out of memory");
		store_free(s);
		return -1;
	}
	adopt(s, &d, recs, d.n + 1);
	parsed_free(&d);
	*sp = s;
	return 0;
}

void
store_free(struct store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nrecs; i++)
		record_free(s->recs[i]);
	for (size_t i = 0; i < s->ndead; i++)
		record_free(s->dead[i]);
	free(s->recs);
	free(s->dead);
	free(s->file);
	free(s);
}

size_t
store_bad_lines(const struct store *s)
{
	return s->bad;
}

size_t
store_count(const struct store *s)
{
	return s->nrecs;
}

struct store_book *
store_at(struct store *s, size_t i)
{
	return i < s->nrecs ? &s->recs[i]->b : NULL;
}

struct store_book *
store_find(struct store *s, const char *fingerprint, const char *path)
{
	struct record *best = NULL;

	if (fingerprint != NULL) {
		for (size_t i = 0; i < s->nrecs; i++) {
			if (strcmp(s->recs[i]->b.fingerprint, fingerprint) == 0)
				return &s->recs[i]->b;
		}
	}
	if (path == NULL || *path == '\0')
		return NULL;
	/* Several books were here: the one read last. */
	for (size_t i = 0; i < s->nrecs; i++) {
		struct record *r = s->recs[i];
		if (strcmp(r->b.path, path) == 0 &&
		    (best == NULL || r->b.last_read > best->b.last_read))
			best = r;
	}
	return best != NULL ? &best->b : NULL;
}

static int
recs_append(struct store *s, struct record *r)
{
	if (grow(&s->recs, &s->cap, s->nrecs + 1, sizeof *s->recs) == -1)
		return -1;
	s->recs[s->nrecs++] = r;
	r->listed = true;
	return 0;
}

/* A changed record that a merge dropped is back. */
static void
relist(struct store *s, struct record *r)
{
	if (r->listed)
		return;
	for (size_t i = 0; i < s->ndead; i++) {
		if (s->dead[i] == r) {
			if (recs_append(s, r) == -1)
				return;
			s->dead[i] = s->dead[--s->ndead];
			return;
		}
	}
}

/* Replace *field by a copy of v, keeping the old one in *keep if keep is
 * not NULL and *keep is empty.  -1 on allocation failure. */
static int
replace_str(char **field, const char *v, char **keep)
{
	char *c = strdup(v);

	if (c == NULL)
		return -1;
	if (keep != NULL && *keep == NULL)
		*keep = *field;
	else
		free(*field);
	*field = c;
	return 0;
}

struct store_book *
store_get(struct store *s, const char *fingerprint, const char *path)
{
	struct store_book *b;
	struct record *r;

	if (fingerprint == NULL)
		return NULL;
	if (path == NULL)
		path = "";
	b = store_find(s, fingerprint, path);
	if (b != NULL) {
		r = (struct record *)b;
		if (strcmp(b->fingerprint, fingerprint) != 0) {
			char **keep = r->orig_fp == NULL ? &r->orig_fp : NULL;
			if (replace_str(&b->fingerprint, fingerprint, keep) == -1)
				return NULL;
			r->pos_changed = true;
		}
		/* Standard input does not hide where the book was read. */
		if (*path != '\0' && strcmp(b->path, path) != 0) {
			if (replace_str(&b->path, path, NULL) == -1)
				return NULL;
			r->pos_changed = true;
		}
		return b;
	}

	r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->b.fingerprint = strdup(fingerprint);
	r->b.path = strdup(path);
	r->b.title = strdup("");
	if (r->b.fingerprint == NULL || r->b.path == NULL ||
	    r->b.title == NULL || recs_append(s, r) == -1) {
		record_free(r);
		return NULL;
	}
	r->mem = true;
	r->pos_changed = true;
	return &r->b;
}

void
store_set_position(struct store *s, struct store_book *b, size_t chapter,
		   size_t offset, double progress, size_t nchapters,
		   const char *title)
{
	struct record *r = (struct record *)b;

	b->chapter = chapter;
	b->offset = offset;
	b->progress = progress > 0 ? (progress < 1 ? progress : 1) : 0;
	b->nchapters = nchapters;
	b->last_read = time(NULL);
	if (title != NULL && strcmp(title, b->title) != 0)
		replace_str(&b->title, title, NULL);	/* else keep the old */
	r->pos_changed = true;
	relist(s, r);
}

int
store_add_mark(struct store *s, struct store_book *b, size_t chapter,
	       size_t offset, const char *label)
{
	struct record *r = (struct record *)b;
	char *l = strdup(label != NULL ? label : "");

	if (l == NULL || mark_append(r, chapter, offset, l, time(NULL)) == -1) {
		free(l);
		return -1;
	}
	r->marks_changed = true;
	relist(s, r);
	return 0;
}

void
store_del_mark(struct store *s, struct store_book *b, size_t i)
{
	struct record *r = (struct record *)b;

	if (i >= b->nmarks)
		return;
	free(b->marks[i].label);
	memmove(&b->marks[i], &b->marks[i + 1],
	    (b->nmarks - i - 1) * sizeof *b->marks);
	b->nmarks--;
	r->marks_changed = true;
	relist(s, r);
}

int
store_rename_mark(struct store *s, struct store_book *b, size_t i,
		  const char *label)
{
	struct record *r = (struct record *)b;

	if (i >= b->nmarks ||
	    replace_str(&b->marks[i].label, label != NULL ? label : "",
	    NULL) == -1)
		return -1;
	r->marks_changed = true;
	relist(s, r);
	return 0;
}

#define SWAP(T, a, b) do { T t_ = (a); (a) = (b); (b) = t_; } while (0)

/* m (ours) meets d (on disk): what m did not change comes from d.  d
 * gets the rest, to be freed. */
static void
combine(struct record *m, struct record *d)
{
	if (!m->pos_changed) {
		SWAP(char *, m->b.fingerprint, d->b.fingerprint);
		SWAP(char *, m->b.path, d->b.path);
		SWAP(char *, m->b.title, d->b.title);
		m->b.chapter = d->b.chapter;
		m->b.offset = d->b.offset;
		m->b.nchapters = d->b.nchapters;
		m->b.progress = d->b.progress;
		m->b.last_read = d->b.last_read;
	}
	if (!m->marks_changed) {
		SWAP(struct store_mark *, m->b.marks, d->b.marks);
		SWAP(size_t, m->b.nmarks, d->b.nmarks);
		SWAP(size_t, m->mcap, d->mcap);
	}
}

static bool
changed(const struct record *r)
{
	return r->pos_changed || r->marks_changed;
}

/* Merge the store into d, the file as it is on disk now: the records we
 * changed win, the rest comes from d.  *recs gets an array big enough for
 * all of d's records after the merge (for adopt()).  Returns 0, or -1 on
 * allocation failure with nothing changed. */
static int
merge(struct store *s, struct parsed *d, struct record ***recs, size_t *cap)
{
	struct map byfp = { 0 }, bypath = { 0 }, seen = { 0 };
	size_t need = d->n + s->nrecs + 1, i, j;

	*recs = malloc(need * sizeof **recs);
	if (*recs == NULL ||
	    grow(&d->v, &d->cap, d->n + s->nrecs, sizeof *d->v) == -1 ||
	    grow(&s->dead, &s->deadcap, s->ndead + s->nrecs,
	    sizeof *s->dead) == -1 ||
	    map_init(&byfp, 2 * s->nrecs) == -1 ||
	    map_init(&bypath, s->nrecs) == -1 ||
	    map_init(&seen, d->n + s->nrecs) == -1) {
		free(*recs);
		map_free(&byfp);
		map_free(&bypath);
		map_free(&seen);
		return -1;
	}
	*cap = need;

	/* Ours by fingerprint (now, then as on disk) and by path. */
	for (i = 0; i < s->nrecs; i++) {
		s->recs[i]->pair = NULL;
		map_put(&byfp, s->recs[i]->b.fingerprint, i);
	}
	for (i = 0; i < s->nrecs; i++) {
		if (s->recs[i]->orig_fp != NULL)
			map_put(&byfp, s->recs[i]->orig_fp, i);
		if (s->recs[i]->b.path[0] != '\0')
			map_put(&bypath, s->recs[i]->b.path, i);
	}

	/* Pair disk records with ours: by fingerprint, then by path. */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < d->n; i++) {
			struct record *dr = d->v[i].rec;
			if (d->v[i].kind != ITEM_RECORD || dr->pair != NULL)
				continue;
			bool found = pass == 0 ?
			    map_get(&byfp, dr->b.fingerprint, &j) :
			    dr->b.path[0] != '\0' &&
			    map_get(&bypath, dr->b.path, &j);
			if (found && s->recs[j]->pair == NULL) {
				dr->pair = s->recs[j];
				s->recs[j]->pair = dr;
			}
		}
	}
	for (i = 0; i < d->n; i++) {
		struct record *dr = d->v[i].rec;
		if (d->v[i].kind != ITEM_RECORD || dr->pair == NULL)
			continue;
		combine(dr->pair, dr);
		d->v[i].rec = dr->pair;
		record_free(dr);
	}

	/* Ours that are not on disk: new ones go at the end; unchanged ones
	 * were deleted there. */
	for (i = 0; i < s->nrecs; i++) {
		struct record *m = s->recs[i];
		if (m->pair != NULL)
			continue;
		if (changed(m)) {
			d->v[d->n].kind = ITEM_RECORD;
			d->v[d->n].rec = m;
			d->v[d->n].line = NULL;
			d->v[d->n++].len = 0;
		} else {
			m->listed = false;
			s->dead[s->ndead++] = m;
		}
	}

	/* One record a fingerprint: a changed one wins. */
	for (i = 0; i < d->n; i++) {
		struct record *r = d->v[i].rec;
		if (d->v[i].kind != ITEM_RECORD)
			continue;
		if (!map_get(&seen, r->b.fingerprint, &j)) {
			map_put(&seen, r->b.fingerprint, i);
			continue;
		}
		size_t lose = i;
		if (changed(r) && !changed(d->v[j].rec)) {
			lose = j;
			map_slot(&seen, r->b.fingerprint)->val = i;
		}
		struct record *l = d->v[lose].rec;
		if (l->mem) {
			l->listed = false;
			s->dead[s->ndead++] = l;
		} else
			record_free(l);
		d->v[lose].kind = ITEM_GONE;
		d->v[lose].rec = NULL;
	}

	for (i = 0; i < s->nrecs; i++)
		s->recs[i]->pair = NULL;
	map_free(&byfp);
	map_free(&bypath);
	map_free(&seen);
	return 0;
}

int
store_save(struct store *s, char **err)
{
	struct parsed d;
	struct buf out = { 0 };
	struct record **recs;
	struct stat st;
	char *target, *data;
	size_t len, cap;
	int lock, rc;

	if (err != NULL)
		*err = NULL;
	lock = save_begin(s->file, &target, err);
	if (lock == -1)
		return -1;
	rc = slurp(target, &data, &len, &st);
	if (rc == -1) {
		set_err(err, "cannot read %s: %s", target, strerror(errno));
		goto out;
	}
	if (parse(&d, data != NULL ? data : "", len) == -1) {
		free(data);
		set_err(err, "cannot write %s: out of memory", target);
		rc = -1;
		goto out;
	}
	free(data);
	if (merge(s, &d, &recs, &cap) == -1) {
		parsed_free(&d);
		set_err(err, "cannot write %s: out of memory", target);
		rc = -1;
		goto out;
	}
	adopt(s, &d, recs, cap);
	serialise(&out, &d);
	parsed_free(&d);
	if (out.failed) {
		set_err(err, "cannot write %s: out of memory", target);
		rc = -1;
	} else
		rc = replace_file(target, out.s, out.len, rc == 0 ? &st : NULL,
		    err);
	free(out.s);
	if (rc == 0) {
		for (size_t i = 0; i < s->nrecs; i++) {
			struct record *r = s->recs[i];
			r->pos_changed = r->marks_changed = false;
			free(r->orig_fp);
			r->orig_fp = NULL;
		}
	}

out:
	close(lock);
	free(target);
	return rc == 0 ? 0 : -1;
}

static char *
home_file(const char *env, const char *name)
{
	const char *v = env != NULL ? getenv(env) : NULL;
	char *p;

	if (v != NULL && *v != '\0')
		return strdup(v);
	v = getenv("HOME");
	if (v == NULL || *v == '\0')
		return NULL;
	if (asprintf(&p, "%s%s%s", v, v[strlen(v) - 1] == '/' ? "" : "/",
	    name) == -1)
		return NULL;
	return p;
}

char *
store_default_path(const char *option)
{
	if (option != NULL && *option != '\0')
		return strdup(option);
	return home_file("FOLIO_BOOKMARKS", ".folio_bookmarks");
}

/* Settings. */

enum setting { S_WIDTH, S_MARGIN, S_JUSTIFY, S_SPACING, S_INDENT, S_OVERLAP,
	S_THEME, S_COUNT };

static const struct {
	const char *name;
	enum { T_INT, T_BOOL, T_THEME } type;
	int min, max;
} settings_keys[S_COUNT] = {
	[S_WIDTH] = { "width", T_INT, 20, 400 },
	[S_MARGIN] = { "margin", T_INT, 0, 20 },
	[S_JUSTIFY] = { "justify", T_BOOL, 0, 1 },
	[S_SPACING] = { "spacing", T_BOOL, 0, 1 },
	[S_INDENT] = { "indent", T_INT, 0, 8 },
	[S_OVERLAP] = { "overlap", T_INT, 0, 5 },
	[S_THEME] = { "theme", T_THEME, 0, 0 },
};

static const char *const themes[] = { "default", "light", "dark", "sepia" };

const char *
settings_theme(size_t i)
{
	return i < sizeof themes / sizeof themes[0] ? themes[i] : NULL;
}

void
settings_set_theme(struct settings *st, const char *name)
{
	memset(st->theme, 0, sizeof st->theme);
	memcpy(st->theme, name, strlen(name));
}

/* Problems a settings_load() message tells in full. */
#define SETTINGS_PROBLEMS 5

void
settings_defaults(struct settings *st)
{
	memset(st, 0, sizeof *st);
	st->width = 72;
	st->margin = 2;
	st->justify = false;
	st->spacing = true;
	st->indent = 0;
	st->overlap = 0;
	settings_set_theme(st, themes[0]);
}

/* A settings line: kind, and for a "key = value" line where its key and
 * value are (the value without a trailing comment or blanks). */
enum line_kind { L_BLANK, L_PAIR, L_BAD };
struct pair {
	size_t key, keylen, val, vallen;
};

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static enum line_kind
settings_split(const char *s, size_t n, struct pair *kv)
{
	size_t i = 0, e;

	while (i < n && blank(s[i]))
		i++;
	if (i == n || s[i] == '#')
		return L_BLANK;
	const char *eq = memchr(s + i, '=', n - i);
	if (eq == NULL)
		return L_BAD;
	kv->key = i;
	e = eq - s;
	while (e > i && blank(s[e - 1]))
		e--;
	kv->keylen = e - i;
	i = eq - s + 1;
	while (i < n && blank(s[i]))
		i++;
	kv->val = i;
	const char *comment = memchr(s + i, '#', n - i);
	e = comment != NULL ? (size_t)(comment - s) : n;
	while (e > i && blank(s[e - 1]))
		e--;
	kv->vallen = e - i;
	return kv->keylen > 0 ? L_PAIR : L_BAD;
}

static int
settings_key(const char *s, size_t n)
{
	for (int k = 0; k < S_COUNT; k++) {
		if (strlen(settings_keys[k].name) == n &&
		    strncasecmp(settings_keys[k].name, s, n) == 0)
			return k;
	}
	return -1;
}

static bool
parse_bool(const char *v, bool *b)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*b = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*b = false;
			return true;
		}
	}
	return false;
}

/* Set key k of st from v.  False, with why (a short reason), if v is
 * not a good value. */
static bool
settings_apply(struct settings *st, int k, const char *v, char *why,
	       size_t whysz)
{
	bool b;

	switch (settings_keys[k].type) {
	case T_INT: {
		const char *p = v + (*v == '-' || *v == '+');
		size_t u;
		int min = settings_keys[k].min, max = settings_keys[k].max;
		if (!parse_size(p, &u) || *v == '-' || u > (size_t)max ||
		    (int)u < min) {
			snprintf(why, whysz, "%s must be a number %d..%d, not "
			    "\"%.40s\"", settings_keys[k].name, min, max, v);
			return false;
		}
		int *f[S_COUNT] = {
			[S_WIDTH] = &st->width, [S_MARGIN] = &st->margin,
			[S_INDENT] = &st->indent, [S_OVERLAP] = &st->overlap,
		};
		*f[k] = (int)u;
		return true;
	}
	case T_BOOL:
		if (!parse_bool(v, &b)) {
			snprintf(why, whysz, "%s must be yes or no, not "
			    "\"%.40s\"", settings_keys[k].name, v);
			return false;
		}
		if (k == S_JUSTIFY)
			st->justify = b;
		else
			st->spacing = b;
		return true;
	case T_THEME:
		for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
			if (strcasecmp(v, themes[i]) == 0) {
				settings_set_theme(st, themes[i]);
				return true;
			}
		}
		snprintf(why, whysz, "theme must be default, light, dark or "
		    "sepia, not \"%.40s\"", v);
		return false;
	}
	return false;
}

int
settings_load(struct settings *st, const char *file, char **err)
{
	struct buf msg = { 0 };
	struct stat sb;
	char *data;
	size_t len, lineno = 0, problems = 0;
	int rc;

	if (err != NULL)
		*err = NULL;
	settings_defaults(st);
	if (file == NULL)
		return 0;
	rc = slurp(file, &data, &len, &sb);
	if (rc == 1)
		return 0;
	if (rc == -1) {
		set_err(err, "cannot read %s: %s", file, strerror(errno));
		return -1;
	}
	for (const char *p = data, *end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = (nl != NULL ? nl : end) - p;
		const char *line = p;
		struct pair kv;
		char why[160], val[64];
		int k;

		p = nl != NULL ? nl + 1 : end;
		lineno++;
		switch (settings_split(line, n, &kv)) {
		case L_BLANK:
			continue;
		case L_BAD:
			snprintf(why, sizeof why, "not a \"key = value\" line");
			break;
		case L_PAIR:
			k = settings_key(line + kv.key, kv.keylen);
			if (k == -1)
				continue;	/* a later version's: kept */
			snprintf(val, sizeof val, "%.*s", (int)kv.vallen,
			    line + kv.val);
			if (kv.vallen >= sizeof val ||
			    memchr(line + kv.val, '\0', kv.vallen) != NULL)
				snprintf(why, sizeof why, "bad value for %s",
				    settings_keys[k].name);
			else if (settings_apply(st, k, val, why, sizeof why))
				continue;
			break;
		}
		if (++problems > SETTINGS_PROBLEMS)
			continue;
		for (char *c = why; *c != '\0'; c++) {
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';	/* not for a terminal */
		}
		if (msg.len > 0)
			buf_str(&msg, "; ");
		buf_str(&msg, file);
		buf_printf(&msg, ":%zu: ", lineno);
		buf_str(&msg, why);
	}
	free(data);
	if (problems > SETTINGS_PROBLEMS)
		buf_printf(&msg, "; and %zu more", problems - SETTINGS_PROBLEMS);
	if (problems == 0)
		return 0;
	if (msg.failed) {
		free(msg.s);
		set_err(err, "%s: bad settings", file);
	} else if (err != NULL)
		*err = msg.s;
	else
		free(msg.s);
	return -1;
}

static void
settings_value(struct buf *b, const struct settings *st, int k)
{
	const char *theme = st->theme;

	switch (k) {
	case S_WIDTH:
		buf_printf(b, "%d", st->width);
		break;
	case S_MARGIN:
		buf_printf(b, "%d", st->margin);
		break;
	case S_INDENT:
		buf_printf(b, "%d", st->indent);
		break;
	case S_OVERLAP:
		buf_printf(b, "%d", st->overlap);
		break;
	case S_JUSTIFY:
		buf_str(b, st->justify ? "yes" : "no");
		break;
	case S_SPACING:
		buf_str(b, st->spacing ? "yes" : "no");
		break;
	case S_THEME:
		if (memchr(theme, '\0', sizeof st->theme) == NULL ||
		    theme[0] == '\0' || strpbrk(theme, "\n\r#") != NULL)
			theme = themes[0];
		buf_str(b, theme);
		break;
	}
}

int
settings_save(const struct settings *st, const char *file, char **err)
{
	struct buf out = { 0 };
	bool seen[S_COUNT] = { false };
	struct stat sb;
	char *target, *data;
	size_t len;
	int lock, rc;

	if (err != NULL)
		*err = NULL;
	lock = save_begin(file, &target, err);
	if (lock == -1)
		return -1;
	rc = slurp(target, &data, &len, &sb);
	if (rc == -1) {
		set_err(err, "cannot read %s: %s", target, strerror(errno));
		goto out;
	}
	if (rc == 1)
		buf_str(&out, "# folio settings: \"key = value\"; "
		    "'#' starts a comment.\n");
	for (const char *p = data, *end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = (nl != NULL ? nl : end) - p;
		const char *line = p;
		struct pair kv;
		int k = -1;

		p = nl != NULL ? nl + 1 : end;
		if (settings_split(line, n, &kv) == L_PAIR)
			k = settings_key(line + kv.key, kv.keylen);
		if (k == -1) {
			buf_add(&out, line, n);
		} else if (kv.vallen == 0) {
			buf_printf(&out, "%s = ", settings_keys[k].name);
			settings_value(&out, st, k);
		} else {
			/* Only the value changes: spacing, comment stay. */
			buf_add(&out, line, kv.val);
			settings_value(&out, st, k);
			buf_add(&out, line + kv.val + kv.vallen,
			    n - kv.val - kv.vallen);
		}
		if (k != -1)
			seen[k] = true;
		buf_add(&out, "\n", 1);
	}
	free(data);
	for (int k = 0; k < S_COUNT; k++) {
		if (seen[k])
			continue;
		buf_printf(&out, "%s = ", settings_keys[k].name);
		settings_value(&out, st, k);
		buf_add(&out, "\n", 1);
	}
	if (out.failed) {
		set_err(err, "cannot write %s: out of memory", target);
		rc = -1;
	} else
		rc = replace_file(target, out.s, out.len, rc == 0 ? &sb : NULL,
		    err);
	free(out.s);

out:
	close(lock);
	free(target);
	return rc == 0 ? 0 : -1;
}

char *
settings_default_path(void)
{
	return home_file("FOLIORC", ".foliorc");
}
