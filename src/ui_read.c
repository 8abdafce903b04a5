/* ui_read: the reading screen: header, the text column, the status bar,
 * and what the reading keys do. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui.h"

#define MAX_MATCHES 256

/* " Book · Chapter": when both do not fit, the book's title gives way
 * first, down to a third of the line. */
static void
header(struct app *a, size_t chapter)
{
	char h[1024], bt[512];
	const char *title = book_title(a->book);
	const char *ch = book_chapter_title(a->book, chapter);
	size_t tw = text_width(title, strlen(title));
	size_t cw = text_width(ch, strlen(ch));
	size_t room = COLS > 5 ? (size_t)COLS - 5 : 0;
	size_t keep = tw;
	if (tw + cw > room) {
		keep = room > cw ? room - cw : 0;
		if (keep < room / 3)
			keep = room / 3;
	}
	text_ellipsize(title, strlen(title), keep, bt, sizeof bt);
	snprintf(h, sizeof h, " %s \u00b7 %s", bt, ch);
	ui_bar(a, 0, h, NULL);
}

/* The status bar of the reading screen: where we are, then msg or the
 * key hints. */
static void
status(struct app *a, const struct reader_view *v, const char *msg)
{
	char left[256];
	size_t n = book_nchapters(a->book);
	snprintf(left, sizeof left, " Chapter %zu/%zu%s \u00b7 %.0f%% \u00b7 %.0f%% of chapter",
		 v->chapter + 1, n, book_complete(a->book) ? "" : "+",
		 v->progress * 100, v->chapter_progress * 100);
	const char *right = msg[0] ? msg :
		"\u2190 prev chapter  \u2192 next chapter  Space scroll  h help";
	int need = (int)text_width(left, strlen(left)) +
		   (int)text_width(right, strlen(right)) + 3;
	if (need > COLS && !msg[0])
		right = "\u2190 \u2192 Space  h help";
	else if (need > COLS)
		/* a message matters more than the long form of where we are */
		snprintf(left, sizeof left, " %zu/%zu%s \u00b7 %.0f%%",
			 v->chapter + 1, n, book_complete(a->book) ? "" : "+",
			 v->progress * 100);
	ui_bar(a, LINES - 1, left, right);
}

/* Draw one laid-out line with the search matches highlighted. */
static void
put_line(struct app *a, int y, const struct layout_line *l,
	 const struct reader_match *m, size_t nm)
{
	int attr = l->title ? a->attr_title : a->attr_text;
	int x = a->col_left, cols = a->col_width;
	size_t i = 0;

	while (i < l->len && cols > 0) {
		bool hl = false;
		size_t j = i;
		/* a run of bytes with the same highlight */
		for (; j < l->len; j++) {
			bool h = false;
			size_t s = l->src[j];
			for (size_t k = 0; k < nm && s != (size_t)-1; k++)
				if (s >= m[k].start && s < m[k].end)
					h = true;
			if (j == i)
				hl = h;
			else if (h != hl)
				break;
		}
		/* never split a UTF-8 sequence */
		while (j < l->len && ((unsigned char)l->text[j] & 0xC0) == 0x80)
			j++;
		int w = ui_put(y, x, l->text + i, j - i, cols,
			       hl ? a->attr_match : attr);
		x += w;
		cols -= w;
		i = j;
	}
}

/* The screen for view v on an erased stdscr, with msg in the status bar. */
static void
draw_view(struct app *a, const struct reader_view *v, const char *msg)
{
	const struct layout_page *pg = v->page;
	header(a, v->chapter);
	struct reader_match m[MAX_MATCHES];
	size_t nm = 0;
	if (a->r.needle != NULL && pg->n > 0)
		nm = reader_matches(&a->r, v->chapter, pg->lines[0].pos,
				    pg->lines[pg->n - 1].end, m, MAX_MATCHES);
	for (int k = 0; k < pg->n && k < a->text_rows; k++) {
		const struct layout_line *l = &pg->lines[k];
		if (!l->spacer)
			put_line(a, a->text_top + k, l, m, nm);
	}
	status(a, v, msg);
}

