/* layout: paragraphs to lines.
 *
 * The text is read as units: runs of non-blank lines, split further at
 * cut points, one near every LAYOUT_PIECE bytes (the first paragraph-like
 * line start in each piece of the text, else the first line start, else
 * a space or character boundary).  A unit's lines depend on the unit's
 * own bytes only, so any position can be laid out by going back to the
 * unit that holds it (at most two pieces back) and working forward.
 *
 * A unit is read in one of three ways, decided from its first lines:
 *   prose:  hard-wrapped lines of about one width are joined and reflowed;
 *           a line after a short one, or indented deeper, starts a new
 *           paragraph;
 *   lines:  long lines (over 100 columns) are a paragraph each;
 *   verse:  short lines keep their breaks and their relative indent.
 * The chapter's first line is its title and stands alone.  Joined lines
 * meet with a space, or with nothing between East Asian wide characters.
 *
 * Breaking is greedy over UAX #14 opportunities (u8_possible_linebreaks);
 * trailing spaces hang; a word wider than the column is split at
 * grapheme cluster boundaries (u8_grapheme_breaks). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unigbrk.h>
#include <unilbrk.h>

#include "layout.h"
#include "text.h"

enum mode { PROSE, LINES, VERSE };

/* One line being emitted; text and src point into the walker's scratch. */
typedef int (*emit_fn)(void *ctx, const struct layout_line *l);

struct walker {
	const struct layout_opts *o;
	int width;
	const char *t;
	size_t len;
	bool want;		/* build display text (else only positions) */
	emit_fn emit;
	void *ctx;
	bool stop;		/* emit asked to stop */
	/* scratch, owned */
	struct text_buf para;	/* the paragraph's display bytes */
	size_t *map, mapcap;	/* their source offsets */
	char *brk;		/* break opportunities */
	size_t brkcap;
	struct text_buf line;
	size_t *lmap, lmapcap;
	bool oom;
};

/* The start of the line holding t[i], but not before lo. */
static size_t
line_begin(const char *t, size_t lo, size_t i)
{
	const char *nl = i > lo ? memrchr(t + lo, '\n', i - lo) : NULL;
	return nl ? (size_t)(nl - t) + 1 : lo;
}

static size_t
line_end(const char *t, size_t len, size_t i)
{
	const char *nl = memchr(t + i, '\n', len - i);
	return nl ? (size_t)(nl - t) : len;
}

static bool
blank(const char *t, size_t s, size_t e)
{
	return text_is_blank(t + s, e - s);
}

/* Whether the line starting at s is blank; looks no further than its
 * leading white space. */
static bool
line_blank(const char *t, size_t len, size_t s)
{
	s += text_indent(t + s, len - s);
	return s >= len || t[s] == '\n';
}

/* The first non-blank line at or after the line start s, or len. */
static size_t
skip_blank_lines(const char *t, size_t len, size_t s)
{
	size_t ls = s;
	for (;;) {
		s += text_indent(t + s, len - s);
		if (s >= len)
			return len;
		if (t[s] != '\n')
			return ls;
		ls = ++s;
	}
}

/* The cut point of piece k: see the essay above.  Always in
 * [k * LAYOUT_PIECE, (k + 1) * LAYOUT_PIECE) or len. */
