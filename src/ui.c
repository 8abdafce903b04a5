/* ui: the terminal, the loop, themes, the bars and the prompt. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include "library.h"
#include "text.h"
#include "ui.h"

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
dupf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* Set by the signal handler only; the loop reads it. */
static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

/* folio handles SIGWINCH itself: the handler only interrupts the wait
 * for a key, and the loop looks at the size.  (Left to ncurses, a resize
 * repaints the old screen at the new size before folio draws the new
 * one: twice the output.) */
static void
on_winch(int sig)
{
	(void)sig;
}

/* Job control is folio's too (installed before newterm(), ncurses then
 * leaves SIGTSTP alone): the handler only notes the stop, and the loop
 * ends curses, stops, and on SIGCONT paints the page again.  (Left to
 * ncurses, the stop happens inside its handler, and every doupdate()
 * sets SIGTSTP aside and back: two system calls a frame.  And its
 * repaint after the stop shows its virtual screen, which may hold the
 * page composed ahead, ui_read_compose, not the one being read.) */
static volatile sig_atomic_t got_tstp;
/* SIGTSTP was ignored when folio started (its parent does not want it
 * stopped): it stays ignored, and Ctrl-Z says so. */
static bool tstp_ignored;

static void
on_tstp(int sig)
{
	(void)sig;
	got_tstp = 1;
}

static bool check_resize(struct app *a);

/* Stop: the whole job (the Ctrl-Z key) or folio alone (a SIGTSTP sent to
 * it), with the place saved and the terminal as it was; when continued,
 * be ready to paint everything again.  SIGTSTP is blocked from before
 * curses ends until the stop: one that comes meanwhile is the same stop. */
static void
suspend(struct app *a, bool job)
{
	sigset_t tstp, old;
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	sigprocmask(SIG_BLOCK, &tstp, &old);
	ui_save(a, true);
	endwin();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, NULL);
	kill(job ? 0 : getpid(), SIGTSTP);
	sigprocmask(SIG_SETMASK, &old, NULL);	/* stops here */
	/* continued */
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
	got_tstp = 0;
	a->frame_ready = false;
	clearok(curscr, TRUE);
	check_resize(a);
}

/* If a SIGTSTP came: stop.  True if it did. */
static bool
check_suspend(struct app *a)
{
	if (!got_tstp)
		return false;
	got_tstp = 0;
	suspend(a, false);
	return true;
}

/* If the terminal's size is not what curses thinks, tell curses and lay
 * the screen out again.  True if it did. */
static bool
check_resize(struct app *a)
{
	struct winsize ws;
	if (ioctl(fileno(stdout), TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 ||
	    ws.ws_col == 0 || (ws.ws_row == LINES && ws.ws_col == COLS))
		return false;
	resize_term(ws.ws_row, ws.ws_col);
	a->frame_ready = false;
	/* What the terminal kept of the old screen is its own business
	 * (clipped, reflowed): paint the new one from a clear screen. */
	clearok(curscr, TRUE);
	ui_layout(a);
	return true;
}

/* Page faults are dear on a virtual machine (10 us and more each), and a
 * first screen would take about a hundred: ncurses's three screens of
 * LINES x COLS cells (250 KiB at 100x30), then the book's first slice and
 * its layout.  Mapping that much heap in one call before newterm() asks
 * for it costs half as much.  glibc: blocks under M_MMAP_THRESHOLD come
 * from the heap, and what is freed to its top stays there under
 * M_TRIM_THRESHOLD.  Only a hint: elsewhere the faults happen as before.
 * The mapping threshold goes back to glibc's default after: a big calloc
 * (a 28,500-chapter book's title array) is then fresh zero pages again,
 * where from the heap glibc would clear it, a page fault a page. */
static void
warm_heap(void)
{
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD) && \
	defined(MADV_POPULATE_WRITE)
	struct winsize ws;
	if (ioctl(fileno(stdout), TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 ||
	    ws.ws_col == 0)
		return;
	size_t need = 3 * (size_t)ws.ws_row * ws.ws_col * sizeof(cchar_t) +
		      (192u << 10);
	if (need > (16u << 20))
		return;
	if (!mallopt(M_MMAP_THRESHOLD, (int)(2 * need)) ||
	    !mallopt(M_TRIM_THRESHOLD, (int)(2 * need)))
		return;
	char *p = malloc(need);
	if (p == NULL)
		return;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)p + need) & ~(page - 1);
	(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
	free(p);
	(void)mallopt(M_MMAP_THRESHOLD, 128 << 10);
#endif
}

