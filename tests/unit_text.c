/* unit_text: encodings, cleaning, widths, fitting, case folding. */
#include "config.h"

#include <iconv.h>
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

#include "text.h"

/* ---- helpers ---- */

/* Convert UTF-8 s to encoding enc with iconv.  Caller frees. */
static char *
conv(const char *enc, const char *s, size_t *outlen)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t n = strlen(s), cap = n * 4 + 16, left = cap;
	char *out = malloc(cap), *op = out, *ip = (char *)s;
	assert_non_null(out);
	assert_true(iconv(cd, &ip, &n, &op, &left) != (size_t)-1);
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

/* Clean n bytes of enc; returns a NUL-terminated copy (caller frees). */
static char *
clean_n(const char *enc, const char *in, size_t n)
{
	struct text_buf b = { 0 };
	assert_int_equal(text_to_clean(enc, in, n, &b), 0);
	assert_int_equal(text_buf_add(&b, "", 0), 0);
	return b.s;
}

static void
check_clean(const char *enc, const char *in, size_t n, const char *want)
{
	char *got = clean_n(enc, in, n);
	assert_string_equal(got, want);
	free(got);
}

#define CLEAN(in, want) check_clean("UTF-8", in, sizeof(in) - 1, want)

/* Clean text is valid UTF-8 with no C0 but '\n', no DEL and no C1. */
static void
assert_clean_text(const char *s, size_t n)
{
	assert_null(u8_check((const uint8_t *)s, n));
	for (size_t i = 0; i < n;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, (const uint8_t *)s + i, n - i);
		assert_true(k > 0);
		assert_false(uc < 0x20 && uc != '\n');
		assert_false(uc >= 0x7F && uc <= 0x9F);
		i += (size_t)k;
	}
}

/* ---- detection ---- */

static void
detect_is(const char *buf, size_t n, const char *want, size_t wantbom)
{
	size_t bom = 99;
	const char *enc = text_detect(buf, n, &bom);
	assert_string_equal(enc, want);
	assert_int_equal(bom, wantbom);
}

static void
test_detect_utf8(void **state)
{
	detect_is("plain ASCII\n", 12, "UTF-8", 0);
	detect_is("", 0, "UTF-8", 0);
	const char *s = "caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80\n";
	detect_is(s, strlen(s), "UTF-8", 0);
	detect_is("\xEF\xBB\xBFhi", 5, "UTF-8", 3);
	/* A sample that ends inside a character is still UTF-8. */
	detect_is("\xE4\xB8\xAD\xE6\x96", 5, "UTF-8", 0);
}

static void
test_detect_utf16(void **state)
{
	size_t n;
	detect_is("\xFF\xFEh\0i\0", 6, "UTF-16LE", 2);
	detect_is("\xFE\xFF\0h\0i", 6, "UTF-16BE", 2);
	char *le = conv("UTF-16LE", "Chapter 1\nIt was a dark and stormy night.\n", &n);
	detect_is(le, n, "UTF-16LE", 0);
	free(le);
	char *be = conv("UTF-16BE", "Chapter 1\nIt was a dark and stormy night.\n", &n);
	detect_is(be, n, "UTF-16BE", 0);
	free(be);
}

static void
test_detect_gb18030(void **state)
{
	size_t n;
	char *gb = conv("GB18030", "第一章 春天\n\n　　春天来了，山上的雪慢慢化了，"
			"小河里的水又流起来。村口的老槐树发出新芽。\n", &n);
	detect_is(gb, n, "GB18030", 0);
	free(gb);
}

static void
test_detect_cp1252(void **state)
{
	const char *s = "Caf\xE9 au lait, na\xEFve \x93quotes\x94 and \x80 5.\n";
	detect_is(s, strlen(s), "CP1252", 0);
}

