/* reader: position, movement, back stack and search.  See reader.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "text.h"

void
reader_init(struct reader *r, struct book *b, const struct layout_opts *lo,
	    int height, int overlap)
{
	memset(r, 0, sizeof *r);
	r->book = b;
	r->lo = *lo;
	r->height = height < 1 ? 1 : height;
	r->overlap = overlap;
}

/* The biggest next chapter (source bytes) read ahead of a page turn. */
#define READER_AHEAD_MAX (1u << 20)

static void
drop_ahead(struct reader *r)
{
	if (r->have_ahead)
		layout_page_free(&r->ahead);
	r->have_ahead = false;
}

/* The prepared page becomes the page when it is the one asked for. */
static bool
take_ahead(struct reader *r, size_t chapter, size_t pos)
{
	if (!r->have_ahead || r->ahead_chapter != chapter || r->ahead_pos != pos)
		return false;
	if (r->have_page)
		layout_page_free(&r->page);
	r->page = r->ahead;
	r->page_id = r->ahead_id;
	r->have_page = true;
	r->have_ahead = false;
	r->page_chapter = chapter;
	r->page_pos = r->page.n > 0 ? r->page.lines[0].pos : pos;
	return true;
}

void
reader_free(struct reader *r)
{
	if (r->have_page)
		layout_page_free(&r->page);
	r->have_page = false;
	drop_ahead(r);
	free(r->needle);
	free(r->folded);
	r->needle = r->folded = NULL;
}

static void say(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int find(struct reader *r, bool backward);

static void
say(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof r->msg, fmt, ap);
	va_end(ap);
}

const char *
reader_text(struct reader *r, size_t *len)
{
	const char *t;
	char *err;

	if (book_chapter_text(r->book, r->chapter, &t, len, &err) < 0) {
		say(r, "cannot read this chapter: %s", err ? err : "error");
		free(err);
		*len = 0;
		return NULL;
	}
	return t;
}

static void
push(struct reader *r)
{
	r->back[r->backtop] = (struct reader_place){ r->chapter, r->anchor };
	r->backtop = (r->backtop + 1) % READER_BACK;
	if (r->nback < READER_BACK)
		r->nback++;
}

/* Lay out the page at the anchor: its first line is the new top. */
static void
relayout(struct reader *r, const char *t, size_t len)
{
	if (take_ahead(r, r->chapter, r->anchor)) {
		r->pos = r->page_pos;
		return;
	}
	if (r->have_page)
		layout_page_free(&r->page);
	r->have_page = false;
	if (layout_page(&r->lo, t, len, r->anchor, r->height, &r->page) == 0) {
		r->pos = r->page.n > 0 ? r->page.lines[0].pos : 0;
		r->page_id = ++r->last_id;
		r->have_page = true;
		r->page_chapter = r->chapter;
		r->page_pos = r->pos;
	} else {
		r->pos = layout_snap(&r->lo, t, len, r->anchor);
	}
}

int
reader_goto(struct reader *r, size_t chapter, size_t pos, bool push_it)
{
	if (book_need(r->book, chapter) < 0) {
		size_t n = book_nchapters(r->book);
		chapter = n ? n - 1 : 0;
	}
	if (push_it)
		push(r);
	r->chapter = chapter;
	size_t len;
	const char *t = reader_text(r, &len);
	if (t == NULL) {
		r->pos = r->anchor = 0;
		return -1;
	}
	if (pos > len)
		pos = len;
	r->anchor = pos;
	relayout(r, t, len);
	return 0;
}

