/* ui_help: every key, generated from the key table. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "ui.h"

/* Line i of the help: the keys of command i + 1 and what it does. */
static void
help_line(enum command c, char *buf, size_t size)
{
	char keys[128] = "";
	for (const struct ui_key *k = ui_keys; k->cmd != CMD_NONE; k++) {
		if (k->cmd != c || k->label == NULL)
			continue;
		size_t l = strlen(keys);
		snprintf(keys + l, sizeof keys - l, "%s%s", l ? " " : "", k->label);
	}
	size_t w = text_width(keys, strlen(keys));
	snprintf(buf, size, "  %s%*s  %s", keys, w < 20 ? (int)(20 - w) : 0, "",
		 ui_command_help[c]);
}

void
ui_help_draw(struct app *a)
{
	char line[512];
	int rows = a->text_rows;
	a->list.count = CMD_COUNT - 1 + 2;
	ui_list_fix(&a->list, rows);
	ui_bar(a, 0, " Help: the keys", NULL);
	for (int k = 0; k < rows; k++) {
		size_t i = a->list.top + (size_t)k;
		if (i >= a->list.count)
			break;
		if (i < CMD_COUNT - 1)
			help_line((enum command)(i + 1), line, sizeof line);
		else if (i == CMD_COUNT - 1)
			snprintf(line, sizeof line, "  %-20s  %s", "Esc", "close an overlay; from a book, the library");
		else
			snprintf(line, sizeof line, "  %-20s  %s", "mouse wheel", "scroll");
		/* A narrow terminal shows where a line was cut. */
		char shown[512];
		text_ellipsize(line, strlen(line), (size_t)COLS, shown,
			       sizeof shown);
		ui_put(a->text_top + k, 0, shown, strlen(shown), COLS,
		       a->attr_text);
	}
	ui_bar(a, LINES - 1, " folio " PACKAGE_VERSION, "\u2191\u2193 scroll  Esc close");
}

void
ui_help_key(struct app *a, wint_t ch, bool fn)
{
	if (fn) {
		if (ch == KEY_UP || ch == KEY_PPAGE || ch == KEY_HOME)
			a->list.sel = a->list.top;
		else
			a->list.sel = a->list.top + (size_t)a->text_rows - 1;
		ui_list_key(&a->list, ch, fn, a->text_rows);
		if (ch == KEY_F(1))
			a->screen = SCR_READ;
		return;
	}
	if (ch == 27 || ch == 'q' || ch == 'h')
		a->screen = a->book ? SCR_READ : SCR_LIBRARY;
}