static size_t
cut_point(const char *t, size_t len, size_t k)
{
	size_t g = k * LAYOUT_PIECE;
	if (g == 0)
		return 0;
	if (g >= len)
		return len;
	size_t lim = g + LAYOUT_PIECE < len ? g + LAYOUT_PIECE : len;
	size_t first = SIZE_MAX, q = g - 1;
	const char *nl;
	while (q < lim && (nl = memchr(t + q, '\n', lim - q)) != NULL) {
		size_t ls = (size_t)(nl - t) + 1;
		if (ls >= lim)
			break;
		if (!line_blank(t, lim, ls)) {
			if (text_indent(t + ls, lim - ls) > 0 ||
			    (ls >= 2 && t[ls - 2] == '\n'))
				return ls;
			if (first == SIZE_MAX)
				first = ls;
		}
		q = ls;
	}
	if (first != SIZE_MAX)
		return first;
	size_t end = g + 256 < lim ? g + 256 : lim;
	for (size_t i = g; i < end; i++)
		if (t[i] == ' ' && i + 1 < lim && t[i + 1] != ' ')
			return i + 1;
	size_t i = g;
	while (i < lim && ((unsigned char)t[i] & 0xC0) == 0x80)
		i++;
	/* not on a combining mark */
	while (i < lim) {
		size_t k2;
		if ((unsigned char)t[i] < 0x80 ||
		    text_char_width(t + i, lim - i, &k2) > 0)
			break;
		i += k2;
	}
	return i;
}

/* The start of the unit that holds pos. */
static size_t
unit_start(const char *t, size_t len, size_t pos)
{
	if (len == 0)
		return 0;
	if (pos >= len)
		pos = len - 1;
	size_t k = pos / LAYOUT_PIECE;
	size_t c = cut_point(t, len, k);
	if (c > pos)
		c = cut_point(t, len, k - 1);

	/* From a blank line, the unit before it.  (A line found to begin
	 * at c may begin before it: either way the unit starts at c.) */
	size_t ls = line_begin(t, c, pos);
	while (ls > c && line_blank(t, len, ls))
		ls = line_begin(t, c, ls - 1);
	while (ls > c) {
		size_t pls = line_begin(t, c, ls - 1);
		if (blank(t, pls, ls - 1))
			return ls;
		ls = pls;
	}
	return c;
}

static int
map_reserve(size_t **m, size_t *cap, size_t n)
{
	if (n <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < n)
		c *= 2;
	size_t *nm = realloc(*m, c * sizeof *nm);
	if (nm == NULL)
		return -1;
	*m = nm;
	*cap = c;
	return 0;
}

