/* library: the known books, scanned from the roots and the records.
 *
 * A scan is three passes.  First every root's entries are opened (cheaply,
 * see library.h) and each book is matched to its record the way
 * store_find() does it: by fingerprint, then by path.  Then each record
 * whose path exists but was not under a root is opened from that path.
 * Last, each record whose path is gone becomes a missing entry, unless a
 * book with its fingerprint was found (the book moved).  The items are
 * then sorted once; nothing changes after the scan.
 *
 * Real paths are compared linearly: a few hundred books cost well under a
 * millisecond that way, far less than opening them. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book.h"
#include "library.h"
#include "text.h"

#define UNCATEGORIZED "Uncategorized"

struct item {
	struct library_entry e;	/* first: library_match() casts back */
	/* owned; e points at them (e.category maybe at another item's) */
	char *title, *author, *category, *path, *fingerprint;
	/* folded (text_fold), for sorting and matching */
	char *ftitle, *fauthor, *fcategory;
	bool uncategorized;
};

struct library {
	struct item *items;	/* owned, n of cap, sorted after the scan */
	size_t n, cap;
	const struct item *cont;	/* continue reading; NULL: none */
};

/* The record passes' view of one record. */
struct rec {
	struct store_book *r;
	char *real;		/* owned: realpath of r->path; NULL if gone */
};

static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* A display field: clean (text.h), one line.  Caller frees; NULL when
 * memory runs out. */
static char *
clean_field(const char *s)
{
	struct text_buf raw = { 0 }, out = { 0 };

	for (const char *p = s; *p; p++)
		if (text_buf_addc(&raw, strchr("\t\n\r", *p) ? ' ' : *p) < 0)
			goto fail;
	if (text_to_clean("UTF-8", raw.s ? raw.s : "", raw.len, &out) < 0 ||
	    text_buf_add(&out, "", 0) < 0)
		goto fail;
	for (size_t i = 0; i < out.len; i++)
		if (out.s[i] == '\n')
			out.s[i] = ' ';
	text_buf_free(&raw);
	return out.s;
fail:
	text_buf_free(&raw);
	text_buf_free(&out);
	return NULL;
}

/* dir/name.  Caller frees; NULL when memory runs out. */
static char *
join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *s = malloc(len);
	if (s != NULL)
		snprintf(s, len, "%s/%s", dir, name);
	return s;
}

static char *
fold(const char *s)
{
	char *out;
	size_t len;
	return text_fold(s, strlen(s), &out, &len, NULL) < 0 ? NULL : out;
}

static void
item_free(struct item *it)
{
	free(it->title);
	free(it->author);
	free(it->category);
	free(it->path);
	free(it->fingerprint);
	free(it->ftitle);
	free(it->fauthor);
	free(it->fcategory);
}

static const struct item *
find_path(const struct library *lib, const char *path)
{
	for (size_t i = 0; i < lib->n; i++)
		if (strcmp(lib->items[i].path, path) == 0)
			return &lib->items[i];
	return NULL;
}

static bool
have_fingerprint(const struct library *lib, const char *fp)
{
	for (size_t i = 0; i < lib->n; i++)
		if (!lib->items[i].e.missing &&
		    strcmp(lib->items[i].fingerprint, fp) == 0)
			return true;
	return false;
}

/* store_find()'s rule over the records: fingerprint first, then path. */
static struct store_book *
find_record(const struct rec *recs, size_t nrecs, const char *fp,
	    const char *real, bool *by_fp)
{
	for (size_t i = 0; i < nrecs; i++)
		if (fp[0] != '\0' && strcmp(nz(recs[i].r->fingerprint), fp) == 0) {
			*by_fp = true;
			return recs[i].r;
		}
	*by_fp = false;
	for (size_t i = 0; i < nrecs; i++)
		if (recs[i].real != NULL && strcmp(recs[i].real, real) == 0)
			return recs[i].r;
	return NULL;
}

