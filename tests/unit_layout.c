/* unit_layout: widths, breaking, paragraphs, and paging by position.
 *
 * The central check, check_chapter(), lays a chapter out whole (one
 * page as tall as it needs) and then pages through it forward and back
 * at several heights: the pages must tile that whole-chapter line
 * sequence exactly, and every line must fit the width, keep every
 * visible character of the source, and map back to it. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unigbrk.h>
#include <unistr.h>

#include "layout.h"
#include "text.h"

/* ---- helpers ---- */

/* Clean a UTF-8 literal the way a book does.  Caller frees. */
static char *
clean(const char *s, size_t *len)
{
	struct text_buf b = { 0 };
	assert_int_equal(text_to_clean("UTF-8", s, strlen(s), &b), 0);
	assert_int_equal(text_buf_add(&b, "", 0), 0);
	*len = b.len;
	return b.s;
}

static struct layout_opts
opts(int width)
{
	struct layout_opts o = { .width = width, .spacing = true };
	return o;
}

/* The whole chapter as one page. */
static void
whole(const struct layout_opts *o, const char *t, size_t len,
      struct layout_page *pg)
{
	assert_int_equal(layout_page(o, t, len, 0, INT_MAX, pg), 0);
	assert_true(pg->end);
	assert_int_equal(pg->next, len);
}

/* Append the visible characters of s (not spaces, newlines, U+3000). */
static void
visible(struct text_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\n')
			continue;
		if (i + 3 <= n && memcmp(s + i, "\xE3\x80\x80", 3) == 0) {
			i += 2;
			continue;
		}
		text_buf_addc(b, s[i]);
	}
}

/* Is off a grapheme cluster boundary of t[0, len)?  (Looks at a window
 * around off: clusters are short.) */
static bool
cluster_boundary(const char *t, size_t len, size_t off)
{
	if (off == 0 || off >= len)
		return true;
	size_t s = off > 64 ? off - 64 : 0;
	while (s > 0 && ((unsigned char)t[s] & 0xC0) == 0x80)
		s--;
	size_t e = off + 64 < len ? off + 64 : len;
	char p[160];
	u8_grapheme_breaks((const uint8_t *)t + s, e - s, p);
	return p[off - s];
}

/* Every line fits, is clean, maps back, and positions increase. */
static void
check_lines(const struct layout_opts *o, const char *t, size_t len,
	    const struct layout_page *pg)
{
	for (int k = 0; k < pg->n; k++) {
		const struct layout_line *l = &pg->lines[k];
		if (k > 0 && l->pos <= pg->lines[k - 1].pos)
			fail_msg("line %d: pos %zu after %zu", k, l->pos,
				 pg->lines[k - 1].pos);
		assert_true(l->pos <= len);
		assert_int_equal(strlen(l->text), l->len);
		assert_null(u8_check((const uint8_t *)l->text, l->len));
		for (size_t i = 0; i < l->len; i++) {
			unsigned char c = l->text[i];
			assert_false(c < 0x20 || c == 0x7F);
			assert_false(c == 0xC2 && i + 1 < l->len &&
				     (unsigned char)l->text[i + 1] < 0xA0);
		}
		int w = (int)text_width(l->text, l->len);
		assert_int_equal(l->cols, w);
		if (w > o->width)
			fail_msg("line %d is %d columns at width %d: \"%s\"", k, w,
				 o->width, l->text);
		if (l->spacer) {
			assert_int_equal(l->len, 0);
			continue;
		}
		/* The source map: each shown byte is that source byte, or a
		 * space standing for a joined newline; inserted spaces are
		 * (size_t)-1. */
		for (size_t i = 0; i < l->len; i++) {
			size_t s = l->src[i];
			if (s == SIZE_MAX) {
				assert_int_equal(l->text[i], ' ');
				continue;
			}
			assert_true(s >= l->pos && s < len);
			if (t[s] != l->text[i] && !(l->text[i] == ' ' && t[s] == '\n'))
				fail_msg("line %d byte %zu: '%c' maps to '%c' at %zu",
					 k, i, l->text[i], t[s], s);
		}
		assert_true(l->end >= l->pos && l->end <= len);
		/* A line starts on a cluster boundary of the source. */
		if (l->len > 0 && l->src[0] != SIZE_MAX)
			assert_true(cluster_boundary(t, len, l->src[0]));
	}
}

static bool
same_line(const struct layout_line *a, const struct layout_line *b)
{
	return a->pos == b->pos && a->len == b->len &&
	       memcmp(a->text, b->text, a->len) == 0 && a->spacer == b->spacer &&
	       a->cols == b->cols;
}

/* The page at pos, laid out at height h and then cut or lengthened to
 * other heights, is the page laid out at those heights. */
