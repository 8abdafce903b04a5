/* ui_settings: change the layout and theme live; saved to ~/.foliorc. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

enum { S_WIDTH, S_MARGIN, S_JUSTIFY, S_SPACING, S_INDENT, S_OVERLAP, S_THEME,
       S_COUNT };

static const char *const names[S_COUNT] = {
	"Text width", "Margins", "Justify", "Paragraph spacing",
	"First-line indent", "Page overlap", "Theme"
};

static void
value(const struct settings *st, int i, char *buf, size_t size)
{
	switch (i) {
	case S_WIDTH: snprintf(buf, size, "%d columns", st->width); break;
	case S_MARGIN: snprintf(buf, size, "%d columns", st->margin); break;
	case S_JUSTIFY: snprintf(buf, size, "%s", st->justify ? "on" : "off"); break;
	case S_SPACING: snprintf(buf, size, "%s", st->spacing ? "blank line" : "none"); break;
	case S_INDENT: snprintf(buf, size, "%d columns", st->indent); break;
	case S_OVERLAP: snprintf(buf, size, "%d lines", st->overlap); break;
	case S_THEME: snprintf(buf, size, "%s", st->theme); break;
	}
}

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void
change(struct app *a, int i, int d)
{
	struct settings *st = &a->st;
	switch (i) {
	case S_WIDTH: st->width = clamp(st->width + 2 * d, 20, 400); break;
	case S_MARGIN: st->margin = clamp(st->margin + d, 0, 20); break;
	case S_JUSTIFY: st->justify = !st->justify; break;
	case S_SPACING: st->spacing = !st->spacing; break;
	case S_INDENT: st->indent = clamp(st->indent + d, 0, 8); break;
	case S_OVERLAP: st->overlap = clamp(st->overlap + d, 0, 5); break;
	case S_THEME: {
		size_t t = 0, n = 0;
		for (const char *name; (name = settings_theme(n)) != NULL; n++)
			if (strcmp(st->theme, name) == 0)
				t = n;
		t = (t + (d < 0 ? n - 1 : 1)) % n;
		settings_set_theme(st, settings_theme(t));
		ui_apply_theme(a);
		break;
	}
	}
	if (i == S_WIDTH)
		a->width = 0;	/* the setting now rules, not --width */
	ui_layout(a);
}

void
ui_settings_draw(struct app *a)
{
	char line[256], v[64];
	a->list.count = S_COUNT;
	ui_list_fix(&a->list, a->text_rows);
	/* The text stays visible behind: the settings take the top rows. */
	if (a->book != NULL)
		ui_read_draw(a);
	ui_bar(a, 0, " Settings (applied as you change them)", NULL);
	for (int i = 0; i < S_COUNT && i + 1 < a->text_rows; i++) {
		value(&a->st, i, v, sizeof v);
		snprintf(line, sizeof line, "  %-20s %-14s", names[i], v);
		int attr = (size_t)i == a->list.sel ? a->attr_sel : a->attr_bar;
		attrset(attr);
		mvhline(a->text_top + i, 0, ' ', COLS);
		ui_put(a->text_top + i, 0, line, strlen(line), COLS, attr);
	}
	attrset(a->attr_bar);
	mvhline(a->text_top + S_COUNT, 0, ' ', COLS);
	ui_bar(a, LINES - 1, a->msg[0] ? a->msg : " ",
	       "\u2191\u2193 choose  \u2190\u2192 change  Esc close");
}

void
ui_settings_key(struct app *a, wint_t ch, bool fn)
{
	int i = (int)a->list.sel;
	if (fn) {
		if (ch == KEY_LEFT)
			change(a, i, -1);
		else if (ch == KEY_RIGHT)
			change(a, i, 1);
		else
			ui_list_key(&a->list, ch, fn, a->text_rows);
		return;
	}
	if (ch == '-' || ch == 'h')
		change(a, i, -1);
	else if (ch == '+' || ch == '=' || ch == 'l' || ch == ' ' || ch == '\r' ||
		 ch == '\n')
		change(a, i, 1);
	else if (ch == 'k' && a->list.sel > 0)
		a->list.sel--;
	else if (ch == 'j')
		a->list.sel++;
	else if (ch == 27 || ch == 'q' || ch == 's') {
		char *err = NULL;
		if (a->rcfile != NULL && settings_save(&a->st, a->rcfile, &err) < 0)
			ui_message(a, "cannot save settings: %s", err ? err : "error");
		else if (a->rcfile != NULL)
			ui_message(a, "settings saved");
		free(err);
		a->screen = a->book ? SCR_READ : SCR_LIBRARY;
	}
	ui_list_fix(&a->list, a->text_rows);
}
