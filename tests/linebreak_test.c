/* linebreak_test: feed Unicode's LineBreakTest.txt through layout_breaks
 * and count the cases where every break opportunity agrees.
 *
 * Usage: linebreak_test FILE.  Prints "AGREE TOTAL" on standard output
 * (and the first few disagreements on standard error); exits 2 if the
 * file cannot be read.
 *
 * A test line is "× 0041 ÷ 0020 × 0062 ÷ # comment": ÷ is a break
 * opportunity between two code points, × none.  layout_breaks() says
 * p[i] = 1 if a line may break before byte s[i]; so the marker before
 * code point k (k > 0) is compared with p at k's first byte.  The
 * marker before the first code point is never a break and the one after
 * the last always is (the end of the text): neither is compared. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

static size_t
put_utf8(char *s, unsigned long c)
{
	if (c < 0x80) {
		s[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		s[0] = (char)(0xC0 | c >> 6);
		s[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		s[0] = (char)(0xE0 | c >> 12);
		s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	s[0] = (char)(0xF0 | c >> 18);
	s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	s[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: linebreak_test LineBreakTest.txt\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (f == NULL) {
		perror(argv[1]);
		return 2;
	}
	char line[4096], s[1024], p[1024];
	size_t off[256];
	unsigned long cp[256];
	int want[256];
	long agree = 0, total = 0, shown = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		char *hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		size_t n = 0, k = 0;
		int mark = 0;
		for (char *tok = strtok(line, " \t\n"); tok != NULL;
		     tok = strtok(NULL, " \t\n")) {
			if (strcmp(tok, "\xC3\xB7") == 0) {		/* ÷ */
				mark = 1;
			} else if (strcmp(tok, "\xC3\x97") == 0) {	/* × */
				mark = 0;
			} else if (k < 256 && n + 4 < sizeof s) {
				want[k] = mark;
				cp[k] = strtoul(tok, NULL, 16);
				off[k] = n;
				n += put_utf8(s + n, cp[k++]);
			}
		}
		if (k == 0)
			continue;
		total++;
		layout_breaks(s, n, p);
		int ok = 1;
		for (size_t i = 1; i < k; i++)
			if ((p[off[i]] != 0) != want[i])
				ok = 0;
		agree += ok;
		if (!ok && shown < 5) {
			/* want, then got: "0041 ÷ 0020 × 0062" */
			for (int g = 0; g < 2; g++) {
				fprintf(stderr, "# %s:", g ? " got" : "want");
				for (size_t i = 0; i < k; i++) {
					int b = g ? p[off[i]] != 0 : want[i];
					fprintf(stderr, "%s %04lX", i == 0 ? "" : b ?
						" \xC3\xB7" : " \xC3\x97", cp[i]);
				}
				fprintf(stderr, "\n");
			}
			shown++;
		}
	}
	fclose(f);
	printf("%ld %ld\n", agree, total);
	return 0;
}