static void
check_page_resize(const struct layout_opts *o, const char *t, size_t len,
		  size_t pos, int h)
{
	static const int to[] = { 1, 2, 5, 11, 40 };
	for (size_t i = 0; i < sizeof to / sizeof *to; i++) {
		struct layout_page pg, want;
		assert_int_equal(layout_page(o, t, len, pos, h, &pg), 0);
		assert_int_equal(layout_page_resize(o, t, len, &pg, to[i]), 0);
		assert_int_equal(layout_page(o, t, len, pos, to[i], &want), 0);
		if (pg.n != want.n || pg.next != want.next || pg.end != want.end)
			fail_msg("width %d: the page at %zu, %d lines made %d: %d lines,"
				 " next %zu, end %d; want %d, %zu, %d", o->width, pos,
				 h, to[i], pg.n, pg.next, pg.end, want.n, want.next,
				 want.end);
		for (int k = 0; k < pg.n; k++)
			assert_true(same_line(&pg.lines[k], &want.lines[k]));
		layout_page_free(&pg);
		layout_page_free(&want);
	}
}

/* Page forward at height h, comparing with the whole sequence, then
 * back from every page start.  step: check every step-th back step. */
static void
check_paging(const struct layout_opts *o, const char *t, size_t len,
	     const struct layout_page *all, int h, int step)
{
	size_t pos = 0, *starts = malloc(((size_t)all->n / h + 2) * sizeof *starts);
	int at = 0, npages = 0;
	assert_non_null(starts);
	for (;;) {
		struct layout_page pg;
		assert_int_equal(layout_page(o, t, len, pos, h, &pg), 0);
		assert_true(pg.n >= 1 || all->n == 0);
		if (pg.n == 0) {
			layout_page_free(&pg);
			break;
		}
		if (at + pg.n > all->n)
			fail_msg("width %d height %d: page %d runs past the end",
				 o->width, h, npages);
		for (int k = 0; k < pg.n; k++)
			if (!same_line(&pg.lines[k], &all->lines[at + k]))
				fail_msg("width %d height %d: page %d line %d is \"%s\" at %zu,"
					 " want \"%s\" at %zu", o->width, h, npages, k,
					 pg.lines[k].text, pg.lines[k].pos,
					 all->lines[at + k].text, all->lines[at + k].pos);
		assert_int_equal(pg.lines[0].pos, all->lines[at].pos);
		if (npages < 3 || npages % 10 == 0)
			check_page_resize(o, t, len, pos, h);
		starts[npages++] = pg.lines[0].pos;
		at += pg.n;
		if (!pg.end) {
			assert_int_equal(pg.n, h);
			assert_true(at < all->n);
			assert_int_equal(pg.next, all->lines[at].pos);
			assert_int_equal(layout_down(o, t, len, pos, h), pg.next);
		}
		bool end = pg.end;
		size_t next = pg.next;
		layout_page_free(&pg);
		if (end)
			break;
		assert_true(next > pos);
		pos = next;
	}
	if (at != all->n)
		fail_msg("width %d height %d: pages hold %d lines of %d", o->width,
			 h, at, all->n);

	/* Back: each page's start is h lines above the next one's. */
	for (int p = npages - 1; p > 0; p--) {
		if (p % step != 0 && p != npages - 1)
			continue;
		size_t up = layout_up(o, t, len, starts[p], h);
		if (up != starts[p - 1])
			fail_msg("width %d height %d: up from page %d (%zu) gives %zu,"
				 " want %zu", o->width, h, p, starts[p], up, starts[p - 1]);
	}
	assert_int_equal(layout_up(o, t, len, starts[0], h), starts[0]);

	/* The last page ends with the last line. */
	size_t lp = layout_last_page(o, t, len, h);
	struct layout_page pg;
	assert_int_equal(layout_page(o, t, len, lp, h, &pg), 0);
	assert_true(pg.end);
	assert_int_equal(pg.n, all->n < h ? all->n : h);
	assert_true(same_line(&pg.lines[pg.n - 1], &all->lines[all->n - 1]));
	layout_page_free(&pg);
	free(starts);
}

/* Snapping: any byte snaps to the line holding it; idempotent. */
static void
check_snap(const struct layout_opts *o, const char *t, size_t len,
	   const struct layout_page *all, size_t step)
{
	int k = 0;
	for (size_t p = 0; p < len; p += step) {
		while (k + 1 < all->n && all->lines[k + 1].pos <= p)
			k++;
		size_t s = layout_snap(o, t, len, p);
		if (s != all->lines[k].pos)
			fail_msg("width %d: snap(%zu) = %zu, want %zu", o->width, p, s,
				 all->lines[k].pos);
		assert_int_equal(layout_snap(o, t, len, s), s);
	}
}

/* The full battery on one chapter. */
static void
check_chapter(const struct layout_opts *o, const char *t, size_t len,
	      const int *heights, size_t nh, int step, size_t snaps)
{
	struct layout_page all;
	whole(o, t, len, &all);
	check_lines(o, t, len, &all);

	/* Nothing visible lost or repeated. */
	struct text_buf a = { 0 }, b = { 0 };
	text_buf_add(&a, "", 0);
	text_buf_add(&b, "", 0);
	visible(&a, t, len);
	for (int k = 0; k < all.n; k++)
		visible(&b, all.lines[k].text, all.lines[k].len);
	if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
		fail_msg("width %d: the lines' text differs from the source's", o->width);
	text_buf_free(&a);
	text_buf_free(&b);

	for (size_t i = 0; i < nh; i++)
		check_paging(o, t, len, &all, heights[i], step);
	if (snaps > 0)
		check_snap(o, t, len, &all, len / snaps + 1);
	layout_page_free(&all);
}

