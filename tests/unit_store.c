/* Unit tests of store.c: the bookmarks dotfile and the settings file. */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"

#define HEADER "folio-bookmarks 1\n"

/* Each test gets a fresh directory. */
struct fixture {
	char dir[256];
	char file[300];		/* dir/bookmarks */
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	const char *tmp = getenv("TMPDIR");

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/unit_store.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->file, sizeof fx->file, "%s/bookmarks", fx->dir);
	*state = fx;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		chmod(path, 0700);
	return remove(path);
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	chmod(fx->dir, 0700);
	nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static char *
path_in(const struct fixture *fx, const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", fx->dir, name) > 0);
	return p;
}

static void
write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void
write_str(const char *path, const char *s)
{
	write_file(path, s, strlen(s));
}

/* The whole file, NUL-terminated; *n gets its length. */
static char *
read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t len = 0, cap = 0, got;

	assert_non_null(f);
	do {
		if (cap - len < 4096) {
			cap = cap * 2 + 8192;
			s = realloc(s, cap);
			assert_non_null(s);
		}
		got = fread(s + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	fclose(f);
	s[len] = '\0';
	if (n != NULL)
		*n = len;
	return s;
}

static struct store *
load(const char *file)
{
	struct store *s = NULL;
	char *err = NULL;

	if (store_load(&s, file, &err) != 0)
		fail_msg("store_load: %s", err);
	assert_null(err);
	assert_non_null(s);
	return s;
}

static void
save(struct store *s)
{
	char *err = NULL;

	if (store_save(s, &err) != 0)
		fail_msg("store_save: %s", err);
	assert_null(err);
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* The dotfile. */

static void
test_missing_file(void **state)
{
	struct fixture *fx = *state;
	struct store *s = load(fx->file);

	assert_int_equal(store_count(s), 0);
	assert_int_equal(store_bad_lines(s), 0);
	assert_null(store_find(s, "fp", "/a"));
	assert_null(store_at(s, 0));
	save(s);		/* created on first save */
	store_free(s);

	char *text = read_all(fx->file, NULL);
	assert_string_equal(text, HEADER);
	free(text);

	struct stat st;
	assert_int_equal(stat(fx->file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	store_free(NULL);
}

static void
test_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct store *s = load(fx->file);
	struct store_book *b;

	b = store_get(s, "fnv-1", "/books/one");
	assert_non_null(b);
	store_set_position(s, b, 3, 1234, 0.5, 40, "One");
	assert_int_equal(store_add_mark(s, b, 1, 10, "first"), 0);
	assert_int_equal(store_add_mark(s, b, 2, 20, NULL), 0);
	b = store_get(s, "fnv-2", "/books/two");
	assert_non_null(b);
	store_set_position(s, b, 0, 0, 0.0, 1, "Two");
	b = store_get(s, "fnv-stdin", NULL);	/* standard input */
	assert_non_null(b);
	store_set_position(s, b, 1, 2, 1.0, 2, "Piped");
	assert_int_equal(store_count(s), 3);
	save(s);
	store_free(s);

	char *text = read_all(fx->file, NULL);
	assert_non_null(strstr(text, HEADER));
	assert_ptr_equal(strstr(text, HEADER), text);
	assert_non_null(strstr(text, "book\tfnv-1\t3\t1234\t40\t0.5000\t"));
	assert_non_null(strstr(text, "\t/books/one\tOne\n"));
	assert_non_null(strstr(text, "mark\tfnv-1\t1\t10\t"));
	assert_int_equal(count_lines(text), 1 + 3 + 2);
	free(text);

	s = load(fx->file);
	assert_int_equal(store_count(s), 3);
	assert_int_equal(store_bad_lines(s), 0);
	b = store_find(s, "fnv-1", NULL);
	assert_non_null(b);
	assert_string_equal(b->path, "/books/one");
	assert_string_equal(b->title, "One");
	assert_int_equal(b->chapter, 3);
	assert_int_equal(b->offset, 1234);
	assert_int_equal(b->nchapters, 40);
	assert_true(b->progress > 0.4999 && b->progress < 0.5001);
	assert_true(b->last_read > 0);
	assert_int_equal(b->nmarks, 2);
	assert_int_equal(b->marks[0].chapter, 1);
	assert_int_equal(b->marks[0].offset, 10);
	assert_string_equal(b->marks[0].label, "first");
	assert_true(b->marks[0].created > 0);
	assert_string_equal(b->marks[1].label, "");
	b = store_find(s, "fnv-stdin", "");
	assert_non_null(b);
	assert_string_equal(b->path, "");
	assert_true(b->progress == 1.0);
	/* The same book piped in: its known path stays. */
	assert_ptr_equal(store_get(s, "fnv-1", ""), store_find(s, "fnv-1", 0));
	assert_string_equal(store_find(s, "fnv-1", NULL)->path, "/books/one");
	assert_null(store_get(s, NULL, "/x"));
	/* A second save with no changes writes the same file. */
	text = read_all(fx->file, NULL);
	save(s);
	char *again = read_all(fx->file, NULL);
	assert_string_equal(text, again);
	free(text);
	free(again);
	store_free(s);
}

static void
test_marks(void **state)
{
	struct fixture *fx = *state;
	struct store *s = load(fx->file);
	struct store_book *b = store_get(s, "fp", "/p");

	assert_int_equal(store_add_mark(s, b, 1, 1, "a"), 0);
	assert_int_equal(store_add_mark(s, b, 2, 2, "b"), 0);
	assert_int_equal(store_add_mark(s, b, 3, 3, "c"), 0);
	store_del_mark(s, b, 1);
	store_del_mark(s, b, 7);		/* out of range: nothing */
	assert_int_equal(store_rename_mark(s, b, 1, "C"), 0);
	assert_int_equal(store_rename_mark(s, b, 5, "x"), -1);
	save(s);
	store_free(s);

	s = load(fx->file);
	b = store_find(s, "fp", NULL);
	assert_int_equal(b->nmarks, 2);
	assert_string_equal(b->marks[0].label, "a");
	assert_string_equal(b->marks[1].label, "C");
	assert_int_equal(b->marks[1].chapter, 3);
	store_del_mark(s, b, 0);
	store_del_mark(s, b, 0);
	save(s);
	store_free(s);

	s = load(fx->file);
	assert_int_equal(store_find(s, "fp", NULL)->nmarks, 0);
	store_free(s);
}

static void
test_merge_two_writers(void **state)
{
	struct fixture *fx = *state;
	struct store *s1, *s2, *s;
	struct store_book *b;

	s = load(fx->file);
	store_set_position(s, store_get(s, "fp-c", "/c"), 5, 5, 0.1, 9, "C");
	store_add_mark(s, store_find(s, "fp-c", NULL), 1, 1, "c mark");
	save(s);
	store_free(s);

	/* Two processes load the same file, each changes its own book. */
	s1 = load(fx->file);
	s2 = load(fx->file);
	store_set_position(s1, store_get(s1, "fp-a", "/a"), 1, 100, .2, 9, "A");
	store_set_position(s2, store_get(s2, "fp-b", "/b"), 2, 200, .3, 9, "B");
	save(s1);
	save(s2);
	/* s2 sees s1's book after its save. */
	assert_non_null(store_find(s2, "fp-a", NULL));
	assert_int_equal(store_count(s2), 3);

	s = load(fx->file);
	assert_int_equal(store_count(s), 3);
	assert_int_equal(store_find(s, "fp-a", NULL)->offset, 100);
	assert_int_equal(store_find(s, "fp-b", NULL)->offset, 200);
	assert_int_equal(store_find(s, "fp-c", NULL)->offset, 5);
	assert_int_equal(store_find(s, "fp-c", NULL)->nmarks, 1);
	store_free(s);

	/* The same book: the last saver wins, nothing else is lost. */
	store_set_position(s1, store_find(s1, "fp-c", NULL), 7, 700, .7, 9,
	    "C1");
	store_set_position(s2, store_find(s2, "fp-c", NULL), 8, 800, .8, 9,
	    "C2");
	save(s1);
	save(s2);
	s = load(fx->file);
	assert_int_equal(store_count(s), 3);
	b = store_find(s, "fp-c", NULL);
	assert_int_equal(b->chapter, 8);
	assert_int_equal(b->offset, 800);
	assert_string_equal(b->title, "C2");
	assert_int_equal(b->nmarks, 1);
	assert_int_equal(store_find(s, "fp-a", NULL)->offset, 100);
	assert_int_equal(store_find(s, "fp-b", NULL)->offset, 200);
	store_free(s);

	/* s1 saves again without changes: it takes the disk's record. */
	save(s1);
	assert_int_equal(store_find(s1, "fp-c", NULL)->offset, 800);

	/* One adds a mark, the other moves on in the same book: both kept. */
	assert_int_equal(store_add_mark(s1, store_find(s1, "fp-a", NULL), 1,
	    5, "s1 mark"), 0);
	store_set_position(s2, store_find(s2, "fp-a", NULL), 4, 44, .4, 9,
	    "A");
	save(s1);
	save(s2);
	s = load(fx->file);
	b = store_find(s, "fp-a", NULL);
	assert_int_equal(b->offset, 44);
	assert_int_equal(b->nmarks, 1);
	assert_string_equal(b->marks[0].label, "s1 mark");
	assert_int_equal(store_bad_lines(s), 0);
	store_free(s);

	/* A mark deleted by one is gone after the other saves too. */
	store_del_mark(s2, store_find(s2, "fp-a", NULL), 0);
	save(s2);
	save(s1);
	s = load(fx->file);
	assert_int_equal(store_find(s, "fp-a", NULL)->nmarks, 0);
	store_free(s);

	store_free(s1);
	store_free(s2);
}

static void
test_record_deleted_on_disk(void **state)
{
	struct fixture *fx = *state;
	struct store *s;
	struct store_book *gone;

	write_str(fx->file, HEADER
	    "book\tfp-x\t1\t1\t2\t0.5\t100\t/x\tX\n"
	    "book\tfp-y\t1\t1\t2\t0.5\t100\t/y\tY\n");
	s = load(fx->file);
	assert_int_equal(store_count(s), 2);
	gone = store_find(s, "fp-x", NULL);
	/* The user deletes the book by hand. */
	write_str(fx->file, HEADER "book\tfp-y\t1\t1\t2\t0.5\t100\t/y\tY\n");
	store_set_position(s, store_find(s, "fp-y", NULL), 2, 2, .9, 2, "Y");
	save(s);
	assert_int_equal(store_count(s), 1);
	assert_null(store_find(s, "fp-x", NULL));
	/* The old pointer is still good; changing it brings the book back. */
	assert_string_equal(gone->title, "X");
	store_set_position(s, gone, 2, 3, .9, 2, "X again");
	assert_int_equal(store_count(s), 2);
	save(s);
	store_free(s);
	s = load(fx->file);
	assert_int_equal(store_count(s), 2);
	assert_string_equal(store_find(s, "fp-x", NULL)->title, "X again");
	store_free(s);
}

static void
test_kept_lines(void **state)
{
	struct fixture *fx = *state;
	static const char *const lines[] = {
		"# a comment",
		"",
		"tag\tfp-a\tfavourite",			/* a newer kind */
		"book\tfp-a\t1\t2\t3\t0.25\t1000\t/a\tA",
		"book\tfp-bad\tx\t2\t3\t0.25\t1000\t/b\tB",	/* not a number */
		"book\tfp-short\t1",			/* too few fields */
		"garbage \\ with\\ttabs\tand\tstuff",
		"mark\tfp-none\t1\t2\t3\tno such book",	/* orphan mark */
		"mark\tfp-a\t1\t2\t3\tgood mark",
		"book\tfp-a\t9\t9\t9\t0.9\t9\t/dup\tDuplicate",
		"book\tfp-neg\t-1\t2\t3\t0.5\t10\t/n\tN",
		"   ",
		"mark\tfp-a\t1\t2\tnot-a-time\tbad mark",
	};
	size_t n = sizeof lines / sizeof lines[0];
	char buf[4096] = HEADER;

	for (size_t i = 0; i < n; i++) {
		strcat(buf, lines[i]);
		strcat(buf, "\n");
	}
	write_file(fx->file, buf, strlen(buf));
	struct store *s = load(fx->file);
	assert_int_equal(store_count(s), 1);
	/* tag, fp-bad, fp-short, garbage, orphan, duplicate, fp-neg, bad mark */
	assert_int_equal(store_bad_lines(s), 8);
	struct store_book *b = store_find(s, "fp-a", NULL);
	assert_non_null(b);
	assert_int_equal(b->nmarks, 1);
	store_set_position(s, b, 5, 6, .5, 7, "A");
	store_set_position(s, store_get(s, "fp-new", "/new"), 0, 0, 0, 1, "N");
	save(s);
	assert_int_equal(store_bad_lines(s), 8);
	store_free(s);

	/* Every kept line is still there, verbatim, in its order. */
	char *text = read_all(fx->file, NULL);
	const char *at = text;
	for (size_t i = 0; i < n; i++) {
		if (i == 3 || i == 8)		/* rewritten records */
			continue;
		char want[256];
		snprintf(want, sizeof want, "\n%s\n", lines[i]);
		const char *p = strstr(at, want);
		if (p == NULL)
			fail_msg("line %zu lost: %s\nfile:\n%s", i, lines[i],
			    text);
		at = p + 1;
	}
	assert_non_null(strstr(text, "book\tfp-a\t5\t6\t7\t0.5000\t"));
	assert_non_null(strstr(text, "book\tfp-new\t"));
	free(text);

	s = load(fx->file);
	assert_int_equal(store_bad_lines(s), 8);
	assert_int_equal(store_count(s), 2);
	store_free(s);
}

static void
test_newer_version(void **state)
{
	struct fixture *fx = *state;
	const char *text = "folio-bookmarks 7\n"
	    "book\tfp\t1\t1\t1\t0\t0\t/p\tP\n"
	    "shelf\tnew kind\n";

	write_str(fx->file, text);
	struct store *s = load(fx->file);
	assert_int_equal(store_count(s), 1);
	assert_int_equal(store_bad_lines(s), 1);
	save(s);
	store_free(s);
	char *t = read_all(fx->file, NULL);
	/* The version is not lowered, the unknown line stays. */
	assert_memory_equal(t, "folio-bookmarks 7\n", 18);
	assert_non_null(strstr(t, "\nshelf\tnew kind\n"));
	free(t);
}

static void
test_fingerprint_after_move(void **state)
{
	struct fixture *fx = *state;
	struct store *s = load(fx->file);
	struct store_book *b;

	store_set_position(s, store_get(s, "fp-m", "/old/place"), 4, 40, .4,
	    10, "Moved");
	save(s);
	store_free(s);

	/* The book was moved: found by its fingerprint. */
	s = load(fx->file);
	b = store_find(s, "fp-m", "/new/place");
	assert_non_null(b);
	assert_string_equal(b->path, "/old/place");
	assert_ptr_equal(store_get(s, "fp-m", "/new/place"), b);
	assert_string_equal(b->path, "/new/place");
	assert_int_equal(b->chapter, 4);
	assert_int_equal(b->offset, 40);
	save(s);
	store_free(s);

	s = load(fx->file);
	assert_int_equal(store_count(s), 1);
	assert_string_equal(store_find(s, "fp-m", NULL)->path, "/new/place");
	assert_null(store_find(s, NULL, "/old/place"));
	store_free(s);
}

static void
test_path_after_change(void **state)
{
	struct fixture *fx = *state;
	struct store *s = load(fx->file), *old;
	struct store_book *b;

	store_set_position(s, store_get(s, "fp-1", "/book"), 4, 40, .4, 10,
	    "Book");
	store_set_position(s, store_get(s, "fp-o", "/other"), 1, 1, .1, 10,
	    "Other");
	save(s);
	store_free(s);
	old = load(fx->file);	/* another process, not changing it */

	/* The book's content changed: found by its path. */
	s = load(fx->file);
	assert_null(store_find(s, "fp-2", NULL));
	b = store_find(s, "fp-2", "/book");
	assert_non_null(b);
	assert_string_equal(b->fingerprint, "fp-1");
	assert_ptr_equal(store_get(s, "fp-2", "/book"), b);
	assert_string_equal(b->fingerprint, "fp-2");
	assert_int_equal(b->offset, 40);	/* the caller clamps it */
	save(s);
	store_free(s);

	/* The other process saves later: still one record, the new one. */
	store_set_position(old, store_find(old, "fp-o", NULL), 2, 2, .2, 10,
	    "Other");
	save(old);
	assert_int_equal(store_count(old), 2);
	assert_non_null(store_find(old, "fp-2", NULL));
	store_free(old);

	s = load(fx->file);
	assert_int_equal(store_count(s), 2);
	assert_null(store_find(s, "fp-1", NULL));
	b = store_find(s, "fp-2", NULL);
	assert_non_null(b);
	assert_string_equal(b->path, "/book");
	assert_int_equal(b->offset, 40);
	assert_int_equal(store_find(s, "fp-o", NULL)->offset, 2);
	store_free(s);

	/* A path shared by two records: the one read last. */
	write_str(fx->file, HEADER
	    "book\tfp-p\t1\t1\t2\t0.5\t100\t/same\tOld\n"
	    "book\tfp-q\t2\t2\t2\t0.5\t300\t/same\tNew\n"
	    "book\tfp-r\t3\t3\t2\t0.5\t200\t/same\tMiddle\n");
	s = load(fx->file);
	assert_string_equal(store_find(s, "fp-z", "/same")->title, "New");
	assert_string_equal(store_find(s, "fp-p", "/same")->title, "Old");
	store_free(s);
}

static void
test_escaping(void **state)
{
	struct fixture *fx = *state;
	struct store *s = load(fx->file);
	const char *title = "Tab\there\nnew line\\back\\slash\r\\t not a tab";
	const char *label = "\tlead\n\n\\\\end\\";
	const char *path = "/books/we\tird\\name\n";
	const char *fp = "f\tp\n";
	struct store_book *b;

	b = store_get(s, fp, path);
	store_set_position(s, b, 1, 2, .5, 3, title);
	store_add_mark(s, b, 1, 2, label);
	save(s);
	store_free(s);

	char *text = read_all(fx->file, NULL);
	assert_int_equal(count_lines(text), 3);	/* header, book, mark */
	assert_non_null(strstr(text, "Tab\\there\\nnew line\\\\back\\\\slash"
	    "\\r\\\\t not a tab\n"));
	free(text);

	s = load(fx->file);
	assert_int_equal(store_bad_lines(s), 0);
	b = store_find(s, fp, NULL);
	assert_non_null(b);
	assert_string_equal(b->title, title);
	assert_string_equal(b->path, path);
	assert_string_equal(b->marks[0].label, label);
	assert_ptr_equal(store_find(s, "nope", path), b);
	store_free(s);

	/* Unknown escapes are read as they are. */
	text = HEADER "book\tfp\t0\t0\t1\t0\t0\tC:\\books\\x\tA \\q\\\n";
	write_str(fx->file, text);
	s = load(fx->file);
	b = store_find(s, "fp", NULL);
	assert_non_null(b);
	assert_string_equal(b->path, "C:\\books\\x");
	assert_string_equal(b->title, "A \\q\\");
	store_free(s);
}

static void
test_empty_file(void **state)
{
	struct fixture *fx = *state;

	write_file(fx->file, "", 0);
	struct store *s = load(fx->file);
	assert_int_equal(store_count(s), 0);
	assert_int_equal(store_bad_lines(s), 0);
	save(s);
	store_free(s);
	char *text = read_all(fx->file, NULL);
	assert_string_equal(text, HEADER);
	free(text);

	/* Only the header, CRLF line ends. */
	write_str(fx->file, "folio-bookmarks 1\r\n"
	    "book\tfp\t1\t2\t3\t0.5\t9\t/p\tT\r\n");
	s = load(fx->file);
	assert_int_equal(store_count(s), 1);
	assert_int_equal(store_bad_lines(s), 0);
	assert_string_equal(store_find(s, "fp", NULL)->title, "T");
	store_free(s);
}

static void
test_huge_file(void **state)
{
	struct fixture *fx = *state;
	enum { N = 50000 };
	FILE *f = fopen(fx->file, "w");

	assert_non_null(f);
	fputs(HEADER, f);
	for (int i = 0; i < N; i++) {
		fprintf(f, "book\tfp-%d\t%d\t%d\t100\t0.5\t%d\t/books/%d\t"
		    "Book number %d\n", i, i % 100, i, 1000000 + i, i, i);
		if (i % 10 == 0)
			fprintf(f, "mark\tfp-%d\t1\t2\t3\tmark of %d\n", i, i);
	}
	assert_int_equal(fclose(f), 0);

	struct store *s = load(fx->file);
	assert_int_equal(store_count(s), N);
	assert_int_equal(store_bad_lines(s), 0);
	struct store_book *b = store_find(s, "fp-49990", NULL);
	assert_non_null(b);
	assert_int_equal(b->offset, 49990);
	assert_int_equal(b->nmarks, 1);
	assert_ptr_equal(store_find(s, "moved", "/books/12345"),
	    store_find(s, "fp-12345", NULL));
	store_set_position(s, b, 1, 1, .1, 100, "Changed");
	store_set_position(s, store_get(s, "fp-new", "/new"), 1, 1, .1, 1,
	    "New");
	save(s);
	store_free(s);

	s = load(fx->file);
	assert_int_equal(store_count(s), N + 1);
	assert_int_equal(store_bad_lines(s), 0);
	assert_string_equal(store_find(s, "fp-49990", NULL)->title, "Changed");
	assert_string_equal(store_find(s, "fp-0", NULL)->marks[0].label,
	    "mark of 0");
	store_free(s);
}

static void
test_garbage_file(void **state)
{
	struct fixture *fx = *state;
	char junk[8192];
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof junk; i++) {
		x = x * 1103515245 + 12345;
		junk[i] = (char)(x >> 16);
	}
	junk[100] = '\0';		/* NUL bytes on a line */
	memcpy(junk + 200, "\nbook\t", 6);	/* a damaged record */
	junk[sizeof junk - 1] = 'x';	/* no final newline */
	write_file(fx->file, junk, sizeof junk);

	struct store *s = load(fx->file);
	assert_int_equal(store_count(s), 0);
	assert_true(store_bad_lines(s) > 0);
	size_t bad = store_bad_lines(s);
	store_set_position(s, store_get(s, "fp", "/p"), 1, 1, .5, 2, "T");
	save(s);
	assert_int_equal(store_bad_lines(s), bad);
	store_free(s);

	/* Header, every junk byte as it was (a newline added at the end),
	 * the new record. */
	size_t n;
	char *text = read_all(fx->file, &n);
	size_t h = strlen(HEADER);
	assert_true(n > h + sizeof junk + 1);
	assert_memory_equal(text, HEADER, h);
	assert_memory_equal(text + h, junk, sizeof junk);
	assert_int_equal(text[h + sizeof junk], '\n');
	assert_memory_equal(text + h + sizeof junk + 1, "book\tfp\t", 8);
	free(text);

	s = load(fx->file);
	assert_int_equal(store_count(s), 1);
	assert_int_equal(store_bad_lines(s), bad);
	store_free(s);
}

/* Damaged files: whatever the damage, a file loads and saves, and the
 * saved file is a fixed point (loading and saving it again changes no
 * byte).  Nothing it held is lost: the record count plus the kept lines
 * stay the same. */
static void
test_damage(void **state)
{
	struct fixture *fx = *state;
	const char *good = HEADER
	    "# comment\n"
	    "book\tfp-1\t1\t22\t3\t0.25\t1000\t/a/b\tTitle \\t one\n"
	    "mark\tfp-1\t1\t2\t3\tlabel\n"
	    "mark\tfp-1\t2\t5\t7\t\n"
	    "book\tfp-2\t0\t0\t1\t1\t0\t\tStdin\r\n"
	    "\n"
	    "book\tfp-3\t9\t9\t9\t0.9\t9\t/c\tC\n";
	size_t glen = strlen(good);
	uint32_t x = 2024;

	for (int round = 0; round < 60; round++) {
		char buf[1024];
		size_t n = glen;
		memcpy(buf, good, n);
		int edits = 1 + round % 4;
		for (int e = 0; e < edits && n > 0; e++) {
			x = x * 1103515245 + 12345;
			size_t at = (x >> 8) % n;
			x = x * 1103515245 + 12345;
			switch ((x >> 16) % 5) {
			case 0:		/* change a byte */
				buf[at] = (char)(x >> 24);
				break;
			case 1:		/* cut the file */
				n = at + 1;
				break;
			case 2:		/* a tab, a newline, a backslash */
				buf[at] = "\t\n\\"[(x >> 24) % 3];
				break;
			case 3:		/* drop a byte */
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
				break;
			case 4:		/* a NUL */
				buf[at] = '\0';
				break;
			}
		}
		write_file(fx->file, buf, n);

		struct store *s = load(fx->file);
		save(s);
		size_t count = store_count(s), bad = store_bad_lines(s);
		store_free(s);
		size_t n1, n2;
		char *once = read_all(fx->file, &n1);
		s = load(fx->file);
		assert_int_equal(store_count(s), count);
		assert_int_equal(store_bad_lines(s), bad);
		save(s);
		store_free(s);
		char *twice = read_all(fx->file, &n2);
		if (n1 != n2 || memcmp(once, twice, n1) != 0)
			fail_msg("round %d: not a fixed point", round);
		free(once);
		free(twice);
	}
}

static void
test_symlink(void **state)
{
	struct fixture *fx = *state;
	char *real = path_in(fx, "real"), *link = path_in(fx, "link");
	char *link2 = path_in(fx, "link2"), *real2 = path_in(fx, "real2");
	struct stat st;
	struct store *s;

	write_str(real, HEADER);
	assert_int_equal(chmod(real, 0640), 0);
	assert_int_equal(symlink("real", link), 0);
	s = load(link);
	store_set_position(s, store_get(s, "fp", "/p"), 1, 1, .5, 2, "T");
	save(s);
	store_free(s);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(real, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0640);	/* mode kept */
	char *text = read_all(real, NULL);
	assert_non_null(strstr(text, "book\tfp\t"));
	free(text);

	/* A dangling symlink: its target is created. */
	assert_int_equal(symlink("real2", link2), 0);
	s = load(link2);
	assert_int_equal(store_count(s), 0);
	store_set_position(s, store_get(s, "fp", "/p"), 1, 1, .5, 2, "T");
	save(s);
	store_free(s);
	assert_int_equal(lstat(link2, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(real2, &st), 0);
	assert_true(S_ISREG(st.st_mode));

	/* No temp files are left behind; a stale one is removed. */
	char *stale = path_in(fx, "real.tmp.AbC123");
	write_file(stale, "junk", 4);
	s = load(link);
	save(s);
	store_free(s);
	assert_int_equal(access(stale, F_OK), -1);
	free(stale);

	free(real);
	free(link);
	free(real2);
	free(link2);
}

static void
expect_save_error(const char *file, const char *why)
{
	struct store *s = NULL;
	char *err = NULL;

	assert_int_equal(store_load(&s, file, &err), 0);
	assert_null(err);
	store_set_position(s, store_get(s, "fp", "/p"), 1, 1, .5, 2, "T");
	assert_int_equal(store_save(s, &err), -1);
	assert_non_null(err);
	char *want;
	assert_true(asprintf(&want, "cannot write %s: %s", file, why) > 0);
	assert_string_equal(err, want);
	free(want);
	free(err);
	/* Reading goes on: the record is still there, still to save. */
	assert_int_equal(store_count(s), 1);
	assert_int_equal(store_save(s, NULL), -1);
	store_free(s);
}

/* Saving to file (in a directory we may not write) fails with EACCES.
 * Plain checks, no cmocka: this may run in a child process.  Returns 0
 * if all is well. */
static int
unwritable_child(const char *file)
{
	struct store *s = NULL;
	char *err = NULL, *want;
	int rc = 0;

	if (store_load(&s, file, &err) != 0)
		return 1;
	store_set_position(s, store_get(s, "fp", "/p"), 1, 1, .5, 2, "T");
	if (asprintf(&want, "cannot write %s: %s", file, strerror(EACCES))
	    == -1)
		rc = 2;
	else if (store_save(s, &err) != -1 || err == NULL)
		rc = 3;
	else if (strcmp(err, want) != 0) {
		fprintf(stderr, "# got: %s\n", err);
		rc = 4;
	}
	free(want);
	free(err);
	store_free(s);
	return rc;
}

static void
test_unwritable(void **state)
{
	struct fixture *fx = *state;

	char *nodir = path_in(fx, "no/such/dir/bookmarks");
	expect_save_error(nodir, strerror(ENOENT));
	free(nodir);

	char *plain = path_in(fx, "plain");
	write_file(plain, "x", 1);
	char *under = path_in(fx, "plain/bookmarks");
	expect_save_error(under, strerror(ENOTDIR));
	free(under);
	free(plain);

	/* Not a regular file (--bookmarks /dev/null): it reads as empty and
	 * is never replaced; no lock file is made beside it. */
	char *fifo = path_in(fx, "fifo"), *fifolock = path_in(fx, "fifo.lock");
	struct stat st;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	expect_save_error(fifo, "not a regular file");
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(access(fifolock, F_OK), -1);
	if (stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode)) {
		expect_save_error("/dev/null", "not a regular file");
		assert_int_equal(stat("/dev/null", &st), 0);
		assert_true(S_ISCHR(st.st_mode));
	}
	free(fifo);
	free(fifolock);

	/* The file is a directory: cannot be read. */
	struct store *s = NULL;
	char *err = NULL;
	assert_int_equal(store_load(&s, fx->dir, &err), -1);
	assert_null(s);
	assert_non_null(err);
	assert_non_null(strstr(err, "cannot read"));
	assert_non_null(strstr(err, strerror(EISDIR)));
	free(err);

	/* A directory without write permission.  Root writes anyway, so as
	 * root the save is tried by a child that became "nobody". */
	char ro[400], file[400];
	snprintf(ro, sizeof ro, "%s/ro", fx->dir);
	snprintf(file, sizeof file, "%s/ro/bookmarks", fx->dir);
	assert_int_equal(mkdir(ro, 0555), 0);
	if (geteuid() != 0)
		assert_int_equal(unwritable_child(file), 0);
	else {
		assert_int_equal(chmod(fx->dir, 0755), 0);
		pid_t pid = fork();
		assert_true(pid != -1);
		if (pid == 0) {
			if (setgroups(0, NULL) == -1 || setgid(65534) == -1 ||
			    setuid(65534) == -1)
				_exit(77);
			_exit(unwritable_child(file));
		}
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 77)
			print_message("# cannot drop root: 0555 case not run\n");
		else
			assert_int_equal(WEXITSTATUS(status), 0);
	}
}

static void
test_default_path(void **state)
{
	char *p;

	setenv("HOME", "/home/reader", 1);
	unsetenv("FOLIO_BOOKMARKS");
	unsetenv("FOLIORC");
	p = store_default_path(NULL);
	assert_string_equal(p, "/home/reader/.folio_bookmarks");
	free(p);
	p = store_default_path("/x/marks");
	assert_string_equal(p, "/x/marks");
	free(p);
	setenv("FOLIO_BOOKMARKS", "/env/marks", 1);
	p = store_default_path(NULL);
	assert_string_equal(p, "/env/marks");
	free(p);
	p = store_default_path("/opt/marks");	/* the option first */
	assert_string_equal(p, "/opt/marks");
	free(p);
	p = settings_default_path();
	assert_string_equal(p, "/home/reader/.foliorc");
	free(p);
	setenv("FOLIORC", "/env/rc", 1);
	p = settings_default_path();
	assert_string_equal(p, "/env/rc");
	free(p);
	unsetenv("FOLIORC");
	unsetenv("FOLIO_BOOKMARKS");
	unsetenv("HOME");
	assert_null(store_default_path(NULL));
	assert_null(settings_default_path());
}

/* Settings. */

static void
test_settings_defaults(void **state)
{
	struct fixture *fx = *state;
	struct settings st;
	char *err = NULL;

	settings_defaults(&st);
	assert_int_equal(st.width, 72);
	assert_int_equal(st.margin, 2);
	assert_false(st.justify);
	assert_true(st.spacing);
	assert_int_equal(st.indent, 0);
	assert_int_equal(st.overlap, 0);
	assert_string_equal(st.theme, "default");

	/* A missing file is not an error. */
	st.width = 1;
	assert_int_equal(settings_load(&st, fx->file, &err), 0);
	assert_null(err);
	assert_int_equal(st.width, 72);
}

static void
test_settings_parse(void **state)
{
	struct fixture *fx = *state;
	const char *text =
	    "# my settings\n"
	    "width = 80\n"
	    "  margin=4   # wide margins\n"
	    "justify = Yes\n"
	    "spacing = off\n"
	    "indent = 2\n"
	    "overlap = 1\n"
	    "theme = Sepia\n"
	    "future_key = whatever\n";
	struct settings st;
	char *err = NULL;

	write_str(fx->file, text);
	assert_int_equal(settings_load(&st, fx->file, &err), 0);
	assert_null(err);
	assert_int_equal(st.width, 80);
	assert_int_equal(st.margin, 4);
	assert_true(st.justify);
	assert_false(st.spacing);
	assert_int_equal(st.indent, 2);
	assert_int_equal(st.overlap, 1);
	assert_string_equal(st.theme, "sepia");

	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (int i = 0; i < 4; i++) {
		char line[64];
		snprintf(line, sizeof line, "justify = %s\nspacing=%s\n",
		    yes[i], no[i]);
		write_str(fx->file, line);
		assert_int_equal(settings_load(&st, fx->file, &err), 0);
		assert_true(st.justify);
		assert_false(st.spacing);
	}
}

static void
test_settings_bad_values(void **state)
{
	struct fixture *fx = *state;
	const char *text =
	    "width = 90\n"
	    "margin = 99\n"		/* line 2: out of range */
	    "# comment\n"
	    "justify = maybe\n"		/* line 4 */
	    "indent = 3\n"
	    "theme = blue\n"		/* line 6 */
	    "just some words\n"		/* line 7: no '=' */
	    "overlap = -1\n"		/* line 8 */
	    "width = 12abc\n"		/* line 9 */
	    "spacing = no\n";
	struct settings st;
	char *err = NULL;

	write_str(fx->file, text);
	assert_int_equal(settings_load(&st, fx->file, &err), -1);
	assert_non_null(err);
	assert_null(strchr(err, '\n'));		/* one line */
	/* Five problems in full, then a count. */
	for (int line = 2; line <= 8; line++) {
		char want[400];
		if (line == 3 || line == 5)
			continue;
		snprintf(want, sizeof want, "%s:%d: ", fx->file, line);
		if (strstr(err, want) == NULL)
			fail_msg("no line %d in: %s", line, err);
	}
	assert_non_null(strstr(err, "; and 1 more"));
	assert_non_null(strstr(err, "margin"));
	assert_non_null(strstr(err, "theme"));
	free(err);
	/* The rest loaded; bad ones stay at their defaults. */
	assert_int_equal(st.width, 90);
	assert_int_equal(st.margin, 2);
	assert_false(st.justify);
	assert_int_equal(st.indent, 3);
	assert_string_equal(st.theme, "default");
	assert_int_equal(st.overlap, 0);
	assert_false(st.spacing);

	/* Limits. */
	text = "width = 20\nmargin = 0\nindent = 8\noverlap = 5\n";
	write_str(fx->file, text);
	assert_int_equal(settings_load(&st, fx->file, &err), 0);
	assert_int_equal(st.width, 20);
	assert_int_equal(st.indent, 8);
	assert_int_equal(st.overlap, 5);
	text = "width = 401\nwidth = 19\nindent = 9\noverlap = 6\n";
	write_str(fx->file, text);
	assert_int_equal(settings_load(&st, fx->file, &err), -1);
	assert_non_null(strstr(err, ":4: "));
	free(err);
	assert_int_equal(st.width, 72);
	assert_int_equal(settings_load(&st, fx->file, NULL), -1);

	/* Many bad lines: the first few, then a count; no control bytes. */
	text = "theme = \033[31mred\n1\n2\n3\n4\n5\n6\n7\n";
	write_str(fx->file, text);
	assert_int_equal(settings_load(&st, fx->file, &err), -1);
	assert_null(strchr(err, '\033'));
	assert_non_null(strstr(err, ":1: theme must be"));
	assert_non_null(strstr(err, ":5: not a"));
	assert_null(strstr(err, ":6: "));
	assert_non_null(strstr(err, "; and 3 more"));
	free(err);

	/* Unreadable: a directory. */
	assert_int_equal(settings_load(&st, fx->dir, &err), -1);
	assert_non_null(strstr(err, "cannot read"));
	free(err);
}

static void
test_settings_save_keeps(void **state)
{
	struct fixture *fx = *state;
	const char *text =
	    "# folio settings\n"
	    "\n"
	    "theme = dark   # at night\n"
	    "colour_scheme = 7\n"
	    "width=60\n"
	    "margin =\n"
	    "# the end";
	const char *want =
	    "# folio settings\n"
	    "\n"
	    "theme = light   # at night\n"
	    "colour_scheme = 7\n"
	    "width=100\n"
	    "margin = 2\n"
	    "# the end\n"
	    "justify = yes\n"
	    "spacing = yes\n"
	    "indent = 0\n"
	    "overlap = 0\n";
	struct settings st;
	char *err = NULL;

	write_str(fx->file, text);
	assert_int_equal(chmod(fx->file, 0644), 0);
	settings_load(&st, fx->file, &err);
	free(err);
	assert_string_equal(st.theme, "dark");
	assert_int_equal(st.width, 60);
	st.width = 100;
	st.justify = true;
	snprintf(st.theme, sizeof st.theme, "light");
	assert_int_equal(settings_save(&st, fx->file, &err), 0);
	assert_null(err);
	char *got = read_all(fx->file, NULL);
	assert_string_equal(got, want);
	free(got);
	struct stat sb;
	assert_int_equal(stat(fx->file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
}

static void
test_settings_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct settings st, back;
	char *err = NULL;

	settings_defaults(&st);
	st.width = 123;
	st.margin = 7;
	st.justify = true;
	st.spacing = false;
	st.indent = 4;
	st.overlap = 2;
	settings_set_theme(&st, "dark");
	assert_int_equal(settings_save(&st, fx->file, &err), 0);
	assert_null(err);
	assert_int_equal(settings_load(&back, fx->file, &err), 0);
	assert_null(err);
	assert_memory_equal(&st, &back, sizeof st);
	/* Saving again changes nothing. */
	char *a = read_all(fx->file, NULL);
	assert_int_equal(settings_save(&back, fx->file, &err), 0);
	char *b = read_all(fx->file, NULL);
	assert_string_equal(a, b);
	assert_ptr_equal(strstr(a, "#"), a);	/* a comment on top */
	free(a);
	free(b);

	char *bad = path_in(fx, "no/dir/rc");
	assert_int_equal(settings_save(&st, bad, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "cannot write"));
	assert_non_null(strstr(err, bad));
	free(err);
	free(bad);
}

/* A later theme line wins over an earlier, longer one, and the loaded
 * settings equal what loading the saved file gives, byte for byte
 * (found by fuzz_settings: "sepia" then "dark" left "dark\0a"). */
static void
test_settings_theme_overwritten(void **state)
{
	struct fixture *fx = *state;
	struct settings st, back;
	char *err = NULL;

	write_str(fx->file, "theme = sepia\ntheme = bogus\ntheme = dark\n");
	assert_int_equal(settings_load(&st, fx->file, &err), -1);
	free(err);
	assert_string_equal(st.theme, "dark");
	assert_int_equal(settings_save(&st, fx->file, NULL), 0);
	assert_int_equal(settings_load(&back, fx->file, NULL), 0);
	assert_memory_equal(&st, &back, sizeof st);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_missing_file),
		T(test_round_trip),
		T(test_marks),
		T(test_merge_two_writers),
		T(test_record_deleted_on_disk),
		T(test_kept_lines),
		T(test_newer_version),
		T(test_fingerprint_after_move),
		T(test_path_after_change),
		T(test_escaping),
		T(test_empty_file),
		T(test_huge_file),
		T(test_garbage_file),
		T(test_damage),
		T(test_symlink),
		T(test_unwritable),
		T(test_default_path),
		T(test_settings_defaults),
		T(test_settings_parse),
		T(test_settings_bad_values),
		T(test_settings_save_keeps),
		T(test_settings_round_trip),
		T(test_settings_theme_overwritten),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
