/* fuzz.h: checks shared by the fuzz targets. */
#ifndef FOLIO_FUZZ_H
#define FOLIO_FUZZ_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A file of its own for one input: a new directory from the mkdtemp
 * template dir, and in it a file name holding data.  The file's path
 * goes to path, its lock file's (store.c's name.lock) to lock.  False if
 * any of it failed. */
static inline bool
fuzz_put_file(char *dir, const char *name, const void *data, size_t size,
	      char path[256], char lock[300])
{
	if (mkdtemp(dir) == NULL)
		return false;
	snprintf(path, 256, "%s/%s", dir, name);
	snprintf(lock, 300, "%s.lock", path);
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		rmdir(dir);
		return false;
	}
	fwrite(data, 1, size, f);
	fclose(f);
	return true;
}

/* Remove what fuzz_put_file made, and the lock file. */
static inline void
fuzz_remove(const char *dir, const char *path, const char *lock)
{
	unlink(path);
	unlink(lock);
	rmdir(dir);
}

/* Abort unless s is valid UTF-8 with no C0 control (but '\n' when
 * newlines is set), no DEL and no C1 control. */
static inline void
fuzz_check_clean(const char *s, size_t n, bool newlines)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		if (c < 0x20 && !(newlines && c == '\n'))
			abort();
		if (c == 0x7F)
			abort();
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (k == 0 || c > 0xF4 || i + k > n)
			abort();
		for (size_t j = 1; j < k; j++)
			if ((u[i + j] & 0xC0) != 0x80)
				abort();
		if (c == 0xC2 && u[i + 1] < 0xA0)
			abort();	/* C1 */
		i += k;
	}
}

#endif