/* ---- sample chapters (written for these tests) ---- */

static const char english[] =
	"Chapter 3: The Harbour at Dawn\n"
	"\n"
	"The boats came in before the light, one after another, low in the\n"
	"water with the night's catch. Mara stood on the sea wall and counted\n"
	"them the way her father had taught her, by their lamps and not by\n"
	"their shapes, because shapes lie in the dark and lamps do not.\n"
	"\n"
	"\"Seven,\" she said to nobody. \"Seven, and the Heron is late again.\"\n"
	"\n"
	"She waited. The gulls had already found the fish market and were\n"
	"arguing over it. A cart went past behind her, its wheels loud on the\n"
	"cobbles; the carter raised a hand and she raised one back.\n"
	"    When the eighth lamp rounded the point she let out the breath she\n"
	"had been holding, and only then noticed how cold her hands were.\n"
	"\n"
	"What the harbour master wrote in his book that morning was short:\n"
	"\n"
	"  Eight boats out.\n"
	"  Eight boats in.\n"
	"  Wind north-east, rising.\n"
	"\n"
	"It was the kind of entry nobody reads twice, which is exactly the kind that a harbour hopes for, because the other kind is read aloud in church on Sunday and remembered for a generation by people who were not even born when it was written.\n"
	"Below it, in a different hand, someone had added a line that did not belong in a harbour book at all, a line about the colour of the sky over the breakwater, and nobody ever owned up to it.\n"
	"\n"
	"Antidisestablishmentarianism-adjacent well-known self-evident truths were rarely discussed at the harbour.\n";

static const char chinese[] =
	"第二章 河边的早晨\n"
	"\n"
	"　　天刚亮，河面上起了一层薄雾。老周把船推下水，桨在水里一划，雾就散开了一点，又慢慢合上。他不着急，这条河他走了三十年，闭着眼睛也知道哪里有石头，哪里水深。\n"
	"　　岸上有人喊他：“老周，今天去不去镇上？”他回头看了一眼，是隔壁的小林，手里提着两筐青菜。\n"
	"　　“去。”他说，“上来吧，顺路。”\n"
	"\n"
	"　　小林跳上船，船晃了晃。两个人都没再说话，只听见桨声和远处的鸡叫。太阳出来的时候，雾全散了，河两边的稻田绿得发亮。\n";

static const char mixed[] =
	"第三章 Linux 与 folio\n"
	"\n"
	"在 2024 年的春天，我们用 C 语言写了一个终端阅读器，名字叫 folio。它支持 UTF-8、GB18030 和 UTF-16 三种编码，还能在 80 列的窗口里把中文和 English words 排得整整齐齐。\n"
	"\n"
	"测试的时候，我们发现 “hello，world” 这样的句子最容易出问题：标点不能出现在行首，英文单词不能被拆开，除非它比整行还要长，比如 Pneumonoultramicroscopicsilicovolcanoconiosis 这样的词。\n";

static const char marks[] =
	"Ti\xCC\x81tulo con acentos\n"
	"\n"
	"Tie\xCC\x82\xCC\x81ng Vie\xCC\xA3\xCC\x82t co\xCC\x81 da\xCC\x82\xCC\x81u: "
	"nhu\xCC\x9B\xCC\x83ng chu\xCC\x9B\xCC\x83 ca\xCC\x81i na\xCC\x80y "
	"ca\xCC\x82\xCC\x80n pha\xCC\x89i giu\xCC\x9B\xCC\x83 nguye\xCC\x82n "
	"ve\xCC\xA3n khi xuo\xCC\x82\xCC\x81ng do\xCC\x80ng. "
	"Z\xCD\x91\xCD\x8C\xCD\x82" "a\xCC\x81\xCC\x80\xCC\x82l\xCC\xB3\xCC\xB0g\xCC\x88o\xCC\x8A "
	"te\xCC\x81xt a\xCC\x80nd co\xCC\x88mbi\xCC\x83ni\xCC\x81ng ma\xCC\x84rks "
	"e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81"
	"e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81"
	"e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" " end.\n";

#define FAMILY "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"
#define FLAGS "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA"
#define THUMB "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"
#define RAINBOW "\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88"

static const char emoji[] =
	"Emoji \xF0\x9F\x98\x80 chapter\n"
	"\n"
	"The " FAMILY " went to see the " FLAGS " match, " THUMB THUMB THUMB
	" all round, and a " RAINBOW " after the rain. "
	FAMILY FAMILY FAMILY FAMILY " " THUMB " ok \xF0\x9F\x98\x80\xF0\x9F\x98\x80"
	"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80 done.\n";

