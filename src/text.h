/* text: bytes from a book become clean UTF-8 here, and only here (with
 * layout.c) is libunistring called.
 *
 * "Clean" text is what every other module sees: valid UTF-8, lines ending
 * in '\n' only, and no character a terminal would act on.  C0 controls and
 * DEL become their Unicode control pictures (ESC shows as U+241B), C1
 * controls and invalid bytes become U+FFFD, a tab becomes four spaces, a
 * soft hyphen and a leading BOM are dropped, and a combining mark with no
 * base gets U+25CC to sit on.  Nothing is dropped silently: every damaged
 * byte leaves a visible mark. */
#ifndef FOLIO_TEXT_H
#define FOLIO_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A growable byte buffer.  The pure modules return -1 on allocation
 * failure instead of aborting. */
struct text_buf {
	char *s;		/* owned; NUL-terminated when len > 0 */
	size_t len, cap;
};

int text_buf_add(struct text_buf *b, const void *p, size_t n);
int text_buf_addc(struct text_buf *b, char c);
void text_buf_free(struct text_buf *b);

/* Guess the encoding of a book from its first bytes (a few KiB is enough;
 * more is better).  Returns a static iconv name: "UTF-8", "UTF-16LE",
 * "UTF-16BE", "GB18030" or "CP1252".  *bom gets the length of a byte order
 * mark to skip (0 if none). */
const char *text_detect(const char *buf, size_t n, size_t *bom);

/* True if the bytes look like a binary file rather than text: NUL bytes or
 * many control bytes in a UTF-8/single-byte buffer. */
bool text_is_binary(const char *buf, size_t n, const char *enc);

/* Convert n bytes in encoding enc to clean UTF-8 (see above), appended to
 * out.  Invalid sequences become U+FFFD.  Returns 0, or -1 on allocation
 * failure or an encoding iconv does not know (errno EINVAL). */
int text_to_clean(const char *enc, const char *in, size_t n,
		  struct text_buf *out);

/* text_to_clean for UTF-8 that comes in pieces (a big chapter read a
 * block at a time).  Cleans in[0..*used) into out: all of it if final,
 * else all but a sequence cut at the end, which the caller puts before
 * the next piece.  *cr (false at the start) carries a CR that ended the
 * last piece, so that a CR LF cut in two is one line end.  Returns 0 or
 * -1 (out of memory). */
int text_clean_utf8_piece(const char *in, size_t n, bool final, bool *cr,
			  struct text_buf *out, size_t *used);

/* Make room for n more bytes (and the NUL) without doubling.  0 or -1. */
int text_buf_reserve(struct text_buf *b, size_t n);

/* True if iconv knows the encoding name. */
bool text_encoding_known(const char *enc);

/* Display columns of clean UTF-8. */
size_t text_width(const char *s, size_t n);

/* Columns of the character at s (clean UTF-8, n > 0); *len gets its
 * length in bytes. */
int text_char_width(const char *s, size_t n, size_t *len);

/* The longest prefix of clean UTF-8 s that fits in cols columns, cut at a
 * grapheme cluster boundary.  Returns its byte length; *used gets its
 * width. */
size_t text_fit(const char *s, size_t n, size_t cols, size_t *used);

/* Copy s into dst (size dstsz), cut to at most cols columns; when cut, the
 * copy ends with an ellipsis that is counted in cols.  Returns dst. */
char *text_ellipsize(const char *s, size_t n, size_t cols, char *dst,
		     size_t dstsz);

/* Unicode case folding with a map back to the source: *out (caller frees)
 * gets the folded text, *map (caller frees; may be NULL if not wanted)
 * gets, for each byte of the folded text plus one, the offset in s it came
 * from.  Returns 0 or -1. */
int text_fold(const char *s, size_t n, char **out, size_t *outlen,
	      size_t **map);

/* True if s contains an upper-case or title-case letter. */
bool text_has_upper(const char *s, size_t n);

/* Words (runs separated by white space) plus CJK ideographs, each of which
 * counts as a word, and characters (not counting white space). */
void text_count(const char *s, size_t n, size_t *words, size_t *chars);

/* True if the character at s is wide (East Asian W/F, 2 columns). */
bool text_is_wide(const char *s, size_t n);

/* True if s[0..n) is only white space (ASCII or U+3000). */
bool text_is_blank(const char *s, size_t n);

/* Length of the leading indentation (spaces, U+3000) in bytes. */
size_t text_indent(const char *s, size_t n);

#endif