void
reader_set_view(struct reader *r, const struct layout_opts *lo, int height,
		int overlap)
{
	height = height < 1 ? 1 : height;
	bool same_lines = lo->width == r->lo.width &&
			  lo->indent == r->lo.indent &&
			  lo->spacing == r->lo.spacing &&
			  lo->justify == r->lo.justify;
	/* The same view lays the page out the same: keep it. */
	if (r->have_page && same_lines && height == r->height &&
	    overlap == r->overlap)
		return;
	drop_ahead(r);
	/* The same lines at another height (a terminal taller or shorter,
	 * or wider only in its margins): the page is cut or lengthened. */
	if (r->have_page && same_lines && r->page_chapter == r->chapter &&
	    r->page_pos == r->pos) {
		size_t len;
		const char *t = reader_text(r, &len);
		if (t != NULL &&
		    layout_page_resize(&r->lo, t, len, &r->page, height) == 0) {
			r->height = height;
			r->overlap = overlap;
			r->page_id = ++r->last_id;
			return;
		}
	}
	r->lo = *lo;
	r->height = height;
	r->overlap = overlap;
	size_t len;
	const char *t = reader_text(r, &len);
	if (t != NULL)
		relayout(r, t, len);
}

/* Moves that are not jumps keep the anchor at the new top. */
static void
move_to(struct reader *r, size_t pos)
{
	r->pos = r->anchor = pos;
}

static int
step(struct reader *r)
{
	int s = r->height - r->overlap;
	return s < 1 ? 1 : s;
}

/* The top of the page after the current one (r->page, at r->pos), in
 * the same chapter, whose text is t. */
static size_t
next_top(struct reader *r, const char *t, size_t len)
{
	return r->overlap ? layout_down(&r->lo, t, len, r->pos, step(r)) :
			    r->page.next;
}

static void
page_down(struct reader *r)
{
	size_t len;
	const char *t = reader_text(r, &len);
	if (t == NULL)
		return;
	const struct layout_page *pg = reader_page(r);
	if (pg == NULL)
		return;
	if (!pg->end) {
		move_to(r, next_top(r, t, len));
		return;
	}
	if (book_need(r->book, r->chapter + 1) < 0) {
		say(r, "the end of the book");
		return;
	}
	reader_goto(r, r->chapter + 1, 0, false);
}

static void
page_up(struct reader *r)
{
	size_t len;
	const char *t = reader_text(r, &len);
	if (t == NULL)
		return;
	size_t first = layout_snap(&r->lo, t, len, 0);
	if (r->pos > first) {
		move_to(r, layout_up(&r->lo, t, len, r->pos, step(r)));
		return;
	}
	if (r->chapter == 0) {
		say(r, "the start of the book");
		return;
	}
	r->chapter--;
	t = reader_text(r, &len);
	if (t == NULL) {
		move_to(r, 0);
		return;
	}
	move_to(r, layout_last_page(&r->lo, t, len, r->height));
}

int
reader_command(struct reader *r, enum command c)
{
	size_t len;
	const char *t;

	r->msg[0] = '\0';
	switch (c) {
	case CMD_PREV_CHAPTER:
		if (r->chapter == 0)
			say(r, "this is the first chapter");
		else
			reader_goto(r, r->chapter - 1, 0, true);
		break;
	case CMD_NEXT_CHAPTER:
		if (book_need(r->book, r->chapter + 1) < 0)
			say(r, "this is the last chapter");
		else
			reader_goto(r, r->chapter + 1, 0, true);
		break;
	case CMD_PAGE_DOWN:
		page_down(r);
		break;
	case CMD_PAGE_UP:
		page_up(r);
		break;
	case CMD_LINE_DOWN:
		if ((t = reader_text(r, &len)) != NULL) {
			const struct layout_page *pg = reader_page(r);
			if (pg != NULL && !pg->end)
				move_to(r, pg->n > 1 ? pg->lines[1].pos : pg->next);
			else if (pg != NULL)
				say(r, "the end of the chapter: \u2192 for the next");
		}
		break;
	case CMD_LINE_UP:
		if ((t = reader_text(r, &len)) != NULL)
			move_to(r, layout_up(&r->lo, t, len, r->pos, 1));
		break;
	case CMD_CHAPTER_START:
		reader_goto(r, r->chapter, 0, true);
		break;
	case CMD_CHAPTER_END:
		if ((t = reader_text(r, &len)) != NULL) {
			push(r);
			move_to(r, layout_last_page(&r->lo, t, len, r->height));
		}
		break;
	case CMD_BACK:
		if (r->nback == 0) {
			say(r, "nothing to go back to");
			break;
		}
		r->backtop = (r->backtop + READER_BACK - 1) % READER_BACK;
		r->nback--;
		reader_goto(r, r->back[r->backtop].chapter,
			    r->back[r->backtop].pos, false);
		break;
	case CMD_SEARCH_NEXT:
	case CMD_SEARCH_PREV:
		if (r->needle == NULL) {
			say(r, "no search yet: / to search");
			break;
		}
		/* n goes the way the last / or ? went, N the other way;
		 * neither changes which way that was. */
		r->msg[0] = '\0';
		find(r, c == CMD_SEARCH_NEXT ? r->backward : !r->backward);
		break;
	default:
		break;
	}
	return 0;
}