void
ui_message(struct app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
}

int
ui_put(int y, int x, const char *s, size_t n, int cols, int attr)
{
	wchar_t buf[512];
	int used = 0;
	size_t i = 0;
	mbstate_t ps;

	memset(&ps, 0, sizeof ps);
	move(y, x);
	attrset(attr);

	/* Printable ASCII, the common case, goes in as one copy of cells. */
	size_t a = 0;
	while (a < n && a < (size_t)cols && a < 511 &&
	       (unsigned char)s[a] >= 0x20 && (unsigned char)s[a] < 0x7F)
		a++;
	if (a == n || a == (size_t)cols) {
		chtype cells[512];
		for (size_t k = 0; k < a; k++)
			cells[k] = (chtype)(unsigned char)s[k] | (chtype)attr;
		addchnstr(cells, (int)a);
		move(y, x + (int)a);
		return (int)a;
	}

	while (i < n && used < cols) {
		size_t k = 0;
		while (k < 511 && i < n) {
			wchar_t wc;
			size_t r;
			if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F) {
				/* printable ASCII: one column, no decoding */
				if (used + 1 > cols) {
					i = n;
					break;
				}
				buf[k++] = (wchar_t)s[i++];
				used++;
				continue;
			}
			r = mbrtowc(&wc, s + i, n - i, &ps);
			if (r == (size_t)-1 || r == (size_t)-2) {
				memset(&ps, 0, sizeof ps);
				wc = 0xFFFD;
				r = 1;
			} else if (r == 0) {
				r = 1;
				wc = L' ';
			}
			int w = wcwidth(wc);
			if (w < 0) {
				wc = 0xFFFD;
				w = 1;
			}
			if (used + w > cols) {
				i = n;
				break;
			}
			if (k == 0 && w == 0 && used == 0) {
				/* a mark with nothing to sit on: give it a space */
				buf[k++] = L' ';
				used++;
			}
			buf[k++] = wc;
			used += w;
			i += r;
		}
		if (k > 0)
			addnwstr(buf, (int)k);
	}
	return used;
}

/* A bar: left text, right text, the rest blank, in attr_bar. */
void
ui_bar(struct app *a, int y, const char *left, const char *right)
{
	char l[1024], rr[1024];
	int cols = COLS;

	attrset(a->attr_bar);
	mvhline(y, 0, ' ', cols);
	text_ellipsize(left, strlen(left), (size_t)cols, l, sizeof l);
	int lw = (int)text_width(l, strlen(l));
	ui_put(y, 0, l, strlen(l), cols, a->attr_bar);
	if (right != NULL && right[0] != '\0' && cols - lw > 4) {
		size_t room = (size_t)(cols - lw - 2);
		text_ellipsize(right, strlen(right), room, rr, sizeof rr);
		int rw = (int)text_width(rr, strlen(rr));
		ui_put(y, cols - rw - 1, rr, strlen(rr), rw, a->attr_bar);
	}
	attrset(a->attr_text);
}

void
ui_list_fix(struct ui_list *l, int rows)
{
	if (rows < 1)
		rows = 1;
	if (l->count == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= l->count)
		l->sel = l->count - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)rows)
		l->top = l->sel - (size_t)rows + 1;
	if (l->top + (size_t)rows > l->count)
		l->top = l->count > (size_t)rows ? l->count - (size_t)rows : 0;
}

void
ui_list_key(struct ui_list *l, int code, bool fn, int rows)
{
	if (!fn)
		return;
	switch (code) {
	case KEY_UP: if (l->sel > 0) l->sel--; break;
	case KEY_DOWN: if (l->sel + 1 < l->count) l->sel++; break;
	case KEY_PPAGE: l->sel = l->sel > (size_t)rows ? l->sel - (size_t)rows : 0; break;
	case KEY_NPAGE: l->sel += (size_t)rows; break;
	case KEY_HOME: l->sel = 0; break;
	case KEY_END: l->sel = l->count ? l->count - 1 : 0; break;
	}
	ui_list_fix(l, rows);
}

/* ---- themes ---- */

enum { P_TEXT = 1, P_BAR, P_MATCH, P_TITLE, P_SEL, P_DIM };

