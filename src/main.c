/* main: the command line, dump mode and wiring.  Only this file exits. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "book.h"
#include "layout.h"
#include "library.h"
#include "store.h"
#include "text.h"
#include "ui.h"

enum { OPT_TOC = 256, OPT_DUMP, OPT_CHAPTER, OPT_WIDTH, OPT_ENCODING,
       OPT_PATTERN, OPT_BOOKMARKS, OPT_LIST, OPT_HELP, OPT_VERSION };

static const struct option longopts[] = {
	{ "toc", no_argument, NULL, OPT_TOC },
	{ "dump", no_argument, NULL, OPT_DUMP },
	{ "chapter", required_argument, NULL, OPT_CHAPTER },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "chapter-pattern", required_argument, NULL, OPT_PATTERN },
	{ "bookmarks", required_argument, NULL, OPT_BOOKMARKS },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

struct args {
	bool toc, dump, list;
	long chapter;		/* 1-based; 0: not given */
	int width;		/* 0: not given */
	struct book_opts bo;
	const char *bookmarks;
	const char *path;	/* NULL: the library */
	char *cache;		/* owned: the index cache directory */
	char *rcfile;		/* owned: the settings file, or NULL */
	char *dotfile;		/* owned: the bookmarks file, or NULL */
	struct settings st;
};

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: folio [OPTION]... [BOOK]\n"
"Read BOOK (a directory of chapter files, a text file, or - for standard\n"
"input) in the terminal.  Without BOOK, show the library.\n"
"\n"
"      --toc                  print the chapters (number, tab, title) and exit\n"
"      --dump                 print the laid-out text and exit (also what\n"
"                             happens when standard output is not a terminal)\n"
"      --chapter N            open at (or dump only) chapter N\n"
"      --width N              text column width in columns\n"
"      --encoding NAME        read the book in this encoding (iconv name)\n"
"      --chapter-pattern RE   chapter headings match this extended regex\n"
"      --bookmarks FILE       keep places and bookmarks in FILE\n"
"                             (default $FOLIO_BOOKMARKS, ~/.folio_bookmarks)\n"
"      --list                 print the library, tab-separated, and exit\n"
"      --help                 display this help and exit\n"
"      --version              output version information and exit\n"
"\n"
"Keys: <- -> chapters, Space/b pages, t contents, / search, m bookmark,\n"
"' bookmarks, u back, i info, s settings, L library, h help, q quit.\n"
"Full documentation: man folio.\n");
}

/* One line on stderr: "folio: what: why", control characters inert. */
static void
complain(const char *what, const char *why)
{
	struct text_buf b = { 0 };
	char line[1024];

	snprintf(line, sizeof line, "%s%s%s", what ? what : "", what ? ": " : "",
		 why);
	if (text_to_clean("UTF-8", line, strlen(line), &b) == 0 && b.s) {
		for (size_t i = 0; i < b.len; i++)
			if (b.s[i] == '\n')
				b.s[i] = ' ';
		fprintf(stderr, "folio: %s\n", b.s);
	} else {
		fprintf(stderr, "folio: %s\n", why);
	}
	text_buf_free(&b);
}

static long
number(const char *opt, const char *s, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		char why[128];
		snprintf(why, sizeof why, "%s: not a number from %ld to %ld", s,
			 min, max);
		complain(opt, why);
		exit(2);
	}
	return v;
}

static char *strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static int
terminal_width(void)
{
	struct winsize ws;
	for (int fd = 1; fd <= 2; fd++)
		if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			return ws.ws_col;
	const char *c = getenv("COLUMNS");
	if (c != NULL && atoi(c) > 0)
		return atoi(c);
	return 80;
}

static int
print_toc(struct book *b)
{
	for (size_t i = 0; book_need(b, i) == 0; i++)
		if (printf("%zu\t%s\n", i + 1, book_chapter_title(b, i)) < 0)
			return -1;
	return fflush(stdout);
}

static int
print_line(void *ctx, const struct layout_line *l)
{
	fwrite(l->text, 1, l->len, stdout);
	return putchar('\n') == EOF;
}

static int
dump_chapter(struct book *b, size_t i, const struct layout_opts *lo)
{
	const char *text;
	size_t len;
	char *err;

	if (book_chapter_text(b, i, &text, &len, &err) < 0) {
		complain(book_path(b), err);
		free(err);
		return -1;
	}
	return layout_lines(lo, text, len, print_line, NULL);
}

static int
dump(struct book *b, long chapter, const struct layout_opts *lo)
{
	if (chapter > 0)
		return dump_chapter(b, (size_t)chapter - 1, lo);
	for (size_t i = 0; book_need(b, i) == 0; i++) {
		if (i > 0)
			putchar('\n');
		if (dump_chapter(b, i, lo) < 0)
			return -1;
	}
	return 0;
}

/* The bundled books: the source tree's when run from the build tree,
 * else the installed ones. */
static const char *
bundled_books(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if (strncmp(self, BUILDDIR_ABS "/", strlen(BUILDDIR_ABS) + 1) == 0 &&
		    access(FOLIO_BOOKS_SRCDIR, R_OK) == 0)
			return FOLIO_BOOKS_SRCDIR;
	}
	return FOLIO_BOOKS_DIR;
}