/* ---- widths ---- */

/* Widths from 1 to 120: no line wider than the width.  Below the width
 * of the widest cluster (2 for CJK, 6 for the ZWJ family by
 * libunistring's count) a cluster alone on a line may not fit; those
 * widths are checked separately. */
static void
widths_for(const char *src, int from)
{
	size_t len;
	char *t = clean(src, &len);
	static const int h[] = { 5 };
	for (int w = from; w <= 120; w++) {
		struct layout_opts o = opts(w);
		/* paging at every seventh width: see test_paging_samples */
		bool page = w % 7 == 3;
		check_chapter(&o, t, len, h, page, 1, page ? 50 : 0);
	}
	free(t);
}

static void
test_widths_english(void **state)
{
	widths_for(english, 1);
}

static void
test_widths_chinese(void **state)
{
	widths_for(chinese, 2);
}

static void
test_widths_mixed(void **state)
{
	widths_for(mixed, 2);
}

static void
test_widths_marks(void **state)
{
	widths_for(marks, 1);
}

static void
test_widths_emoji(void **state)
{
	widths_for(emoji, 6);
}

/* A first-line indent gives way to a wide first character that would
 * not fit after it: no line is wider than the column (found by fuzzing:
 * width 2, indent 1, a paragraph starting with an ideograph). */
static void
test_indent_narrow(void **state)
{
	const char *srcs[] = { chinese, mixed };
	static const int h[] = { 3 };
	for (size_t s = 0; s < 2; s++) {
		size_t len;
		char *t = clean(srcs[s], &len);
		for (int w = 2; w <= 12; w++)
			for (int ind = 1; ind <= 3; ind++) {
				struct layout_opts o = opts(w);
				o.indent = ind;
				o.spacing = ind != 2;
				check_chapter(&o, t, len, h, false, 1, 0);
			}
		free(t);
	}
}

/* Narrow columns that are narrower than a cluster: a cluster is never
 * split; such a line holds that one cluster. */
static void
test_narrow_clusters(void **state)
{
	const char *srcs[] = { chinese, emoji, mixed };
	for (size_t s = 0; s < 3; s++) {
		size_t len;
		char *t = clean(srcs[s], &len);
		for (int w = 1; w < 6; w++) {
			struct layout_opts o = opts(w);
			struct layout_page all;
			whole(&o, t, len, &all);
			for (int k = 0; k < all.n; k++) {
				const struct layout_line *l = &all.lines[k];
				if (l->spacer || l->len == 0)
					continue;
				assert_true(cluster_boundary(t, len, l->src[0]));
				if (!cluster_boundary(t, len, l->src[l->len - 1] + 1) &&
				    l->text[l->len - 1] != ' ')
					fail_msg("text %zu width %d: line %d \"%s\" ends inside a cluster",
						 s, w, k, l->text);
				if (l->cols > w) {
					/* one cluster, alone */
					size_t n = 1;
					while (n < l->len && !cluster_boundary(l->text, l->len, n))
						n++;
					assert_int_equal(n, l->len);
				}
			}
			layout_page_free(&all);
		}
		free(t);
	}
}

/* ---- breaking ---- */

/* The lines of a one-paragraph text (no title: a blank first line). */
static char *
lines_of(const char *src, int width, bool justify)
{
	size_t len;
	struct text_buf b = { 0 };
	text_buf_add(&b, "\n", 1);
	text_buf_add(&b, src, strlen(src));
	text_buf_add(&b, "", 0);
	char *t = clean(b.s, &len);
	text_buf_free(&b);
	struct layout_opts o = opts(width);
	o.justify = justify;
	struct layout_page pg;
	whole(&o, t, len, &pg);
	check_lines(&o, t, len, &pg);
	for (int k = 0; k < pg.n; k++) {
		text_buf_add(&b, pg.lines[k].text, pg.lines[k].len);
		text_buf_addc(&b, '|');
	}
	layout_page_free(&pg);
	free(t);
	return b.s;
}

static void
lines_are(const char *src, int width, const char *want)
{
	char *got = lines_of(src, width, false);
	if (strcmp(got, want) != 0)
		fail_msg("width %d: got \"%s\", want \"%s\"", width, got, want);
	free(got);
}

static void
test_break_english(void **state)
{
	lines_are("the quick brown fox", 9, "the quick|brown fox|");
	lines_are("the quick brown fox", 10, "the quick|brown fox|");
	/* Trailing spaces hang: a word exactly the width stays put. */
	lines_are("aaaa bbbb cccc", 4, "aaaa|bbbb|cccc|");
	lines_are("aaaa   bbbb", 4, "aaaa|bbbb|");
	/* After a hyphen. */
	lines_are("a well-known fact", 8, "a well-|known|fact|");
	/* An over-long word is split to fill the lines. */
	lines_are("Supercalifragilisticexpialidocious", 10,
		  "Supercalif|ragilistic|expialidoc|ious|");
	lines_are("go Supercalifragilistic", 10, "go|Supercalif|ragilistic|");
	/* Combining marks stay with their letters. */
	lines_are("e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2,
		  "e\xCC\x81" "e\xCC\x81|e\xCC\x81" "e\xCC\x81|e\xCC\x81|");
	lines_are("x" FAMILY FAMILY, 8, "x" FAMILY "|" FAMILY "|");
	lines_are("x" FAMILY FAMILY, 6, "x|" FAMILY "|" FAMILY "|");
}

