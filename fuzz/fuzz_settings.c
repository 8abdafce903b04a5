/* libFuzzer: arbitrary bytes as ~/.foliorc.  A save keeps every comment
 * and every line it does not own; loading the saved file gives the same
 * settings. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/fuzz-rc-XXXXXX", path[256], lock[300];
	if (memchr(data, 0, size) != NULL ||
	    !fuzz_put_file(dir, "foliorc", data, size, path, lock))
		return 0;

	struct settings st, again;
	settings_load(&st, path, NULL);
	if (settings_save(&st, path, NULL) == 0) {
		settings_load(&again, path, NULL);
		if (memcmp(&st, &again, sizeof st) != 0)
			abort();	/* the round trip changed a setting */
		/* comment lines survive */
		FILE *g = fopen(path, "r");
		char *saved = malloc(size * 2 + 4096);
		size_t n = g && saved ? fread(saved, 1, size * 2 + 4095, g) : 0;
		if (saved != NULL) {
			saved[n] = '\0';
			const char *p = (const char *)data, *end = p + size;
			while (p < end) {
				const char *nl = memchr(p, '\n', (size_t)(end - p));
				size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
				if (len > 1 && p[0] == '#' && memchr(p, '\r', len) == NULL) {
					char *line = strndup(p, len);
					if (line && strstr(saved, line) == NULL)
						abort();	/* a comment was lost */
					free(line);
				}
				p = nl ? nl + 1 : end;
			}
		}
		free(saved);
		if (g)
			fclose(g);
	}
	fuzz_remove(dir, path, lock);
	return 0;
}
