/* libFuzzer: lay out arbitrary bytes at a width and options from the
 * first bytes.  No line wider than the width (but a lone grapheme wider
 * than it), no control byte out, positions increasing, pages tiling, and
 * b undoing Space. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "layout.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	struct layout_opts o = { .width = data[0] % 90 + 1,
				 .indent = data[1] & 3,
				 .spacing = data[1] & 4,
				 .justify = data[1] & 8 };
	int height = data[2] % 12 + 1;
	struct text_buf t = { 0 };
	if (text_to_clean("UTF-8", (const char *)data + 3, size - 3, &t) < 0)
		return 0;
	const char *s = t.s ? t.s : "";
	size_t len = t.len;

	size_t pos = 0, starts[4096];
	int npages = 0;
	for (;;) {
		struct layout_page pg;
		if (layout_page(&o, s, len, pos, height, &pg) < 0)
			break;
		size_t last = 0;
		for (int i = 0; i < pg.n; i++) {
			const struct layout_line *l = &pg.lines[i];
			fuzz_check_clean(l->text, l->len, false);
			if (i > 0 && l->pos <= last)
				abort();	/* positions increase */
			last = l->pos;
			size_t used, sp = 0;
			size_t w = text_width(l->text, l->len);
			while (sp < l->len && l->text[sp] == ' ')
				sp++;
			/* too wide, and more than one grapheme that cannot fit */
			if (w > (size_t)o.width &&
			    text_fit(l->text + sp, l->len - sp, (size_t)o.width,
				     &used) > 0)
				abort();
		}
		if (npages < 4096)
			starts[npages++] = pg.n > 0 ? pg.lines[0].pos : pos;
		bool end = pg.end;
		size_t next = pg.next;
		layout_page_free(&pg);
		/* A page costs up to a cut point's worth of layout (16 KiB):
		 * a thousand of them is plenty, and keeps runs quick. */
		if (end || next <= pos || npages >= 1024)
			break;
		pos = next;
	}
	/* b from each page start returns the previous page start. */
	for (int i = npages - 1; i > 0 && i > npages - 8; i--)
		if (layout_up(&o, s, len, starts[i], height) != starts[i - 1])
			abort();
	text_buf_free(&t);
	return 0;
}