static void
test_break_cjk(void **state)
{
	/* Between ideographs, with no spaces. */
	lines_are("春天来了山上的雪", 6, "春天来|了山上|的雪|");
	/* Closing punctuation never starts a line: 。， 」 go with the
	 * character before them. */
	lines_are("我们走了。他们来了。", 8, "我们走|了。他们|来了。|");
	/* (UAX #14 allows no break on either side of “ or ”.) */
	lines_are("我说：“好，走吧。”他点头。", 10,
		  "我|说：“好，|走吧。”他|点头。|");
	size_t len;
	char *t = clean(chinese, &len);
	for (int w = 6; w <= 60; w++) {
		struct layout_opts o = opts(w);
		struct layout_page all;
		whole(&o, t, len, &all);
		for (int k = 0; k < all.n; k++) {
			const char *s = all.lines[k].text;
			static const char *const closers[] = { "。", "，", "」", "”",
							       "！", "？", "、", "；",
							       "：", "）", NULL };
			for (const char *const *c = closers; *c; c++)
				if (strncmp(s, *c, strlen(*c)) == 0)
					fail_msg("width %d: line starts with %s: %s", w, *c, s);
			/* and no line ends with an opening quote (narrower,
			 * 他：“老 is one unbreakable word wider than a line) */
			size_t l = all.lines[k].len;
			if (w >= 10 && l >= 3 && memcmp(s + l - 3, "“", 3) == 0)
				fail_msg("width %d: line ends with “: %s", w, s);
		}
		layout_page_free(&all);
	}
	free(t);
}

static void
test_layout_breaks(void **state)
{
	char p[32];
	layout_breaks("ab cd", 5, p);
	assert_memory_equal(p, "\0\0\0\1\0", 5);
	layout_breaks("中文", 6, p);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[3], 1);
	assert_int_equal(p[1] + p[2] + p[4] + p[5], 0);
	layout_breaks("好。", 6, p);
	assert_int_equal(p[3], 0);
}

/* ---- paragraphs ---- */

/* Split a laid-out text into its lines (titles and spacers included). */
static int
lay_all(const char *src, const struct layout_opts *o, char ***out)
{
	size_t len;
	char *t = clean(src, &len);
	struct layout_page pg;
	whole(o, t, len, &pg);
	check_lines(o, t, len, &pg);
	char **v = calloc((size_t)pg.n + 1, sizeof *v);
	assert_non_null(v);
	for (int k = 0; k < pg.n; k++)
		v[k] = strdup(pg.lines[k].text);
	int n = pg.n;
	assert_true(n == 0 || pg.lines[0].title);
	layout_page_free(&pg);
	free(t);
	*out = v;
	return n;
}