void
ui_apply_theme(struct app *a)
{
	const char *t = a->st.theme;

	a->attr_text = A_NORMAL;
	a->attr_bar = A_REVERSE;
	a->attr_match = A_REVERSE | A_BOLD | A_UNDERLINE;
	a->attr_title = A_BOLD;
	a->attr_sel = A_REVERSE;
	a->attr_dim = A_DIM;
	if (a->mono) {
		bkgdset(' ' | A_NORMAL);
		return;
	}
	short fg = -1, bg = -1, bfg = -1, bbg = -1, tfg = -1;
	bool big = COLORS >= 256;
	if (strcmp(t, "light") == 0) {
		fg = COLOR_BLACK; bg = COLOR_WHITE; bfg = COLOR_WHITE; bbg = COLOR_BLUE;
		tfg = COLOR_BLUE;
	} else if (strcmp(t, "dark") == 0) {
		fg = COLOR_WHITE; bg = COLOR_BLACK; bfg = COLOR_BLACK; bbg = COLOR_CYAN;
		tfg = COLOR_CYAN;
	} else if (strcmp(t, "sepia") == 0) {
		fg = big ? 94 : COLOR_BLACK; bg = big ? 230 : COLOR_YELLOW;
		bfg = big ? 230 : COLOR_YELLOW; bbg = big ? 94 : COLOR_BLACK;
		tfg = big ? 130 : COLOR_RED;
	}
	init_pair(P_MATCH, COLOR_BLACK, COLOR_YELLOW);
	a->attr_match = COLOR_PAIR(P_MATCH) | A_BOLD;
	if (fg == -1 && bg == -1) {
		/* The terminal's own colours are pair 0: a pair of its own
		 * with the same colours would make every blank cell differ
		 * from a cleared screen's, and ncurses would paint each
		 * margin and blank line of a first screen or a resize. */
		bkgdset(' ' | A_NORMAL);
		return;
	}
	init_pair(P_TEXT, fg, bg);
	init_pair(P_TITLE, tfg, bg);
	init_pair(P_DIM, fg, bg);
	a->attr_text = COLOR_PAIR(P_TEXT);
	a->attr_title = COLOR_PAIR(P_TITLE) | A_BOLD;
	a->attr_dim = COLOR_PAIR(P_DIM) | A_DIM;
	if (bbg != -1) {
		init_pair(P_BAR, bfg, bbg);
		init_pair(P_SEL, bfg, bbg);
		a->attr_bar = COLOR_PAIR(P_BAR);
		a->attr_sel = COLOR_PAIR(P_SEL) | A_BOLD;
	} else {
		a->attr_bar = COLOR_PAIR(P_TEXT) | A_REVERSE;
		a->attr_sel = COLOR_PAIR(P_TEXT) | A_REVERSE;
	}
	bkgdset(' ' | a->attr_text);
}

/* ---- the text column ---- */

static void
view(struct app *a, struct layout_opts *lo)
{
	a->text_top = 1;
	a->text_rows = LINES - 2 > 1 ? LINES - 2 : 1;
	int want = a->width ? a->width : a->st.width;
	int room = COLS - 2 * a->st.margin;
	if (room < 16)
		room = COLS;
	a->col_width = want < room ? want : room;
	if (a->col_width < 2)
		a->col_width = 2;
	a->col_left = (COLS - a->col_width) / 2;
	*lo = (struct layout_opts){ .width = a->col_width, .indent = a->st.indent,
				    .spacing = a->st.spacing,
				    .justify = a->st.justify };
}

void
ui_layout(struct app *a)
{
	struct layout_opts lo;
	view(a, &lo);
	if (a->book != NULL)
		reader_set_view(&a->r, &lo, a->text_rows, a->st.overlap);
}

/* ---- books ---- */

void
ui_save(struct app *a, bool force)
{
	char *err = NULL;
	if (a->sess == NULL || a->book == NULL)
		return;
	session_place(a->sess, a->r.chapter, a->r.anchor, reader_progress(&a->r));
	if (session_save(a->sess, force, &err) < 0 && !a->warned_save) {
		ui_message(a, "cannot save your place: %s", err ? err : "error");
		a->warned_save = true;
	}
	free(err);
}