/* Add an item with the given fields (copied).  0 or -1. */
static int
add(struct library *lib, const char *title, const char *author,
    const char *category, const char *path, const char *fingerprint,
    struct store_book *r)
{
	if (lib->n == lib->cap) {
		size_t cap = lib->cap ? lib->cap * 2 : 64;
		struct item *it = realloc(lib->items, cap * sizeof *it);
		if (it == NULL)
			return -1;
		lib->items = it;
		lib->cap = cap;
	}
	struct item *it = &lib->items[lib->n];
	memset(it, 0, sizeof *it);
	it->title = clean_field(title);
	it->author = clean_field(author);
	it->category = clean_field(category[0] ? category : UNCATEGORIZED);
	it->path = strdup(path);
	it->fingerprint = strdup(fingerprint);
	if (it->title && it->author && it->category) {
		it->ftitle = fold(it->title);
		it->fauthor = fold(it->author);
		it->fcategory = fold(it->category);
	}
	if (!it->title || !it->author || !it->category || !it->path ||
	    !it->fingerprint || !it->ftitle || !it->fauthor || !it->fcategory) {
		item_free(it);
		return -1;
	}
	it->uncategorized = strcmp(it->fcategory, "uncategorized") == 0;
	it->e = (struct library_entry){
		.title = it->title, .author = it->author,
		.category = it->category, .path = it->path,
		.format = "", .fingerprint = it->fingerprint, .record = r,
	};
	if (r != NULL) {
		double p = r->progress;
		it->e.progress = !(p > 0) ? 0 : p > 1 ? 1 : p;
		it->e.last_read = r->last_read;
	}
	lib->n++;
	return 0;
}

/* Open the book at real path real and add it.  0 (also when it is not a
 * book: *opened tells), or -1 when memory runs out. */
static int
add_book(struct library *lib, const char *real, const struct rec *recs,
	 size_t nrecs, bool *opened)
{
	struct book *b;
	char *err;

	*opened = false;
	if (book_open(&b, real, NULL, &err) < 0) {
		free(err);
		return 0;
	}
	*opened = true;
	bool by_fp;
	const char *fp = book_fingerprint(b);
	struct store_book *r = find_record(recs, nrecs, fp, real, &by_fp);
	if (add(lib, book_title(b), book_author(b), book_category(b), real, fp,
		r) < 0) {
		book_close(b);
		return -1;
	}
	struct library_entry *e = &lib->items[lib->n - 1].e;
	e->format = strcmp(book_format(b), "directory") == 0 ? "directory" :
		    "text";
	e->size = book_size(b);
	if (!book_complete(b) && book_size(b) <= LIBRARY_INDEX_SMALL)
		while (book_index_more(b, LIBRARY_INDEX_SMALL) > 0)
			;
	if (book_complete(b))
		e->nchapters = book_nchapters(b);
	else if (r != NULL && by_fp)
		e->nchapters = r->nchapters;
	book_close(b);
	return 0;
}

static bool
book_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && strcasecmp(name + n - 4, ".txt") == 0) ||
	       (n > 3 && strcasecmp(name + n - 3, ".md") == 0);
}

/* Every book in the root directory.  0, or -1 when memory runs out. */
static int
scan_root(struct library *lib, const char *root, const struct rec *recs,
	  size_t nrecs)
{
	DIR *d = opendir(root);
	struct dirent *de;
	int rc = 0;

	if (d == NULL)
		return 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct stat st;
		if (de->d_name[0] == '.' ||
		    fstatat(dirfd(d), de->d_name, &st, 0) < 0)
			continue;
		if (!S_ISDIR(st.st_mode) &&
		    !(S_ISREG(st.st_mode) && book_name(de->d_name)))
			continue;
		char *path = join(root, de->d_name), *real = NULL;
		if (path == NULL) {
			rc = -1;
			break;
		}
		real = realpath(path, NULL);
		bool opened;
		if (real != NULL && find_path(lib, real) == NULL)
			rc = add_book(lib, real, recs, nrecs, &opened);
		free(real);
		free(path);
	}
	closedir(d);
	return rc;
}

/* The roots, deduplicated by real path; those that do not exist are
 * left out.  0 or -1. */
static int
add_root(char ***roots, size_t *n, const char *dir)
{
	char *real = realpath(dir, NULL);
	if (real == NULL)
		return errno == ENOMEM ? -1 : 0;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*roots)[i], real) == 0) {
			free(real);
			return 0;
		}
	char **r = realloc(*roots, (*n + 1) * sizeof *r);
	if (r == NULL) {
		free(real);
		return -1;
	}
	r[(*n)++] = real;
	*roots = r;
	return 0;
}

