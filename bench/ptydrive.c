/* ptydrive: run a program on a pseudo-terminal, feed it keys, time it.
 *
 * The benchmark driver of bench/run.sh; it drives folio and less the same
 * way.  Linux only (/proc, openpty).
 *
 *   ptydrive [-s COLSxROWS] [-S COLSxROWS] [-t SECONDS] [-l LOG] [-v]
 *            STEP... -- PROGRAM [ARG]...
 *   ptydrive -n [-t SECONDS] -- PROGRAM [ARG]...
 *
 * The program runs in a new session on a pty of size -s (default 100x30),
 * with LINES and COLUMNS removed from its environment.  The steps run in
 * order, each within -t seconds (default 120):
 *
 *   wait=TEXT    until TEXT appears in the output, looking after the previous
 *                match; escape sequences and control characters are removed
 *                from the output first, so TEXT should be one plain word
 *   idle         until the program has written something since the last key
 *                or resize, and then sleeps with all its input read and all
 *                its output read by us (checked twice, 100 us apart); this
 *                step ends at the time of the last output byte
 *   send=KEYS    write KEYS (escapes: \e \r \n \t \s (space) \\ \xHH)
 *   burst=N:KEYS write KEYS N times, all at once
 *   pace=N:KEYS  N times: write KEYS, then idle
 *   resize=N     N times: switch between size -s and size -S (default: 10
 *                columns and 3 rows fewer) with TIOCSWINSZ, which sends
 *                SIGWINCH, then idle
 *   mark         start the clock here (by default it starts at the fork)
 *   stop         record the time from the clock's start to the end of the
 *                previous step
 *   exit         until the program exits
 *
 * No steps means "exit".  A program still running after the last step is
 * killed.  With -n the program runs with no terminal: standard input
 * /dev/null, standard output a pipe that ptydrive counts and discards; the
 * time is from fork to exit.
 *
 * Output, one line on standard output:
 *   ms=TIME cpu_ms=CPU sys_ms=SYS rss_kb=PEAK out_bytes=N out_lines=N status=S
 * TIME is the last stop's (with none, fork to exit), CPU the user and system
 * time the program used from fork to exit (SYS the system part of it), PEAK
 * the program's ru_maxrss, N what it wrote (lines: with -n only), S its exit
 * status (128+signal if killed by one).
 * Exit status: 0 when every step completed, 1 on a timeout or when the
 * program exited before a step was done, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define TEXT_KEEP 4096          /* stripped output kept when trimming */
#define TEXT_MAX (1 << 20)      /* trim the stripped output beyond this */

enum esc { E_TEXT, E_ESC, E_CSI, E_STR, E_STR_ESC, E_INTER };

struct drv {
	pid_t pid;
	int master, slave;
	int sigpipe[2];
	int exited, status;
	struct rusage ru;
	double t_start, t_mark, t_exit, last_out, step_done, stopped;
	int have_stop;
	int got_output;         /* output seen since the last key or resize */
	double deadline;
	const char *step;       /* for messages */
	char *text;             /* output with escape sequences removed */
	size_t len, cap, from;
	enum esc esc;
	FILE *log;
	int verbose;
	unsigned long long out_bytes, out_lines;
	struct winsize ws[2];
	int cur_ws;
};

static double step_timeout = 120;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("ptydrive: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int sigchld_fd = -1;

static void on_sigchld(int sig)
{
	int e = errno;

	(void)sig;
	if (sigchld_fd >= 0 && write(sigchld_fd, "x", 1) < 0) {
		/* full pipe: a wake-up is pending anyway */
	}
	errno = e;
}

static void reap(struct drv *d)
{
	int st;
	pid_t r;

	if (d->exited)
		return;
	r = wait4(d->pid, &st, WNOHANG, &d->ru);
	if (r == d->pid) {
		d->exited = 1;
		d->t_exit = now();
		d->status = WIFEXITED(st) ? WEXITSTATUS(st)
			: WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
	}
}

static void add_text(struct drv *d, char c)
{
	if (d->len == d->cap) {
		if (d->len >= TEXT_MAX) {
			size_t drop = d->len - TEXT_KEEP;

			memmove(d->text, d->text + drop, TEXT_KEEP);
			d->len = TEXT_KEEP;
			d->from = d->from > drop ? d->from - drop : 0;
		} else {
			d->cap = d->cap ? d->cap * 2 : 65536;
			d->text = realloc(d->text, d->cap);
			if (!d->text)
				die("out of memory");
		}
	}
	d->text[d->len++] = c;
}

/* Feed output bytes through a small escape-sequence recogniser. */
static void strip(struct drv *d, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		switch (d->esc) {
		case E_TEXT:
			if (c == 0x1b)
				d->esc = E_ESC;
			else if (c == '\n' || c == '\r')
				add_text(d, '\n');
			else if (c >= 0x20 && c != 0x7f)
				add_text(d, (char)c);
			break;
		case E_ESC:
			if (c == '[')
				d->esc = E_CSI;
			else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
				d->esc = E_STR;
			else if (c >= 0x20 && c <= 0x2f)
				d->esc = E_INTER;
			else
				d->esc = E_TEXT;
			break;
		case E_CSI:
			if (c >= 0x40 && c <= 0x7e)
				d->esc = E_TEXT;
			break;
		case E_STR:
			if (c == 0x07)
				d->esc = E_TEXT;
			else if (c == 0x1b)
				d->esc = E_STR_ESC;
			break;
		case E_STR_ESC:
			d->esc = c == '\\' ? E_TEXT : E_STR;
			break;
		case E_INTER:
			if (c < 0x20 || c > 0x2f)
				d->esc = E_TEXT;
			break;
		}
	}
}