void
ui_close_book(struct app *a)
{
	if (a->book == NULL)
		return;
	ui_save(a, true);
	a->frame_ready = false;		/* page ids start again with a book */
	session_close(a->sess);
	a->sess = NULL;
	reader_free(&a->r);
	book_close(a->book);
	a->book = NULL;
	a->words = a->chars = 0;
}

int
ui_open_book(struct app *a, const char *path, char **err)
{
	struct book *b;
	if (book_open(&b, path, &a->bo, err) < 0)
		return -1;
	ui_close_book(a);
	a->book = b;
	struct layout_opts lo;
	view(a, &lo);
	reader_init(&a->r, b, &lo, a->text_rows, a->st.overlap);

	char *serr = NULL;
	size_t ch = 0, off = 0;
	bool resumed = false;
	a->prev_read = 0;
	if (a->dotfile != NULL && session_open(&a->sess, a->dotfile, b, &serr) < 0)
		ui_message(a, "bookmarks: %s", serr ? serr : "cannot read");
	free(serr);
	if (a->sess != NULL)
		resumed = session_resume(a->sess, &ch, &off, &a->prev_read) == 1;
	if (a->chapter > 0) {
		ch = (size_t)a->chapter - 1;
		off = 0;
		resumed = false;
		a->chapter = 0;
	}
	if (reader_goto(&a->r, ch, off, false) < 0)
		ui_message(a, "%s", a->r.msg);
	else if (a->sess != NULL && store_bad_lines(a->sess->store) > 0)
		ui_message(a, "%s: %zu line%s not understood, kept as they are",
			   a->dotfile, store_bad_lines(a->sess->store),
			   store_bad_lines(a->sess->store) == 1 ? "" : "s");
	if (resumed && a->msg[0] == '\0') {
		if (a->r.chapter != ch)
			ui_message(a, "the book changed: resumed at its last chapter");
		else
			ui_message(a, "resumed at chapter %zu, %.0f%%", ch + 1,
				   reader_progress(&a->r) * 100);
	}
	a->screen = SCR_READ;
	return 0;
}

/* ---- the prompt ---- */

static void draw(struct app *a);

bool
ui_prompt(struct app *a, const char *label, char *buf, size_t size)
{
	size_t len = strlen(buf);
	curs_set(1);
	for (;;) {
		draw(a);
		char line[1200];
		snprintf(line, sizeof line, "%s%s", label, buf);
		attrset(a->attr_bar);
		move(LINES - 1, 0);
		clrtoeol();
		for (int i = 0; i < COLS; i++)
			addch(' ');
		/* Show the end of what is typed if it is long. */
		size_t lw = text_width(line, strlen(line));
		const char *show = line;
		while (lw + 2 > (size_t)COLS && *show) {
			size_t k;
			lw -= text_char_width(show, strlen(show), &k);
			show += k;
		}
		int w = ui_put(LINES - 1, 0, show, strlen(show), COLS - 1, a->attr_bar);
		move(LINES - 1, w);
		refresh();
		wint_t ch;
		int rc = get_wch(&ch);
		if (got_signal) {
			curs_set(0);
			return false;
		}
		if (rc == ERR) {
			check_suspend(a);
			check_resize(a);
			continue;
		}
		if (rc == KEY_CODE_YES) {
			if (ch == KEY_BACKSPACE && len > 0) {
				while (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0x80)
					len--;
				if (len > 0)
					len--;
				buf[len] = '\0';
			} else if (ch == KEY_ENTER) {
				break;
			}
			continue;
		}
		if (ch == 27) {
			curs_set(0);
			return false;
		}
		if (ch == '\n' || ch == '\r')
			break;
		if (ch == 127 || ch == 8) {
			while (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0x80)
				len--;
			if (len > 0)
				len--;
			buf[len] = '\0';
			continue;
		}
		if (ch == 21) {		/* ^U */
			len = 0;
			buf[0] = '\0';
			continue;
		}
		if (ch < 32 || (ch >= 0x7F && ch < 0xA0))
			continue;
		char mb[MB_LEN_MAX];
		mbstate_t ps;
		memset(&ps, 0, sizeof ps);
		size_t k = wcrtomb(mb, (wchar_t)ch, &ps);
		if (k != (size_t)-1 && len + k + 1 < size) {
			memcpy(buf + len, mb, k);
			len += k;
			buf[len] = '\0';
		}
	}
	curs_set(0);
	return true;
}

/* ---- the loop ---- */

bool
ui_too_small(void)
{
	return COLS < 20 || LINES < 5;
}