/* --list: the library without the screen. */
static int
list_library(struct args *a)
{
	struct store *st = NULL;
	char *err = NULL;

	if (a->dotfile != NULL && store_load(&st, a->dotfile, &err) < 0) {
		complain(a->dotfile, err ? err : "cannot read");
		free(err);
		err = NULL;
	}
	size_t n = st ? store_count(st) : 0;
	struct store_book **recs = calloc(n ? n : 1, sizeof *recs);
	if (recs == NULL) {
		store_free(st);
		complain(NULL, "out of memory");
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		recs[i] = store_at(st, i);
	struct library *lib = library_scan(bundled_books(), recs, n, &err);
	int rc = 0;
	if (lib == NULL) {
		complain(NULL, err ? err : "out of memory");
		rc = 1;
	} else if (library_print(lib, stdout) < 0 || fflush(stdout) != 0) {
		rc = 1;
	}
	free(err);
	library_free(lib);
	free(recs);
	store_free(st);
	return rc;
}

/* The terminal UI: the library, or a book. */
static int
interactive(struct args *a)
{
	struct app app = { 0 };
	char *err = NULL;

	app.book_path = a->path;
	app.bo = a->bo;
	app.chapter = a->chapter;
	app.width = a->width;
	app.dotfile = a->dotfile;
	app.rcfile = a->rcfile;
	app.bundled = bundled_books();
	app.st = a->st;
	int code = ui_run(&app, &err);
	if (err != NULL) {
		/* A book's error names the book; the terminal's does not. */
		bool book_err = a->path && app.book == NULL && app.opened_fail;
		complain(book_err ? (strcmp(a->path, "-") ? a->path :
				     "standard input") : NULL, err);
		free(err);
	}
	return code;
}

/* --toc and --dump. */
static int
headless(struct args *a)
{
	struct book *b;
	char *err;

	if (a->path == NULL) {
		complain(NULL, "no BOOK given: --toc and --dump need one");
		return 2;
	}
	if (book_open(&b, a->path, &a->bo, &err) < 0) {
		complain(strcmp(a->path, "-") ? a->path : "standard input", err);
		free(err);
		return 1;
	}
	if (a->chapter > 0 && book_need(b, (size_t)a->chapter - 1) < 0) {
		char why[96];
		snprintf(why, sizeof why, "no chapter %ld (the book has %zu)",
			 a->chapter, book_nchapters(b));
		complain(book_path(b), why);
		book_close(b);
		return 1;
	}
	int rc;
	if (a->toc) {
		rc = print_toc(b);
	} else {
		struct layout_opts lo = { .width = a->width ? a->width :
					  terminal_width(), .spacing = a->st.spacing,
					  .indent = a->st.indent, .justify = a->st.justify };
		rc = dump(b, a->chapter, &lo);
		if (fflush(stdout) != 0)
			rc = -1;
	}
	book_close(b);
	return rc < 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct args a = { 0 };
	int c;

	/* Only the character type matters: it makes the terminal UTF-8. */
	setlocale(LC_CTYPE, "");
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TOC: a.toc = true; break;
		case OPT_DUMP: a.dump = true; break;
		case OPT_LIST: a.list = true; break;
		case OPT_CHAPTER:
			a.chapter = number("--chapter", optarg, 1, LONG_MAX);
			break;
		case OPT_WIDTH:
			a.width = (int)number("--width", optarg, 1, 10000);
			break;
		case OPT_ENCODING: a.bo.encoding = optarg; break;
		case OPT_PATTERN: a.bo.pattern = optarg; break;
		case OPT_BOOKMARKS: a.bookmarks = optarg; break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("folio %s\n", PACKAGE_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'folio --help' for more information.\n");
			return 2;
		}
	}
	if (optind + 1 < argc) {
		complain(NULL, "too many arguments (one BOOK at most)");
		return 2;
	}
	a.path = optind < argc ? argv[optind] : NULL;
	/* "-" on a terminal would read what is typed as the book. */
	if (a.path != NULL && strcmp(a.path, "-") == 0 && !a.list && isatty(0)) {
		complain("standard input", "is a terminal: pipe or redirect a book into 'folio -'");
		return 1;
	}

	/* Index caches for big text books. */
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (xdg != NULL && xdg[0] == '/')
		a.cache = strdup_printf("%s/folio", xdg);
	else if (home != NULL && home[0] != '\0')
		a.cache = strdup_printf("%s/.cache/folio", home);
	a.bo.cache_dir = a.cache;

	/* Settings: a bad line is reported and skipped. */
	char *err = NULL;
	a.rcfile = settings_default_path();
	settings_defaults(&a.st);
	if (a.rcfile != NULL && settings_load(&a.st, a.rcfile, &err) < 0 && err)
		complain(a.rcfile, err);
	free(err);
	a.dotfile = store_default_path(a.bookmarks);

	int code;
	if (!a.toc && !a.dump && !a.list && (a.path == NULL || isatty(1)))
		code = interactive(&a);
	else if (a.list)
		code = list_library(&a);
	else
		code = headless(&a);
	free(a.cache);
	free(a.rcfile);
	free(a.dotfile);
	if (code > 128) {
		/* Ended by a signal, the place saved and the terminal
		 * restored: die of it, so that a shell or a script sees a
		 * killed program (status 128+N) and stops too. */
		signal(code - 128, SIG_DFL);
		raise(code - 128);
	}
	return code;
}