static void
free_lines(char **v, int n)
{
	for (int k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

static void
test_title(void **state)
{
	struct layout_opts o = opts(20);
	o.spacing = false;
	char **v;
	int n = lay_all("Chapter 1: A Rather Long Title\nFirst line.\n", &o, &v);
	/* The title is wrapped on its own and followed by a blank line. */
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "Chapter 1: A Rather");
	assert_string_equal(v[1], "Long Title");
	assert_string_equal(v[2], "");
	assert_string_equal(v[3], "First line.");
	free_lines(v, n);
}

static void
test_prose_reflow(void **state)
{
	struct layout_opts o = opts(40);
	char **v;
	int n = lay_all(english, &o, &v);
	/* The first hard-wrapped paragraph is joined and rewrapped. */
	assert_string_equal(v[0], "Chapter 3: The Harbour at Dawn");
	assert_string_equal(v[1], "");
	assert_string_equal(v[2], "The boats came in before the light, one");
	assert_string_equal(v[3], "after another, low in the water with the");
	assert_string_equal(v[4], "night's catch. Mara stood on the sea");
	/* The verse-like list keeps its lines. */
	int k = 0;
	while (k < n && strcmp(v[k], "Eight boats out.") != 0)
		k++;
	assert_true(k < n);
	assert_string_equal(v[k + 1], "Eight boats in.");
	assert_string_equal(v[k + 2], "Wind north-east, rising.");
	/* An indented line starts a paragraph. */
	k = 0;
	while (k < n && strncmp(v[k], "When the eighth lamp", 20) != 0)
		k++;
	assert_true(k < n);
	assert_string_equal(v[k - 1], "");
	free_lines(v, n);

	/* Wide enough for a source line: the same words, reflowed. */
	o.width = 400;
	n = lay_all(english, &o, &v);
	assert_string_equal(v[2], "The boats came in before the light, one after another, "
			    "low in the water with the night's catch. Mara stood on the "
			    "sea wall and counted them the way her father had taught "
			    "her, by their lamps and not by their shapes, because shapes "
			    "lie in the dark and lamps do not.");
	free_lines(v, n);
}

static void
test_verse(void **state)
{
	static const char verse[] =
		"Song\n\n"
		"The tide goes out,\n"
		"  the tide comes in,\n"
		"and every stone\n"
		"  is washed again.\n\n"
		"1. Salt\n2. Bread\n3. Rope\n";
	struct layout_opts o = opts(60);
	char **v;
	int n = lay_all(verse, &o, &v);
	assert_int_equal(n, 10);
	assert_string_equal(v[2], "The tide goes out,");
	assert_string_equal(v[3], "  the tide comes in,");
	assert_string_equal(v[4], "and every stone");
	assert_string_equal(v[5], "  is washed again.");
	assert_string_equal(v[6], "");
	assert_string_equal(v[7], "1. Salt");
	assert_string_equal(v[8], "2. Bread");
	assert_string_equal(v[9], "3. Rope");
	free_lines(v, n);

	/* Verse whose lines happen to look full (each line and the next
	 * word would pass the longest): its lines end phrases, prose
	 * lines end wherever a word did not fit. */
	static const char even[] =
		"Morning\n\n"
		"The kettle sings before the sun,\n"
		"the window holds a pale grey square;\n"
		"I count the chores that must be done\n"
		"and leave the rest of them to air.\n";
	n = lay_all(even, &o, &v);
	assert_int_equal(n, 6);
	assert_string_equal(v[2], "The kettle sings before the sun,");
	assert_string_equal(v[5], "and leave the rest of them to air.");
	free_lines(v, n);

	/* Narrower than a verse line: it wraps, but never joins. */
	o.width = 12;
	n = lay_all(verse, &o, &v);
	for (int k = 0; k < n; k++)
		assert_true(strstr(v[k], "out, the") == NULL);
	free_lines(v, n);
}

static void
test_long_lines(void **state)
{
	/* Lines of over 100 columns are paragraphs of their own. */
	struct layout_opts o = opts(80);
	char **v;
	int n = lay_all(english, &o, &v);
	int k = 0;
	while (k < n && strncmp(v[k], "It was the kind of entry", 24) != 0)
		k++;
	assert_true(k + 3 < n);
	int j = k + 1;
	while (j < n && v[j][0] != '\0')
		j++;
	assert_true(j < n);
	assert_true(strncmp(v[j + 1], "Below it, in a different hand", 29) == 0);
	free_lines(v, n);

	/* The same with no spacing: the second starts its own line. */
	o.spacing = false;
	n = lay_all(english, &o, &v);
	k = 0;
	while (k < n && strncmp(v[k], "Below it, in a different hand", 29) != 0)
		k++;
	assert_true(k < n);
	assert_true(strstr(v[k - 1], "written.") != NULL);
	free_lines(v, n);
}

static void
test_indent_spacing(void **state)
{
	struct layout_opts o = opts(50);
	o.indent = 2;
	o.spacing = false;
	char **v;
	int n = lay_all(english, &o, &v);
	/* No blank line but the one after the title. */
	int blanks = 0;
	for (int k = 0; k < n; k++)
		blanks += v[k][0] == '\0';
	assert_int_equal(blanks, 1);
	assert_string_equal(v[1], "");
	/* The title is not indented; prose paragraphs are. */
	assert_string_equal(v[0], "Chapter 3: The Harbour at Dawn");
	assert_true(strncmp(v[2], "  The boats came", 16) == 0);
	assert_true(v[3][0] != ' ');
	int k = 0;
	while (k < n && strstr(v[k], "\"Seven,\"") == NULL)
		k++;
	assert_true(k < n);
	assert_true(strncmp(v[k], "  \"Seven,\"", 10) == 0);
	free_lines(v, n);

	/* Spacing: blank lines between paragraphs. */
	o.spacing = true;
	o.indent = 0;
	n = lay_all(english, &o, &v);
	int b2 = 0;
	for (int k2 = 0; k2 < n; k2++)
		b2 += v[k2][0] == '\0';
	assert_true(b2 >= 7);
	free_lines(v, n);
}

static void
test_justify(void **state)
{
	size_t len;
	char *t = clean(english, &len);
	for (int w = 20; w <= 90; w += 7) {
		struct layout_opts o = opts(w), oj = opts(w);
		oj.justify = true;
		struct layout_page plain, just;
		whole(&o, t, len, &plain);
		whole(&oj, t, len, &just);
		check_lines(&oj, t, len, &just);
		/* The same lines, only wider. */
		assert_int_equal(plain.n, just.n);
		for (int k = 0; k < just.n; k++) {
			const struct layout_line *p = &plain.lines[k], *j = &just.lines[k];
			assert_int_equal(p->pos, j->pos);
			struct text_buf a = { 0 }, b = { 0 };
			text_buf_add(&a, "", 0);
			text_buf_add(&b, "", 0);
			visible(&a, p->text, p->len);
			visible(&b, j->text, j->len);
			assert_string_equal(a.s, b.s);
			text_buf_free(&a);
			text_buf_free(&b);
		}
		/* Full lines are exactly the width; a paragraph's last line,
		 * the title, and the verse lines are left as they were. */
		for (int k = 0; k + 1 < just.n; k++) {
			const struct layout_line *j = &just.lines[k], *p = &plain.lines[k];
			bool para_last = just.lines[k + 1].spacer;
			if (j->spacer || j->title || para_last)
				continue;
			if (strstr(p->text, "Eight boats") || strstr(p->text, "Wind north"))
				continue;
			if (memchr(p->text, ' ', p->len) == NULL)
				continue;
			if (j->cols != w)
				fail_msg("width %d: justified line %d is %d wide: \"%s\"", w,
					 k, j->cols, j->text);
		}
		for (int k = 0; k < just.n; k++)
			if (k + 1 == just.n || just.lines[k + 1].spacer)
				assert_string_equal(just.lines[k].text, plain.lines[k].text);
		layout_page_free(&plain);
		layout_page_free(&just);
	}
	free(t);
}

static void
test_hostile(void **state)
{
	static const char bad[] =
		"Title \x1B]0;pwned\a here\n\n"
		"Clear \x1B[2J screen, \x1B[31mred\x1B[0m, bell \a, C1 \xC2\x9B" "31m, "
		"raw \x9B" "1m, DEL \x7F, tab\tstop, NUL-free \x01\x02, backspace \b.\n";
	size_t len;
	char *t = clean(bad, &len);
	for (int w = 1; w <= 60; w++) {
		struct layout_opts o = opts(w);
		o.justify = w % 2;
		struct layout_page all;
		whole(&o, t, len, &all);
		check_lines(&o, t, len, &all);
		for (int k = 0; k < all.n; k++)
			assert_null(memchr(all.lines[k].text, 0x1B, all.lines[k].len));
		layout_page_free(&all);
	}
	free(t);
}

/* ---- paging ---- */

static const int heights[] = { 1, 2, 3, 7, 24 };

static void
test_paging_samples(void **state)
{
	const char *srcs[] = { english, chinese, mixed, marks, emoji };
	static const int widths[] = { 7, 13, 33, 80 };
	for (size_t s = 0; s < sizeof srcs / sizeof *srcs; s++) {
		size_t len;
		char *t = clean(srcs[s], &len);
		for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
			struct layout_opts o = opts(widths[w]);
			check_chapter(&o, t, len, heights, 5, 1, 100);
			o.spacing = false;
			o.indent = 2;
			o.justify = true;
			check_chapter(&o, t, len, heights, 5, 1, 100);
		}
		free(t);
	}
}