/* Wait up to timeout seconds for output or the child's exit; read all
 * output there is.  Returns the number of bytes read. */
static size_t pump(struct drv *d, double timeout)
{
	struct pollfd pfd[2];
	struct timespec ts;
	unsigned char buf[65536];
	size_t total = 0;
	ssize_t n;

	pfd[0].fd = d->master;
	pfd[0].events = POLLIN;
	pfd[1].fd = d->sigpipe[0];
	pfd[1].events = POLLIN;
	ts.tv_sec = (time_t)timeout;
	ts.tv_nsec = (long)((timeout - (double)ts.tv_sec) * 1e9);
	if (ppoll(pfd, 2, &ts, NULL) < 0 && errno != EINTR)
		die("poll: %s", strerror(errno));
	if (pfd[1].revents & POLLIN)
		while (read(d->sigpipe[0], buf, sizeof buf) > 0)
			;
	for (;;) {
		n = read(d->master, buf, sizeof buf);
		if (n <= 0)
			break;
		d->last_out = now();
		d->got_output = 1;
		d->out_bytes += (unsigned long long)n;
		if (d->log)
			fwrite(buf, 1, (size_t)n, d->log);
		strip(d, buf, (size_t)n);
		total += (size_t)n;
	}
	reap(d);
	return total;
}

static void fail(struct drv *d, const char *why)
{
	fprintf(stderr, "ptydrive: %s in step '%s'\n", why, d->step);
	if (d->len) {
		size_t from = d->len > 300 ? d->len - 300 : 0;

		fprintf(stderr, "ptydrive: last output: %.*s\n", (int)(d->len - from),
			d->text + from);
	}
	if (!d->exited) {
		kill(d->pid, SIGKILL);
		waitpid(d->pid, NULL, 0);
	}
	exit(1);
}

static void check(struct drv *d)
{
	if (now() > d->deadline)
		fail(d, "timed out");
	if (d->exited)
		fail(d, "the program exited");
}

static int child_idle(struct drv *d)
{
	char path[320], buf[512];
	struct dirent *e;
	DIR *dir;
	int pending = 0, idle = 1;

	if (ioctl(d->slave, FIONREAD, &pending) == 0 && pending > 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/task", (long)d->pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while (idle && (e = readdir(dir))) {
		char *p;
		int fd;
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/%ld/task/%s/stat", (long)d->pid, e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (!p || p[1] != ' ')
			continue;
		/* S: interruptible sleep (waiting for input or a timer);
		 * R and D: still working. */
		if (!strchr("SIZX", p[2]))
			idle = 0;
	}
	closedir(dir);
	return idle;
}

static void do_idle(struct drv *d)
{
	int confirmed = 0;

	for (;;) {
		check(d);
		if (pump(d, d->got_output ? 100e-6 : 10e-3) > 0) {
			confirmed = 0;
			continue;
		}
		if (d->exited)
			check(d);
		if (!d->got_output)
			continue;
		if (child_idle(d)) {
			if (++confirmed == 2) {
				d->step_done = d->last_out;
				return;
			}
		} else {
			confirmed = 0;
		}
	}
}

static void do_wait(struct drv *d, const char *want)
{
	size_t wl = strlen(want);

	for (;;) {
		char *hit = NULL;

		if (d->len >= d->from + wl)
			hit = memmem(d->text + d->from, d->len - d->from, want, wl);
		if (hit) {
			d->from = (size_t)(hit - d->text) + wl;
			d->step_done = d->last_out;
			return;
		}
		check(d);
		pump(d, 10e-3);
	}
}

