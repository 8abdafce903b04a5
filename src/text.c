/* text: encodings, cleaning, widths, case folding.  See text.h. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <unigbrk.h>
#include <unistr.h>
#include <uniwidth.h>

#include "text.h"

int
text_buf_add(struct text_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (s == NULL)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int
text_buf_addc(struct text_buf *b, char c)
{
	return text_buf_add(b, &c, 1);
}

void
text_buf_free(struct text_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* Bytes of a truncated UTF-8 sequence at the end of buf. */
static size_t
utf8_tail(const char *buf, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = buf[n - k];
		if ((c & 0xC0) == 0x80)
			continue;
		if (c < 0x80)
			return 0;
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > k ? k : 0;
	}
	return 0;
}

static bool
decodes_cleanly(const char *enc, const char *buf, size_t n)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return false;
	char out[4096];
	char *in = (char *)buf;
	size_t left = n;
	bool ok = true;
	while (left > 0) {
		char *o = out;
		size_t olen = sizeof out;
		if (iconv(cd, &in, &left, &o, &olen) == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* EINVAL: a sequence cut by the end of the sample. */
			ok = errno == EINVAL && left < 4;
			break;
		}
	}
	iconv_close(cd);
	return ok;
}

const char *
text_detect(const char *buf, size_t n, size_t *bom)
{
	const unsigned char *u = (const unsigned char *)buf;

	*bom = 0;
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		*bom = 3;
		return "UTF-8";
	}
	if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		*bom = 2;
		return "UTF-16LE";
	}
	if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		*bom = 2;
		return "UTF-16BE";
	}

	/* UTF-16 without a mark: zero bytes on one side only. */
	size_t zeven = 0, zodd = 0, m = n < 8192 ? n : 8192;
	for (size_t i = 0; i + 1 < m; i += 2) {
		zeven += u[i] == 0;
		zodd += u[i + 1] == 0;
	}
	if (m >= 4) {
		size_t half = m / 2;
		if (zodd * 5 >= half && zeven * 50 <= half)
			return "UTF-16LE";
		if (zeven * 5 >= half && zodd * 50 <= half)
			return "UTF-16BE";
	}

	/* UTF-8, also when slightly damaged: a stray bad byte among many
	 * good multibyte characters is damage, not another encoding. */
	size_t len = n - utf8_tail(buf, n), bad = 0, multi = 0;
	for (size_t i = 0; i < len;) {
		if (u[i] < 0x80) {
			/* ASCII, eight bytes at a step */
			uint64_t w;
			while (i + 8 <= len && (memcpy(&w, u + i, 8),
			       (w & 0x8080808080808080ULL) == 0))
				i += 8;
			if (i < len && u[i] < 0x80)
				i++;
			continue;
		}
		ucs4_t uc;
		int k = u8_mbtoucr(&uc, u + i, len - i);
		if (k < 0) {
			bad++;
			i++;
		} else {
			multi++;
			i += k;
		}
	}
	if (bad == 0 || multi >= 10 * bad)
		return "UTF-8";
	if (decodes_cleanly("GB18030", buf, n))
		return "GB18030";
	/* Valid sequences are rare by chance in other encodings (about
	 * one pair in ten of GB18030, almost none in CP1252): as many
	 * of them as bad bytes is damaged UTF-8. */
	if (multi >= bad)
		return "UTF-8";
	return "CP1252";
}

bool
text_is_binary(const char *buf, size_t n, const char *enc)
{
	if (strncmp(enc, "UTF-16", 6) == 0) {
		/* A NUL code unit. */
		for (size_t i = 0; i + 1 < n; i += 2)
			if (buf[i] == 0 && buf[i + 1] == 0)
				return true;
		return false;
	}
	if (memchr(buf, 0, n) != NULL)
		return true;
	/* Many control bytes in the first 8 KiB. */
	size_t ctl = 0, m = n < 8192 ? n : 8192;
	for (size_t i = 0; i < m; i++) {
		unsigned char c = buf[i];
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' &&
		    c != '\f' && c != 0x1b)
			ctl++;
	}
	return ctl * 10 > m;
}

bool
text_encoding_known(const char *enc)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

