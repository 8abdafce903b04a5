/* libFuzzer: a book directory whose book.conf and two chapter files come
 * from the input (split at 0xFF bytes).  Metadata must be clean, one line. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "book.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return;
	fwrite(p, 1, n, f);
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/fuzz-dir-XXXXXX";
	if (mkdtemp(dir) == NULL)
		return 0;
	static const char *const names[] = { "book.conf", "1.txt", "10.md" };
	size_t start = 0, part = 0;
	for (size_t i = 0; i <= size && part < 3; i++) {
		if (i == size || data[i] == 0xFF) {
			put(dir, names[part++], data + start, i - start);
			start = i + 1;
		}
	}
	struct book *b;
	char *err;
	if (book_open(&b, dir, NULL, &err) == 0) {
		const char *meta[] = { book_title(b), book_author(b),
				       book_category(b), book_language(b) };
		for (int i = 0; i < 4; i++)
			fuzz_check_clean(meta[i], strlen(meta[i]), false);
		for (size_t i = 0; i < book_nchapters(b); i++) {
			const char *t = book_chapter_title(b, i);
			fuzz_check_clean(t, strlen(t), false);
		}
		book_close(b);
	} else {
		free(err);
	}
	for (int i = 0; i < 3; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}
