/* Unit tests: the library scan (roots, records, order, filter, --list).
 * Each test builds its books in a fresh temporary directory and points
 * HOME, XDG_DATA_HOME and FOLIO_PATH at it.  Records are plain
 * struct store_book values: the scan takes them as an array. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ftw.h>
#include <unistd.h>

#include <cmocka.h>

#include "book.h"
#include "library.h"

static char tmp[256];

static void
put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
}

static char *
at(const char *fmt, ...)
{
	static char bufs[8][1024];
	static int k;
	char rel[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof rel, fmt, ap);
	va_end(ap);
	k = (k + 1) % 8;
	snprintf(bufs[k], sizeof bufs[k], "%s/%s", tmp, rel);
	return bufs[k];
}

static void
mkdirs(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	for (char *p = path + strlen(tmp) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

/* A directory book of n chapters under rel; conf may be NULL. */
static void
dir_book(const char *rel, const char *conf, int n)
{
	mkdirs(rel);
	if (conf != NULL)
		put(at("%s/book.conf", rel), conf);
	for (int i = 1; i <= n; i++) {
		char text[128];
		snprintf(text, sizeof text, "Chapter %d of %s\n\nSome text.\n", i,
			 rel);
		put(at("%s/%d.txt", rel, i), text);
	}
}

/* A text book of about size bytes with n chapter headings. */
static void
text_book(const char *rel, int n, size_t size)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s", rel);
	char *slash = strrchr(dir, '/');
	if (slash != NULL) {
		*slash = '\0';
		mkdirs(dir);
	}
	FILE *f = fopen(at("%s", rel), "w");
	assert_non_null(f);
	for (int i = 1; i <= n; i++) {
		fprintf(f, "Chapter %d\n\n", i);
		for (size_t w = 0; w < size / (size_t)n; w += 61)
			fputs("Words and more words in a paragraph of this book.\n\n"
			      "A line.\n", f);
	}
	assert_int_equal(fclose(f), 0);
}

static char *
fingerprint(const char *path)
{
	struct book *b;
	char *err;
	assert_int_equal(book_open(&b, path, NULL, &err), 0);
	char *fp = strdup(book_fingerprint(b));
	book_close(b);
	return fp;
}

static int
rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