static void
draw(struct app *a)
{
	attrset(a->attr_text);
	erase();
	if (ui_too_small()) {
		/* The longest form that fits, so a narrow terminal reads
		 * "too small" rather than "terminal too sma". */
		const char *m = COLS >= 18 ? "terminal too small" :
				COLS >= 9 ? "too small" : "small";
		int n = (int)strlen(m);
		int y = LINES / 2, x = COLS > n ? (COLS - n) / 2 : 0;
		ui_put(y, x, m, strlen(m), COLS, a->attr_text);
		return;
	}
	switch (a->screen) {
	case SCR_READ: ui_read_draw(a); break;
	case SCR_TOC: ui_toc_draw(a); break;
	case SCR_HELP: ui_help_draw(a); break;
	case SCR_INFO: ui_info_draw(a); break;
	case SCR_MARKS: ui_marks_draw(a); break;
	case SCR_SETTINGS: ui_settings_draw(a); break;
	case SCR_LIBRARY: ui_library_draw(a); break;
	}
}

static enum command
lookup(wint_t ch, bool fn)
{
	for (const struct ui_key *k = ui_keys; k->cmd != CMD_NONE; k++)
		if (k->fn == fn && (wint_t)k->code == ch)
			return k->cmd;
	return CMD_NONE;
}

static void
mouse(struct app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || a->screen != SCR_READ || a->book == NULL)
		return;
	enum command c = CMD_NONE;
	if (ev.bstate & BUTTON4_PRESSED)
		c = CMD_LINE_UP;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		c = CMD_LINE_DOWN;
#endif
	for (int i = 0; i < 3 && c != CMD_NONE; i++)
		ui_read_key(a, c);
}

static void
key(struct app *a, wint_t ch, bool fn)
{
	enum command c = lookup(ch, fn);
	/* Only a page-down can land on the frame composed ahead: any other
	 * key may change what the page looks like (a search, a setting). */
	if (a->screen != SCR_READ || c != CMD_PAGE_DOWN)
		a->frame_ready = false;
	if (fn && ch == KEY_MOUSE) {
		mouse(a);
		return;
	}
	a->msg[0] = '\0';
	if (c == CMD_SUSPEND) {
		if (tstp_ignored)
			ui_message(a, "suspending is off here (SIGTSTP is ignored)");
		else if (getpgrp() == getsid(0))
			/* The session's own process group has no shell to
			 * go back to (folio is the terminal's only
			 * program): the kernel would drop the stop. */
			ui_message(a, "no shell to suspend to");
		else
			suspend(a, true);
		return;
	}
	switch (a->screen) {
	case SCR_READ: {
		if (c != CMD_NONE)
			ui_read_key(a, c);
		else if (!(fn && ch == KEY_MOUSE))
			ui_message(a, "unknown key: h for help");
		break;
	}
	case SCR_TOC: ui_toc_key(a, ch, fn); break;
	case SCR_HELP: ui_help_key(a, ch, fn); break;
	case SCR_INFO: ui_info_key(a, ch, fn); break;
	case SCR_MARKS: ui_marks_key(a, ch, fn); break;
	case SCR_SETTINGS: ui_settings_key(a, ch, fn); break;
	case SCR_LIBRARY: ui_library_key(a, ch, fn); break;
	}
}

/* Between keys: index the book a slice at a time, save when due. */
static bool
idle(struct app *a)
{
	if (a->book == NULL)
		return false;
	bool warned = a->warned_save;
	ui_save(a, a->save_due);
	a->save_due = false;
	if (book_complete(a->book))
		return a->warned_save != warned;	/* show the warning */
	/* Index for about 20 ms, then look at the keyboard again. */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		book_index_more(a->book, 1 << 20);
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while (!book_complete(a->book) &&
		 (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) <
		 20000000L);
	return true;
}

/* How long to wait for a key: short while there is indexing to do. */
static int
wait_ms(struct app *a)
{
	return a->book != NULL && !book_complete(a->book) ? 5 : 200;
}