static int
find_roots(const char *bundled_dir, char ***roots, size_t *n)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	const char *fp = getenv("FOLIO_PATH");
	char *user = NULL;

	if (bundled_dir != NULL && add_root(roots, n, bundled_dir) < 0)
		return -1;
	/* The XDG spec: a relative XDG_DATA_HOME is to be ignored. */
	if (xdg != NULL && xdg[0] == '/')
		user = join(xdg, "folio/books");
	else if (home != NULL && home[0] != '\0')
		user = join(home, ".local/share/folio/books");
	if (user != NULL) {
		int rc = add_root(roots, n, user);
		free(user);
		if (rc < 0)
			return -1;
	}
	while (fp != NULL && *fp != '\0') {
		const char *colon = strchr(fp, ':');
		size_t len = colon ? (size_t)(colon - fp) : strlen(fp);
		if (len > 0) {
			char *dir = strndup(fp, len);
			if (dir == NULL || add_root(roots, n, dir) < 0) {
				free(dir);
				return -1;
			}
			free(dir);
		}
		fp = colon ? colon + 1 : NULL;
	}
	return 0;
}

/* The records: each one's path opened if it exists and was not under a
 * root, else a missing entry unless the book moved under a root. */
static int
scan_records(struct library *lib, const struct rec *recs, size_t nrecs)
{
	for (size_t i = 0; i < nrecs; i++) {
		if (recs[i].real == NULL || find_path(lib, recs[i].real))
			continue;
		bool opened;
		if (add_book(lib, recs[i].real, recs, nrecs, &opened) < 0)
			return -1;
		if (!opened && add(lib, "", "", "", recs[i].real,
				   nz(recs[i].r->fingerprint), recs[i].r) < 0)
			return -1;
	}
	for (size_t i = 0; i < nrecs; i++) {
		const struct store_book *r = recs[i].r;
		const char *fp = nz(r->fingerprint);
		if (recs[i].real != NULL || find_path(lib, r->path) ||
		    (fp[0] != '\0' && have_fingerprint(lib, fp)))
			continue;
		if (add(lib, "", "", "", r->path, fp, recs[i].r) < 0)
			return -1;
	}
	/* Missing entries: what the record knows. */
	for (size_t i = 0; i < lib->n; i++) {
		struct item *it = &lib->items[i];
		if (it->e.format[0] != '\0')
			continue;
		const struct store_book *r = it->e.record;
		it->e.missing = true;
		it->e.nchapters = r->nchapters;
		const char *base = strrchr(it->path, '/');
		const char *title = r->title && r->title[0] ? r->title :
				    base && base[1] ? base + 1 : it->path;
		char *t = clean_field(title), *ft = t ? fold(t) : NULL;
		if (ft == NULL) {
			free(t);
			return -1;
		}
		free(it->title);
		free(it->ftitle);
		it->e.title = it->title = t;
		it->ftitle = ft;
	}
	return 0;
}

static int
compare(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c;

	if (a->uncategorized != b->uncategorized)
		return a->uncategorized ? 1 : -1;
	if ((c = strverscmp(a->fcategory, b->fcategory)) != 0)
		return c;
	if ((c = strverscmp(a->ftitle, b->ftitle)) != 0)
		return c;
	if ((c = strcmp(a->title, b->title)) != 0)
		return c;
	if ((c = strcmp(a->fauthor, b->fauthor)) != 0)
		return c;
	return strcmp(a->path, b->path);
}

/* Sort, give each category one spelling (the first in byte order), and
 * find the book to continue. */
