/* ui: the curses screens.  Only ui*.c include curses.
 *
 * One struct app holds everything a screen needs; main.c fills in what
 * the command line says and calls ui_run.  Every screen has a draw and
 * a key function (ui_read.c, ui_toc.c, ui_help.c, ui_info.c, ui_marks.c,
 * ui_settings.c, ui_library.c); ui.c owns the loop, the theme, the
 * header and status bar and the prompt. */
#ifndef FOLIO_UI_H
#define FOLIO_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>

#include "book.h"
#include "command.h"
#include "reader.h"
#include "session.h"
#include "store.h"

enum ui_screen { SCR_READ, SCR_TOC, SCR_HELP, SCR_INFO, SCR_MARKS,
		 SCR_SETTINGS, SCR_LIBRARY };

/* A scrolling list: the overlays share it. */
struct ui_list {
	size_t sel, top, count;
};

struct ui_key {
	int code;		/* a character, or a KEY_* code if fn */
	bool fn;
	const char *label;	/* as the help screen shows it */
	enum command cmd;
};

extern const struct ui_key ui_keys[];	/* ends with cmd CMD_NONE */
extern const char *const ui_command_help[CMD_COUNT];

struct app {
	/* from main */
	const char *book_path;		/* NULL: start in the library */
	struct book_opts bo;
	long chapter;			/* --chapter, 1-based; 0: resume */
	int width;			/* --width; 0: settings */
	const char *dotfile;		/* owned by main */
	const char *rcfile;		/* owned by main; NULL: none */
	const char *bundled;		/* the bundled books directory */

	/* the book being read; NULL in the library */
	struct book *book;		/* owned */
	struct reader r;
	struct session *sess;		/* owned */
	time_t prev_read;		/* last read before this opening */
	size_t words, chars;		/* counted for info; 0: not yet */

	struct settings st;
	enum ui_screen screen;
	struct ui_list list;		/* the overlay's list */
	char filter[128];		/* typed filter in TOC and library */
	size_t *rows;			/* owned: filtered row -> item */
	size_t nrows, rowscap;
	struct library *lib;		/* owned; the library screen */
	struct store *libstore;		/* owned; the records lib points into */

	char msg[256];			/* status bar message; "" none */
	bool warned_save;		/* a failed save was reported */
	bool save_due;			/* the chapter changed: save when idle */
	bool quit;
	bool opened_fail;		/* ui_run failed opening book_path */
	int exit_code;

	/* The frame composed ahead (ui_read_compose), in ncurses's virtual
	 * screen: the page Space shows next, drawn while this one is read. */
	bool frame_ready;
	unsigned long frame_id;		/* its page's reader_view id */
	int frame_lines, frame_cols;	/* the terminal's size then */
	size_t frame_chapters;		/* book_nchapters then */
	bool frame_complete;		/* book_complete then */

	/* the terminal */
	int text_top, text_rows;	/* rows of the text area */
	int col_left, col_width;	/* the text column */
	bool mono;
	int attr_text, attr_bar, attr_match, attr_title, attr_sel, attr_dim;
};

/* Run the terminal UI.  Returns the exit status; *err (caller frees) is
 * printed by main after the terminal is restored. */
int ui_run(struct app *a, char **err);

/* ui.c: shared helpers for the screens. */
void ui_message(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Draw clean UTF-8 at (y, x), at most cols columns; bytes whose index is
 * in a highlighted range get attr_match.  Returns columns used. */
int ui_put(int y, int x, const char *s, size_t n, int cols, int attr);
void ui_bar(struct app *a, int y, const char *left, const char *right);
bool ui_prompt(struct app *a, const char *label, char *buf, size_t size);
void ui_layout(struct app *a);		/* recompute column and reader view */
int ui_open_book(struct app *a, const char *path, char **err);
void ui_close_book(struct app *a);
void ui_save(struct app *a, bool force);
void ui_apply_theme(struct app *a);

/* the list helper */
void ui_list_key(struct ui_list *l, int code, bool fn, int rows);
void ui_list_fix(struct ui_list *l, int rows);

/* True when the terminal is too small for any screen but a note. */
bool ui_too_small(void);

/* screens */
void ui_read_draw(struct app *a);
/* Draw the page reader_prepare laid out, with the status bar it will
 * have, and hand it to ncurses (wnoutrefresh), not to the terminal. */
void ui_read_compose(struct app *a);
/* True when the frame the reading screen should show now is the one
 * composed ahead: doupdate() sends it. */
bool ui_read_composed(struct app *a);
void ui_read_key(struct app *a, enum command c);
void ui_toc_open(struct app *a);
void ui_toc_draw(struct app *a);
void ui_toc_key(struct app *a, wint_t ch, bool fn);
void ui_help_draw(struct app *a);
void ui_help_key(struct app *a, wint_t ch, bool fn);
void ui_info_draw(struct app *a);
void ui_info_key(struct app *a, wint_t ch, bool fn);
void ui_marks_open(struct app *a);
void ui_marks_draw(struct app *a);
void ui_marks_key(struct app *a, wint_t ch, bool fn);
void ui_settings_draw(struct app *a);
void ui_settings_key(struct app *a, wint_t ch, bool fn);
void ui_library_open(struct app *a);
void ui_library_draw(struct app *a);
void ui_library_key(struct app *a, wint_t ch, bool fn);

#endif