const struct layout_page *
reader_page(struct reader *r)
{
	if (r->have_page && r->page_chapter == r->chapter && r->page_pos == r->pos)
		return &r->page;
	if (take_ahead(r, r->chapter, r->pos) && r->page_pos == r->pos)
		return &r->page;
	size_t len;
	const char *t = reader_text(r, &len);
	if (r->have_page)
		layout_page_free(&r->page);
	r->have_page = false;
	if (t == NULL || layout_page(&r->lo, t, len, r->pos, r->height,
				     &r->page) < 0)
		return NULL;
	r->have_page = true;
	r->page_id = ++r->last_id;
	r->page_chapter = r->chapter;
	r->page_pos = r->pos;
	return &r->page;
}

void
reader_prepare(struct reader *r)
{
	/* Whatever else is prepared, a page prepared before is not the
	 * next one now: when nothing is prepared, none is kept. */
	if (!r->have_page || r->page_chapter != r->chapter ||
	    r->page_pos != r->pos) {
		drop_ahead(r);
		return;
	}
	size_t ch = r->chapter;
	if (r->page.end) {
		/* The next chapter is read whole: not a big one, which
		 * would keep the keys waiting. */
		if (ch + 1 >= book_nchapters(r->book) ||
		    book_chapter_size(r->book, ch + 1) > READER_AHEAD_MAX) {
			drop_ahead(r);
			return;
		}
		ch++;
	}
	const char *t;
	size_t len;
	char *err;
	if (book_chapter_text(r->book, ch, &t, &len, &err) < 0) {
		free(err);
		drop_ahead(r);
		return;
	}
	size_t pos = ch == r->chapter ? next_top(r, t, len) : 0;
	if (r->have_ahead && r->ahead_chapter == ch && r->ahead_pos == pos)
		return;
	drop_ahead(r);
	if (layout_page(&r->lo, t, len, pos, r->height, &r->ahead) < 0)
		return;
	r->have_ahead = true;
	r->ahead_id = ++r->last_id;
	r->ahead_chapter = ch;
	r->ahead_pos = pos;
	r->ahead_len = len;
}

/* ---- search ---- */

/* The haystack [from, to) of text, folded if the search folds.  On
 * success *h, *hlen and (when folding) *map are set; the caller frees
 * *h and *map. */
static int
haystack(struct reader *r, const char *t, size_t from, size_t to, char **h,
	 size_t *hlen, size_t **map)
{
	*map = NULL;
	if (r->fold)
		return text_fold(t + from, to - from, h, hlen, map);
	*h = NULL;
	*hlen = to - from;
	return 0;
}

/* All matches in [from, to) of text: calls found() for each; stops when
 * it returns true.  Returns -1 on allocation failure. */