#define PUT(b, lit) text_buf_add((b), (lit), sizeof(lit) - 1)

/* Clean valid-or-not UTF-8 into out.  *bol says whether the text so far
 * ends at a line start (for lone combining marks). */
static int
clean_utf8(const char *in, size_t n, struct text_buf *out, bool *bol,
	   bool *cr)
{
	const unsigned char *u = (const unsigned char *)in;
	size_t i = 0;

	/* A CR LF cut between two pieces is one line end. */
	if (*cr && n > 0 && u[0] == '\n')
		i = 1;
	*cr = false;
	while (i < n) {
		/* Runs of printable ASCII go through in one copy. */
		size_t j = i;
		while (j < n && u[j] >= 0x20 && u[j] < 0x7F)
			j++;
		if (j > i) {
			if (text_buf_add(out, in + i, j - i) < 0)
				return -1;
			*bol = false;
			i = j;
			continue;
		}
		unsigned char c = u[i];
		int rc = 0;
		if (c == '\n') {
			rc = text_buf_addc(out, '\n');
			*bol = true;
			i++;
		} else if (c == '\r') {
			rc = text_buf_addc(out, '\n');
			*bol = true;
			*cr = i + 1 == n;
			i += (i + 1 < n && u[i + 1] == '\n') ? 2 : 1;
		} else if (c == '\t') {
			rc = PUT(out, "    ");
			*bol = false;
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			/* The control picture: U+2400 + c, U+2421 for DEL. */
			unsigned v = c == 0x7F ? 0x21 : c;
			char pic[3] = { (char)0xE2, (char)(0x90 + (v >> 6)),
					(char)(0x80 | (v & 0x3F)) };
			rc = text_buf_add(out, pic, 3);
			*bol = false;
			i++;
		} else {
			ucs4_t uc;
			int k = u8_mbtoucr(&uc, u + i, n - i);
			if (k < 0) {
				rc = PUT(out, "\xEF\xBF\xBD");
				*bol = false;
				i++;
				/* Skip the rest of a broken or truncated
				 * sequence: one mark for it. */
				while (i < n && (u[i] & 0xC0) == 0x80)
					i++;
				if (rc < 0)
					return -1;
				continue;
			}
			if (uc >= 0x80 && uc <= 0x9F) {
				rc = PUT(out, "\xEF\xBF\xBD");
				*bol = false;
			} else if (uc == 0xAD || uc == 0xFEFF) {
				/* soft hyphen, BOM: nothing to show */
			} else if (uc == 0x2028 || uc == 0x2029) {
				rc = text_buf_addc(out, '\n');
				*bol = true;
			} else {
				if (*bol && uc_is_general_category(uc, UC_CATEGORY_M))
					rc = PUT(out, "\xE2\x97\x8C");
				if (rc == 0)
					rc = text_buf_add(out, in + i, k);
				*bol = false;
			}
			i += k;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
text_to_clean(const char *enc, const char *in, size_t n, struct text_buf *out)
{
	bool bol = out->len == 0 || out->s[out->len - 1] == '\n';
	bool cr = false;

	if (strcmp(enc, "UTF-8") == 0)
		return clean_utf8(in, n, out, &bol, &cr);

	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1) {
		errno = EINVAL;
		return -1;
	}
	size_t unit = strncmp(enc, "UTF-16", 6) == 0 ? 2 : 1;
	char tmp[16384];
	char *ip = (char *)in;
	size_t left = n;
	int rc = 0;
	while (left > 0 && rc == 0) {
		char *op = tmp;
		size_t olen = sizeof tmp;
		size_t r = iconv(cd, &ip, &left, &op, &olen);
		int err = r == (size_t)-1 ? errno : 0;
		rc = clean_utf8(tmp, op - tmp, out, &bol, &cr);
		if (rc < 0 || err == 0 || err == E2BIG)
			continue;
		/* EILSEQ or a truncated sequence at the end: mark it, move on. */
		rc = PUT(out, "\xEF\xBF\xBD");
		bol = false;
		size_t skip = err == EINVAL ? left : unit;
		if (skip > left)
			skip = left;
		ip += skip;
		left -= skip;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	return rc;
}

int
text_clean_utf8_piece(const char *in, size_t n, bool final, bool *cr,
		      struct text_buf *out, size_t *used)
{
	bool bol = out->len == 0 || out->s[out->len - 1] == '\n';
	size_t take = final ? n : n - utf8_tail(in, n);
	*used = take;
	return clean_utf8(in, take, out, &bol, cr);
}

int
text_buf_reserve(struct text_buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return 0;
	char *s = realloc(b->s, b->len + n + 1);
	if (s == NULL)
		return -1;
	b->s = s;
	b->cap = b->len + n + 1;
	b->s[b->len] = '\0';
	return 0;
}

size_t
text_width(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	if (i == n)
		return n;
	int w = u8_width((const uint8_t *)s + i, n - i, "UTF-8");
	return i + (w > 0 ? (size_t)w : 0);
}

int
text_char_width(const char *s, size_t n, size_t *len)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*len = 1;
		return c >= 0x20 && c != 0x7F;
	}
	ucs4_t uc;
	int k = u8_mbtouc(&uc, (const uint8_t *)s, n);
	*len = k > 0 ? (size_t)k : 1;
	int w = uc_width(uc, "UTF-8");
	return w < 0 ? 0 : w;
}

size_t
text_fit(const char *s, size_t n, size_t cols, size_t *used)
{
	size_t i = 0;

	/* Printable ASCII needs no grapheme analysis: every byte is one
	 * column and a boundary, unless a mark follows. */
	while (i < n && i < cols && (unsigned char)s[i] < 0x80)
		i++;
	if (i == n || (unsigned char)s[i] < 0x80) {
		*used = i;
		return i;
	}

	size_t m = n;
	if (m > cols * 16 + 64)
		m = cols * 16 + 64;
	char *brk = malloc(m);
	if (brk == NULL) {
		*used = 0;
		return 0;
	}
	u8_grapheme_breaks((const uint8_t *)s, m, brk);
	size_t best = 0, bestw = 0, w = 0, j = 0;
	while (j < m) {
		if (j > 0 && brk[j]) {
			if (w > cols)
				break;
			best = j;
			bestw = w;
		}
		size_t k;
		w += text_char_width(s + j, n - j, &k);
		j += k;
	}
	if (j >= m && m == n && w <= cols) {
		best = n;
		bestw = w;
	}
	free(brk);
	*used = bestw;
	return best;
}

char *
text_ellipsize(const char *s, size_t n, size_t cols, char *dst, size_t dstsz)
{
	size_t used, len;

	if (dstsz == 0)
		return dst;
	if (text_width(s, n) <= cols) {
		len = n < dstsz - 1 ? n : dstsz - 1;
		len = len - utf8_tail(s, len);
		memcpy(dst, s, len);
		dst[len] = '\0';
		return dst;
	}
	if (cols == 0 || dstsz < 4) {
		/* no room for even the ellipsis */
		dst[0] = '\0';
		return dst;
	}
	len = text_fit(s, n, cols - 1, &used);
	if (len + 4 > dstsz) {
		len = dstsz - 4;
		len -= utf8_tail(s, len);
	}
	memcpy(dst, s, len);
	memcpy(dst + len, "\xE2\x80\xA6", 4);
	return dst;
}

/* Characters that never change under case folding: CJK and friends. */
static bool
caseless(ucs4_t uc)
{
	return (uc >= 0x2E80 && uc < 0xA640) || (uc >= 0xAC00 && uc < 0xFB00) ||
	       (uc >= 0x20000);
}

int
text_fold(const char *s, size_t n, char **out, size_t *outlen, size_t **map)
{
	struct text_buf b = { 0 };
	size_t *m = NULL, mcap = 0;
	int rc = -1;

	/* Room for the usual case: the folded text is as long. */
	if (text_buf_add(&b, "", 0) < 0 || (n > 0 && (b.len = 0,
	    text_buf_add(&b, s, n) < 0)))
		goto out;
	b.len = 0;
	if (map != NULL) {
		mcap = n + 1;
		if ((m = malloc(mcap * sizeof *m)) == NULL)
			goto out;
	}
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k = 1, before = b.len;
		if (c < 0x80 && b.len + 64 <= b.cap && (map == NULL ||
		    b.len + 64 <= mcap)) {
			/* a run of ASCII, folded in place */
			size_t end = i + 63 < n ? i + 63 : n, j = i;
			for (; j < end && (unsigned char)s[j] < 0x80; j++) {
				char f = s[j];
				b.s[b.len] = (f >= 'A' && f <= 'Z') ? (char)(f + 32) : f;
				if (map != NULL)
					m[b.len] = j;
				b.len++;
			}
			b.s[b.len] = '\0';
			i = j;
			continue;
		}
		if (c < 0x80) {
			char f = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
			if (text_buf_addc(&b, f) < 0)
				goto out;
		} else {
			ucs4_t uc;
			int r = u8_mbtouc(&uc, (const uint8_t *)s + i, n - i);
			k = r > 0 ? (size_t)r : 1;
			if (caseless(uc)) {
				if (text_buf_add(&b, s + i, k) < 0)
					goto out;
			} else {
				uint8_t tmp[32];
				size_t tl = sizeof tmp;
				uint8_t *f = u8_casefold((const uint8_t *)s + i, k,
							 NULL, NULL, tmp, &tl);
				if (f == NULL) {
					f = (uint8_t *)s + i;
					tl = k;
				}
				int e = text_buf_add(&b, f, tl);
				if (f != tmp && f != (uint8_t *)s + i)
					free(f);
				if (e < 0)
					goto out;
			}
		}
		if (map != NULL) {
			if (b.len + 1 > mcap) {
				size_t nc = mcap ? mcap * 2 : 256;
				while (nc < b.len + 1)
					nc *= 2;
				size_t *nm = realloc(m, nc * sizeof *m);
				if (nm == NULL)
					goto out;
				m = nm;
				mcap = nc;
			}
			for (size_t j = before; j < b.len; j++)
				m[j] = i;
		}
		i += k;
	}
	if (map != NULL) {
		if (b.len + 1 > mcap) {
			size_t *nm = realloc(m, (b.len + 1) * sizeof *m);
			if (nm == NULL)
				goto out;
			m = nm;
		}
		m[b.len] = n;
		*map = m;
		m = NULL;
	}
	*out = b.s;
	*outlen = b.len;
	b.s = NULL;
	rc = 0;
out:
	free(m);
	text_buf_free(&b);
	return rc;
}

