/* gen: deterministic inputs for folio's benchmarks (bench/run.sh).
 *
 *   gen book FILE [CHAPTERS]   a text book: CHAPTERS (default 28500) headings
 *                              "Chapter N: Title Words", each followed by about
 *                              3.5 KB of English-like prose, hard-wrapped at 70
 *                              columns, blank lines between paragraphs
 *                              (28500 chapters: about 100 MB)
 *   gen line FILE [BYTES]      BYTES (default 50,000,000) of the same prose as
 *                              one line: no newline at all
 *
 * The output depends only on the arguments (a fixed-seed xorshift generator),
 * so every machine benchmarks the same bytes.  Marker words that appear
 * nowhere else, for the terminal driver to wait on:
 *   "Quillfeather"  chapter 1's title and first word (the book's first screen)
 *   "Zephyrine"     the last chapter's title and first word
 *   "[Finis]"       the book's last word; its first and last characters
 *                   occur nowhere else, so a curses program that redraws
 *                   only the cells that changed still writes it whole
 * The word list avoids heading words (chapter, part, prologue, book...), so a
 * wrapped line never looks like a heading: the book has exactly CHAPTERS
 * chapters and no front matter.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRAP 70

static const char *const words[] = {
	"the", "the", "the", "the", "the", "a", "a", "a", "of", "of", "of",
	"and", "and", "and", "to", "to", "in", "in", "was", "was", "he", "she",
	"it", "it", "that", "that", "his", "her", "with", "with", "for", "on",
	"at", "by", "from", "as", "had", "not", "but", "they", "were", "which",
	"there", "been", "would", "could", "their", "into", "over", "under",
	"river", "mountain", "window", "morning", "evening", "letter", "garden",
	"harbour", "village", "lantern", "station", "kitchen", "winter",
	"summer", "silence", "memory", "road", "bridge", "forest", "candle",
	"stranger", "sister", "brother", "mother", "father", "captain",
	"doctor", "teacher", "merchant", "soldier", "farmer", "children",
	"house", "door", "table", "chair", "field", "city", "market", "ship",
	"train", "horse", "shadow", "light", "rain", "snow", "wind", "fire",
	"water", "stone", "bread", "salt", "ink", "paper", "clock", "bell",
	"walked", "looked", "turned", "listened", "remembered", "answered",
	"waited", "carried", "opened", "closed", "followed", "watched",
	"noticed", "wondered", "whispered", "laughed", "returned", "crossed",
	"climbed", "gathered", "folded", "counted", "wrote", "read", "said",
	"thought", "knew", "felt", "found", "left", "kept", "held", "saw",
	"quiet", "narrow", "distant", "bright", "heavy", "patient", "careful",
	"sudden", "ancient", "gentle", "restless", "familiar", "hollow",
	"crowded", "empty", "golden", "grey", "green", "cold", "warm", "long",
	"small", "old", "young", "last", "early", "late", "slowly", "quickly",
	"again", "almost", "never", "always", "perhaps", "already", "still",
	"together", "alone", "afterwards", "somewhere", "nothing", "everything",
	"someone", "because", "although", "while", "before", "after", "until",
	"when", "where", "whether", "through", "across", "beside", "between",
	"beyond", "towards", "without", "within", "upon", "about", "against",
	"conversation", "understanding", "circumstances", "responsibility",
	"neighbourhood", "correspondence", "extraordinary", "disappointment",
	"consideration", "unexpectedly", "particularly", "nevertheless",
	"announcement", "photographs", "instructions", "arrangement",
	"negotiations", "headquarters", "armistice", "delegation", "committee",
	"telegram", "ministry", "frontier", "provisions", "weather", "journey",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const title_words[] = {
	"Return", "Harbour", "Lantern", "Winter", "Letters", "Bridge", "Garden",
	"River", "Silence", "Station", "Journey", "Morning", "Frontier",
	"Stranger", "Market", "Shadows", "Candles", "Promise", "Weather",
	"Orchard", "Crossing", "Telegram", "Archive", "Ministry", "Armistice",
	"Island", "Valley", "Kitchen", "Captain", "Doctor", "Sister", "Clock",
};
#define NTITLE (sizeof title_words / sizeof title_words[0])

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 33) % n;
}

/* Output with word wrapping. */
static FILE *out;
static unsigned long long written;
static int col;                 /* columns used on the current line; -1: no wrap */

