/* book_dir: a directory of chapter files, in natural order of their
 * names, with an optional book.conf.  Chapter sizes come from stat, so
 * opening reads no chapter; titles are read when asked for. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book_impl.h"

struct dir {
	int fd;			/* the directory */
};

static bool
chapter_name(const char *name)
{
	size_t n = strlen(name);
	if (name[0] == '.' || n < 4)
		return false;
	return strcasecmp(name + n - 4, ".txt") == 0 ||
	       strcasecmp(name + n - 3, ".md") == 0;
}

static int
natural(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* Read up to max bytes of a file in the directory.  Caller frees *out. */
static int
slurp(struct book *b, const char *name, size_t max, struct text_buf *raw,
      char **err)
{
	struct dir *d = b->priv;
	int fd = openat(d->fd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		*err = book_strdupf("%s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = book_strdupf("%s: not a regular file", name);
		close(fd);
		return -1;
	}
	char buf[65536];
	while (raw->len < max) {
		size_t want = max - raw->len < sizeof buf ? max - raw->len : sizeof buf;
		ssize_t r = read(fd, buf, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = book_strdupf("%s: %s", name, strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		if (text_buf_add(raw, buf, (size_t)r) < 0) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

static const char *
encoding_of(struct book *b, const char *s, size_t n, size_t *bom)
{
	*bom = 0;
	if (b->opts.encoding != NULL)
		return b->opts.encoding;
	return text_detect(s, n, bom);
}

static int
dir_load(struct book *b, size_t i, struct text_buf *out, char **err)
{
	struct text_buf raw = { 0 };
	size_t bom;

	if (slurp(b, b->ch_file[i], SIZE_MAX, &raw, err) < 0) {
		text_buf_free(&raw);
		return -1;
	}
	const char *enc = encoding_of(b, raw.s, raw.len, &bom);
	int rc = text_to_clean(enc, raw.s + bom, raw.len - bom, out);
	if (rc == 0)
		rc = text_buf_add(out, "", 0);
	text_buf_free(&raw);
	return rc;
}

static int
dir_title(struct book *b, size_t i)
{
	struct text_buf raw = { 0 };
	char *err = NULL;
	size_t bom;

	if (slurp(b, b->ch_file[i], 4096, &raw, &err) < 0 || raw.len == 0) {
		free(err);
		text_buf_free(&raw);
		return -1;
	}
	const char *enc = encoding_of(b, raw.s, raw.len, &bom);
	struct text_buf t = { 0 };
	if (text_to_clean(enc, raw.s + bom, raw.len - bom, &t) < 0 || t.len == 0) {
		text_buf_free(&t);
		text_buf_free(&raw);
		return -1;
	}
	/* The first non-blank line; Markdown headings lose their marks. */
	for (size_t p = 0; p < t.len && b->ch_title[i] == NULL;) {
		char *nl = memchr(t.s + p, '\n', t.len - p);
		size_t e = nl ? (size_t)(nl - t.s) : t.len;
		char *title = book_clean_title("UTF-8", t.s + p, e - p);
		if (title != NULL && title[0] != '\0') {
			size_t h = 0;
			while (title[h] == '#')
				h++;
			if (h > 0 && title[h] == ' ')
				memmove(title, title + h + 1, strlen(title + h + 1) + 1);
			b->ch_title[i] = title;
		} else {
			free(title);
		}
		p = e + 1;
	}
	text_buf_free(&t);
	text_buf_free(&raw);
	return b->ch_title[i] ? 0 : -1;
}

static void
dir_free(struct book *b)
{
	struct dir *d = b->priv;
	if (d != NULL && d->fd >= 0)
		close(d->fd);
	free(d);
	b->priv = NULL;
}

static int
dir_index_more(struct book *b, size_t budget)
{
	return 0;
}

static const struct book_ops dir_ops = {
	dir_index_more, dir_load, dir_title, dir_free
};

/* book.conf: "key = value" lines; '#' starts a comment. */
static void
read_conf(struct book *b)
{
	struct text_buf raw = { 0 };
	char *err = NULL;
	struct dir *d = b->priv;

	if (faccessat(d->fd, "book.conf", R_OK, 0) < 0 ||
	    slurp(b, "book.conf", 65536, &raw, &err) < 0 || raw.len == 0) {
		free(err);
		text_buf_free(&raw);
		return;
	}
	char *save, *line;
	for (line = strtok_r(raw.s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (line[0] == '#' || eq == NULL)
			continue;
		char *k = line, *v = eq + 1, *ke = eq;
		while (*k == ' ' || *k == '\t')
			k++;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		*ke = '\0';
		char **dst = strcmp(k, "title") == 0 ? &b->title :
			     strcmp(k, "author") == 0 ? &b->author :
			     strcmp(k, "category") == 0 ? &b->category :
			     strcmp(k, "language") == 0 ? &b->language : NULL;
		if (dst == NULL)
			continue;
		char *val = book_clean_title("UTF-8", v, strlen(v));
		if (val != NULL) {
			free(*dst);
			*dst = val;
		}
	}
	text_buf_free(&raw);
}

int
book_dir_open(struct book *b, int fd, char **err)
{
	struct dir *d = calloc(1, sizeof *d);
	char **names = NULL;
	size_t n = 0, cap = 0, empty = 0;
	int rc = -1;

	if (d == NULL) {
		close(fd);
		return -1;
	}
	d->fd = fd;
	b->priv = d;
	b->ops = &dir_ops;
	b->format = "directory";
	b->encoding = b->opts.encoding ? b->opts.encoding : "UTF-8";

	int dfd = dup(fd);
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (dir == NULL) {
		if (dfd >= 0)
			close(dfd);
		*err = strdup(strerror(errno));
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (!chapter_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *nn);
			if (nn == NULL)
				goto out;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto out;
		n++;
	}
	if (n > 0)	/* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof *names, natural);

	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (fstatat(fd, names[i], &st, 0) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (st.st_size == 0) {
			empty++;
			continue;
		}
		h = book_hash(names[i], strlen(names[i]) + 1, h);
		h = book_hash(&st.st_size, sizeof st.st_size, h);
		if (book_add_chapter(b, (uint64_t)st.st_size, NULL, names[i]) < 0)
			goto out;
		names[i] = NULL;
		b->size += (uint64_t)st.st_size;
	}
	if (b->n == 0) {
		if (empty > 0)
			*err = book_strdupf("not a book: %zu chapter file%s, all empty",
					    empty, empty == 1 ? "" : "s");
		else
			*err = strdup("not a book: no chapter files (.txt or .md)");
		goto out;
	}
	if (b->n > 0) {
		int cfd = openat(fd, b->ch_file[0], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (cfd >= 0) {
			char scratch[BOOK_HASH_BLOCK];
			h = book_hash_file(cfd, book_chapter_size(b, 0), h, scratch);
			close(cfd);
		}
	}
	snprintf(b->fingerprint, sizeof b->fingerprint, "%016llx-%llu",
		 (unsigned long long)h, (unsigned long long)b->size);
	b->complete = true;
	read_conf(b);
	rc = 0;
out:
	closedir(dir);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
