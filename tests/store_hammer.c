/* store_hammer: a writer of a bookmarks dotfile, for store_stress.sh.
 *
 *	store_hammer FILE ID COUNT
 *		load FILE once; then COUNT times set the record of book
 *		"hammer-ID" to chapter i, offset i (i = 1..COUNT), add a mark
 *		every tenth time, save, and print "ID i" once the save is done
 *	store_hammer -c FILE
 *		print "records N bad M", then "FP CHAPTER OFFSET NMARKS" for
 *		each record */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static int
check(const char *file)
{
	struct store *s;
	char *err;

	if (store_load(&s, file, &err) == -1) {
		fprintf(stderr, "store_hammer: %s\n", err);
		free(err);
		return 1;
	}
	printf("records %zu bad %zu\n", store_count(s), store_bad_lines(s));
	for (size_t i = 0; i < store_count(s); i++) {
		struct store_book *b = store_at(s, i);
		printf("%s %zu %zu %zu\n", b->fingerprint, b->chapter,
		    b->offset, b->nmarks);
	}
	store_free(s);
	return 0;
}

int
main(int argc, char **argv)
{
	struct store *s;
	char fp[64], path[80], *err, *end;
	long count;

	if (argc == 3 && strcmp(argv[1], "-c") == 0)
		return check(argv[2]);
	if (argc != 4) {
		fprintf(stderr, "usage: store_hammer FILE ID COUNT\n"
		    "       store_hammer -c FILE\n");
		return 2;
	}
	count = strtol(argv[3], &end, 10);
	if (*end != '\0' || count < 0) {
		fprintf(stderr, "store_hammer: bad count %s\n", argv[3]);
		return 2;
	}
	snprintf(fp, sizeof fp, "hammer-%s", argv[2]);
	snprintf(path, sizeof path, "/hammer/%s", argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (store_load(&s, argv[1], &err) == -1) {
		fprintf(stderr, "store_hammer: %s\n", err);
		free(err);
		return 1;
	}
	for (long i = 1; i <= count; i++) {
		struct store_book *b = store_get(s, fp, path);
		if (b == NULL) {
			fprintf(stderr, "store_hammer: out of memory\n");
			return 1;
		}
		store_set_position(s, b, i, i, 0.5, count, "Hammer\ttitle");
		if (i % 10 == 0 && store_add_mark(s, b, i, 0, "ten") == -1) {
			fprintf(stderr, "store_hammer: out of memory\n");
			return 1;
		}
		if (store_save(s, &err) == -1) {
			fprintf(stderr, "store_hammer: %s\n", err);
			free(err);
			store_free(s);
			return 1;
		}
		printf("%s %ld\n", argv[2], i);
	}
	store_free(s);
	return 0;
}
