/* ui_marks: the bookmarks of the book, newest first. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "ui.h"

void
ui_marks_open(struct app *a)
{
	a->screen = SCR_MARKS;
	a->list = (struct ui_list){ 0 };
}

/* Row i shows mark n - 1 - i: newest first. */
static size_t
mark_of(struct app *a, size_t row)
{
	return session_nmarks(a->sess) - 1 - row;
}

void
ui_marks_draw(struct app *a)
{
	char line[1024];
	size_t n = a->sess ? session_nmarks(a->sess) : 0;
	int rows = a->text_rows - 1;

	a->list.count = n;
	ui_list_fix(&a->list, rows);
	snprintf(line, sizeof line, " Bookmarks of %s", book_title(a->book));
	ui_bar(a, 0, line, NULL);
	if (n == 0) {
		const char *m = "no bookmarks yet: m adds one here";
		ui_put(a->text_top + 1, 2, m, strlen(m), COLS - 2, a->attr_dim);
	}
	for (int k = 0; k < rows && a->list.top + (size_t)k < n; k++) {
		size_t row = a->list.top + (size_t)k;
		const struct store_mark *m = session_mark(a->sess, mark_of(a, row));
		double pct = 0;
		if (m->chapter < book_nchapters(a->book)) {
			uint64_t sz = book_chapter_size(a->book, m->chapter);
			pct = book_size(a->book) ? ((double)book_chapter_start(a->book,
				m->chapter) + (sz ? (double)m->offset : 0)) /
				(double)book_size(a->book) * 100 : 0;
			if (pct > 100)
				pct = 100;
		}
		snprintf(line, sizeof line, "  %3.0f%%  %s \u00b7 %s", pct,
			 m->label[0] ? m->label : "(no label)",
			 m->chapter < book_nchapters(a->book) ?
			 book_chapter_title(a->book, m->chapter) : "(chapter gone)");
		int attr = row == a->list.sel ? a->attr_sel : a->attr_text;
		if (row == a->list.sel) {
			attrset(attr);
			mvhline(a->text_top + k, 0, ' ', COLS);
		}
		ui_put(a->text_top + k, 0, line, strlen(line), COLS, attr);
	}
	ui_bar(a, LINES - 1, a->msg[0] ? a->msg : " ",
	       "Enter jump  d delete  r rename  Esc close");
}

void
ui_marks_key(struct app *a, wint_t ch, bool fn)
{
	size_t n = a->sess ? session_nmarks(a->sess) : 0;
	if (fn && ch == KEY_ENTER) {
		ch = '\r';
		fn = false;
	}
	if (fn) {
		ui_list_key(&a->list, ch, fn, a->text_rows - 1);
		return;
	}
	if (ch == 27 || ch == 'q' || ch == '\'') {
		a->screen = SCR_READ;
		return;
	}
	if (n == 0)
		return;
	size_t i = mark_of(a, a->list.sel);
	const struct store_mark *m = session_mark(a->sess, i);
	if (ch == '\r' || ch == '\n') {
		size_t before = a->r.chapter;
		reader_goto(&a->r, m->chapter, m->offset, true);
		a->screen = SCR_READ;
		if (a->r.chapter != before)
			a->save_due = true;
	} else if (ch == 'd') {
		session_del_mark(a->sess, i);
		ui_save(a, true);
		if (!a->msg[0])
			ui_message(a, "bookmark deleted");
		ui_list_fix(&a->list, a->text_rows - 1);
	} else if (ch == 'r') {
		char buf[512];
		snprintf(buf, sizeof buf, "%s", m->label);
		if (ui_prompt(a, "New label: ", buf, sizeof buf)) {
			session_rename_mark(a->sess, i, buf);
			ui_save(a, true);
		}
	}
}