static void put(const char *s, size_t n)
{
	if (fwrite(s, 1, n, out) != n) {
		perror("gen: write");
		exit(1);
	}
	written += n;
}

/* A word, preceded by a space or, when wrapping and it would pass WRAP, a newline. */
static void word(const char *w)
{
	size_t n = strlen(w);

	if (col < 0) {
		if (written > 0)
			put(" ", 1);
	} else if (col > 0 && col + 1 + (int)n > WRAP) {
		put("\n", 1);
		col = 0;
	} else if (col > 0) {
		put(" ", 1);
		col++;
	}
	put(w, n);
	if (col >= 0)
		col += (int)n;
}

/* One sentence of 5 to 18 words, sometimes quoted. */
static void sentence(const char *first)
{
	char buf[64];
	int n = 5 + (int)rnd(14), i;
	int quote = rnd(9) == 0;

	for (i = 0; i < n; i++) {
		const char *w = (i == 0 && first) ? first : words[rnd(NWORDS)];
		size_t len = strlen(w);

		if (len + 4 > sizeof buf)
			len = sizeof buf - 4;
		memcpy(buf + (quote && i == 0), w, len);
		len += quote && i == 0;
		if (quote && i == 0)
			buf[0] = '"';
		if (i == 0 && !first)
			buf[quote] = (char)(buf[quote] - 'a' + 'A');
		if (i == n - 1) {
			static const char ends[] = "....!?";
			buf[len++] = ends[rnd(sizeof ends - 1)];
			if (quote)
				buf[len++] = '"';
		} else if (i > 1 && i < n - 2 && rnd(7) == 0) {
			buf[len++] = rnd(5) ? ',' : ';';
		}
		buf[len] = '\0';
		word(buf);
	}
}

static void paragraph(const char *first, int sentences)
{
	int i;

	for (i = 0; i < sentences; i++)
		sentence(i == 0 ? first : NULL);
}

static void gen_book(long chapters)
{
	long c;

	for (c = 1; c <= chapters; c++) {
		char head[128];
		unsigned long long start;
		const char *first = NULL;
		int target = 2760 + (int)rnd(1001), i, nt;

		if (c == 1) {
			snprintf(head, sizeof head, "Chapter 1: Quillfeather Beginnings\n\n");
			first = "Quillfeather";
		} else if (c == chapters) {
			snprintf(head, sizeof head, "Chapter %ld: Zephyrine Farewell\n\n", c);
			first = "Zephyrine";
		} else {
			int len = snprintf(head, sizeof head, "Chapter %ld:", c);

			nt = 1 + (int)rnd(3);
			for (i = 0; i < nt; i++) {
				if (i == 1 && rnd(2))
					len += snprintf(head + len, sizeof head - (size_t)len, " of the");
				len += snprintf(head + len, sizeof head - (size_t)len, " %s",
					title_words[rnd(NTITLE)]);
			}
			snprintf(head + len, sizeof head - (size_t)len, "\n\n");
		}
		put(head, strlen(head));
		start = written;
		for (;;) {
			col = 0;
			paragraph(first, 2 + (int)rnd(6));
			first = NULL;
			if (c == chapters && written - start >= (unsigned long long)target) {
				word("[Finis]");
				put("\n", 1);
				break;
			}
			put("\n", 1);
			if (written - start >= (unsigned long long)target) {
				put("\n", 1);
				break;
			}
			put("\n", 1);
		}
	}
}

static void gen_line(unsigned long long bytes)
{
	col = -1;
	while (written < bytes)
		sentence(NULL);
}

int main(int argc, char **argv)
{
	const char *path;
	char *end;

	if (argc < 3 || argc > 4 || (strcmp(argv[1], "book") && strcmp(argv[1], "line"))) {
		fprintf(stderr, "usage: gen book FILE [CHAPTERS]\n       gen line FILE [BYTES]\n");
		return 2;
	}
	path = argv[2];
	out = fopen(path, "w");
	if (!out) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "book")) {
		long n = argc > 3 ? strtol(argv[3], &end, 10) : 28500;

		if (n < 2) {
			fprintf(stderr, "gen: CHAPTERS must be at least 2\n");
			return 2;
		}
		gen_book(n);
	} else {
		unsigned long long n = argc > 3 ? strtoull(argv[3], &end, 10) : 50000000ULL;

		gen_line(n);
	}
	if (fclose(out) != 0) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}
