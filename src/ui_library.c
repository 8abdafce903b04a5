/* ui_library: Home and Categories: "Continue reading" first, then every
 * known book under its category, with progress.  Typing filters. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library.h"
#include "text.h"
#include "ui.h"

/* a->rows encodes what each row shows: */
#define ROW_HEADER ((size_t)1 << (sizeof(size_t) * 8 - 1))	/* | entry */
#define ROW_CONT ((size_t)1 << (sizeof(size_t) * 8 - 2))	/* | entry */
#define ROW_INDEX(r) ((r) & ~(ROW_HEADER | ROW_CONT))
#define NO_ENTRY ROW_INDEX(SIZE_MAX)

static bool
add_row(struct app *a, size_t v)
{
	if (a->nrows == a->rowscap) {
		size_t cap = a->rowscap ? a->rowscap * 2 : 64;
		size_t *r = realloc(a->rows, cap * sizeof *r);
		if (r == NULL)
			return false;
		a->rows = r;
		a->rowscap = cap;
	}
	a->rows[a->nrows++] = v;
	return true;
}

static bool
selectable(const struct app *a, size_t row)
{
	return row < a->nrows && !(a->rows[row] & ROW_HEADER);
}

static void
rebuild(struct app *a)
{
	a->nrows = 0;
	if (a->lib == NULL)
		return;
	const struct library_entry *cont = library_continue(a->lib);
	size_t n = library_count(a->lib), conti = NO_ENTRY;
	for (size_t i = 0; i < n && cont; i++)
		if (library_at(a->lib, i) == cont)
			conti = i;
	if (conti != NO_ENTRY && library_match(cont, a->filter)) {
		add_row(a, ROW_HEADER | NO_ENTRY);
		add_row(a, ROW_CONT | conti);
	}
	const char *cat = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct library_entry *e = library_at(a->lib, i);
		if (!library_match(e, a->filter))
			continue;
		if (cat == NULL || strcmp(cat, e->category) != 0) {
			add_row(a, ROW_HEADER | i);
			cat = e->category;
		}
		add_row(a, i);
	}
	a->list.count = a->nrows;
	if (!selectable(a, a->list.sel))
		for (a->list.sel = 0; a->list.sel < a->nrows &&
		     !selectable(a, a->list.sel); a->list.sel++)
			;
	ui_list_fix(&a->list, a->text_rows - 1);
}

static void
scan(struct app *a)
{
	char *err = NULL;
	struct store *st = NULL;

	library_free(a->lib);
	a->lib = NULL;
	store_free(a->libstore);
	a->libstore = NULL;
	if (a->dotfile != NULL && store_load(&st, a->dotfile, &err) < 0) {
		ui_message(a, "bookmarks: %s", err ? err : "cannot read");
		free(err);
		err = NULL;
	}
	a->libstore = st;
	size_t nrec = st ? store_count(st) : 0;
	struct store_book **recs = calloc(nrec ? nrec : 1, sizeof *recs);
	for (size_t i = 0; recs != NULL && i < nrec; i++)
		recs[i] = store_at(st, i);
	a->lib = library_scan(a->bundled, recs, recs ? nrec : 0, &err);
	free(recs);
	if (a->lib == NULL) {
		ui_message(a, "library: %s", err ? err : "out of memory");
		free(err);
	}
}

void
ui_library_open(struct app *a)
{
	a->screen = SCR_LIBRARY;
	a->filter[0] = '\0';
	a->list = (struct ui_list){ 0 };
	scan(a);
	rebuild(a);
}