static void send_bytes(struct drv *d, const char *s, size_t n)
{
	d->got_output = 0;
	while (n > 0) {
		ssize_t w = write(d->master, s, n);

		if (w > 0) {
			s += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			die("write: %s", strerror(errno));
		check(d);
		pump(d, 1e-3);  /* the program may need us to read before it reads */
		d->got_output = 0;
	}
	d->step_done = now();
}

/* Decode \e \r \n \t \s \\ \xHH.  Caller frees. */
static char *keys(const char *s, size_t *len)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		die("out of memory");
	while (*s) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'e': *o++ = 0x1b; break;
		case 'r': *o++ = '\r'; break;
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 's': *o++ = ' '; break;
		case 'x':
			if (isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
				char hex[3] = { s[1], s[2], 0 };

				*o++ = (char)strtol(hex, NULL, 16);
				s += 2;
				break;
			}
			/* fall through */
		default: *o++ = *s; break;
		}
		s++;
	}
	*len = (size_t)(o - out);
	return out;
}

static long count_arg(const char *s, const char **rest)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (end == s || n < 0 || (rest && *end != ':') || (!rest && *end))
		die("bad count in '%s'", s);
	if (rest)
		*rest = end + 1;
	return n;
}

static void parse_size(const char *s, struct winsize *ws)
{
	unsigned cols, rows;
	char x;

	if (sscanf(s, "%u%c%u", &cols, &x, &rows) != 3 || x != 'x' || cols < 10 || rows < 5)
		die("bad size '%s' (want COLSxROWS)", s);
	memset(ws, 0, sizeof *ws);
	ws->ws_col = (unsigned short)cols;
	ws->ws_row = (unsigned short)rows;
}

static void run_step(struct drv *d, const char *step)
{
	const char *rest;
	char *k;
	size_t kl;
	long n, i;

	d->step = step;
	d->deadline = now() + step_timeout;
	if (!strncmp(step, "wait=", 5)) {
		do_wait(d, step + 5);
	} else if (!strcmp(step, "idle")) {
		do_idle(d);
	} else if (!strncmp(step, "send=", 5)) {
		k = keys(step + 5, &kl);
		send_bytes(d, k, kl);
		free(k);
	} else if (!strncmp(step, "burst=", 6)) {
		char *all;

		n = count_arg(step + 6, &rest);
		k = keys(rest, &kl);
		all = malloc(kl * (size_t)n + 1);
		if (!all)
			die("out of memory");
		for (i = 0; i < n; i++)
			memcpy(all + (size_t)i * kl, k, kl);
		send_bytes(d, all, kl * (size_t)n);
		free(all);
		free(k);
	} else if (!strncmp(step, "pace=", 5)) {
		n = count_arg(step + 5, &rest);
		k = keys(rest, &kl);
		for (i = 0; i < n; i++) {
			send_bytes(d, k, kl);
			do_idle(d);
		}
		free(k);
	} else if (!strncmp(step, "resize=", 7)) {
		n = count_arg(step + 7, NULL);
		for (i = 0; i < n; i++) {
			d->cur_ws = !d->cur_ws;
			d->got_output = 0;
			if (ioctl(d->master, TIOCSWINSZ, &d->ws[d->cur_ws]) < 0)
				die("TIOCSWINSZ: %s", strerror(errno));
			do_idle(d);
		}
	} else if (!strcmp(step, "mark")) {
		d->t_mark = d->step_done = now();
	} else if (!strcmp(step, "stop")) {
		d->stopped = d->step_done - d->t_mark;
		d->have_stop = 1;
	} else if (!strcmp(step, "exit")) {
		while (!d->exited) {
			if (now() > d->deadline)
				fail(d, "timed out");
			pump(d, 10e-3);
		}
		d->step_done = d->t_exit;
	} else {
		die("unknown step '%s'", step);
	}
	if (d->verbose)
		fprintf(stderr, "ptydrive: %-20.20s done at %9.3f ms\n", step,
			(d->step_done - d->t_start) * 1e3);
}

static void report(struct drv *d)
{
	double ms = (d->have_stop ? d->stopped : d->t_exit - d->t_start) * 1e3;

	double usr = d->ru.ru_utime.tv_sec * 1e3 + d->ru.ru_utime.tv_usec / 1e3;
	double sys = d->ru.ru_stime.tv_sec * 1e3 + d->ru.ru_stime.tv_usec / 1e3;
	printf("ms=%.3f cpu_ms=%.3f sys_ms=%.3f rss_kb=%ld out_bytes=%llu "
	       "out_lines=%llu status=%d\n", ms, usr + sys, sys, d->ru.ru_maxrss,
	       d->out_bytes, d->out_lines, d->status);
}