int
ui_run(struct app *a, char **err)
{
	*err = NULL;
	const char *cs = nl_langinfo(CODESET);
	if (strcmp(cs, "UTF-8") != 0) {
		*err = dupf("the locale's character set is %s, not UTF-8; "
				       "set LANG to a UTF-8 locale such as C.UTF-8", cs);
		return 1;
	}
	const char *term = getenv("TERM");
	if (term == NULL || *term == '\0') {
		*err = strdup("TERM is not set: cannot drive the terminal");
		return 1;
	}
	FILE *in = stdin;
	bool own_in = false;
	if (!isatty(0)) {
		int fd = open("/dev/tty", O_RDONLY | O_CLOEXEC);
		if (fd < 0 || (in = fdopen(fd, "r")) == NULL) {
			*err = strdup("no terminal to read keys from");
			if (fd >= 0)
				close(fd);
			return 1;
		}
		own_in = true;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	struct sigaction was;
	tstp_ignored = sigaction(SIGTSTP, NULL, &was) == 0 &&
		       was.sa_handler == SIG_IGN;
	if (!tstp_ignored) {
		sa.sa_handler = on_tstp;
		sigaction(SIGTSTP, &sa, NULL);
	}

	warm_heap();
	/* An unknown TERM: newterm() says so with NULL (losing the screen
	 * it began with, tests/valgrind.supp), before any output. */
	SCREEN *scr = newterm(NULL, stdout, in);
	if (scr == NULL) {
		*err = dupf("unknown terminal type '%s' (TERM)", term);
		if (own_in)
			fclose(in);
		return 1;
	}
	set_term(scr);
	/* Until the first endwin(), ncurses 6.4 flushes its output after
	 * every cursor movement: a screen went out in forty writes, each a
	 * wake-up for the terminal.  Ending once here, before anything is
	 * drawn, makes every refresh after it one write. */
	endwin();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	/* Keys typed ahead are read before each draw (the loop below), so
	 * doupdate() need not poll for them between lines. */
	typeahead(-1);
	timeout(200);
	mousemask(BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	a->mono = getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0';
	if (!has_colors())
		a->mono = true;
	if (!a->mono) {
		start_color();
		use_default_colors();
	}
	ui_apply_theme(a);
	ui_layout(a);

	if (a->book_path != NULL) {
		if (ui_open_book(a, a->book_path, err) < 0) {
			a->opened_fail = true;
			endwin();
			delscreen(scr);
			if (own_in)
				fclose(in);
			return 1;
		}
	} else {
		ui_library_open(a);
	}
	ui_layout(a);

	bool dirty = true;
	struct termios tio;
	while (!a->quit && !got_signal) {
		/* A stop that came while drawing or indexing, not waiting. */
		if (check_suspend(a))
			dirty = true;
		if (dirty) {
			/* What Space asked for may be drawn already. */
			if (!ui_read_composed(a)) {
				draw(a);
				wnoutrefresh(stdscr);
			}
			a->frame_ready = false;
			doupdate();
			/* The page is out; the next one is laid out and drawn
			 * while the reader reads this one. */
			if (a->screen == SCR_READ && a->book != NULL) {
				reader_prepare(&a->r);
				ui_read_compose(a);
			}
		}
		wint_t ch;
		int rc = get_wch(&ch);
		if (got_signal)
			break;
		if (rc == ERR) {
			/* A terminal that hung up reads as ERR at once, forever:
			 * that is the end of input, not a pause. */
			if (tcgetattr(fileno(in), &tio) < 0)
				break;
			if (check_suspend(a)) {
				dirty = true;
				continue;
			}
			/* A SIGWINCH interrupts the wait; one missed in a
			 * burst is caught by the timeout.  Either way: look. */
			if (check_resize(a)) {
				dirty = true;
				continue;
			}
			dirty = idle(a) && (a->screen == SCR_READ ||
					    a->screen == SCR_TOC);
			timeout(wait_ms(a));
			continue;
		}
		key(a, ch, rc == KEY_CODE_YES);
		/* Keys typed ahead are handled before the next draw. */
		timeout(0);
		for (int n = 0; n < 256 && !a->quit; n++) {
			rc = get_wch(&ch);
			if (rc == ERR)
				break;
			key(a, ch, rc == KEY_CODE_YES);
		}
		timeout(wait_ms(a));
		dirty = true;
	}
	ui_close_book(a);
	endwin();
	delscreen(scr);
	if (own_in)
		fclose(in);
	library_free(a->lib);
	store_free(a->libstore);
	free(a->rows);
	/* Ended by a signal: say so, as a shell does for a killed program. */
	return got_signal ? 128 + got_signal : a->exit_code;
}
