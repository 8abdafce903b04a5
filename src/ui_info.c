/* ui_info: the Book page: what the book is and how far it has been read. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "ui.h"

#define COUNT_LIMIT (32u << 20)	/* count every word of books this small */

static void
count(struct app *a)
{
	if (a->words > 0 || a->chars > 0)
		return;
	book_need(a->book, SIZE_MAX);
	if (book_size(a->book) > COUNT_LIMIT)
		return;
	for (size_t i = 0; i < book_nchapters(a->book); i++) {
		const char *t;
		size_t len, w, c;
		char *err;
		if (book_chapter_text(a->book, i, &t, &len, &err) < 0) {
			free(err);
			continue;
		}
		text_count(t, len, &w, &c);
		a->words += w;
		a->chars += c;
	}
}

static void
human(uint64_t n, char *buf, size_t size)
{
	if (n < 1024)
		snprintf(buf, size, "%llu bytes", (unsigned long long)n);
	else if (n < 1024 * 1024)
		snprintf(buf, size, "%.1f KiB", n / 1024.0);
	else
		snprintf(buf, size, "%.1f MiB", n / 1048576.0);
}

void
ui_info_draw(struct app *a)
{
	char lines[16][600], v[256];
	int n = 0;
	struct book *b = a->book;

	count(a);
#define ROW(label, ...) do { \
	snprintf(v, sizeof v, __VA_ARGS__); \
	snprintf(lines[n++], sizeof lines[0], "  %-12s %s", label, v); } while (0)
	ROW("Title", "%s", book_title(b));
	ROW("Author", "%s", book_author(b)[0] ? book_author(b) : "unknown");
	ROW("Category", "%s", book_category(b)[0] ? book_category(b) : "Uncategorized");
	ROW("Language", "%s", book_language(b)[0] ? book_language(b) : "unknown");
	ROW("Path", "%s", book_path(b)[0] ? book_path(b) : "standard input");
	ROW("Format", "%s, %s", book_format(b), book_encoding(b));
	ROW("Chapters", "%zu", book_nchapters(b));
	char sz[64];
	human(book_size(b), sz, sizeof sz);
	ROW("Size", "%s", sz);
	if (a->words > 0)
		ROW("Words", "%zu words, %zu characters", a->words, a->chars);
	else
		ROW("Words", "not counted (a book over %u MiB)", COUNT_LIMIT >> 20);
	ROW("Progress", "%.0f%%, chapter %zu of %zu", reader_progress(&a->r) * 100,
	    a->r.chapter + 1, book_nchapters(b));
	if (a->prev_read > 0) {
		char when[64];
		struct tm tm;
		localtime_r(&a->prev_read, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		ROW("Last read", "%s", when);
	} else {
		ROW("Last read", "never before");
	}
	ROW("Bookmarks", "%zu", a->sess ? session_nmarks(a->sess) : 0);
#undef ROW
	ui_bar(a, 0, " Book information", NULL);
	a->list.count = (size_t)n;
	ui_list_fix(&a->list, a->text_rows);
	for (int k = 0; k < a->text_rows && a->list.top + (size_t)k < (size_t)n; k++) {
		const char *l = lines[a->list.top + (size_t)k];
		ui_put(a->text_top + 1 + k, 0, l, strlen(l), COLS, a->attr_text);
	}
	ui_bar(a, LINES - 1, " ", "Esc close");
}

void
ui_info_key(struct app *a, wint_t ch, bool fn)
{
	if (fn) {
		ui_list_key(&a->list, ch, fn, a->text_rows);
		return;
	}
	if (ch == 27 || ch == 'q' || ch == 'i')
		a->screen = SCR_READ;
}