static void
finish(struct library *lib)
{
	if (lib->n > 0)
		qsort(lib->items, lib->n, sizeof *lib->items, compare);
	for (size_t start = 0, end; start < lib->n; start = end) {
		const struct item *first = &lib->items[start];
		const char *best = first->category;
		for (end = start + 1; end < lib->n &&
		     strcmp(lib->items[end].fcategory, first->fcategory) == 0; end++)
			if (strcmp(lib->items[end].category, best) < 0)
				best = lib->items[end].category;
		if (first->uncategorized)
			best = UNCATEGORIZED;
		for (size_t i = start; i < end; i++)
			lib->items[i].e.category = best;
	}
	lib->cont = NULL;
	for (size_t i = 0; i < lib->n; i++) {
		const struct item *it = &lib->items[i];
		if (!it->e.missing && it->e.last_read > 0 &&
		    (lib->cont == NULL || it->e.last_read > lib->cont->e.last_read))
			lib->cont = it;
	}
}

struct library *
library_scan(const char *bundled_dir, struct store_book *const *recs,
	     size_t nrecs, char **err)
{
	struct library *lib = calloc(1, sizeof *lib);
	struct rec *rv = nrecs ? calloc(nrecs, sizeof *rv) : NULL;
	char **roots = NULL;
	size_t nroots = 0, nrv = 0;
	int rc = -1;

	*err = NULL;
	if (lib == NULL || (nrecs > 0 && rv == NULL))
		goto out;
	for (size_t i = 0; i < nrecs; i++) {
		/* Standard input has no path: nothing to list. */
		if (recs[i] == NULL || recs[i]->path == NULL ||
		    recs[i]->path[0] == '\0')
			continue;
		rv[nrv].r = recs[i];
		rv[nrv].real = realpath(recs[i]->path, NULL);
		if (rv[nrv++].real == NULL && errno == ENOMEM)
			goto out;
	}
	if (find_roots(bundled_dir, &roots, &nroots) < 0)
		goto out;
	for (size_t i = 0; i < nroots; i++)
		if (scan_root(lib, roots[i], rv, nrv) < 0)
			goto out;
	if (scan_records(lib, rv, nrv) < 0)
		goto out;
	finish(lib);
	rc = 0;
out:
	for (size_t i = 0; i < nrv; i++)
		free(rv[i].real);
	free(rv);
	for (size_t i = 0; i < nroots; i++)
		free(roots[i]);
	free(roots);
	if (rc < 0) {
		library_free(lib);
		*err = strdup(strerror(ENOMEM));
		return NULL;
	}
	return lib;
}

void
library_free(struct library *lib)
{
	if (lib == NULL)
		return;
	for (size_t i = 0; i < lib->n; i++)
		item_free(&lib->items[i]);
	free(lib->items);
	free(lib);
}

size_t
library_count(const struct library *lib)
{
	return lib->n;
}

const struct library_entry *
library_at(const struct library *lib, size_t i)
{
	return i < lib->n ? &lib->items[i].e : NULL;
}

const struct library_entry *
library_continue(const struct library *lib)
{
	return lib->cont ? &lib->cont->e : NULL;
}

bool
library_match(const struct library_entry *e, const char *needle)
{
	const struct item *it = (const struct item *)e;
	char *f;
	size_t len;

	if (needle == NULL || needle[0] == '\0')
		return true;
	if (text_fold(needle, strlen(needle), &f, &len, NULL) < 0)
		return true;	/* out of memory: do not hide books */
	bool yes = strstr(it->ftitle, f) != NULL ||
		   strstr(it->fauthor, f) != NULL;
	free(f);
	return yes;
}

int
library_percent(const struct library_entry *e)
{
	double p = e->progress;
	if (!(p > 0))
		return 0;
	if (p >= 1)
		return 100;
	int pc = (int)(p * 100 + 1e-9);	/* p > 0: truncation is floor */
	return pc > 99 ? 99 : pc;
}

int
library_print(const struct library *lib, FILE *f)
{
	for (size_t i = 0; i < lib->n; i++) {
		const struct library_entry *e = &lib->items[i].e;
		char *path = clean_field(e->path);
		char nch[32];
		if (path == NULL) {
			errno = ENOMEM;
			return -1;
		}
		if (e->nchapters > 0)
			snprintf(nch, sizeof nch, "%zu", e->nchapters);
		else
			strcpy(nch, "?");
		int r = fprintf(f, "%s\t%s\t%s\t%s\t%d\t%s\n", e->category,
				e->title, e->author, nch, library_percent(e), path);
		free(path);
		if (r < 0)
			return -1;
	}
	return ferror(f) ? -1 : 0;
}