static void
test_detect_damaged_utf8(void **state)
{
	/* Many good multibyte characters and one stray byte: damage. */
	struct text_buf b = { 0 };
	for (int i = 0; i < 20; i++)
		assert_int_equal(text_buf_add(&b, "na\xC3\xAFve \xE4\xB8\xAD ", 11), 0);
	assert_int_equal(text_buf_add(&b, "\xFF", 1), 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(text_buf_add(&b, "caf\xC3\xA9 ", 6), 0);
	detect_is(b.s, b.len, "UTF-8", 0);
	text_buf_free(&b);

	/* Badly damaged, but more good sequences than bad bytes, and not
	 * GB18030 (0xFF never is). */
	const char *s = "caf\xC3\xA9 \xFF \xE4\xB8\xAD \x9B na\xC3\xAFve \xE4\xB8 x \xC3\xA9t\xC3\xA9";
	detect_is(s, strlen(s), "UTF-8", 0);
	/* A few C1 bytes among UTF-8 C1 characters. */
	s = "CSI \xC2\x9B 31m, NEL \xC2\x85; raw \x9B 1m and \x85.\n";
	detect_is(s, strlen(s), "UTF-8", 0);
}

static void
test_encoding_known(void **state)
{
	assert_true(text_encoding_known("UTF-8"));
	assert_true(text_encoding_known("GB18030"));
	assert_true(text_encoding_known("CP1252"));
	assert_false(text_encoding_known("NO-SUCH-ENCODING-42"));
}

/* ---- cleaning ---- */

static void
test_clean_invalid(void **state)
{
	CLEAN("a\xFF" "b", "a\xEF\xBF\xBD" "b");
	/* A broken sequence is one mark, not one per byte. */
	CLEAN("a\xE4\xB8" "b", "a\xEF\xBF\xBD" "b");
	CLEAN("\xC0\x80", "\xEF\xBF\xBD");
	/* A lone continuation byte, a surrogate's encoding. */
	CLEAN("x\x80y", "x\xEF\xBF\xBDy");
	CLEAN("\xED\xA0\x80!", "\xEF\xBF\xBD!");
	/* Truncated at the end. */
	CLEAN("ok\xE4\xB8", "ok\xEF\xBF\xBD");
	/* Valid text passes unchanged. */
	CLEAN("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80");
}

static void
test_clean_newlines(void **state)
{
	CLEAN("a\r\nb\rc\nd", "a\nb\nc\nd");
	CLEAN("\r\r\n\n", "\n\n\n");
	/* U+2028, U+2029 */
	CLEAN("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", "a\nb\nc");
}

static void
test_clean_controls(void **state)
{
	/* ESC shows as U+241B, so no escape sequence survives. */
	CLEAN("\x1B[2J\x1B]0;pwned\a", "\xE2\x90\x9B[2J\xE2\x90\x9B]0;pwned\xE2\x90\x87");
	CLEAN("\x01\x1F", "\xE2\x90\x81\xE2\x90\x9F");
	check_clean("UTF-8", "a\0b", 3, "a\xE2\x90\x80" "b");
	CLEAN("\x7F", "\xE2\x90\xA1");
	/* C1 controls, encoded in UTF-8 (U+0085, U+009B CSI). */
	CLEAN("a\xC2\x85" "b\xC2\x9B" "c", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
	/* C1 as raw bytes in UTF-8 text are invalid bytes. */
	CLEAN("\x9B" "31m", "\xEF\xBF\xBD" "31m");
	/* C1 through a single-byte encoding. */
	check_clean("ISO-8859-1", "a\x85" "b\x9B", 4, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	/* \f and \v are controls too. */
	CLEAN("\f\v", "\xE2\x90\x8C\xE2\x90\x8B");
}

static void
test_clean_tab_shy_bom(void **state)
{
	CLEAN("a\tb", "a    b");
	CLEAN("co\xC2\xAD" "op", "coop");
	CLEAN("\xEF\xBB\xBFhi", "hi");
	/* ZERO WIDTH NO-BREAK SPACE in the middle goes too. */
	CLEAN("a\xEF\xBB\xBF" "b", "ab");
}

static void
test_clean_lone_mark(void **state)
{
	/* U+0301 COMBINING ACUTE with no base, at text and line start. */
	CLEAN("\xCC\x81" "a", "\xE2\x97\x8C\xCC\x81" "a");
	CLEAN("x\n\xCC\x81", "x\n\xE2\x97\x8C\xCC\x81");
	/* With a base, untouched. */
	CLEAN("e\xCC\x81", "e\xCC\x81");
	/* Appending to a buffer remembers where the line was. */
	struct text_buf b = { 0 };
	assert_int_equal(text_to_clean("UTF-8", "e", 1, &b), 0);
	assert_int_equal(text_to_clean("UTF-8", "\xCC\x81", 2, &b), 0);
	assert_string_equal(b.s, "e\xCC\x81");
	text_buf_free(&b);
}

/* Cleaning in two pieces, cut anywhere, gives what cleaning the whole
 * gives: a CR LF or a sequence cut in two is put back together. */
static void
test_clean_pieces(void **state)
{
	static const char in[] = "a\r\n\xE4\xB8\xAD\r\r\n\xF0\x9F\x98\x80"
		"\xCC\x81x\xC3\x28\x1B\r";
	size_t n = sizeof in - 1;
	char *whole = clean_n("UTF-8", in, n);
	for (size_t cut = 0; cut <= n; cut++) {
		struct text_buf b = { 0 };
		bool cr = false;
		size_t used;
		assert_int_equal(text_clean_utf8_piece(in, cut, false, &cr, &b,
						       &used), 0);
		assert_true(used <= cut && cut - used <= 3);
		char rest[64];
		memcpy(rest, in + used, cut - used);
		memcpy(rest + (cut - used), in + cut, n - cut);
		size_t used2;
		assert_int_equal(text_clean_utf8_piece(rest, n - used, true, &cr,
						       &b, &used2), 0);
		assert_int_equal(used2, n - used);
		assert_int_equal(text_buf_add(&b, "", 0), 0);
		assert_string_equal(b.s, whole);
		text_buf_free(&b);
	}
	free(whole);
}

/* Converted text comes out of iconv in blocks: a CR LF astride two of
 * them is still one line end. */
static void
test_clean_crlf_blocks(void **state)
{
	size_t n = 40000;
	char *in = malloc(n * 2);
	assert_non_null(in);
	for (size_t i = 0; i < n; i++) {
		in[2 * i] = (i % 3 == 1) ? '\r' : (i % 3 == 2) ? '\n' : 'x';
		in[2 * i + 1] = 0;
	}
	char *got = clean_n("UTF-16LE", in, n * 2);
	size_t lines = 0;
	for (const char *p = got; *p; p++) {
		assert_true(*p == 'x' || *p == '\n');
		lines += *p == '\n';
	}
	assert_int_equal(lines, n / 3);
	free(got);
	free(in);
}

static void
test_clean_utf16(void **state)
{
	check_clean("UTF-16LE", "h\0i\0\r\0\n\0", 8, "hi\n");
	check_clean("UTF-16BE", "\0h\0i\0\x1b", 6, "hi\xE2\x90\x9B");
	/* A truncated code unit at the end. */
	check_clean("UTF-16LE", "h\0i\0j", 5, "hi\xEF\xBF\xBD");
	/* A lone low surrogate in the middle, then more text. */
	check_clean("UTF-16LE", "a\0\x00\xDC" "b\0", 6, "a\xEF\xBF\xBD" "b");
	/* A high surrogate cut by the end. */
	check_clean("UTF-16LE", "a\0\x3D\xD8", 4, "a\xEF\xBF\xBD");
	/* Chinese and an emoji through UTF-16. */
	size_t n;
	char *u = conv("UTF-16BE", "中文😀", &n);
	check_clean("UTF-16BE", u, n, "中文😀");
	free(u);
}

static void
test_clean_gb18030(void **state)
{
	size_t n;
	char *gb = conv("GB18030", "春天来了。", &n);
	check_clean("GB18030", gb, n, "春天来了。");
	/* Cut inside the last character. */
	check_clean("GB18030", gb, n - 1, "春天来了\xEF\xBF\xBD");
	/* An invalid pair in the middle, and text after it. */
	char bad[64];
	memcpy(bad, gb, 4);
	memcpy(bad + 4, "\xFF\xFF" "ok", 4);
	check_clean("GB18030", bad, 8, "春天\xEF\xBF\xBD\xEF\xBF\xBD" "ok");
	free(gb);
}

static void
test_clean_cp1252(void **state)
{
	check_clean("CP1252", "Caf\xE9 \x93q\x94 \x80", 10,
		    "Caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xE2\x82\xAC");
	/* 0x81 is undefined in CP1252: a mark, then the text goes on. */
	check_clean("CP1252", "a\x81" "b", 3, "a\xEF\xBF\xBD" "b");
}

static void
test_clean_unknown_encoding(void **state)
{
	struct text_buf b = { 0 };
	assert_int_equal(text_to_clean("NO-SUCH-ENCODING-42", "x", 1, &b), -1);
	text_buf_free(&b);
}

/* Any bytes in, clean text out, in every encoding folio reads. */
static void
test_clean_fuzz(void **state)
{
	static const char *const encs[] = { "UTF-8", "UTF-16LE", "UTF-16BE",
					    "GB18030", "CP1252" };
	uint32_t x = 12345;
	char buf[512];
	for (int round = 0; round < 400; round++) {
		size_t n = round % 97 + 1;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			unsigned v = x >> 16;
			/* bias toward interesting bytes */
			buf[i] = (char)(v % 4 == 0 ? (v >> 4) % 0x20 :
					v % 4 == 1 ? 0x80 + (v >> 4) % 0x40 : v >> 3);
		}
		for (size_t e = 0; e < sizeof encs / sizeof *encs; e++) {
			char *c = clean_n(encs[e], buf, n);
			assert_clean_text(c, strlen(c));
			free(c);
		}
	}
}

/* ---- widths ---- */

static void
test_widths(void **state)
{
	size_t k;
	assert_int_equal(text_width("hello", 5), 5);
	assert_int_equal(text_width("", 0), 0);
	assert_int_equal(text_width("中文", 6), 4);
	assert_int_equal(text_width("a中b", 5), 4);
	assert_int_equal(text_width("e\xCC\x81", 3), 1);
	/* Ambiguous-width letters are narrow. */
	assert_int_equal(text_width("\xC3\xA9\xCE\xB1\xE2\x80\xA6", 7), 3);
	assert_int_equal(text_width("\xF0\x9F\x98\x80", 4), 2);
	assert_int_equal(text_width("\xE3\x80\x80", 3), 2);

	assert_int_equal(text_char_width("a", 1, &k), 1);
	assert_int_equal(k, 1);
	assert_int_equal(text_char_width("中", 3, &k), 2);
	assert_int_equal(k, 3);
	assert_int_equal(text_char_width("\xCC\x81", 2, &k), 0);
	assert_int_equal(k, 2);
	assert_int_equal(text_char_width("\xF0\x9F\x98\x80", 4, &k), 2);
	assert_int_equal(k, 4);

	assert_true(text_is_wide("中", 3));
	assert_true(text_is_wide("，", 3));
	assert_false(text_is_wide("a", 1));
	assert_false(text_is_wide("\xC3\xA9", 2));
	assert_false(text_is_wide("", 0));
}

static void
test_blank_indent(void **state)
{
	assert_true(text_is_blank("", 0));
	assert_true(text_is_blank("  \xE3\x80\x80 ", 6));
	assert_false(text_is_blank("  x", 3));
	assert_int_equal(text_indent("  \xE3\x80\x80x", 6), 5);
	assert_int_equal(text_indent("x  ", 3), 0);
}

/* Strings whose clusters are easy to cut wrongly. */
static const char *const hard[] = {
	"hello world",
	"中文字符测试，完了。",
	"e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "x\xCC\x81\xCC\xA3",
	"ab\xCC\x81" "cd",
	"\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 family",
	"\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA flags",
	"\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ok",
	"\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8" "\xEA\xB0\x81",	/* Hangul jamo, syllable */
	"mixed 中文 and e\xCC\x81t\xC3\xA9 \xF0\x9F\x98\x80!",
};

/* Is off a grapheme cluster boundary of s? */
static bool
boundary(const char *s, size_t n, size_t off)
{
	if (off == 0 || off == n)
		return true;
	char *p = malloc(n);
	assert_non_null(p);
	u8_grapheme_breaks((const uint8_t *)s, n, p);
	bool b = p[off];
	free(p);
	return b;
}

/* The end of the cluster that starts at off. */
static size_t
next_cluster(const char *s, size_t n, size_t off)
{
	char *p = malloc(n);
	assert_non_null(p);
	u8_grapheme_breaks((const uint8_t *)s, n, p);
	size_t j = off + 1;
	while (j < n && !p[j])
		j++;
	free(p);
	return j;
}

static void
test_fit(void **state)
{
	size_t used;
	assert_int_equal(text_fit("hello world", 11, 5, &used), 5);
	assert_int_equal(used, 5);
	assert_int_equal(text_fit("中文字", 9, 5, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(text_fit("中文字", 9, 1, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(text_fit("e\xCC\x81" "e\xCC\x81", 6, 1, &used), 3);
	assert_int_equal(used, 1);
	assert_int_equal(text_fit("abc", 3, 10, &used), 3);
	assert_int_equal(used, 3);

	for (size_t h = 0; h < sizeof hard / sizeof *hard; h++) {
		const char *s = hard[h];
		size_t n = strlen(s);
		for (size_t cols = 0; cols <= 40; cols++) {
			size_t len = text_fit(s, n, cols, &used);
			assert_true(len <= n);
			assert_true(boundary(s, n, len));
			assert_true(used <= cols);
			assert_int_equal(used, text_width(s, len));
			/* As long as it can be: the next cluster does not fit. */
			if (len < n) {
				size_t e = next_cluster(s, n, len);
				assert_true(text_width(s, e) > cols);
			}
		}
	}
}

static void
test_ellipsize(void **state)
{
	char dst[64];
	assert_string_equal(text_ellipsize("hello world", 11, 20, dst, sizeof dst),
			    "hello world");
	assert_string_equal(text_ellipsize("hello world", 11, 11, dst, sizeof dst),
			    "hello world");
	assert_string_equal(text_ellipsize("hello world", 11, 8, dst, sizeof dst),
			    "hello w\xE2\x80\xA6");
	assert_string_equal(text_ellipsize("中文中文中文", 18, 5, dst, sizeof dst),
			    "中文\xE2\x80\xA6");
	assert_string_equal(text_ellipsize("中文中文中文", 18, 6, dst, sizeof dst),
			    "中文\xE2\x80\xA6");
	assert_string_equal(text_ellipsize("hello", 5, 1, dst, sizeof dst),
			    "\xE2\x80\xA6");
	assert_string_equal(text_ellipsize("hello", 5, 0, dst, sizeof dst), "");

	for (size_t h = 0; h < sizeof hard / sizeof *hard; h++) {
		const char *s = hard[h];
		size_t n = strlen(s);
		for (size_t cols = 0; cols <= 40; cols++) {
			text_ellipsize(s, n, cols, dst, sizeof dst);
			size_t dl = strlen(dst);
			assert_null(u8_check((const uint8_t *)dst, dl));
			assert_true(text_width(dst, dl) <= cols);
			size_t body = dl;
			if (text_width(s, n) <= cols) {
				assert_string_equal(dst, s);
			} else if (cols == 0) {
				assert_string_equal(dst, "");
			} else {
				assert_true(dl >= 3);
				assert_memory_equal(dst + dl - 3, "\xE2\x80\xA6", 3);
				body = dl - 3;
			}
			assert_memory_equal(dst, s, body);
			assert_true(boundary(s, n, body));
		}
	}
}

static void
test_ellipsize_small_buffer(void **state)
{
	char dst[8];
	memset(dst, 'x', sizeof dst);
	/* Room for the text but not the whole of it. */
	text_ellipsize("hello world", 11, 100, dst, 6);
	assert_string_equal(dst, "hello");
	/* Multibyte text is cut at a character. */
	text_ellipsize("中文中文", 12, 100, dst, 8);
	assert_string_equal(dst, "中文");
	/* Buffers too small for an ellipsis never overflow. */
	for (size_t sz = 1; sz < 5; sz++) {
		memset(dst, 'x', sizeof dst);
		text_ellipsize("hello world", 11, 3, dst, sz);
		assert_true(strlen(dst) < sz);
		assert_int_equal(dst[sz], 'x');
	}
	/* Zero: nothing written. */
	dst[0] = 'x';
	text_ellipsize("hello", 5, 3, dst, 0);
	assert_int_equal(dst[0], 'x');
}

/* ---- case folding ---- */

static void
fold_is(const char *s, const char *want)
{
	char *out;
	size_t outlen, *map;
	size_t n = strlen(s);
	assert_int_equal(text_fold(s, n, &out, &outlen, &map), 0);
	assert_int_equal(outlen, strlen(want));
	assert_memory_equal(out, want, outlen);
	/* The map points back, in order, at character starts of s. */
	assert_int_equal(map[outlen], n);
	for (size_t i = 0; i < outlen; i++) {
		assert_true(map[i] < n);
		assert_true(i == 0 || map[i] >= map[i - 1]);
		assert_true(((unsigned char)s[map[i]] & 0xC0) != 0x80);
	}
	free(out);
	free(map);
}

static void
test_fold(void **state)
{
	fold_is("Hello WORLD", "hello world");
	fold_is("Stra\xC3\x9F" "e", "strasse");
	fold_is("STRASSE", "strasse");
	/* Σ and final ς both fold to σ. */
	fold_is("\xCE\xA3\xCE\x91\xCE\xA3", "\xCF\x83\xCE\xB1\xCF\x83");
	fold_is("\xCF\x83\xCE\xB1\xCF\x82", "\xCF\x83\xCE\xB1\xCF\x83");
	/* No Turkish rules: I is i, İ is i + combining dot. */
	fold_is("I", "i");
	fold_is("\xC4\xB0", "i\xCC\x87");
	/* The fi ligature unfolds. */
	fold_is("\xEF\xAC\x81" "x", "fix");
	fold_is("中文ＡＢ", "中文ａｂ");
	fold_is("", "");

	/* The map of ß: both s's point at it. */
	char *out;
	size_t outlen, *map;
	assert_int_equal(text_fold("aßb", 4, &out, &outlen, &map), 0);
	assert_int_equal(outlen, 4);
	assert_int_equal(map[0], 0);
	assert_int_equal(map[1], 1);
	assert_int_equal(map[2], 1);
	assert_int_equal(map[3], 3);
	assert_int_equal(map[4], 4);
	free(out);
	free(map);

	/* No map wanted. */
	assert_int_equal(text_fold("ABC", 3, &out, &outlen, NULL), 0);
	assert_string_equal(out, "abc");
	free(out);
}

/* A folded search finds "STRASSE" in "Die Straße ist lang" and the map
 * gives back the source span. */
static void
test_fold_search(void **state)
{
	const char *hay = "Die Stra\xC3\x9F" "e ist lang";
	char *fh, *fn;
	size_t fhl, fnl, *map;
	assert_int_equal(text_fold(hay, strlen(hay), &fh, &fhl, &map), 0);
	assert_int_equal(text_fold("STRASSE", 7, &fn, &fnl, NULL), 0);
	char *at = memmem(fh, fhl, fn, fnl);
	assert_non_null(at);
	size_t s = map[at - fh], e = map[at - fh + fnl];
	assert_int_equal(s, 4);
	assert_int_equal(e, 11);
	assert_memory_equal(hay + s, "Stra\xC3\x9F" "e", e - s);
	free(fh);
	free(fn);
	free(map);
}

static void
test_has_upper(void **state)
{
	assert_false(text_has_upper("abc", 3));
	assert_true(text_has_upper("aBc", 3));
	assert_true(text_has_upper("\xC3\x89t\xC3\xA9", 5));	/* Été */
	assert_false(text_has_upper("stra\xC3\x9F" "e", 7));
	assert_true(text_has_upper("\xC7\x85", 2));		/* ǅ, title case */
	assert_false(text_has_upper("中文", 6));
	assert_true(text_has_upper("\xCE\xA3", 2));
	assert_false(text_has_upper("", 0));
}

static void
test_count(void **state)
{
	size_t w, c;
	text_count("Hello, world!  foo", 18, &w, &c);
	assert_int_equal(w, 3);
	assert_int_equal(c, 15);
	text_count("你好，世界。", 18, &w, &c);
	assert_int_equal(w, 4);
	assert_int_equal(c, 6);
	text_count("Hello 世界 ok", 15, &w, &c);
	assert_int_equal(w, 4);
	assert_int_equal(c, 9);
	text_count("a\xE3\x80\x80" "b\nc", 7, &w, &c);
	assert_int_equal(w, 3);
	assert_int_equal(c, 3);
	text_count("", 0, &w, &c);
	assert_int_equal(w, 0);
	assert_int_equal(c, 0);
}

static void
test_is_binary(void **state)
{
	assert_false(text_is_binary("plain text\n", 11, "UTF-8"));
	assert_true(text_is_binary("ELF\0\0\1", 6, "UTF-8"));
	assert_true(text_is_binary("\x7F" "ELF\x02\x01\x01\0", 8, "CP1252"));
	/* Hostile but textual: escape sequences are text. */
	const char *esc = "\x1B[31mred\x1B[0m \x1B]0;title\a and more words here\n";
	assert_false(text_is_binary(esc, strlen(esc), "UTF-8"));
	/* Mostly control bytes. */
	assert_true(text_is_binary("\x01\x02\x03\x04" "ab", 6, "UTF-8"));
	/* UTF-16: zero bytes are normal, a zero unit is not. */
	assert_false(text_is_binary("h\0i\0\n\0", 6, "UTF-16LE"));
	assert_true(text_is_binary("h\0\0\0i\0", 6, "UTF-16LE"));
	/* A real binary. */
	FILE *f = fopen("/bin/ls", "rb");
	if (f != NULL) {
		char buf[4096];
		size_t n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		size_t bom;
		const char *enc = text_detect(buf, n, &bom);
		assert_true(text_is_binary(buf, n, enc));
	}
}

static void
test_buf(void **state)
{
	struct text_buf b = { 0 };
	assert_int_equal(text_buf_add(&b, "", 0), 0);
	assert_string_equal(b.s, "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(text_buf_addc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 1000);
	assert_int_equal(b.s[1000], '\0');
	assert_int_equal(b.s[27], 'b');
	text_buf_free(&b);
	assert_null(b.s);
	text_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_utf8),
		cmocka_unit_test(test_detect_utf16),
		cmocka_unit_test(test_detect_gb18030),
		cmocka_unit_test(test_detect_cp1252),
		cmocka_unit_test(test_detect_damaged_utf8),
		cmocka_unit_test(test_encoding_known),
		cmocka_unit_test(test_clean_invalid),
		cmocka_unit_test(test_clean_newlines),
		cmocka_unit_test(test_clean_controls),
		cmocka_unit_test(test_clean_tab_shy_bom),
		cmocka_unit_test(test_clean_lone_mark),
		cmocka_unit_test(test_clean_utf16),
		cmocka_unit_test(test_clean_gb18030),
		cmocka_unit_test(test_clean_cp1252),
		cmocka_unit_test(test_clean_unknown_encoding),
		cmocka_unit_test(test_clean_fuzz),
		cmocka_unit_test(test_clean_pieces),
		cmocka_unit_test(test_clean_crlf_blocks),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_blank_indent),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_ellipsize),
		cmocka_unit_test(test_ellipsize_small_buffer),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_search),
		cmocka_unit_test(test_has_upper),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_is_binary),
		cmocka_unit_test(test_buf),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
