/* The reader without a terminal: pages across chapters, the ends, the
 * back stack, search with folding and wrapping, relayout. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "book.h"
#include "reader.h"

static char dir[] = "/tmp/folio-reader-XXXXXX";

static void
put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A book of three chapters, the second long enough for several pages. */
static int
setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	put("1.txt", "One\n\nThe first chapter is short. It says \xC3\x9C" "BER once. A needle.\n");
	char *two = malloc(20000);
	strcpy(two, "Two\n\n");
	for (int i = 0; i < 60; i++) {
		char p[128];
		snprintf(p, sizeof p, "Paragraph %d of the second chapter, with "
			 "words enough to wrap.\n\n", i);
		strcat(two, p);
	}
	strcat(two, "The needle is here.\n");
	put("2.txt", two);
	free(two);
	put("3.txt", "Three\n\nThe last chapter has the needle too, and \xC3\xBC" "ber.\n");
	struct book *b;
	char *err;
	assert_int_equal(book_open(&b, dir, NULL, &err), 0);
	*state = b;
	return 0;
}

static int
teardown(void **state)
{
	book_close(*state);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
start(struct reader *r, struct book *b, int width, int height)
{
	struct layout_opts lo = { .width = width, .spacing = true };
	reader_init(r, b, &lo, height, 0);
	assert_int_equal(reader_goto(r, 0, 0, false), 0);
}

/* The text of the top line. */
static const char *
top(struct reader *r)
{
	const struct layout_page *pg = reader_page(r);
	assert_non_null(pg);
	assert_true(pg->n > 0);
	return pg->lines[0].text;
}

static void
test_pages_cross_chapters(void **state)
{
	struct reader r;
	start(&r, *state, 40, 6);
	assert_string_equal(top(&r), "One");
	reader_command(&r, CMD_PAGE_DOWN);	/* chapter 1 fits one page */
	assert_int_equal(r.chapter, 1);
	assert_string_equal(top(&r), "Two");
	/* Space through chapter 2 and back with b: the same pages. */
	size_t pages[200];
	int n = 0;
	while (!reader_page(&r)->end && n < 200) {
		pages[n++] = r.pos;
		reader_command(&r, CMD_PAGE_DOWN);
	}
	assert_true(n > 5);
	for (int i = n - 1; i >= 0; i--) {
		reader_command(&r, CMD_PAGE_UP);
		assert_int_equal(r.chapter, 1);
		assert_int_equal(r.pos, pages[i]);
	}
	/* From chapter 3's start, b shows chapter 2's last page: its last
	 * line at the bottom. */
	reader_goto(&r, 2, 0, false);
	reader_command(&r, CMD_PAGE_UP);
	assert_int_equal(r.chapter, 1);
	const struct layout_page *pg = reader_page(&r);
	assert_true(pg->end);
	assert_int_equal(pg->n, 6);
	assert_string_equal(pg->lines[pg->n - 1].text, "The needle is here.");
	/* and from chapter 2's first page, b goes to chapter 1 */
	reader_goto(&r, 1, 0, false);
	reader_command(&r, CMD_PAGE_UP);
	assert_int_equal(r.chapter, 0);
	reader_free(&r);
}

/* Two readers must show the same page. */
static void
same_page(struct reader *a, struct reader *b)
{
	const struct layout_page *pa = reader_page(a), *pb = reader_page(b);
	assert_non_null(pa);
	assert_non_null(pb);
	assert_int_equal(a->chapter, b->chapter);
	assert_int_equal(a->pos, b->pos);
	assert_int_equal(pa->n, pb->n);
	assert_int_equal(pa->next, pb->next);
	assert_int_equal(pa->end, pb->end);
	for (int i = 0; i < pa->n; i++) {
		assert_int_equal(pa->lines[i].pos, pb->lines[i].pos);
		assert_string_equal(pa->lines[i].text, pb->lines[i].text);
	}
}

/* A page prepared between keys is the page the key shows: Space through
 * the book, across chapters, with and without overlap, and after the
 * width changes under a prepared page. */
static void
test_prepare(void **state)
{
	for (int overlap = 0; overlap <= 2; overlap += 2) {
		struct reader plain, ready;
		struct layout_opts lo = { .width = 40, .spacing = true };
		reader_init(&plain, *state, &lo, 6, overlap);
		reader_init(&ready, *state, &lo, 6, overlap);
		assert_int_equal(reader_goto(&plain, 0, 0, false), 0);
		assert_int_equal(reader_goto(&ready, 0, 0, false), 0);
		int pages = 0, taken = 0;
		for (;;) {
			same_page(&plain, &ready);
			reader_prepare(&ready);
			bool last = reader_page(&plain)->end &&
				    plain.chapter + 1 == book_nchapters(*state);
			assert_true(ready.have_ahead == !last);
			if (last)
				break;
			const struct layout_line *prepared = ready.ahead.lines;
			/* what the screen composes ahead is what it
			 * shows after the key: the page, the chapter and
			 * the progress figures of the status bar */
			struct reader_view av, v, pv;
			assert_true(reader_ahead_view(&ready, &av));
			reader_command(&plain, CMD_PAGE_DOWN);
			reader_command(&ready, CMD_PAGE_DOWN);
			taken += reader_page(&ready)->lines == prepared;
			reader_view(&ready, &v);
			reader_view(&plain, &pv);
			assert_true(v.id == av.id && v.page == reader_page(&ready));
			assert_int_equal(v.chapter, av.chapter);
			assert_true(v.progress == av.progress && v.progress == pv.progress);
			assert_true(v.chapter_progress == av.chapter_progress &&
				    v.chapter_progress == pv.chapter_progress);
			pages++;
			if (pages == 5) {
				/* a narrower column: the prepared page is
				 * for the old width and must not be shown,
				 * even by a jump to its place */
				reader_prepare(&ready);
				assert_true(reader_ahead_view(&ready, &av));
				size_t ch = ready.ahead_chapter;
				size_t at = ready.ahead_pos;
				lo.width = 30;
				reader_set_view(&plain, &lo, 6, overlap);
				reader_set_view(&ready, &lo, 6, overlap);
				reader_goto(&plain, ch, at, false);
				reader_goto(&ready, ch, at, false);
				reader_view(&ready, &v);
				assert_true(v.id != av.id);
			}
		}
		assert_true(pages > 10);
		assert_int_equal(taken, pages);
		reader_free(&plain);
		reader_free(&ready);
	}
}

/* A big next chapter is not read ahead: it would keep the keys waiting. */
static void
test_prepare_big(void **state)
{
	char big[] = "/tmp/folio-reader-big-XXXXXX";
	assert_non_null(mkdtemp(big));
	char path[300];
	snprintf(path, sizeof path, "%s/1.txt", big);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("One\n\nShort.\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/2.txt", big);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Two\n\n", f);
	for (int i = 0; i < 30000; i++)
		fputs("A line of the big second chapter, forty.\n", f);
	fclose(f);
	struct book *b;
	char *err;
	assert_int_equal(book_open(&b, big, NULL, &err), 0);
	assert_true(book_need(b, 1) == 0 && book_chapter_size(b, 1) > (1u << 20));
	struct reader r;
	start(&r, b, 40, 6);
	assert_true(reader_page(&r)->end);
	reader_prepare(&r);
	assert_false(r.have_ahead);
	reader_command(&r, CMD_PAGE_DOWN);	/* it is still read on arrival */
	assert_int_equal(r.chapter, 1);
	assert_string_equal(top(&r), "Two");
	reader_free(&r);
	book_close(b);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", big);
	assert_int_equal(system(cmd), 0);
}

static void
test_ends(void **state)
{
	struct reader r;
	start(&r, *state, 40, 6);
	reader_command(&r, CMD_PREV_CHAPTER);
	assert_string_equal(r.msg, "this is the first chapter");
	assert_int_equal(r.chapter, 0);
	reader_command(&r, CMD_PAGE_UP);
	assert_string_equal(r.msg, "the start of the book");
	reader_goto(&r, 2, 0, false);
	reader_command(&r, CMD_NEXT_CHAPTER);
	assert_string_equal(r.msg, "this is the last chapter");
	reader_command(&r, CMD_PAGE_DOWN);
	assert_string_equal(r.msg, "the end of the book");
	assert_int_equal(r.chapter, 2);
	reader_free(&r);
}

static void
test_back_stack(void **state)
{
	struct reader r;
	start(&r, *state, 40, 6);
	reader_command(&r, CMD_BACK);
	assert_string_equal(r.msg, "nothing to go back to");
	reader_command(&r, CMD_NEXT_CHAPTER);
	reader_command(&r, CMD_PAGE_DOWN);
	reader_command(&r, CMD_PAGE_DOWN);
	size_t here = r.pos;
	reader_command(&r, CMD_CHAPTER_END);
	assert_true(r.pos > here);
	reader_command(&r, CMD_BACK);		/* undo G */
	assert_int_equal(r.chapter, 1);
	assert_int_equal(r.pos, here);
	reader_command(&r, CMD_BACK);		/* undo the chapter jump */
	assert_int_equal(r.chapter, 0);
	assert_int_equal(r.pos, 0);
	reader_free(&r);
}

static void
test_search(void **state)
{
	struct reader r;
	start(&r, *state, 40, 6);
	/* Lower case folds: "über" finds "ÜBER" in chapter 1. */
	assert_int_equal(reader_search(&r, "\xC3\xBC" "ber", false), 1);
	assert_int_equal(r.chapter, 0);
	/* n: the next one is in chapter 3. */
	reader_command(&r, CMD_SEARCH_NEXT);
	assert_int_equal(r.chapter, 2);
	/* n again wraps around to chapter 1, and says so. */
	reader_command(&r, CMD_SEARCH_NEXT);
	assert_int_equal(r.chapter, 0);
	assert_string_equal(r.msg, "search wrapped around to the start");
	/* Capitals make it exact: "ÜBER" is only in chapter 1. */
	reader_goto(&r, 1, 0, false);
	assert_int_equal(reader_search(&r, "\xC3\x9C" "BER", false), 1);
	assert_int_equal(r.chapter, 0);
	/* Backward from chapter 3 finds chapter 2's needle first. */
	reader_goto(&r, 2, 0, false);
	assert_int_equal(reader_search(&r, "needle", true), 1);
	assert_int_equal(r.chapter, 1);
	const char *t = top(&r);
	assert_non_null(strstr(t, "needle"));
	/* The match is found in the visible range. */
	struct reader_match m[4];
	const struct layout_page *pg = reader_page(&r);
	size_t nm = reader_matches(&r, r.chapter, pg->lines[0].pos,
				   pg->lines[pg->n - 1].end, m, 4);
	assert_int_equal(nm, 1);
	/* n keeps going backward; N goes forward once, and n after it
	 * still goes backward. */
	reader_command(&r, CMD_SEARCH_NEXT);
	assert_int_equal(r.chapter, 0);
	reader_command(&r, CMD_SEARCH_PREV);
	assert_int_equal(r.chapter, 1);
	reader_command(&r, CMD_SEARCH_NEXT);
	assert_int_equal(r.chapter, 0);
	/* Not found: a message, no move. */
	size_t ch = r.chapter, pos = r.pos;
	assert_int_equal(reader_search(&r, "zebra", false), 0);
	assert_string_equal(r.msg, "not found: zebra");
	assert_int_equal(r.chapter, ch);
	assert_int_equal(r.pos, pos);
	reader_free(&r);
}

static void
test_relayout_keeps_words(void **state)
{
	struct reader r;
	start(&r, *state, 40, 6);
	reader_command(&r, CMD_NEXT_CHAPTER);
	for (int i = 0; i < 4; i++)
		reader_command(&r, CMD_PAGE_DOWN);
	reader_command(&r, CMD_LINE_DOWN);
	char word[64];
	snprintf(word, sizeof word, "%s", top(&r));
	size_t anchor = r.anchor;
	int widths[] = { 20, 73, 31, 40 };
	for (int i = 0; i < 4; i++) {
		struct layout_opts lo = { .width = widths[i], .spacing = true };
		reader_set_view(&r, &lo, 5 + i, 0);
		const struct layout_page *pg = reader_page(&r);
		/* the anchor's byte is on the top line */
		assert_true(pg->lines[0].pos <= anchor);
		assert_true(pg->n < 2 || pg->lines[1].pos > anchor);
	}
	/* back at the first width, the same top line */
	assert_string_equal(top(&r), word);
	reader_free(&r);
}

/* A new height at the same width keeps the lines: the page is cut or
 * lengthened, and is the page a fresh reader lays out at that place and
 * height, through a whole book (chapter ends included); the next page
 * and the page after a resize are right too. */
static void
test_heights(void **state)
{
	static const int heights[] = { 6, 3, 9, 1, 14, 6, 60, 2 };
	struct reader r;
	start(&r, *state, 40, 6);
	int turns = 0;
	for (size_t i = 0;; i = (i + 1) % 8) {
		struct layout_opts lo = { .width = 40, .spacing = true };
		unsigned long id = r.page_id;
		int was = r.height;
		reader_set_view(&r, &lo, heights[i], 0);
		struct reader fresh;
		reader_init(&fresh, *state, &lo, heights[i], 0);
		assert_int_equal(reader_goto(&fresh, r.chapter, r.pos, false), 0);
		same_page(&r, &fresh);
		assert_true(r.page_id != id || heights[i] == was);
		reader_prepare(&r);
		reader_command(&r, CMD_PAGE_DOWN);
		reader_command(&fresh, CMD_PAGE_DOWN);
		same_page(&r, &fresh);
		reader_free(&fresh);
		turns++;
		if (reader_page(&r)->end && r.chapter + 1 == book_nchapters(*state))
			break;
	}
	assert_true(turns > 10);
	reader_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_cross_chapters),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_prepare_big),
		cmocka_unit_test(test_ends),
		cmocka_unit_test(test_back_stack),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_relayout_keeps_words),
		cmocka_unit_test(test_heights),
	};
	return cmocka_run_group_tests_name("reader", tests, setup, teardown);
}
