/* libFuzzer: a text book from arbitrary bytes.  Every chapter's title and
 * text must come out clean, and the chapters must tile the file. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "book.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encodings[] = { NULL, NULL, NULL, "UTF-8",
		"UTF-16LE", "UTF-16BE", "GB18030", "CP1252" };
	struct book_opts o = { 0 };
	if (size > 0) {
		o.encoding = encodings[data[0] & 7];
		if (data[0] & 0x80)
			o.pattern = "^(Chapter|##) [0-9]+";
	}
	char path[] = "/tmp/fuzz-book-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);

	struct book *b;
	char *err;
	if (book_open(&b, path, &o, &err) == 0) {
		size_t budget = size > 1 ? (data[1] % 8 + 1) * 512 : 4096;
		while (book_index_more(b, budget) > 0)
			;
		uint64_t at = 0;
		for (size_t i = 0; i < book_nchapters(b); i++) {
			if (book_chapter_start(b, i) != at)
				abort();	/* chapters must tile the file */
			at += book_chapter_size(b, i);
			const char *t = book_chapter_title(b, i);
			fuzz_check_clean(t, strlen(t), false);
			const char *text;
			size_t len;
			char *e2;
			if (book_chapter_text(b, i, &text, &len, &e2) == 0)
				fuzz_check_clean(text, len, true);
			else
				free(e2);
		}
		if (at != book_size(b))
			abort();
		book_close(b);
	} else {
		if (err == NULL || strchr(err, '\n') != NULL)
			abort();	/* a one-line reason */
		free(err);
	}
	unlink(path);
	return 0;
}
