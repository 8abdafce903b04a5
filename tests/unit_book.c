/* unit_book: the book model on small books built in a temp directory:
 * chapter detection, directories, metadata, encodings, lazy indexing and
 * bad input. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "book.h"
#include "text.h"

static char tmpdir[64];

/* ---- helpers ---- */

static char *
path_of(const char *name)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
	return buf[k];
}

static void
write_bytes(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(path_of(name), "wb");
	assert_non_null(f);
	if (n > 0)
		assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void
write_str(const char *name, const char *s)
{
	write_bytes(name, s, strlen(s));
}

static void
make_dir(const char *name)
{
	assert_int_equal(mkdir(path_of(name), 0755), 0);
}

/* UTF-8 s in encoding enc, with a prefix (a BOM, say).  Caller frees. */
static char *
conv(const char *enc, const char *prefix, size_t plen, const char *s,
     size_t *outlen)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t n = strlen(s), cap = plen + n * 4 + 16, left = cap - plen;
	char *out = malloc(cap), *op = out + plen, *ip = (char *)s;
	assert_non_null(out);
	memcpy(out, prefix, plen);
	assert_true(iconv(cd, &ip, &n, &op, &left) != (size_t)-1);
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

static struct book *
open_ok(const char *name, const struct book_opts *o)
{
	struct book *b;
	char *err = NULL;
	int rc = book_open(&b, path_of(name), o, &err);
	if (rc != 0)
		fail_msg("book_open %s: %s", name, err ? err : "?");
	assert_null(err);
	return b;
}

/* Open must fail with a one-line reason containing want. */
static void
open_fails(const char *path, const struct book_opts *o, const char *want)
{
	struct book *b = (struct book *)1;
	char *err = NULL;
	assert_int_equal(book_open(&b, path, o, &err), -1);
	assert_null(b);
	assert_non_null(err);
	assert_true(err[0] != '\0');
	assert_null(strchr(err, '\n'));
	if (strstr(err, want) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", err, want);
	free(err);
}

/* All chapter titles joined by '|'.  Caller frees. */
static char *
titles(struct book *b)
{
	struct text_buf t = { 0 };
	assert_int_equal(text_buf_add(&t, "", 0), 0);
	for (size_t i = 0; book_need(b, i) == 0; i++) {
		if (i > 0)
			text_buf_addc(&t, '|');
		const char *s = book_chapter_title(b, i);
		text_buf_add(&t, s, strlen(s));
	}
	return t.s;
}

static void
titles_are(struct book *b, const char *want)
{
	char *got = titles(b);
	assert_string_equal(got, want);
	free(got);
}

static const char *
text_of(struct book *b, size_t i, size_t *len)
{
	const char *t;
	size_t l;
	char *err = NULL;
	assert_int_equal(book_need(b, i), 0);
	if (book_chapter_text(b, i, &t, &l, &err) != 0)
		fail_msg("chapter %zu text: %s", i + 1, err ? err : "?");
	assert_null(err);
	assert_int_equal(strlen(t), l);
	if (len)
		*len = l;
	return t;
}

static void
text_starts(struct book *b, size_t i, const char *want)
{
	size_t l;
	const char *t = text_of(b, i, &l);
	if (l < strlen(want) || memcmp(t, want, strlen(want)) != 0)
		fail_msg("chapter %zu starts \"%.40s\", want \"%s\"", i + 1, t, want);
}

/* Chapters tile the source: contiguous, from 0 (or the BOM) to size. */
static void
check_tiling(struct book *b)
{
	uint64_t at = 0;
	for (size_t i = 0; i < book_nchapters(b); i++) {
		if (i > 0)
			assert_int_equal(book_chapter_start(b, i), at);
		at = book_chapter_start(b, i) + book_chapter_size(b, i);
	}
	assert_int_equal(at, book_size(b));
}

static int
setup(void **state)
{
	strcpy(tmpdir, "/tmp/folio-unit-book-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];
	/* our own mkdtemp directory only */
	if (strncmp(tmpdir, "/tmp/folio-unit-book-", 21) != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- text files: headings ---- */

static const char headings[] =
	"Chapter 1 The Beginning\n\nIt began.\n\n"
	"CHAPTER XII\n\nShouting.\n\n"
	"Chapter Twenty-One: The Storm\n\nRain.\n\n"
	"Chapter 12 was the best of the book, she said.\n"
	"Chapter one is where it starts, and it is slow.\n"
	"Part of the problem was the rain.\n"
	"Prologue to nothing, he thought.\n\n"
	"Part II\n\nA part.\n\n"
	"Prologue\n\nBefore.\n\n"
	"第十二章 风起\n\n风起了。\n\n"
	"第12回 夜雨\n\n夜里下雨。\n\n"
	"第一百零三章　归来\n\n回来了。\n\n"
	"# Markdown Heading\n\nText.\n\n"
	"Chapter 7. A Dotted Title\n\nMore.\n\n"
	"Chapter 8 \xE2\x80\x94 Em Dash\n\nMore.\n\n"
	"Book III\n\nA book.\n\n"
	"Epilogue\n\nAfter.\n";

static void
test_txt_headings(void **state)
{
	write_str("headings.txt", headings);
	struct book *b = open_ok("headings.txt", NULL);
	titles_are(b, "Chapter 1 The Beginning|CHAPTER XII|"
		   "Chapter Twenty-One: The Storm|Part II|Prologue|"
		   "第十二章 风起|第12回 夜雨|第一百零三章　归来|Markdown Heading|"
		   "Chapter 7. A Dotted Title|Chapter 8 \xE2\x80\x94 Em Dash|"
		   "Book III|Epilogue");
	assert_true(book_complete(b));
	assert_string_equal(book_format(b), "text");
	assert_string_equal(book_encoding(b), "UTF-8");
	assert_string_equal(book_title(b), "headings");
	check_tiling(b);
	/* The prose lines that look like headings stay in chapter 3. */
	size_t l;
	const char *t = text_of(b, 2, &l);
	assert_non_null(strstr(t, "Chapter 12 was the best"));
	assert_non_null(strstr(t, "Part of the problem"));
	assert_non_null(strstr(t, "Prologue to nothing"));
	text_starts(b, 0, "Chapter 1 The Beginning\n");
	text_starts(b, 12, "Epilogue\n\nAfter.\n");
	text_starts(b, 8, "# Markdown Heading\n");
	book_close(b);
}

static void
test_txt_front_matter(void **state)
{
	write_str("front.txt", "A Title Page\nby Someone\n\n"
		  "Chapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n");
	struct book *b = open_ok("front.txt", NULL);
	titles_are(b, "Front matter|Chapter 1|Chapter 2");
	text_starts(b, 0, "A Title Page\nby Someone\n");
	text_starts(b, 1, "Chapter 1\n");
	check_tiling(b);
	book_close(b);

	/* Only blank lines before the first heading: no front matter,
	 * and the blank lines belong to chapter 1. */
	write_str("blankfront.txt", "\n\n  \nChapter 1\n\nOne.\n");
	b = open_ok("blankfront.txt", NULL);
	titles_are(b, "Chapter 1");
	assert_int_equal(book_chapter_start(b, 0), 0);
	check_tiling(b);
	book_close(b);
}

static void
test_txt_no_heading(void **state)
{
	write_str("plain.txt", "Just some text.\n\nAnd more text.\n");
	struct book *b = open_ok("plain.txt", NULL);
	titles_are(b, "plain");
	assert_int_equal(book_nchapters(b), 1);
	text_starts(b, 0, "Just some text.\n\nAnd more text.\n");
	check_tiling(b);
	book_close(b);
}

static void
test_txt_crlf(void **state)
{
	write_str("crlf.txt", "Chapter 1 Dos\r\n\r\nLine one.\r\n\r\n"
		  "Chapter 2 Lines\r\n\r\nLine two.\r\n");
	struct book *b = open_ok("crlf.txt", NULL);
	titles_are(b, "Chapter 1 Dos|Chapter 2 Lines");
	text_starts(b, 1, "Chapter 2 Lines\n\nLine two.\n");
	size_t l;
	const char *t = text_of(b, 0, &l);
	assert_null(strchr(t, '\r'));
	book_close(b);
}

static void
test_txt_pattern(void **state)
{
	write_str("scenes.txt", "Intro.\n\nScene 1\n\nA.\n\nChapter 2\n\nB.\n\n"
		  "Scene 2\n\nC.\n");
	struct book_opts o = { .pattern = "^Scene [0-9]+$" };
	struct book *b = open_ok("scenes.txt", &o);
	/* The pattern replaces the built-in headings. */
	titles_are(b, "Front matter|Scene 1|Scene 2");
	text_starts(b, 1, "Scene 1\n\nA.\n\nChapter 2\n");
	book_close(b);

	/* Without it, the built-in headings. */
	b = open_ok("scenes.txt", NULL);
	titles_are(b, "Front matter|Chapter 2");
	book_close(b);

	struct book_opts bad = { .pattern = "([unclosed" };
	open_fails(path_of("scenes.txt"), &bad, "chapter-pattern");
}

static void
test_txt_long_lines(void **state)
{
	/* A heading right after a line longer than MAX_HEADING, and a
	 * "heading" that is too long to be one. */
	struct text_buf s = { 0 };
	text_buf_add(&s, "Chapter 1\n", 10);
	for (int i = 0; i < 100; i++)
		text_buf_add(&s, "word ", 5);
	text_buf_add(&s, "\nChapter 2\n", 11);
	text_buf_add(&s, "Chapter 3 ", 10);
	for (int i = 0; i < 100; i++)
		text_buf_add(&s, "Long ", 5);
	text_buf_add(&s, "\n", 1);
	write_bytes("long.txt", s.s, s.len);
	struct book *b = open_ok("long.txt", NULL);
	titles_are(b, "Chapter 1|Chapter 2");
	book_close(b);
	text_buf_free(&s);
}

/* ---- directories ---- */

static void
test_dir_natural_order(void **state)
{
	make_dir("nat");
	write_str("nat/10.txt", "Ten\n\nx\n");
	write_str("nat/2.txt", "\n\n   Two  \n\ny\n");
	write_str("nat/1.txt", "# One\n\nz\n");
	write_str("nat/1a.md", "One and a half\n");
	write_str("nat/notes.dat", "not a chapter\n");
	write_str("nat/.hidden.txt", "hidden\n");
	write_str("nat/empty.txt", "");
	struct book *b = open_ok("nat", NULL);
	titles_are(b, "One|One and a half|Two|Ten");
	assert_string_equal(book_format(b), "directory");
	assert_string_equal(book_title(b), "nat");
	assert_string_equal(book_author(b), "");
	assert_string_equal(book_category(b), "");
	text_starts(b, 2, "\n\n   Two  \n\ny\n");
	text_starts(b, 3, "Ten\n");
	check_tiling(b);
	assert_true(book_fingerprint(b)[0] != '\0');
	book_close(b);
}

static void
test_dir_conf(void **state)
{
	make_dir("conf");
	write_str("conf/1.txt", "Chapter\n");
	write_str("conf/book.conf",
		  "# comment\n"
		  "title = A Book of Things  \n"
		  "author=Ann Author\n"
		  "  category =  documentary report\n"
		  "language = en\n"
		  "unknown = ignored\n"
		  "no equals sign here\n");
	struct book *b = open_ok("conf", NULL);
	assert_string_equal(book_title(b), "A Book of Things");
	assert_string_equal(book_author(b), "Ann Author");
	assert_string_equal(book_category(b), "documentary report");
	assert_string_equal(book_language(b), "en");
	book_close(b);
}

static void
test_dir_encodings(void **state)
{
	size_t n;
	make_dir("encdir");
	char *s = conv("UTF-16LE", "\xFF\xFE", 2, "第一章\n中文。\n", &n);
	write_bytes("encdir/1.txt", s, n);
	free(s);
	s = conv("GB18030", "", 0, "第二章 春天\n\n春天来了，山上的雪慢慢化了。\n", &n);
	write_bytes("encdir/2.txt", s, n);
	free(s);
	write_str("encdir/3.txt", "\xEF\xBB\xBFThree\n");
	struct book *b = open_ok("encdir", NULL);
	titles_are(b, "第一章|第二章 春天|Three");
	text_starts(b, 0, "第一章\n中文。\n");
	text_starts(b, 1, "第二章 春天\n\n春天来了");
	text_starts(b, 2, "Three\n");
	book_close(b);
}

/* The bundled books, as an end-to-end check of the format. */
static void
test_bundled(void **state)
{
	struct book *b;
	char *err = NULL;
	if (book_open(&b, FOLIO_BOOKS_SRCDIR "/folio-handbook", NULL, &err) != 0) {
		free(err);
		skip();
	}
	assert_true(book_nchapters(b) >= 5);
	assert_true(book_title(b)[0] != '\0');
	for (size_t i = 0; i < book_nchapters(b); i++)
		assert_true(book_chapter_title(b, i)[0] != '\0');
	book_close(b);
}

/* ---- encodings of text files ---- */

static const char enc_text[] =
	"Chapter 1 Caf\xC3\xA9\n\nNa\xC3\xAFve.\n\nChapter 2 End\n\nDone.\n";

static void
check_enc_book(const char *name, const struct book_opts *o, const char *enc)
{
	struct book *b = open_ok(name, o);
	assert_string_equal(book_encoding(b), enc);
	titles_are(b, "Chapter 1 Caf\xC3\xA9|Chapter 2 End");
	text_starts(b, 0, "Chapter 1 Caf\xC3\xA9\n\nNa\xC3\xAFve.\n\n");
	text_starts(b, 1, "Chapter 2 End\n\nDone.\n");
	size_t l;
	const char *t = text_of(b, 0, &l);
	assert_null(strstr(t, "\xEF\xBB\xBF"));
	check_tiling(b);
	book_close(b);
}

static void
test_txt_encodings(void **state)
{
	size_t n;
	char *s;

	s = conv("UTF-8", "\xEF\xBB\xBF", 3, enc_text, &n);
	write_bytes("bom8.txt", s, n);
	free(s);
	check_enc_book("bom8.txt", NULL, "UTF-8");

	s = conv("UTF-16LE", "\xFF\xFE", 2, enc_text, &n);
	write_bytes("le.txt", s, n);
	free(s);
	check_enc_book("le.txt", NULL, "UTF-16LE");

	s = conv("UTF-16BE", "\xFE\xFF", 2, enc_text, &n);
	write_bytes("be.txt", s, n);
	free(s);
	check_enc_book("be.txt", NULL, "UTF-16BE");

	s = conv("UTF-16LE", "", 0, enc_text, &n);
	write_bytes("le-nobom.txt", s, n);
	free(s);
	check_enc_book("le-nobom.txt", NULL, "UTF-16LE");

	s = conv("CP1252", "", 0, enc_text, &n);
	write_bytes("cp.txt", s, n);
	free(s);
	check_enc_book("cp.txt", NULL, "CP1252");

	/* Forced: the same bytes read as ISO-8859-1, and a forced
	 * encoding that matches the BOM skips the BOM. */
	struct book_opts latin = { .encoding = "ISO-8859-1" };
	check_enc_book("cp.txt", &latin, "ISO-8859-1");
	struct book_opts le = { .encoding = "UTF-16LE" };
	check_enc_book("le.txt", &le, "UTF-16LE");
	check_enc_book("le-nobom.txt", &le, "UTF-16LE");

	/* Forcing a wrong encoding still gives clean text. */
	struct book_opts gb = { .encoding = "GB18030" };
	struct book *b = open_ok("le.txt", &gb);
	size_t l;
	text_of(b, 0, &l);
	book_close(b);
}

static void
test_txt_gb18030(void **state)
{
	size_t n;
	char *s = conv("GB18030", "", 0,
		       "　　序\n\n　　这是一本小书。\n\n"
		       "第一章 山里\n\n　　山里有一条小河。\n\n"
		       "第二章 河边\n\n　　河边住着一位老人。\n\n"
		       "第3回 回家\n\n　　他回家了。\n", &n);
	write_bytes("gb.txt", s, n);
	free(s);
	struct book *b = open_ok("gb.txt", NULL);
	assert_string_equal(book_encoding(b), "GB18030");
	titles_are(b, "Front matter|第一章 山里|第二章 河边|第3回 回家");
	text_starts(b, 2, "第二章 河边\n\n　　河边住着一位老人。\n\n");
	check_tiling(b);
	book_close(b);

	struct book_opts o = { .encoding = "GBK" };
	b = open_ok("gb.txt", &o);
	titles_are(b, "Front matter|第一章 山里|第二章 河边|第3回 回家");
	book_close(b);
}

static void
test_stdin(void **state)
{
	write_str("stdin.txt", "Chapter 1\n\nFrom a pipe.\n");
	int save = dup(0);
	int fd = open(path_of("stdin.txt"), O_RDONLY);
	assert_true(save >= 0 && fd >= 0);
	dup2(fd, 0);
	close(fd);
	struct book *b;
	char *err = NULL;
	int rc = book_open(&b, "-", NULL, &err);
	dup2(save, 0);
	close(save);
	assert_int_equal(rc, 0);
	assert_string_equal(book_title(b), "standard input");
	titles_are(b, "Chapter 1");
	text_starts(b, 0, "Chapter 1\n\nFrom a pipe.\n");
	book_close(b);
}

/* ---- lazy indexing ---- */

/* A deterministic book: headings of every kind among paragraphs and
 * lines of very different lengths, some longer than a slice. */
static void
make_big(struct text_buf *s)
{
	uint32_t x = 42;
	text_buf_add(s, "Some front matter.\n\n", 20);
	for (int ch = 1; ch <= 150; ch++) {
		char h[64];
		x = x * 1103515245 + 12345;
		int n = snprintf(h, sizeof h, (x >> 16) % 5 == 0 ? "第%d章 标题\n" :
				 (x >> 16) % 5 == 1 ? "# Heading %d\n" :
				 "Chapter %d: The Title\n", ch);
		text_buf_add(s, h, (size_t)n);
		int paras = (int)((x >> 20) % 6);
		for (int p = 0; p < paras; p++) {
			x = x * 1103515245 + 12345;
			int words = (int)((x >> 16) % 300);
			if ((x >> 8) % 37 == 0)
				words = 2000;	/* a line longer than a slice */
			for (int w = 0; w < words; w++)
				text_buf_add(s, w % 9 ? "word " : "Chapter ", w % 9 ? 5 : 8);
			text_buf_add(s, "\n\n", 2);
		}
	}
}

static void
check_same_index(const char *name, const char *enc)
{
	struct book_opts o = { .encoding = enc };
	struct book *one = open_ok(name, &o);
	while (book_index_more(one, (size_t)1 << 30) > 0)
		;
	struct book *lazy = open_ok(name, &o);
	int steps = 0;
	while (book_index_more(lazy, 4096) > 0)
		steps++;
	assert_true(steps > 2);
	assert_true(book_complete(lazy));
	assert_int_equal(book_nchapters(one), book_nchapters(lazy));
	assert_true(book_nchapters(one) >= 150);
	for (size_t i = 0; i < book_nchapters(one); i++) {
		assert_int_equal(book_chapter_start(one, i), book_chapter_start(lazy, i));
		assert_int_equal(book_chapter_size(one, i), book_chapter_size(lazy, i));
		assert_string_equal(book_chapter_title(one, i),
				    book_chapter_title(lazy, i));
	}
	check_tiling(lazy);
	book_close(one);
	book_close(lazy);
}

static void
test_lazy_index(void **state)
{
	struct text_buf s = { 0 };
	make_big(&s);
	write_bytes("big.txt", s.s, s.len);
	check_same_index("big.txt", NULL);

	/* Each chapter starts at a line start and holds its heading. */
	struct book *b = open_ok("big.txt", NULL);
	for (size_t i = 0; book_need(b, i) == 0; i++) {
		uint64_t at = book_chapter_start(b, i);
		assert_true(at == 0 || s.s[at - 1] == '\n');
		if (i > 0) {
			size_t l;
			const char *t = text_of(b, i, &l);
			const char *title = book_chapter_title(b, i);
			if (strncmp(title, "Heading", 7) == 0)
				assert_memory_equal(t, "# ", 2);
			else
				assert_memory_equal(t, title, strlen(title));
			assert_memory_equal(t, s.s + at, l);
		}
	}
	assert_string_equal(book_chapter_title(b, 0), "Front matter");
	book_close(b);

	/* The same through UTF-16 (source offsets are UTF-16 bytes). */
	size_t n;
	text_buf_add(&s, "", 0);
	char *u = conv("UTF-16LE", "\xFF\xFE", 2, s.s, &n);
	write_bytes("big16.txt", u, n);
	free(u);
	check_same_index("big16.txt", NULL);

	/* Front matter that is one line longer than a slice. */
	s.len = 0;
	for (int i = 0; i < 3000; i++)
		text_buf_add(&s, "front ", 6);
	text_buf_add(&s, "\n\n", 2);
	for (int i = 1; i <= 200; i++) {
		char h[64];
		int k = snprintf(h, sizeof h, "Chapter %d\n\nText.\n\n", i);
		text_buf_add(&s, h, (size_t)k);
	}
	write_bytes("longfront.txt", s.s, s.len);
	check_same_index("longfront.txt", NULL);
	b = open_ok("longfront.txt", NULL);
	assert_int_equal(book_need(b, 0), 0);
	assert_string_equal(book_chapter_title(b, 0), "Front matter");
	book_close(b);
	text_buf_free(&s);
}

/* book_need finds a late chapter without indexing more than needed. */
static void
test_need(void **state)
{
	struct text_buf s = { 0 };
	for (int i = 1; i <= 3000; i++) {
		char h[128];
		int n = snprintf(h, sizeof h, "Chapter %d\n\nText of chapter %d.\n\n", i, i);
		text_buf_add(&s, h, (size_t)n);
	}
	write_bytes("need.txt", s.s, s.len);
	struct book *b = open_ok("need.txt", NULL);
	assert_int_equal(book_need(b, 0), 0);
	assert_string_equal(book_chapter_title(b, 0), "Chapter 1");
	assert_int_equal(book_need(b, 2999), 0);
	assert_string_equal(book_chapter_title(b, 2999), "Chapter 3000");
	assert_int_equal(book_need(b, 3000), -1);
	assert_true(book_complete(b));
	text_starts(b, 2999, "Chapter 3000\n\nText of chapter 3000.\n");
	char *err = NULL;
	const char *t;
	size_t l;
	assert_int_equal(book_chapter_text(b, 3000, &t, &l, &err), -1);
	assert_non_null(err);
	free(err);
	assert_true(book_progress(b, 2999, 0, 10) > 0.99);
	assert_true(book_progress(b, 0, 0, 10) == 0);
	book_close(b);
	text_buf_free(&s);
}

/* The index of a big book is kept in the cache directory: a second open
 * uses it after the first slice, gives the same chapters, and a cache
 * that is damaged or does not fit the book is ignored. */
static struct book *
open_cached(const char *name)
{
	struct book_opts o = { .cache_dir = path_of("cache") };
	return open_ok(name, &o);
}

static void
same_index(struct book *a, struct book *b)
{
	assert_int_equal(book_nchapters(a), book_nchapters(b));
	for (size_t i = 0; i < book_nchapters(a); i++) {
		assert_int_equal(book_chapter_start(a, i), book_chapter_start(b, i));
		assert_int_equal(book_chapter_size(a, i), book_chapter_size(b, i));
		assert_string_equal(book_chapter_title(a, i),
				    book_chapter_title(b, i));
	}
}

/* The one cache file's path; fails unless there is exactly one. */
static char *
cache_file(void)
{
	static char name[600];
	char cmd[700];
	snprintf(cmd, sizeof cmd, "ls -d '%s'/index-* 2>/dev/null", path_of("cache"));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(name, sizeof name, p));
	char extra[8];
	assert_null(fgets(extra, sizeof extra, p));
	pclose(p);
	name[strcspn(name, "\n")] = '\0';
	return name;
}

static void
test_index_cache(void **state)
{
	struct text_buf s = { 0 };
	for (int i = 1; i <= 4000; i++) {
		char h[64];
		int n = snprintf(h, sizeof h, "Chapter %d: Title %d\n\n", i, i);
		text_buf_add(&s, h, (size_t)n);
		for (int w = 0; w < 40; w++)
			text_buf_add(&s, "word word ", 10);
		text_buf_add(&s, "\n\n", 2);
	}
	assert_true(s.len > (1u << 20));
	write_bytes("cached.txt", s.s, s.len);

	/* First open: indexed by scanning, and the index is saved. */
	struct book *scan = open_cached("cached.txt");
	assert_int_equal(book_need(scan, 3999), 0);
	assert_int_equal(book_need(scan, 4000), -1);
	check_tiling(scan);
	char *name = cache_file();

	/* Second open: one slice, then the cache finishes the index. */
	struct book *b = open_cached("cached.txt");
	assert_int_equal(book_need(b, 0), 0);
	assert_string_equal(book_chapter_title(b, 0), "Chapter 1: Title 1");
	assert_int_equal(book_index_more(b, 65536), 0);
	assert_true(book_complete(b));
	same_index(scan, b);
	text_starts(b, 3999, "Chapter 4000: Title 4000\n\nword word");
	book_close(b);

	/* Damaged caches: each is ignored and the book indexed again. */
	FILE *f = fopen(name, "rb");
	assert_non_null(f);
	char *good = malloc(1u << 20);
	assert_non_null(good);
	size_t len = fread(good, 1, 1u << 20, f);
	fclose(f);
	assert_true(len > 64 + 8 * 4000);
	char *bad = malloc(len);
	assert_non_null(bad);
	for (int k = 0; k < 4; k++) {
		memcpy(bad, good, len);
		size_t blen = len;
		if (k == 0) {		/* two starts out of order */
			uint64_t v;
			memcpy(&v, bad + 64 + 8 * 2000, 8);
			v += 1u << 19;
			memcpy(bad + 64 + 8 * 2000, &v, 8);
		} else if (k == 1) {	/* cut short */
			blen = len - 8;
		} else if (k == 2) {	/* another version */
			bad[12] = '9';
		} else {		/* the first chapters differ */
			uint64_t v = 1;
			memcpy(bad + 64 + 8, &v, 8);
		}
		f = fopen(name, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(bad, 1, blen, f), blen);
		assert_int_equal(fclose(f), 0);
		b = open_cached("cached.txt");
		assert_int_equal(book_need(b, 0), 0);
		assert_int_equal(book_index_more(b, 65536), 1);
		assert_int_equal(book_need(b, 4000), -1);
		same_index(scan, b);
		book_close(b);
	}
	free(bad);
	free(good);
	book_close(scan);
	text_buf_free(&s);
}

/* ---- bad input ---- */

static void
test_bad_input(void **state)
{
	open_fails(path_of("no-such-file.txt"), NULL, "No such file");
	open_fails("/nonexistent/dir/book", NULL, "No such file");

	make_dir("nochapters");
	write_str("nochapters/readme.dat", "x");
	write_str("nochapters/book.conf", "title = X\n");
	open_fails(path_of("nochapters"), NULL, "no chapter files");

	make_dir("allempty");
	write_str("allempty/1.txt", "");
	write_str("allempty/2.txt", "");
	open_fails(path_of("allempty"), NULL, "empty");

	write_str("empty.txt", "");
	open_fails(path_of("empty.txt"), NULL, "empty file");
	open_fails("/dev/null", NULL, "empty");

	if (access("/bin/ls", R_OK) == 0)
		open_fails("/bin/ls", NULL, "binary");
	write_bytes("nul.txt", "text\0with a NUL\n", 16);
	open_fails(path_of("nul.txt"), NULL, "binary");

	struct book_opts o = { .encoding = "NO-SUCH-ENCODING-42" };
	write_str("fine.txt", "Fine.\n");
	open_fails(path_of("fine.txt"), &o, "unknown encoding");
}

/* Nothing crashes on any bytes: random files open (or fail) cleanly. */
static void
test_random_files(void **state)
{
	uint32_t x = 7;
	char buf[3000];
	for (int round = 0; round < 60; round++) {
		size_t n = 1 + (size_t)round * 47 % sizeof buf;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			unsigned v = x >> 16;
			buf[i] = v % 7 == 0 ? '\n' : v % 11 == 0 ? '#' :
				 (char)(v % 3 ? 0x20 + v % 0x60 : v >> 2);
		}
		if (round % 4 == 0)
			buf[0] = '\xFF', buf[1] = '\xFE';
		write_bytes("random.txt", buf, n);
		struct book *b;
		char *err = NULL;
		if (book_open(&b, path_of("random.txt"), NULL, &err) != 0) {
			assert_non_null(err);
			free(err);
			continue;
		}
		for (size_t i = 0; book_need(b, i) == 0; i++) {
			size_t l;
			const char *t = text_of(b, i, &l);
			for (size_t k = 0; k < l; k++)
				assert_false((unsigned char)t[k] < 0x20 && t[k] != '\n');
			assert_true(book_chapter_title(b, i)[0] != '\0');
		}
		check_tiling(b);
		book_close(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_txt_headings),
		cmocka_unit_test(test_txt_front_matter),
		cmocka_unit_test(test_txt_no_heading),
		cmocka_unit_test(test_txt_crlf),
		cmocka_unit_test(test_txt_pattern),
		cmocka_unit_test(test_txt_long_lines),
		cmocka_unit_test(test_dir_natural_order),
		cmocka_unit_test(test_dir_conf),
		cmocka_unit_test(test_dir_encodings),
		cmocka_unit_test(test_bundled),
		cmocka_unit_test(test_txt_encodings),
		cmocka_unit_test(test_txt_gb18030),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_lazy_index),
		cmocka_unit_test(test_need),
		cmocka_unit_test(test_index_cache),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_random_files),
	};
	return cmocka_run_group_tests_name("book", tests, setup, teardown);
}