bool
text_has_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				return true;
			i++;
			continue;
		}
		ucs4_t uc;
		int k = u8_mbtouc(&uc, (const uint8_t *)s + i, n - i);
		if (uc_is_upper(uc) || uc_is_general_category(uc, UC_CATEGORY_Lt))
			return true;
		i += k > 0 ? (size_t)k : 1;
	}
	return false;
}

void
text_count(const char *s, size_t n, size_t *words, size_t *chars)
{
	size_t w = 0, c = 0;
	bool in = false;
	for (size_t i = 0; i < n;) {
		unsigned char b = s[i];
		if (b < 0x80) {
			bool sp = b == ' ' || b == '\n';
			if (!sp) {
				c++;
				if (!in)
					w++;
			}
			in = !sp;
			i++;
			continue;
		}
		ucs4_t uc;
		int k = u8_mbtouc(&uc, (const uint8_t *)s + i, n - i);
		i += k > 0 ? (size_t)k : 1;
		if (uc == 0x3000 || uc_is_space(uc)) {
			in = false;
			continue;
		}
		c++;
		if (uc_is_property_ideographic(uc)) {
			w++;
			in = false;
		} else if (uc_is_general_category(uc, UC_CATEGORY_P) && uc >= 0x3000) {
			in = false;
		} else {
			if (!in)
				w++;
			in = true;
		}
	}
	*words = w;
	*chars = c;
}

bool
text_is_wide(const char *s, size_t n)
{
	size_t k;
	return n > 0 && (unsigned char)s[0] >= 0x80 && text_char_width(s, n, &k) == 2;
}

size_t
text_indent(const char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		if (i < n && s[i] == ' ')
			i++;
		else if (i + 3 <= n && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
			i += 3;
		else
			return i;
	}
}

bool
text_is_blank(const char *s, size_t n)
{
	return text_indent(s, n) == n;
}