static int
scan(struct reader *r, const char *t, size_t from, size_t to,
     bool (*found)(void *, size_t, size_t), void *ctx)
{
	char *h;
	size_t hlen, *map;
	if (from >= to || r->foldedlen == 0)
		return 0;
	if (haystack(r, t, from, to, &h, &hlen, &map) < 0)
		return -1;
	const char *hs = h ? h : t + from;
	const char *p = hs, *end = hs + hlen;
	while ((size_t)(end - p) >= r->foldedlen) {
		const char *m = memmem(p, end - p, r->folded, r->foldedlen);
		if (m == NULL)
			break;
		size_t fi = (size_t)(m - hs), fe = fi + r->foldedlen;
		size_t s = map ? map[fi] : fi, e = map ? map[fe] : fe;
		if (e <= s)
			e = s + 1;
		if (found(ctx, from + s, from + e))
			break;
		p = m + 1;
	}
	free(h);
	free(map);
	return 0;
}

struct first {
	size_t min;		/* matches must start here or later */
	bool any;
	struct reader_match m;
};

static bool
first_cb(void *ctx, size_t s, size_t e)
{
	struct first *f = ctx;
	if (s < f->min)
		return false;
	f->m = (struct reader_match){ s, e };
	f->any = true;
	return true;
}

static bool
last_cb(void *ctx, size_t s, size_t e)
{
	struct first *f = ctx;
	if (s >= f->min)
		return true;
	f->m = (struct reader_match){ s, e };
	f->any = true;
	return false;
}

/* Search chapter ch within [lo, hi) for the first (or last) match. */
static int
search_chapter(struct reader *r, size_t ch, size_t lo, size_t hi, bool last,
	       struct reader_match *m)
{
	const char *t;
	size_t len;
	char *err;
	if (book_chapter_text(r->book, ch, &t, &len, &err) < 0) {
		free(err);
		return 0;
	}
	if (hi > len)
		hi = len;
	/* A match may start before hi and end after it. */
	size_t to = hi + r->foldedlen * 4 < len ? hi + r->foldedlen * 4 : len;
	struct first f = { .min = last ? hi : lo };
	if (scan(r, t, last ? 0 : lo, last ? to : len, last ? last_cb : first_cb,
		 &f) < 0)
		return -1;
	if (f.any && !last && f.m.start >= hi)
		f.any = false;
	if (f.any && last && f.m.start < lo)
		f.any = false;
	if (f.any)
		*m = f.m;
	return f.any;
}

int
reader_search(struct reader *r, const char *needle, bool backward)
{
	r->msg[0] = '\0';
	if (needle[0] == '\0')
		return 0;
	if (r->needle == NULL || strcmp(r->needle, needle) != 0) {
		char *n = strdup(needle), *f = NULL;
		size_t flen = 0;
		bool fold = !text_has_upper(needle, strlen(needle));
		if (n == NULL)
			return -1;
		if (fold) {
			if (text_fold(needle, strlen(needle), &f, &flen, NULL) < 0) {
				free(n);
				return -1;
			}
		} else {
			f = strdup(needle);
			flen = strlen(needle);
		}
		if (f == NULL) {
			free(n);
			return -1;
		}
		free(r->needle);
		free(r->folded);
		r->needle = n;
		r->folded = f;
		r->foldedlen = flen;
		r->fold = fold;
		r->have_match = false;
	}
	r->backward = backward;
	return find(r, backward);
}

/* Find r->needle from the current position, one way, wrapping around:
 * 1 found (its line put at the top), 0 not, -1 error. */