void
ui_read_draw(struct app *a)
{
	struct reader_view v;
	reader_view(&a->r, &v);
	if (v.page == NULL) {
		header(a, v.chapter);
		if (!a->msg[0] && a->r.msg[0])
			ui_message(a, "%s", a->r.msg);
		status(a, &v, a->msg);
		return;
	}
	draw_view(a, &v, a->msg);
}

void
ui_read_compose(struct app *a)
{
	struct reader_view v;
	a->frame_ready = false;
	if (a->book == NULL || ui_too_small() || !reader_ahead_view(&a->r, &v))
		return;
	attrset(a->attr_text);
	erase();
	draw_view(a, &v, "");
	wnoutrefresh(stdscr);
	a->frame_ready = true;
	a->frame_id = v.id;
	a->frame_lines = LINES;
	a->frame_cols = COLS;
	a->frame_chapters = book_nchapters(a->book);
	a->frame_complete = book_complete(a->book);
}

bool
ui_read_composed(struct app *a)
{
	if (!a->frame_ready || a->screen != SCR_READ || a->book == NULL ||
	    a->msg[0] || LINES != a->frame_lines || COLS != a->frame_cols ||
	    book_nchapters(a->book) != a->frame_chapters ||
	    book_complete(a->book) != a->frame_complete)
		return false;
	struct reader_view v;
	reader_view(&a->r, &v);
	return v.page != NULL && v.id == a->frame_id;
}

/* The first words of the top line: a bookmark's default label. */
static void
top_words(struct app *a, char *buf, size_t size)
{
	const struct layout_page *pg = reader_page(&a->r);
	buf[0] = '\0';
	if (pg == NULL)
		return;
	for (int k = 0; k < pg->n; k++) {
		const struct layout_line *l = &pg->lines[k];
		if (l->spacer)
			continue;
		size_t s = text_indent(l->text, l->len), used;
		size_t n = text_fit(l->text + s, l->len - s, 40, &used);
		if (n < l->len - s) {
			/* end at a word */
			size_t e = n;
			while (e > 0 && l->text[s + e] != ' ')
				e--;
			if (e > 0)
				n = e;
		}
		if (n >= size)
			n = size - 1;
		memcpy(buf, l->text + s, n);
		buf[n] = '\0';
		break;
	}
}

void
ui_read_key(struct app *a, enum command c)
{
	size_t before = a->r.chapter;
	char buf[512];

	switch (c) {
	case CMD_TOC:
		ui_toc_open(a);
		return;
	case CMD_HELP:
		a->screen = SCR_HELP;
		a->list = (struct ui_list){ 0 };
		return;
	case CMD_INFO:
		a->screen = SCR_INFO;
		a->list = (struct ui_list){ 0 };
		return;
	case CMD_MARKS:
		ui_marks_open(a);
		return;
	case CMD_SETTINGS:
		a->screen = SCR_SETTINGS;
		a->list = (struct ui_list){ 0 };
		return;
	case CMD_LIBRARY:
		ui_save(a, true);
		ui_library_open(a);
		return;
	case CMD_QUIT:
		a->quit = true;
		return;
	case CMD_MARK_ADD:
		if (a->sess == NULL) {
			ui_message(a, "bookmarks are off (no dotfile)");
			return;
		}
		top_words(a, buf, sizeof buf);
		if (!ui_prompt(a, "Bookmark label: ", buf, sizeof buf))
			return;
		if (session_add_mark(a->sess, a->r.chapter, a->r.anchor, buf) < 0) {
			ui_message(a, "cannot add the bookmark");
			return;
		}
		ui_save(a, true);
		if (!a->msg[0])
			ui_message(a, "bookmark added (' lists them)");
		return;
	case CMD_SEARCH_FWD:
	case CMD_SEARCH_BACK:
		buf[0] = '\0';
		if (!ui_prompt(a, c == CMD_SEARCH_FWD ? "/" : "?", buf, sizeof buf) ||
		    buf[0] == '\0')
			return;
		if (reader_search(&a->r, buf, c == CMD_SEARCH_BACK) < 0)
			ui_message(a, "search failed: out of memory");
		break;
	default:
		reader_command(&a->r, c);
		break;
	}
	if (a->r.msg[0])
		ui_message(a, "%s", a->r.msg);
	if (a->r.chapter != before)
		a->save_due = true;
}
