/* ui_toc: the table of contents: the current chapter marked and in view,
 * typing filters the titles, Enter jumps. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui.h"

static bool
rows_reserve(struct app *a, size_t n)
{
	if (n <= a->rowscap)
		return true;
	size_t *r = realloc(a->rows, n * sizeof *r);
	if (r == NULL)
		return false;
	a->rows = r;
	a->rowscap = n;
	return true;
}

/* Case-insensitive substring match by Unicode case folding. */
bool ui_match(const char *hay, const char *needle);

bool
ui_match(const char *hay, const char *needle)
{
	char *h, *n;
	size_t hl, nl;
	if (needle[0] == '\0')
		return true;
	if (text_fold(hay, strlen(hay), &h, &hl, NULL) < 0)
		return false;
	if (text_fold(needle, strlen(needle), &n, &nl, NULL) < 0) {
		free(h);
		return false;
	}
	bool m = memmem(h, hl, n, nl) != NULL;
	free(h);
	free(n);
	return m;
}

static size_t counted;		/* chapters the rows were built from */

static void
rebuild(struct app *a)
{
	size_t n = book_nchapters(a->book);
	a->nrows = 0;
	counted = n;
	if (!rows_reserve(a, n ? n : 1))
		return;
	for (size_t i = 0; i < n; i++)
		if (a->filter[0] == '\0' ||
		    ui_match(book_chapter_title(a->book, i), a->filter))
			a->rows[a->nrows++] = i;
	a->list.count = a->nrows;
	ui_list_fix(&a->list, a->text_rows - 1);
}

void
ui_toc_open(struct app *a)
{
	/* The whole list: finish indexing (100 MB take about 0.1 s). */
	book_need(a->book, SIZE_MAX);
	a->screen = SCR_TOC;
	a->filter[0] = '\0';
	a->list = (struct ui_list){ 0 };
	rebuild(a);
	a->list.sel = a->r.chapter < a->nrows ? a->r.chapter : 0;
	/* the current chapter in the middle of the list */
	int rows = a->text_rows - 1;
	a->list.top = a->list.sel > (size_t)rows / 2 ? a->list.sel - (size_t)rows / 2 : 0;
	ui_list_fix(&a->list, rows);
}

void
ui_toc_draw(struct app *a)
{
	char line[1024];
	int rows = a->text_rows - 1;

	if (book_nchapters(a->book) != counted)
		rebuild(a);
	snprintf(line, sizeof line, " Chapters of %s", book_title(a->book));
	ui_bar(a, 0, line, book_complete(a->book) ? "" : "indexing\u2026");
	for (int k = 0; k < rows && a->list.top + (size_t)k < a->nrows; k++) {
		size_t row = a->list.top + (size_t)k, ch = a->rows[row];
		bool sel = row == a->list.sel, cur = ch == a->r.chapter;
		snprintf(line, sizeof line, "%s%6zu  %s", cur ? "\u25b8" : " ",
			 ch + 1, book_chapter_title(a->book, ch));
		int attr = sel ? a->attr_sel : cur ? a->attr_title : a->attr_text;
		if (sel) {
			attrset(attr);
			mvhline(a->text_top + k, 0, ' ', COLS);
		}
		ui_put(a->text_top + k, 0, line, strlen(line), COLS, attr);
	}
	if (a->nrows == 0)
		ui_put(a->text_top, 2, "no chapter matches", 18, COLS - 2, a->attr_dim);
	snprintf(line, sizeof line, " %zu of %zu%s%s", a->nrows,
		 book_nchapters(a->book), a->filter[0] ? " \u00b7 filter: " : "",
		 a->filter);
	ui_bar(a, LINES - 1, line, "type to filter  \u2191\u2193 move  Enter jump  Esc close");
}

void
ui_toc_key(struct app *a, wint_t ch, bool fn)
{
	size_t len = strlen(a->filter);
	if (fn && (ch == KEY_ENTER)) {
		ch = '\r';
		fn = false;
	}
	if (fn && ch == KEY_BACKSPACE) {
		ch = 127;
		fn = false;
	}
	if (fn) {
		ui_list_key(&a->list, ch, fn, a->text_rows - 1);
		return;
	}
	if (ch == 27) {
		a->screen = SCR_READ;
	} else if (ch == '\r' || ch == '\n') {
		if (a->nrows > 0) {
			size_t before = a->r.chapter;
			reader_goto(&a->r, a->rows[a->list.sel], 0, true);
			a->screen = SCR_READ;
			if (a->r.chapter != before)
				a->save_due = true;
		}
	} else if (ch == 127 || ch == 8) {
		while (len > 0 && ((unsigned char)a->filter[len - 1] & 0xC0) == 0x80)
			len--;
		if (len > 0)
			a->filter[len - 1] = '\0';
		rebuild(a);
	} else if (ch >= 32 && ch != 127) {
		char mb[8];
		mbstate_t ps;
		memset(&ps, 0, sizeof ps);
		size_t k = wcrtomb(mb, (wchar_t)ch, &ps);
		if (k != (size_t)-1 && len + k + 1 < sizeof a->filter) {
			memcpy(a->filter + len, mb, k);
			a->filter[len + k] = '\0';
			a->list.sel = a->list.top = 0;
			rebuild(a);
		}
	}
}