/* A long chapter of varied paragraphs, crossing many LAYOUT_PIECE
 * boundaries, some paragraphs longer than a piece. */
static char *
long_chapter(size_t target, size_t *len)
{
	struct text_buf b = { 0 };
	uint32_t x = 99;
	static const char *const words[] = {
		"the", "harbour", "light", "boats", "water", "stone", "Mara",
		"north-east", "春天", "河边的", "老人。", "e\xCC\x81t\xC3\xA9",
		"wind,", "and", "of", "\xF0\x9F\x98\x80", "Antidisestablishmentarianism",
	};
	text_buf_add(&b, "Chapter 9: Long\n\n", 17);
	while (b.len < target) {
		x = x * 1103515245 + 12345;
		int kind = (int)((x >> 16) % 8);
		int n = (int)((x >> 4) % 120) + 1;
		if (kind == 7)
			n = 5000;	/* a paragraph longer than a piece */
		int col = 0;
		if (kind == 3)
			text_buf_add(&b, "    ", 4);
		if (kind == 4)
			text_buf_add(&b, "\xE3\x80\x80\xE3\x80\x80", 6);
		for (int i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			const char *w = words[(x >> 16) % (sizeof words / sizeof *words)];
			text_buf_add(&b, w, strlen(w));
			col += (int)strlen(w) + 1;
			/* hard-wrapped prose, verse, or one long line */
			if ((kind <= 2 && col > 60) || (kind == 5 && col > 20)) {
				text_buf_addc(&b, '\n');
				col = 0;
			} else if (i + 1 < n) {
				text_buf_addc(&b, ' ');
			}
		}
		text_buf_add(&b, kind == 6 ? "\n" : "\n\n", kind == 6 ? 1 : 2);
	}
	char *t = clean(b.s, len);
	text_buf_free(&b);
	return t;
}

static void
test_paging_long(void **state)
{
	size_t len;
	char *t = long_chapter(120000, &len);
	static const int h[] = { 24, 61 };
	static const int widths[] = { 17, 50, 79 };
	for (size_t w = 0; w < 3; w++) {
		struct layout_opts o = opts(widths[w]);
		o.justify = w == 1;
		check_chapter(&o, t, len, h, 2, 3, 100);
	}
	free(t);
}

