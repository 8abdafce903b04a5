#!/bin/sh
# A ~4 MB text with 1,200 "Chapter N: ..." headings, as UTF-8, GB18030
# and UTF-16: folio --toc lists all 1,200 with the same titles in all
# three.
. "$SRCDIR/tests/lib.sh"
plan 7

# Deterministic: chapter N's title and paragraphs depend on N only.
awk 'BEGIN {
	split("harbour lantern river orchard winter letter bridge garden", w, " ")
	split("春天 河边 山路 灯火 冬夜 书信 小桥 果园", c, " ")
	for (n = 1; n <= 1200; n++) {
		printf "Chapter %d: The %s and the %s %s\n\n", n, w[n % 8 + 1],
			w[(n * 3) % 8 + 1], c[n % 8 + 1]
		for (p = 0; p < 6; p++) {
			line = ""
			for (k = 0; k < 70; k++)
				line = line w[(n + p + k) % 8 + 1] (k % 11 ? " " : c[(k + p) % 8 + 1] "，")
			print line "."
			print ""
		}
	}
}' >"$TMP/book.txt"
size=$(wc -c <"$TMP/book.txt")
[ "$size" -gt 3500000 ] && [ "$size" -lt 5000000 ]
check $? "the generated book is about 4 MB ($size bytes)"

iconv -f UTF-8 -t GB18030 "$TMP/book.txt" >"$TMP/book-gb.txt"
check $? "iconv to GB18030"
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$TMP/book.txt"; } >"$TMP/book-16.txt"
check $? "iconv to UTF-16LE with a BOM"

grep '^Chapter [0-9]*: ' "$TMP/book.txt" | awk '{ printf "%d\t%s\n", NR, $0 }' >"$TMP/want"
folio --toc "$TMP/book.txt" >"$TMP/utf8.toc"
st=$?
[ $st -eq 0 ] && [ "$(wc -l <"$TMP/utf8.toc")" -eq 1200 ] && cmp -s "$TMP/want" "$TMP/utf8.toc"
check $? "UTF-8: --toc lists all 1,200 chapters (exit $st)"
for enc in gb 16; do
	folio --toc "$TMP/book-$enc.txt" >"$TMP/$enc.toc"
	st=$?
	[ $st -eq 0 ] && cmp -s "$TMP/want" "$TMP/$enc.toc"
	check $? "book-$enc.txt: the same 1,200 titles (exit $st)"
	cmp "$TMP/want" "$TMP/$enc.toc" >/dev/null 2>&1 || diff "$TMP/want" "$TMP/$enc.toc" | head -5 | sed 's/^/# /'
done
# The last chapter is there to read.
folio --dump --width 80 --chapter 1200 "$TMP/book-gb.txt" | head -1 >"$TMP/last"
grep -q '^Chapter 1200: ' "$TMP/last"
check $? "GB18030: --dump --chapter 1200 shows its title"
exit 0