void
ui_library_draw(struct app *a)
{
	char line[1200];
	int rows = a->text_rows - 1;

	ui_bar(a, 0, " folio \u00b7 Library", a->filter[0] ? NULL : "Home \u00b7 Categories");
	for (int k = 0; k < rows && a->list.top + (size_t)k < a->nrows; k++) {
		size_t row = a->list.top + (size_t)k, v = a->rows[row];
		int y = a->text_top + k;
		if (v & ROW_HEADER) {
			const char *h = ROW_INDEX(v) == NO_ENTRY ? "Continue reading" :
					library_at(a->lib, ROW_INDEX(v))->category;
			snprintf(line, sizeof line, " %s", h);
			ui_put(y, 0, line, strlen(line), COLS, a->attr_title);
			continue;
		}
		const struct library_entry *e = library_at(a->lib, ROW_INDEX(v));
		char ch[32], title[600];
		if (e->nchapters)
			snprintf(ch, sizeof ch, "%zu ch.", e->nchapters);
		else
			snprintf(ch, sizeof ch, "? ch.");
		snprintf(title, sizeof title, "%s%s%s", e->title,
			 e->author[0] ? " \u2014 " : "", e->author);
		char right[64];
		snprintf(right, sizeof right, "%8s %4d%%%s", ch, library_percent(e),
			 e->missing ? "  missing" : "");
		int rw = (int)text_width(right, strlen(right));
		int tw = COLS - rw - 6;
		char shown[700];
		text_ellipsize(title, strlen(title), tw > 4 ? (size_t)tw : 4, shown,
			       sizeof shown);
		bool sel = row == a->list.sel;
		int attr = sel ? a->attr_sel : e->missing ? a->attr_dim : a->attr_text;
		if (sel) {
			attrset(attr);
			mvhline(y, 0, ' ', COLS);
		}
		ui_put(y, 3, shown, strlen(shown), COLS - 3, attr);
		if (COLS - rw - 1 > 3)
			ui_put(y, COLS - rw - 1, right, strlen(right), rw, attr);
	}
	if (a->nrows == 0) {
		const char *m = a->filter[0] ? "no book matches" :
				"no books: add some to ~/.local/share/folio/books";
		ui_put(a->text_top + 1, 2, m, strlen(m), COLS - 2, a->attr_dim);
	}
	if (a->filter[0])
		snprintf(line, sizeof line, " filter: %s", a->filter);
	else
		snprintf(line, sizeof line, " %zu books", a->lib ? library_count(a->lib) : 0);
	ui_bar(a, LINES - 1, a->msg[0] ? a->msg : line,
	       "type to filter  Enter open  q quit");
}

static void
move_sel(struct app *a, int code)
{
	size_t before = a->list.sel;
	ui_list_key(&a->list, code, true, a->text_rows - 1);
	/* step over category headers in the direction of travel, else back */
	bool up = a->list.sel < before || code == KEY_HOME;
	size_t s = a->list.sel, t = s;
	bool found = selectable(a, s);
	for (int pass = 0; pass < 2 && !found; pass++, up = !up) {
		t = s;
		while (!found && (up ? t > 0 : t + 1 < a->nrows)) {
			t = up ? t - 1 : t + 1;
			found = selectable(a, t);
		}
	}
	a->list.sel = found ? t : before;
	ui_list_fix(&a->list, a->text_rows - 1);
	if (a->list.top > 0 && !selectable(a, a->list.top - 1) &&
	    a->list.sel == a->list.top)
		a->list.top--;	/* show the category above the book */
}

static void
open_selected(struct app *a)
{
	if (!selectable(a, a->list.sel))
		return;
	const struct library_entry *e = library_at(a->lib, ROW_INDEX(a->rows[a->list.sel]));
	if (e->missing) {
		ui_message(a, "missing: %s", e->path);
		return;
	}
	char *err = NULL;
	char *path = strdup(e->path);
	if (path == NULL)
		return;
	if (ui_open_book(a, path, &err) < 0) {
		ui_message(a, "cannot open: %s", err ? err : "error");
		free(err);
	}
	free(path);
}

void
ui_library_key(struct app *a, wint_t ch, bool fn)
{
	size_t len = strlen(a->filter);
	if (fn && ch == KEY_ENTER) {
		ch = '\r';
		fn = false;
	}
	if (fn && ch == KEY_BACKSPACE) {
		ch = 127;
		fn = false;
	}
	if (fn) {
		move_sel(a, (int)ch);
		return;
	}
	if (ch == '\r' || ch == '\n') {
		open_selected(a);
	} else if (ch == 27) {
		if (len > 0) {
			a->filter[0] = '\0';
			rebuild(a);
		} else if (a->book != NULL) {
			a->screen = SCR_READ;
		}
	} else if (ch == 'q' && len == 0) {
		a->quit = true;
	} else if (ch == 'L' && len == 0 && a->book != NULL) {
		a->screen = SCR_READ;
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
			a->list.sel = 0;
			rebuild(a);
		}
	}
}
