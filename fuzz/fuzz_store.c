/* libFuzzer: arbitrary bytes as the bookmarks dotfile.  Load, save to
 * another file, load again: every line that did not parse is still
 * there, verbatim, and no record is lost. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	char *buf = malloc(1 << 20);
	*n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	if (buf)
		buf[*n] = '\0';
	fclose(f);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/fuzz-store-XXXXXX", path[256], lock[300];
	if (size > (1 << 19) ||
	    !fuzz_put_file(dir, "bookmarks", data, size, path, lock))
		return 0;

	struct store *s;
	if (store_load(&s, path, NULL) == 0) {
		size_t books = store_count(s), bad = store_bad_lines(s);
		/* a change, so that the save rewrites the file */
		struct store_book *r = store_get(s, "fuzz-fp", "/fuzz/path");
		if (r != NULL)
			store_set_position(s, r, 1, 2, 0.5, 3, "fuzz");
		if (store_save(s, NULL) == 0) {
			struct store *t;
			if (store_load(&t, path, NULL) == 0) {
				if (store_count(t) < books || store_bad_lines(t) != bad)
					abort();
				store_free(t);
			}
			/* every line of the input that did not parse survives */
			size_t n;
			char *after = slurp(path, &n);
			if (after != NULL && bad > 0) {
				const char *p = (const char *)data, *end = p + size;
				while (p < end) {
					const char *nl = memchr(p, '\n', (size_t)(end - p));
					size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
					/* a line that cannot be a record is kept as is */
					bool record = (len >= 5 && (memcmp(p, "book\t", 5) == 0 ||
								    memcmp(p, "mark\t", 5) == 0)) ||
						      (len >= 15 && memcmp(p, "folio-bookmarks", 15) == 0);
					if (!record && len > 0 && p[0] != '#' &&
					    memchr(p, '\r', len) == NULL &&
					    memchr(p, '\0', len) == NULL) {
						if (memmem(after, n, p, len) == NULL)
							abort();
					}
					p = nl ? nl + 1 : end;
				}
			}
			free(after);
		}
		store_free(s);
	}
	fuzz_remove(dir, path, lock);
	return 0;
}