static int
setup(void **state)
{
	snprintf(tmp, sizeof tmp, "%s/folio-library-XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmp));
	mkdirs("home");
	setenv("HOME", at("home"), 1);
	unsetenv("XDG_DATA_HOME");
	unsetenv("FOLIO_PATH");
	return 0;
}

static int
teardown(void **state)
{
	/* tmp is ours: made by mkdtemp in setup. */
	return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct library *
scan(const char *bundled, struct store_book **recs, size_t n)
{
	char *err = NULL;
	struct library *lib = library_scan(bundled, recs, n, &err);
	assert_non_null(lib);
	assert_null(err);
	return lib;
}

/* "category|title" of each entry, one a line. */
static char *
order(const struct library *lib)
{
	static char s[4096];
	s[0] = '\0';
	for (size_t i = 0; i < library_count(lib); i++) {
		const struct library_entry *e = library_at(lib, i);
		size_t len = strlen(s);
		snprintf(s + len, sizeof s - len, "%s|%s\n", e->category, e->title);
	}
	return s;
}

static const struct library_entry *
by_title(const struct library *lib, const char *title)
{
	for (size_t i = 0; i < library_count(lib); i++)
		if (strcmp(library_at(lib, i)->title, title) == 0)
			return library_at(lib, i);
	return NULL;
}

static void
test_grouping_and_order(void **state)
{
	dir_book("b/zeta", "title = Zeta\ncategory = Fiction\n", 2);
	dir_book("b/alpha", "title = alpha\ncategory = fiction\n", 1);
	dir_book("b/b10", "title = Book 10\ncategory = History\n", 1);
	dir_book("b/b2", "title = Book 2\ncategory = history\n", 3);
	dir_book("b/essays", "title = Essays\ncategory = Ästhetik\n", 1);
	dir_book("b/misc", "title = Misc\ncategory = uncategorized\n", 1);
	dir_book("b/abc", "title = ABC\ncategory = 123 Numbers\n", 1);
	dir_book("b/plain", NULL, 2);		/* no book.conf */
	text_book("b/novel.txt", 3, 2000);
	mkdirs("b/empty");			/* no chapter files: not a book */
	put(at("b/notes.pdf"), "%PDF");
	put(at("b/.hidden.txt"), "Chapter 1\n\nHidden.\n");

	struct library *lib = scan(at("b"), NULL, 0);
	/* Ästhetik folds to "ästhetik", after every ASCII letter, but
	 * still before Uncategorized. */
	const char *want =
		"123 Numbers|ABC\n"
		"Fiction|alpha\n"
		"Fiction|Zeta\n"
		"History|Book 2\n"
		"History|Book 10\n"
		"Ästhetik|Essays\n"
		"Uncategorized|Misc\n"
		"Uncategorized|novel\n"
		"Uncategorized|plain\n";
	assert_string_equal(order(lib), want);

	const struct library_entry *e = by_title(lib, "Book 2");
	assert_non_null(e);
	assert_int_equal(e->nchapters, 3);
	assert_string_equal(e->format, "directory");
	assert_false(e->missing);
	assert_null(e->record);
	assert_true(e->progress == 0);
	/* The category pointer is shared within a group. */
	assert_ptr_equal(library_at(lib, 1)->category, library_at(lib, 2)->category);
	assert_null(library_continue(lib));
	library_free(lib);
}

static void
test_xdg_data_home(void **state)
{
	dir_book("xdg/folio/books/one", "title = From XDG\n", 1);
	dir_book("home/.local/share/folio/books/two", "title = From HOME\n", 1);

	setenv("XDG_DATA_HOME", at("xdg"), 1);
	struct library *lib = scan(NULL, NULL, 0);
	assert_string_equal(order(lib), "Uncategorized|From XDG\n");
	library_free(lib);

	unsetenv("XDG_DATA_HOME");
	lib = scan(NULL, NULL, 0);
	assert_string_equal(order(lib), "Uncategorized|From HOME\n");
	library_free(lib);

	/* A relative XDG_DATA_HOME is ignored (the XDG spec). */
	setenv("XDG_DATA_HOME", "xdg", 1);
	lib = scan(NULL, NULL, 0);
	assert_string_equal(order(lib), "Uncategorized|From HOME\n");
	library_free(lib);
	unsetenv("XDG_DATA_HOME");
}

static void
test_folio_path(void **state)
{
	dir_book("p1/a", "title = A\ncategory = One\n", 1);
	dir_book("p2/b", "title = B\ncategory = Two\n", 1);
	text_book("p2/c.md", 1, 100);
	char fp[2048];
	snprintf(fp, sizeof fp, "%s::%s:%s:", at("p1"), at("nonexistent"),
		 at("p2"));
	setenv("FOLIO_PATH", fp, 1);
	struct library *lib = scan(NULL, NULL, 0);
	assert_string_equal(order(lib), "One|A\nTwo|B\nUncategorized|c\n");
	const struct library_entry *c = by_title(lib, "c");
	assert_string_equal(c->format, "text");
	assert_int_equal(c->nchapters, 1);	/* small: indexed by the scan */
	library_free(lib);
}

static void
test_dedup(void **state)
{
	dir_book("b/a", "title = A\n", 1);
	text_book("b/t.txt", 2, 500);
	assert_int_equal(symlink(at("b"), at("link")), 0);
	assert_int_equal(symlink(at("b/a"), at("b/also-a")), 0);
	/* The same root by three names. */
	char fp[2048];
	snprintf(fp, sizeof fp, "%s:%s/", at("link"), at("b"));
	setenv("FOLIO_PATH", fp, 1);

	/* A record of t.txt by a path through the symlink. */
	char *tfp = fingerprint(at("b/t.txt"));
	struct store_book r = { .fingerprint = tfp, .path = at("link/t.txt"),
				.title = "t", .progress = 0.5, .last_read = 100 };
	struct store_book *recs[] = { &r };
	struct library *lib = scan(at("b"), recs, 1);
	assert_string_equal(order(lib), "Uncategorized|A\nUncategorized|t\n");
	const struct library_entry *t = by_title(lib, "t");
	assert_ptr_equal(t->record, &r);
	assert_int_equal(library_percent(t), 50);
	library_free(lib);
	free(tfp);
}

static void
test_moved_book(void **state)
{
	dir_book("b/moved", "title = Moved\n", 4);
	char *fp = fingerprint(at("b/moved"));
	/* Recorded where it was before it moved under the root. */
	struct store_book r = { .fingerprint = fp, .path = at("old/moved"),
				.title = "Moved", .nchapters = 4,
				.progress = 0.25, .last_read = 1000 };
	struct store_book *recs[] = { &r };
	struct library *lib = scan(at("b"), recs, 1);
	assert_int_equal(library_count(lib), 1);
	const struct library_entry *e = library_at(lib, 0);
	assert_false(e->missing);
	assert_ptr_equal(e->record, &r);
	assert_int_equal(library_percent(e), 25);
	assert_int_equal(e->last_read, 1000);
	assert_ptr_equal(library_continue(lib), e);
	library_free(lib);
	free(fp);
}

static void
test_missing_and_recorded(void **state)
{
	dir_book("b/here", "title = Here\ncategory = Present\n", 1);
	dir_book("elsewhere/opened", "title = Opened By Path\ncategory = X\n", 2);
	put(at("elsewhere/notabook.txt"), "");	/* empty: not a book */
	struct store_book gone = { .fingerprint = "0123456789abcdef-42",
				   .path = at("gone/Lost Book.txt"),
				   .title = "Lost\tBook", .nchapters = 12,
				   .progress = 0.75, .last_read = 5000 };
	struct store_book opened = { .fingerprint = "ffff-1",
				     .path = at("elsewhere/opened"),
				     .title = "stale title", .progress = 0.1,
				     .last_read = 10 };
	struct store_book broken = { .fingerprint = "eeee-1",
				     .path = at("elsewhere/notabook.txt"),
				     .title = "Broken" };
	struct store_book stdin_rec = { .fingerprint = "dddd-1", .path = "",
					.title = "standard input",
					.last_read = 9999 };
	struct store_book *recs[] = { &gone, &opened, &broken, &stdin_rec };
	struct library *lib = scan(at("b"), recs, 4);
	assert_string_equal(order(lib),
			    "Present|Here\n"
			    "X|Opened By Path\n"
			    "Uncategorized|Broken\n"
			    "Uncategorized|Lost Book\n");
	const struct library_entry *e = by_title(lib, "Lost Book");
	assert_true(e->missing);
	assert_ptr_equal(e->record, &gone);
	assert_int_equal(e->nchapters, 12);
	assert_int_equal(library_percent(e), 75);
	assert_string_equal(e->path, at("gone/Lost Book.txt"));
	assert_string_equal(e->format, "");
	assert_true(by_title(lib, "Broken")->missing);
	e = by_title(lib, "Opened By Path");
	assert_false(e->missing);
	assert_ptr_equal(e->record, &opened);	/* by path: content changed */
	assert_int_equal(e->nchapters, 2);
	/* A missing book is not one to continue. */
	assert_ptr_equal(library_continue(lib), e);
	library_free(lib);
}

static void
test_text_chapters(void **state)
{
	text_book("b/big.txt", 5, 200000);	/* above LIBRARY_INDEX_SMALL */
	text_book("b/known.txt", 7, 200000);
	text_book("b/small.txt", 3, 3000);
	char *kfp = fingerprint(at("b/known.txt"));
	struct store_book r = { .fingerprint = kfp, .path = at("b/known.txt"),
				.nchapters = 7, .progress = 0.999 };
	/* Matched by path only (the book changed): its count is stale. */
	struct store_book stale = { .fingerprint = "aaaa-1",
				    .path = at("b/big.txt"), .nchapters = 99,
				    .progress = 1 };
	struct store_book *recs[] = { &r, &stale };
	struct library *lib = scan(at("b"), recs, 2);
	assert_int_equal(by_title(lib, "big")->nchapters, 0);
	assert_ptr_equal(by_title(lib, "big")->record, &stale);
	assert_int_equal(library_percent(by_title(lib, "big")), 100);
	assert_int_equal(by_title(lib, "known")->nchapters, 7);
	assert_int_equal(library_percent(by_title(lib, "known")), 99);
	assert_int_equal(by_title(lib, "small")->nchapters, 3);
	library_free(lib);
	free(kfp);
}

static void
test_filter(void **state)
{
	dir_book("b/u", "title = Ünïcode Tales\nauthor = Zoë Ångström\n", 1);
	dir_book("b/p", "title = Plain\nauthor = Anon\n", 1);
	dir_book("b/c", "title = 红楼梦\nauthor = 曹雪芹\n", 1);
	struct library *lib = scan(at("b"), NULL, 0);
	const struct library_entry *u = by_title(lib, "Ünïcode Tales");
	const struct library_entry *p = by_title(lib, "Plain");
	const struct library_entry *c = by_title(lib, "红楼梦");
	assert_non_null(u);
	assert_true(library_match(u, "ünï"));
	assert_true(library_match(u, "ÜNÏ"));
	assert_true(library_match(u, "code t"));
	assert_true(library_match(u, "zoë"));
	assert_true(library_match(u, "ÅNGSTRÖM"));
	assert_false(library_match(u, "uni"));	/* no accent stripping */
	assert_false(library_match(p, "ünï"));
	assert_true(library_match(p, "ANON"));
	assert_true(library_match(p, ""));
	assert_true(library_match(p, NULL));
	assert_true(library_match(c, "雪"));
	assert_false(library_match(c, "x"));
	library_free(lib);
}

static void
test_list_format(void **state)
{
	dir_book("b/d", "title = Contest of Giants\nauthor = Qi Dexue\n"
		 "category = documentary report\n", 2);
	dir_book("b/tab\there", "title = Tabbed\n", 1);
	text_book("b/big.txt", 5, 200000);
	struct store_book r = { .fingerprint = "9999-9",
				.path = at("gone/x.txt"),
				.title = "Line\nbreak", .nchapters = 3,
				.progress = 0.5, .last_read = 1 };
	struct store_book *recs[] = { &r };
	struct library *lib = scan(at("b"), recs, 1);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(library_print(lib, f), 0);
	assert_int_equal(fclose(f), 0);

	char want[4096];
	snprintf(want, sizeof want,
		 "documentary report\tContest of Giants\tQi Dexue\t2\t0\t%s\n"
		 "Uncategorized\tbig\t\t?\t0\t%s\n"
		 "Uncategorized\tLine break\t\t3\t50\t%s\n"
		 "Uncategorized\tTabbed\t\t1\t0\t%s\n",
		 at("b/d"), at("b/big.txt"), at("gone/x.txt"), at("b/tab here"));
	assert_string_equal(buf, want);
	free(buf);
	library_free(lib);
}

static void
test_continue_reading(void **state)
{
	dir_book("b/a", "title = A\n", 1);
	dir_book("b/b", "title = B\n", 1);
	dir_book("b/c", "title = C\n", 1);
	char *fa = fingerprint(at("b/a")), *fb = fingerprint(at("b/b"));
	struct store_book ra = { .fingerprint = fa, .path = at("b/a"),
				 .last_read = 2000 };
	struct store_book rb = { .fingerprint = fb, .path = at("b/b"),
				 .last_read = 3000 };
	struct store_book rg = { .fingerprint = "1-1", .path = at("gone"),
				 .title = "Gone", .last_read = 9000 };
	struct store_book *recs[] = { &ra, &rb, &rg };
	struct library *lib = scan(at("b"), recs, 3);
	const struct library_entry *e = library_continue(lib);
	assert_non_null(e);
	assert_string_equal(e->title, "B");
	assert_ptr_equal(e->record, &rb);
	library_free(lib);

	/* Records never read: nothing to continue. */
	ra.last_read = rb.last_read = 0;
	lib = scan(at("b"), recs, 2);
	assert_null(library_continue(lib));
	library_free(lib);
	free(fa);
	free(fb);
}

static void
test_empty(void **state)
{
	struct library *lib = scan(at("nonexistent"), NULL, 0);
	assert_int_equal(library_count(lib), 0);
	assert_null(library_at(lib, 0));
	assert_null(library_continue(lib));
	assert_int_equal(library_print(lib, stdout), 0);
	library_free(lib);
	library_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grouping_and_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xdg_data_home, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folio_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dedup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moved_book, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_chapters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_continue_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	};
	return cmocka_run_group_tests_name("library", tests, NULL, NULL);
}