/* -n: no terminal; count and discard standard output. */
static int run_plain(struct drv *d, char **argv)
{
	int fd[2];
	unsigned char buf[1 << 16];

	if (pipe2(fd, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	d->t_start = now();
	d->pid = fork();
	if (d->pid < 0)
		die("fork: %s", strerror(errno));
	if (d->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, 0) < 0 || dup2(fd[1], 1) < 0)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "ptydrive: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	d->deadline = d->t_start + step_timeout;
	for (;;) {
		struct pollfd p = { .fd = fd[0], .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		n = read(fd[0], buf, sizeof buf);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				break;
		} else {
			d->out_bytes += (unsigned long long)n;
			for (ssize_t i = 0; i < n; i++)
				d->out_lines += buf[i] == '\n';
		}
		if (now() > d->deadline) {
			d->step = "-n";
			fail(d, "timed out");
		}
	}
	close(fd[0]);
	{
		int st;

		if (wait4(d->pid, &st, 0, &d->ru) < 0)
			die("wait: %s", strerror(errno));
		d->t_exit = now();
		d->exited = 1;
		d->status = WIFEXITED(st) ? WEXITSTATUS(st)
			: WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
	}
	report(d);
	return 0;
}

int main(int argc, char **argv)
{
	struct drv d;
	struct sigaction sa;
	int opt, plain = 0, nsteps, i, have_small = 0;
	char **steps;
	const char *logpath = NULL;

	memset(&d, 0, sizeof d);
	parse_size("100x30", &d.ws[0]);
	while ((opt = getopt(argc, argv, "+s:S:t:l:nv")) != -1) {
		switch (opt) {
		case 's': parse_size(optarg, &d.ws[0]); break;
		case 'S': parse_size(optarg, &d.ws[1]); have_small = 1; break;
		case 't': step_timeout = atof(optarg); break;
		case 'l': logpath = optarg; break;
		case 'n': plain = 1; break;
		case 'v': d.verbose = 1; break;
		default: return 2;
		}
	}
	if (!have_small) {
		d.ws[1] = d.ws[0];
		d.ws[1].ws_col = (unsigned short)(d.ws[0].ws_col - 10);
		d.ws[1].ws_row = (unsigned short)(d.ws[0].ws_row - 3);
	}
	steps = argv + optind;
	if (optind > 1 && !strcmp(argv[optind - 1], "--"))
		steps--;        /* getopt ate the "--" that follows the options */
	for (nsteps = 0; steps + nsteps < argv + argc && strcmp(steps[nsteps], "--"); nsteps++)
		;
	if (steps + nsteps + 1 >= argv + argc) {
		fprintf(stderr, "usage: ptydrive [-s COLSxROWS] [-S COLSxROWS] [-t SECONDS] [-l LOG] [-v]"
			" STEP... -- PROGRAM [ARG]...\n"
			"       ptydrive -n [-t SECONDS] -- PROGRAM [ARG]...\n");
		return 2;
	}
	argv = steps + nsteps + 1;
	if (plain)
		return run_plain(&d, argv);

	if (logpath && !(d.log = fopen(logpath, "we")))
		die("%s: %s", logpath, strerror(errno));
	if (pipe2(d.sigpipe, O_CLOEXEC | O_NONBLOCK) < 0)
		die("pipe: %s", strerror(errno));
	sigchld_fd = d.sigpipe[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (openpty(&d.master, &d.slave, NULL, NULL, &d.ws[0]) < 0)
		die("openpty: %s", strerror(errno));
	d.t_start = d.t_mark = d.step_done = now();
	d.pid = fork();
	if (d.pid < 0)
		die("fork: %s", strerror(errno));
	if (d.pid == 0) {
		setsid();
		if (ioctl(d.slave, TIOCSCTTY, 0) < 0)
			_exit(127);
		dup2(d.slave, 0);
		dup2(d.slave, 1);
		dup2(d.slave, 2);
		if (d.slave > 2)
			close(d.slave);
		close(d.master);
		signal(SIGPIPE, SIG_DFL);
		unsetenv("LINES");
		unsetenv("COLUMNS");
		execvp(argv[0], argv);
		fprintf(stderr, "ptydrive: %s: %s\r\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* The parent keeps the slave open: FIONREAD on it tells whether the
	 * program has read all its input. */
	fcntl(d.master, F_SETFD, FD_CLOEXEC);
	fcntl(d.slave, F_SETFD, FD_CLOEXEC);
	fcntl(d.master, F_SETFL, fcntl(d.master, F_GETFL) | O_NONBLOCK);

	for (i = 0; i < nsteps; i++)
		run_step(&d, steps[i]);
	if (nsteps == 0)
		run_step(&d, "exit");

	if (!d.exited) {
		double until = now() + 2;

		kill(d.pid, SIGTERM);
		while (!d.exited && now() < until)
			pump(&d, 10e-3);
		if (!d.exited) {
			kill(d.pid, SIGKILL);
			while (!d.exited)
				pump(&d, 10e-3);
		}
	}
	if (d.log)
		fclose(d.log);
	report(&d);
	return 0;
}