static int
find(struct reader *r, bool backward)
{
	/* Start after (before) the current match if it is on screen, else
	 * from the top line. */
	size_t ch = r->chapter, from = r->pos;
	if (r->have_match && r->match_chapter == r->chapter &&
	    r->match.start >= r->pos)
		from = backward ? r->match.start : r->match.start + 1;
	else if (backward)
		from = r->pos;

	struct reader_match m;
	int found;
	bool wrapped = false;
	if (!backward) {
		found = search_chapter(r, ch, from, SIZE_MAX, false, &m);
		for (size_t c = ch + 1; found == 0 && book_need(r->book, c) == 0; c++)
			if ((found = search_chapter(r, c, 0, SIZE_MAX, false, &m)) > 0)
				ch = c;
		if (found == 0) {
			wrapped = true;
			for (size_t c = 0; found == 0 && c <= r->chapter; c++)
				if ((found = search_chapter(r, c, 0, c == r->chapter ?
							    from : SIZE_MAX, false, &m)) > 0)
					ch = c;
		}
	} else {
		found = search_chapter(r, ch, 0, from, true, &m);
		for (size_t c = ch; found == 0 && c-- > 0;)
			if ((found = search_chapter(r, c, 0, SIZE_MAX, true, &m)) > 0)
				ch = c;
		if (found == 0) {
			wrapped = true;
			book_need(r->book, SIZE_MAX);
			for (size_t c = book_nchapters(r->book); found == 0 &&
			     c-- > r->chapter;)
				if ((found = search_chapter(r, c, c == r->chapter ?
							    from : 0, SIZE_MAX, true, &m)) > 0)
					ch = c;
		}
	}
	if (found < 0)
		return -1;
	if (found == 0) {
		say(r, "not found: %s", r->needle);
		return 0;
	}
	r->have_match = true;
	r->match_chapter = ch;
	r->match = m;
	reader_goto(r, ch, m.start, true);
	if (wrapped)
		say(r, "%s", backward ? "search wrapped around to the end" :
			     "search wrapped around to the start");
	return 1;
}

struct collect {
	struct reader_match *out;
	size_t n, max;
};

static bool
collect_cb(void *ctx, size_t s, size_t e)
{
	struct collect *c = ctx;
	if (c->n < c->max)
		c->out[c->n++] = (struct reader_match){ s, e };
	return c->n == c->max;
}

size_t
reader_matches(struct reader *r, size_t chapter, size_t from, size_t to,
	       struct reader_match *out, size_t max)
{
	size_t len;
	const char *t;
	char *err = NULL;
	if (r->needle == NULL)
		return 0;
	if (book_chapter_text(r->book, chapter, &t, &len, &err) < 0) {
		free(err);
		return 0;
	}
	if (to > len)
		to = len;
	size_t lo = from > r->foldedlen * 4 ? from - r->foldedlen * 4 : 0;
	size_t hi = to + r->foldedlen * 4 < len ? to + r->foldedlen * 4 : len;
	struct collect c = { out, 0, max };
	scan(r, t, lo, hi, collect_cb, &c);
	return c.n;
}

/* How far the reader has seen: the end of the page. */
static size_t
seen(struct reader *r, size_t len)
{
	const struct layout_page *pg = reader_page(r);
	if (pg == NULL)
		return r->pos;
	return pg->end ? len : pg->next;
}

/* v's progress figures: a page of chapter ch that reaches byte upto of
 * the chapter's len. */
static void
view_progress(struct reader *r, size_t ch, size_t upto, size_t len,
	      struct reader_view *v)
{
	v->progress = book_progress(r->book, ch, upto, len);
	v->chapter_progress = len > 0 ? (double)upto / (double)len : 0;
}

void
reader_view(struct reader *r, struct reader_view *v)
{
	size_t len;
	v->chapter = r->chapter;
	v->page = reader_page(r);
	v->id = v->page != NULL ? r->page_id : 0;
	v->progress = v->chapter_progress = 0;
	if (reader_text(r, &len) != NULL)
		view_progress(r, r->chapter, seen(r, len), len, v);
}

bool
reader_ahead_view(struct reader *r, struct reader_view *v)
{
	if (!r->have_ahead)
		return false;
	v->chapter = r->ahead_chapter;
	v->page = &r->ahead;
	v->id = r->ahead_id;
	view_progress(r, r->ahead_chapter,
		      r->ahead.end ? r->ahead_len : r->ahead.next, r->ahead_len, v);
	return true;
}

double
reader_progress(struct reader *r)
{
	struct reader_view v;
	reader_view(r, &v);
	return v.progress;
}

double
reader_chapter_progress(struct reader *r)
{
	struct reader_view v;
	reader_view(r, &v);
	return v.chapter_progress;
}