static int
para_add(struct walker *w, const char *s, size_t n, size_t src, bool same)
{
	size_t at = w->para.len;
	if (text_buf_add(&w->para, s, n) < 0 ||
	    map_reserve(&w->map, &w->mapcap, w->para.len + 1) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		w->map[at + i] = same ? src : src + i;
	return 0;
}

static int
line_add(struct walker *w, const char *s, size_t n, const size_t *src)
{
	size_t at = w->line.len;
	if (text_buf_add(&w->line, s, n) < 0 ||
	    map_reserve(&w->lmap, &w->lmapcap, w->line.len + 1) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		w->lmap[at + i] = src ? src[i] : SIZE_MAX;
	return 0;
}

static bool
emit(struct walker *w, struct layout_line *l)
{
	if (w->emit(w->ctx, l) != 0)
		w->stop = true;
	return w->stop;
}

static bool
emit_spacer(struct walker *w, size_t pos)
{
	struct layout_line l = { .pos = pos, .end = pos, .text = "",
				 .src = NULL, .spacer = true };
	return emit(w, &l);
}

/* Emit one display line of the paragraph: bytes [i, b) of para. */
static bool
emit_line(struct walker *w, size_t pos, size_t i, size_t b, int indent,
	  int avail, bool justify, bool title)
{
	struct layout_line l = { .pos = pos, .title = title };
	const char *d = w->para.s;

	while (b > i && d[b - 1] == ' ')
		b--;
	l.end = b > i ? w->map[b - 1] + 1 : pos;
	if (!w->want)
		return emit(w, &l);

	w->line.len = 0;
	int cols = (int)text_width(d + i, b - i);
	for (int k = 0; k < indent; k++)
		if (line_add(w, " ", 1, NULL) < 0)
			goto oom;
	size_t gaps = 0;
	if (justify && cols < avail)
		for (size_t k = i + 1; k < b; k++)
			gaps += d[k] == ' ' && d[k - 1] != ' ';
	size_t extra = gaps ? (size_t)(avail - cols) : 0, g = 0, from = i;
	for (size_t k = i + 1; k < b && gaps; k++) {
		if (d[k] != ' ' || d[k - 1] == ' ')
			continue;
		if (line_add(w, d + from, k - from, w->map + from) < 0)
			goto oom;
		size_t add = extra / gaps + (g < extra % gaps);
		for (size_t s = 0; s < add; s++)
			if (line_add(w, " ", 1, NULL) < 0)
				goto oom;
		from = k;
		g++;
	}
	if (line_add(w, d + from, b - from, w->map + from) < 0)
		goto oom;
	l.text = w->line.s ? w->line.s : "";
	l.len = w->line.len;
	l.src = w->lmap;
	l.cols = indent + cols + (int)extra;
	return emit(w, &l);
oom:
	w->oom = true;
	w->stop = true;
	return true;
}

/* Break the paragraph in w->para into lines.  pos: the paragraph's
 * position (its source line start). */
static bool
break_para(struct walker *w, size_t pos, int indent, bool justify, bool title)
{
	const char *d = w->para.s;
	size_t n = w->para.len;
	int width = w->width;

	if (n == 0)
		return false;
	if (indent >= width)
		indent = 0;
	if (n > w->brkcap) {
		char *nb = realloc(w->brk, n);
		if (nb == NULL) {
			w->oom = w->stop = true;
			return true;
		}
		w->brk = nb;
		w->brkcap = n;
	}
	u8_possible_linebreaks((const uint8_t *)d, n, "UTF-8", w->brk);

	size_t i = 0;
	bool first = true;
	while (i < n) {
		/* The first-line indent gives way to a first character
		 * that would not fit after it (a CJK one at width 2). */
		int ind = first ? indent : 0;
		if (ind > 0) {
			size_t k = 1;
			int cw = (unsigned char)d[i] >= 0x80 ?
				 text_char_width(d + i, n - i, &k) : 1;
			if (cw > width - ind)
				ind = 0;
		}
		int avail = width - ind;
		size_t j = i, last = SIZE_MAX;
		int cols = 0;
		bool full = false;
		while (j < n) {
			if (j > i && w->brk[j] == UC_BREAK_POSSIBLE)
				last = j;
			size_t k = 1;
			int cw = 1;
			if ((unsigned char)d[j] >= 0x80)
				cw = text_char_width(d + j, n - j, &k);
			if (d[j] != ' ' && cols + cw > avail && j > i) {
				full = true;
				break;
			}
			cols += cw;
			j += k;
		}
		size_t b = j;
		if (full && last != SIZE_MAX && last > i) {
			b = last;
		} else if (full) {
			/* A word wider than the line: split at the last
			 * grapheme boundary that fits. */
			size_t m = j + 64 < n ? j + 64 : n;
			char *gb = malloc(m - i);
			if (gb != NULL) {
				u8_grapheme_breaks((const uint8_t *)d + i, m - i, gb);
				size_t k = j - i;
				while (k > 0 && !gb[k])
					k--;
				if (k == 0) {
					/* One cluster wider than the line (an
					 * emoji sequence at a tiny width): it
					 * goes alone, whole. */
					k = j - i;
					while (i + k < m && !gb[k])
						k++;
				}
				b = i + k;
				free(gb);
			}
		}
		size_t lpos = first ? pos : w->map[i];
		bool last_line = b >= n;
		if (emit_line(w, lpos, i, b, ind, avail,
			      justify && !last_line, title))
			return true;
		i = b;
		first = false;
	}
	return false;
}

struct srcline {
	size_t s, e;		/* content, without the newline */
	int ind;		/* indent columns */
	int w;			/* width of the content after the indent */
	int fw;			/* width of its first word */
	bool gap;		/* columns inside: two spaces after a word */
};

/* Columns it takes to append the first word of [s, e) to a line: a
 * space and the word, or (East Asian text joins without a space) its
 * first wide character. */
static int
first_word(const char *t, size_t s, size_t e)
{
	size_t i = s, k;
	int w = 0;
	while (i < e && t[i] != ' ') {
		int cw = text_char_width(t + i, e - i, &k);
		if (cw == 2)
			return w ? w + 1 : 2;
		w += cw;
		i += k;
	}
	return w + 1;
}

/* A hard-wrapped line is full: the next line's first word would not
 * have fitted after it.  Widths count the indent. */
static bool
full(int w, int next_word, int maxw)
{
	return w + next_word > maxw;
}

static int
indent_cols(const char *t, size_t s, size_t e, size_t *bytes)
{
	size_t b = text_indent(t + s, e - s);
	int c = 0;
	for (size_t i = 0; i < b; i += t[s + i] == ' ' ? 1 : 3)
		c += t[s + i] == ' ' ? 1 : 2;
	*bytes = b;
	return c;
}

static size_t
trim_end(const char *t, size_t s, size_t e)
{
	for (;;) {
		if (e > s && t[e - 1] == ' ')
			e--;
		else if (e >= s + 3 && memcmp(t + e - 3, "\xE3\x80\x80", 3) == 0)
			e -= 3;
		else
			return e;
	}
}

/* Add source line [s, e) to the paragraph, dropping `drop` columns of
 * its indent; joined to what is there with a space or nothing. */
static int
para_line(struct walker *w, size_t s, size_t e, int drop)
{
	const char *t = w->t;
	while (drop > 0 && s < e) {
		if (t[s] == ' ') {
			s++;
			drop--;
		} else if (e - s >= 3 && memcmp(t + s, "\xE3\x80\x80", 3) == 0) {
			s += 3;
			drop -= 2;
		} else {
			break;
		}
	}
	e = trim_end(t, s, e);
	if (s >= e)
		return 0;
	if (w->para.len > 0) {
		/* the last character so far */
		const char *d = w->para.s;
		size_t p = w->para.len - 1;
		while (p > 0 && ((unsigned char)d[p] & 0xC0) == 0x80)
			p--;
		bool wide = text_is_wide(d + p, w->para.len - p) ||
			    text_is_wide(t + s, e - s);
		if (!wide && para_add(w, " ", 1, s - 1, true) < 0)
			return -1;
	}
	return para_add(w, t + s, e - s, s, false);
}

/* Lay out the unit starting at (or after blank lines from) s, emitting
 * its lines and its trailing spacer.  Returns where the next unit starts,
 * or len. */
static size_t
lay_unit(struct walker *w, size_t s)
{
	const char *t = w->t;
	size_t len = w->len;

	s = skip_blank_lines(t, len, s);
	if (s >= len)
		return len;
	size_t k0 = s / LAYOUT_PIECE, c0 = cut_point(t, len, k0);
	size_t cut = c0 > s ? c0 : cut_point(t, len, k0 + 1);
	bool title = false;
	if (s < 4096 && blank(t, 0, s))
		title = true;

	/* The unit's lines, up to a blank line or the cut. */
	struct srcline sl[64];
	size_t nsl = 0, ls = s, end = s;
	bool forced = false, more = false, byblank = false;
	int maxw = 0, minind = INT32_MAX;
	size_t lim = cut < len ? cut : len;
	while (ls < lim) {
		size_t e = line_end(t, lim, ls);
		if (e == lim && lim < len && t[lim] != '\n' && t[lim - 1] != '\n')
			forced = true;
		if (blank(t, ls, e))
			break;
		if (nsl < 64) {
			size_t ib;
			struct srcline *l = &sl[nsl++];
			l->s = ls;
			l->e = e;
			l->ind = indent_cols(t, ls, e, &ib);
			size_t te = trim_end(t, ls + ib, e);
			l->w = l->ind + (int)text_width(t + ls + ib, te - (ls + ib));
			l->fw = first_word(t, ls + ib, te);
			l->gap = memmem(t + ls + ib, te - (ls + ib), "  ", 2) != NULL;
			if (!(title && nsl == 1)) {
				if (l->w > maxw)
					maxw = l->w;
				if (l->ind < minind)
					minind = l->ind;
			}
		}
		end = e;
		ls = e + 1;
		if (forced)
			break;
	}
	size_t next = forced ? cut : ls;
	if (!forced) {
		if (ls < cut) {
			/* Stopped at a blank line: is there a unit after it? */
			size_t q = skip_blank_lines(t, len, ls);
			more = q < len;
			next = q;
			byblank = more;
		} else {
			next = cut < len ? cut : len;
			more = cut < len;
		}
	}
	if (minind == INT32_MAX)
		minind = 0;

	/* How to read it. */
	size_t body = title ? 1 : 0;
	enum mode mode = PROSE;
	if (nsl - body >= 2) {
		size_t nfull = 0, gaps = 0;
		for (size_t i = body; i + 1 < nsl; i++)
			nfull += full(sl[i].w, sl[i + 1].fw, maxw);
		for (size_t i = body; i < nsl; i++)
			gaps += sl[i].gap;
		if (maxw > 100)
			mode = LINES;
		else if (maxw >= 55 && nfull * 3 >= (nsl - body - 1) * 2 &&
			 gaps * 4 <= nsl - body)
			mode = PROSE;
		else
			mode = VERSE;
	}

	/* Walk the lines again, all of them (the sample holds 64). */
	const struct layout_opts *o = w->o;
	int prev_w = maxw;
	size_t ppos = s, idx = 0;
	bool in_title = title;
	w->para.len = 0;
	for (size_t p = s;;) {
		size_t e = line_end(t, end, p);
		size_t ib;
		int ind = indent_cols(t, p, e, &ib);
		size_t te = trim_end(t, p + ib, e);
		int lw = (int)text_width(t + p + ib, te - (p + ib));
		bool newpara = idx == 0 || in_title || mode != PROSE ||
			       (ind > minind) ||
			       !full(prev_w, first_word(t, p + ib, te), maxw);
		if (idx == 1 && title)
			in_title = false;
		if (newpara && w->para.len > 0) {
			bool was_title = title && idx == 1;
			int indent = (mode == VERSE || was_title) ? 0 : o->indent;
			if (break_para(w, ppos, indent, o->justify && mode != VERSE &&
				       !was_title, was_title))
				return next;
			bool space = was_title || (o->spacing && mode != VERSE);
			if (space && emit_spacer(w, p - 1))
				return next;
			w->para.len = 0;
		}
		if (newpara)
			ppos = p;
		int drop = mode == VERSE && !(title && idx == 0) ? minind : ind;
		if (para_line(w, p, e, drop) < 0) {
			w->oom = w->stop = true;
			return next;
		}
		prev_w = ind + lw;
		idx++;
		if (e >= end)
			break;
		p = e + 1;
	}
	if (w->para.len > 0) {
		bool was_title = title && idx == 1;
		int indent = (mode == VERSE || was_title) ? 0 : o->indent;
		if (break_para(w, ppos, indent, o->justify && mode != VERSE &&
			       !was_title, was_title))
			return next;
	}
	if (more && (byblank || (!forced && mode != VERSE)) &&
	    (o->spacing || (title && idx == 1)))
		emit_spacer(w, end);
	return next;
}

static void
walker_init(struct walker *w, const struct layout_opts *o, const char *t,
	    size_t len, bool want, emit_fn fn, void *ctx)
{
	memset(w, 0, sizeof *w);
	w->o = o;
	w->width = o->width < 1 ? 1 : o->width;
	w->t = t;
	w->len = len;
	w->want = want;
	w->emit = fn;
	w->ctx = ctx;
}

static void
walker_free(struct walker *w)
{
	text_buf_free(&w->para);
	text_buf_free(&w->line);
	free(w->map);
	free(w->lmap);
	free(w->brk);
}

/* Walk lines from the unit holding `from` until emit says stop. */
static bool
walk(struct walker *w, size_t from)
{
	size_t u = unit_start(w->t, w->len, from);
	while (!w->stop && u < w->len)
		u = lay_unit(w, u);
	return !w->oom;
}

int
layout_lines(const struct layout_opts *o, const char *text, size_t len,
	     int (*fn)(void *ctx, const struct layout_line *l), void *ctx)
{
	struct walker w;
	walker_init(&w, o, text, len, true, fn, ctx);
	bool ok = walk(&w, 0);
	walker_free(&w);
	return ok ? 0 : -1;
}

/* ---- snapping and moving ---- */

struct find {
	size_t target;
	size_t found;		/* last line with pos <= target */
	bool any;
	int after;		/* lines to go past the found one */
};

static int
find_cb(void *ctx, const struct layout_line *l)
{
	struct find *f = ctx;

	if (!f->any || l->pos <= f->target) {
		/* (pos before the first line: the first line holds it) */
		if (l->pos > f->target)
			f->target = l->pos;
		f->found = l->pos;
		f->any = true;
		return 0;
	}
	if (f->after > 0) {
		f->after--;
		f->found = f->target = l->pos;
		return f->after == 0;
	}
	return 1;
}

size_t
layout_snap(const struct layout_opts *o, const char *text, size_t len,
	    size_t pos)
{
	struct walker w;
	struct find f = { .target = pos };
	walker_init(&w, o, text, len, false, find_cb, &f);
	walk(&w, pos);
	walker_free(&w);
	return f.any ? f.found : 0;
}

size_t
layout_down(const struct layout_opts *o, const char *text, size_t len,
	    size_t pos, int n)
{
	size_t at = layout_snap(o, text, len, pos);
	if (n <= 0)
		return at;
	struct walker w;
	struct find f = { .target = at, .after = n };
	walker_init(&w, o, text, len, false, find_cb, &f);
	walk(&w, at);
	walker_free(&w);
	return f.any ? f.found : at;
}

struct ring {
	size_t *pos;		/* n slots */
	int n, count;		/* lines kept, at most n */
	int head;		/* next slot to write */
	size_t limit;		/* only lines before this */
};

static int
ring_cb(void *ctx, const struct layout_line *l)
{
	struct ring *r = ctx;
	if (l->pos >= r->limit)
		return 1;
	r->pos[r->head] = l->pos;
	r->head = (r->head + 1) % r->n;
	if (r->count < r->n)
		r->count++;
	return 0;
}

size_t
layout_up(const struct layout_opts *o, const char *text, size_t len,
	  size_t pos, int n)
{
	size_t at = layout_snap(o, text, len, pos);
	if (n <= 0)
		return at;
	size_t *slots = malloc((size_t)n * sizeof *slots);
	if (slots == NULL)
		return at;
	size_t best = at;
	int have = 0;		/* lines found above `at` so far */
	size_t limit = at, u = unit_start(text, len, at);
	for (;;) {
		struct ring r = { slots, n, 0, 0, limit };
		struct walker w;
		walker_init(&w, o, text, len, false, ring_cb, &r);
		size_t v = u;
		while (!w.stop && v < len)
			v = lay_unit(&w, v);
		walker_free(&w);
		/* r holds the last r.count lines of [u, limit). */
		int need = n - have;
		if (r.count >= need) {
			best = slots[(r.head - need + n * 2) % n];
			break;
		}
		if (r.count > 0)
			best = slots[(r.head - r.count + n * 2) % n];
		have += r.count;
		if (u == 0)
			break;
		size_t pu = unit_start(text, len, u - 1);
		if (pu >= u)
			break;
		limit = u;
		u = pu;
	}
	free(slots);
	return best;
}

size_t
layout_last_page(const struct layout_opts *o, const char *text, size_t len,
		 int height)
{
	size_t last = layout_snap(o, text, len, len);
	return layout_up(o, text, len, last, height - 1);
}

/* ---- pages ---- */

struct collect {
	struct layout_page *p;
	size_t target;
	int height;
	bool started;
	int cap;
	bool oom;
};

static void
line_free(struct layout_line *l)
{
	if (!l->spacer) {
		free(l->text);
		free(l->src);
	}
}

static int
collect_cb(void *ctx, const struct layout_line *l)
{
	struct collect *c = ctx;
	struct layout_page *p = c->p;

	if (l->pos <= c->target && p->n > 0) {
		/* A later line still holds the target: start over (only
		 * one line is kept until then). */
		line_free(&p->lines[0]);
		p->n = 0;
	}
	if (p->n == c->height) {
		p->next = l->pos;
		return 1;
	}
	if (p->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 16;
		struct layout_line *nl = realloc(p->lines, cap * sizeof *nl);
		if (nl == NULL) {
			c->oom = true;
			return 1;
		}
		p->lines = nl;
		c->cap = cap;
	}
	struct layout_line copy = *l;
	if (!l->spacer) {
		copy.text = malloc(l->len + 1);
		copy.src = malloc((l->len + 1) * sizeof *copy.src);
		if (copy.text == NULL || copy.src == NULL) {
			free(copy.text);
			free(copy.src);
			c->oom = true;
			return 1;
		}
		memcpy(copy.text, l->text, l->len);
		copy.text[l->len] = '\0';
		if (l->len)
			memcpy(copy.src, l->src, l->len * sizeof *copy.src);
	} else {
		copy.text = (char *)"";
		copy.src = NULL;
	}
	p->lines[p->n++] = copy;
	return 0;
}

int
layout_page(const struct layout_opts *o, const char *text, size_t len,
	    size_t pos, int height, struct layout_page *page)
{
	memset(page, 0, sizeof *page);
	page->next = len;
	if (height < 1)
		height = 1;
	struct collect c = { page, pos, height, false, 0, false };
	struct walker w;
	walker_init(&w, o, text, len, true, collect_cb, &c);
	bool ok = walk(&w, pos);
	walker_free(&w);
	if (!ok || c.oom) {
		layout_page_free(page);
		return -1;
	}
	page->end = page->next >= len;
	return 0;
}

int
layout_page_resize(const struct layout_opts *o, const char *text, size_t len,
		   struct layout_page *page, int height)
{
	if (height < 1)
		height = 1;
	if (height < page->n) {
		/* A line's layout depends on its unit alone: the first
		 * height lines are the shorter page. */
		page->next = page->lines[height].pos;
		for (int i = height; i < page->n; i++)
			line_free(&page->lines[i]);
		page->n = height;
		page->end = page->next >= len;
		return 0;
	}
	if (height == page->n || page->end)
		return 0;
	/* The rest starts with the line at page->next. */
	struct layout_page more;
	if (layout_page(o, text, len, page->next, height - page->n, &more) < 0)
		return -1;
	struct layout_line *nl = realloc(page->lines, (size_t)(page->n + more.n) *
					 sizeof *nl);
	if (nl == NULL) {
		layout_page_free(&more);
		return -1;
	}
	if (more.n > 0)
		memcpy(nl + page->n, more.lines, (size_t)more.n * sizeof *nl);
	page->lines = nl;
	page->n += more.n;
	page->next = more.next;
	page->end = more.end;
	free(more.lines);
	return 0;
}

void
layout_page_free(struct layout_page *page)
{
	for (int i = 0; i < page->n; i++)
		line_free(&page->lines[i]);
	free(page->lines);
	page->lines = NULL;
	page->n = 0;
}

void
layout_breaks(const char *s, size_t n, char *p)
{
	u8_possible_linebreaks((const uint8_t *)s, n, "UTF-8", p);
	for (size_t i = 0; i < n; i++)
		p[i] = p[i] == UC_BREAK_POSSIBLE;
}