/* A 1 MB paragraph with no newline pages like a small one. */
static void
test_paging_huge_line(void **state)
{
	struct text_buf b = { 0 };
	uint32_t x = 5;
	text_buf_add(&b, "\n", 1);
	while (b.len < (1u << 20)) {
		x = x * 1103515245 + 12345;
		static const char *const w[] = { "word", "longer", "a", "中文字",
						 "sentence.", "e\xCC\x81t\xC3\xA9" };
		const char *s = w[(x >> 16) % 6];
		text_buf_add(&b, s, strlen(s));
		text_buf_addc(&b, ' ');
	}
	static const int h[] = { 100 };
	struct layout_opts o = opts(80);
	check_chapter(&o, b.s, b.len, h, 1, 97, 50);
	/* Far into the line: a page and back again. */
	size_t mid = b.len / 2 + 7;
	size_t s = layout_snap(&o, b.s, b.len, mid);
	assert_true(s <= mid && mid - s < 400);
	struct layout_page pg;
	assert_int_equal(layout_page(&o, b.s, b.len, s, 30, &pg), 0);
	assert_int_equal(pg.lines[0].pos, s);
	assert_int_equal(layout_up(&o, b.s, b.len, pg.next, 30), s);
	layout_page_free(&pg);
	text_buf_free(&b);
}

/* Resize: the word at the top stays on the first line. */
static void
test_resize(void **state)
{
	size_t len;
	char *t = long_chapter(60000, &len);
	static const int widths[] = { 8, 20, 41, 72, 100, 33 };
	for (size_t a = 0; a < 6; a++) {
		struct layout_opts o1 = opts(widths[a]);
		struct layout_page all;
		whole(&o1, t, len, &all);
		for (int k = 0; k < all.n; k += 71) {
			const struct layout_line *l = &all.lines[k];
			if (l->spacer || l->len == 0)
				continue;
			size_t p = l->src[0];
			struct layout_opts o2 = opts(widths[(a + 1) % 6]);
			size_t q = layout_snap(&o2, t, len, p);
			struct layout_page pg;
			assert_int_equal(layout_page(&o2, t, len, q, 3, &pg), 0);
			assert_int_equal(pg.lines[0].pos, q);
			bool found = false;
			const struct layout_line *f = &pg.lines[0];
			for (size_t i = 0; i < f->len; i++)
				found |= f->src[i] == p;
			if (!found)
				fail_msg("width %d -> %d: byte %zu not on the first line \"%s\"",
					 widths[a], o2.width, p, f->text);
			assert_int_equal(layout_snap(&o2, t, len, q), q);
			layout_page_free(&pg);
		}
		layout_page_free(&all);
	}
	free(t);
}

static void
test_edges(void **state)
{
	struct layout_opts o = opts(10);
	struct layout_page pg;
	/* Empty and blank chapters. */
	assert_int_equal(layout_page(&o, "", 0, 0, 5, &pg), 0);
	assert_int_equal(pg.n, 0);
	assert_true(pg.end);
	layout_page_free(&pg);
	assert_int_equal(layout_page(&o, "\n\n  \n", 5, 0, 5, &pg), 0);
	assert_int_equal(pg.n, 0);
	assert_true(pg.end);
	layout_page_free(&pg);
	assert_int_equal(layout_snap(&o, "", 0, 0), 0);
	assert_int_equal(layout_up(&o, "", 0, 0, 3), 0);
	assert_int_equal(layout_down(&o, "", 0, 0, 3), 0);
	/* A position past the end is the last line's. */
	const char *t = "Title\n\nSome words here.\n";
	size_t len = strlen(t);
	size_t last = layout_snap(&o, t, len, len);
	assert_int_equal(layout_snap(&o, t, len, len + 100), last);
	assert_int_equal(layout_down(&o, t, len, 0, 100), last);
	assert_int_equal(layout_up(&o, t, len, last, 100), 0);
	/* Height below one is one. */
	assert_int_equal(layout_page(&o, t, len, 0, 0, &pg), 0);
	assert_int_equal(pg.n, 1);
	layout_page_free(&pg);
	layout_page_free(&pg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widths_english),
		cmocka_unit_test(test_widths_chinese),
		cmocka_unit_test(test_widths_mixed),
		cmocka_unit_test(test_widths_marks),
		cmocka_unit_test(test_widths_emoji),
		cmocka_unit_test(test_narrow_clusters),
		cmocka_unit_test(test_indent_narrow),
		cmocka_unit_test(test_break_english),
		cmocka_unit_test(test_break_cjk),
		cmocka_unit_test(test_layout_breaks),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_prose_reflow),
		cmocka_unit_test(test_verse),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_indent_spacing),
		cmocka_unit_test(test_justify),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_paging_samples),
		cmocka_unit_test(test_paging_long),
		cmocka_unit_test(test_paging_huge_line),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
