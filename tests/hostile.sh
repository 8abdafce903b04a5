#!/bin/sh
# Hostile books, end to end: through --toc, --dump and the screen.  Each
# must give a clear one-line error or a correct rendering; none may crash,
# hang or let a byte act on the terminal.  Under valgrind (FOLIO_WRAPPER
# set) the big inputs are made smaller and memory is not measured.

. "$SRCDIR/tests/screen/lib.sh"

plan 36

H=$TMP/h
mkdir "$H"

if [ -n "${FOLIO_WRAPPER:-}" ]; then
	big_mb=2 many=5000
else
	big_mb=50 many=100000
fi

# no_controls FILE: no ESC, BEL or other C0 but tab and newline, no DEL, no C1
# (raw or as UTF-8), and valid UTF-8.
no_controls() {
	LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" && return 1
	LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1" && return 1
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}

# one_error STATUS FILE PATTERN: a non-zero status and exactly one line
# on stderr that says "folio: " and matches PATTERN.
one_error() {
	[ "$1" -ne 0 ] && [ "$(wc -l <"$2")" -eq 1 ] &&
		grep -q "^folio: .*$3" "$2"
}

# peak_kb CMD...: run CMD, print its peak resident memory in KiB (empty
# if GNU time is missing).
peak_kb() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$TMP/peak" "$@" >/dev/null 2>&1
		cat "$TMP/peak"
	else
		"$@" >/dev/null 2>&1
	fi
}

# --- Control and escape sequences ---------------------------------------
printf 'Chapter 1 \033]0;pwned\007Title\n\nAn OSC \033]0;pwned\007, a clear \033[2J\033[H, colour \033[31mred\033[0m, C1 \302\233 and \302\205, raw \233, DEL \177, BEL \007, NUL-free.\n\nChapter 2 \033[1mBold\n\n\033c reset and \033P device \033\\ strings.\n' >"$H/controls.txt"
folio --dump --width 40 "$H/controls.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && no_controls "$TMP/out" && grep -q '␛\]0;pwned␇' "$TMP/out" &&
	grep -q '␛\[2J' "$TMP/out" && grep -q '␛c reset' "$TMP/out"
check $? "controls: --dump shows escape sequences inert"
folio --toc "$H/controls.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && no_controls "$TMP/out" && [ "$(wc -l <"$TMP/out")" -eq 2 ] &&
	[ "$(head -n 1 "$TMP/out")" = "1	Chapter 1 ␛]0;pwned␇Title" ]
check $? "controls: --toc titles are inert too"

# --- Invalid and overlong UTF-8 ------------------------------------------
# Enough good UTF-8 around the damage that it reads as damaged UTF-8 (a
# file of nothing but bad sequences reads, rightly, as CP1252).
printf 'Chapter 1\n\n中文的书，一个字一个字地读下去，没有乱码。Café, naïve. Overlong slash \300\257 and \340\200\257, a surrogate \355\240\200, five bytes \370\210\200\200\200, a lone continuation \200, a cut sequence \342\202 and more text.\n' >"$H/badutf8.txt"
folio --dump --width 50 "$H/badutf8.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && no_controls "$TMP/out" && grep -q 'and more text' "$TMP/out" &&
	[ "$(grep -o '�' "$TMP/out" | wc -l)" -ge 6 ] &&
	! LC_ALL=C grep -q "$(printf '\300\|\340\200\|\355\240')" "$TMP/out"
check $? "invalid and overlong UTF-8: U+FFFD for each, nothing passed through"

# --- Not books -------------------------------------------------------------
head -c 65536 /dev/zero >"$H/nul.bin"
folio --toc "$H/nul.bin" >"$TMP/out" 2>"$TMP/err"
one_error $? "$TMP/err" "nul.bin: not a book: binary file"
check $? "a file of NUL bytes: one line, binary file"

: >"$H/empty.txt"
folio --dump "$H/empty.txt" >"$TMP/out" 2>"$TMP/err"
one_error $? "$TMP/err" "empty.txt: not a book: empty file"
check $? "an empty file: one line, empty file"

mkdir "$H/empties"
i=1
while [ $i -le 10000 ]; do
	: >"$H/empties/$i.txt"
	i=$((i + 1))
done
folio --toc "$H/empties" >"$TMP/out" 2>"$TMP/err"
one_error $? "$TMP/err" "empties: not a book: 10000 chapter files, all empty"
check $? "a directory of 10,000 empty files: one line"

mkdir "$H/nothing"
folio --toc "$H/nothing" >"$TMP/out" 2>"$TMP/err"
one_error $? "$TMP/err" "nothing: not a book: no chapter files"
check $? "a directory with no chapter files: one line"

mkfifo "$H/fifo"
timeout 20 sh -c '. "$SRCDIR/tests/lib.sh" >/dev/null; folio --toc "$1"' sh "$H/fifo" >"$TMP/out" 2>"$TMP/err"
status=$?
[ $status -ne 124 ] && one_error $status "$TMP/err" "fifo: not a book: a FIFO with nothing written"
check $? "a FIFO with no writer: one line, no hang"

printf 'Chapter 1\n\nThrough a pipe.\n' >"$H/piped.txt"
folio --dump --width 40 /dev/stdin <"$H/piped.txt" >"$TMP/out" 2>"$TMP/err" &&
	grep -q 'Through a pipe' "$TMP/out" &&
	cat "$H/piped.txt" | folio --dump --width 40 - >"$TMP/out" 2>"$TMP/err" &&
	grep -q 'Through a pipe' "$TMP/out"
check $? "a pipe, named or -, is read as a book"

folio --toc - </dev/null >"$TMP/out" 2>"$TMP/err"
one_error $? "$TMP/err" "standard input: not a book: empty file"
check $? "empty standard input: one line"

ln -s loop "$H/loop"
folio --toc "$H/loop" >"$TMP/out" 2>"$TMP/err"
one_error $? "$TMP/err" "loop: Too many levels of symbolic links"
check $? "a symlink loop: one line"

mkdir "$H/dirloop"
printf 'One\n\nThe only chapter.\n' >"$H/dirloop/1.txt"
ln -s . "$H/dirloop/2.txt"
ln -s nowhere "$H/dirloop/3.txt"
folio --toc "$H/dirloop" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && [ "$(cat "$TMP/out")" = "1	One" ]
check $? "a book directory with a looping and a dangling link: they are not chapters"

folio --toc /nonexistent/book >"$TMP/out" 2>"$TMP/err"
one_error $? "$TMP/err" "/nonexistent/book: No such file or directory"
check $? "a missing path: one line"

printf 'Chapter 1\n\nSecret.\n' >"$H/secret.txt"
chmod 000 "$H/secret.txt"
if [ -r "$H/secret.txt" ]; then
	check 0 "# SKIP an unreadable file: running as root, every file is readable"
	check 0 "# SKIP an unreadable chapter: running as root"
else
	folio --toc "$H/secret.txt" >"$TMP/out" 2>"$TMP/err"
	one_error $? "$TMP/err" "secret.txt: Permission denied"
	check $? "an unreadable file: one line"
	mkdir "$H/locked"
	printf 'One\n\nOpen.\n' >"$H/locked/1.txt"
	printf 'Two\n\nShut.\n' >"$H/locked/2.txt"
	chmod 000 "$H/locked/2.txt"
	folio --dump --width 40 "$H/locked" >"$TMP/out" 2>"$TMP/err"
	[ $? -ne 0 ] && grep -q 'Open' "$TMP/out" &&
		grep -q "^folio: .*Permission denied" "$TMP/err"
	check $? "an unreadable chapter: the others print, then one line"
fi

# --- Big and many ------------------------------------------------------------
# One line of about $big_mb MB, no newline at all: numbered words, so
# the screen can tell where in it it is.
words=$((big_mb * 1000000 / 9))
awk -v n=$words 'BEGIN { for (i = 1; i <= n; i++) printf "w%d ", i }' >"$H/line.txt"
folio --toc "$H/line.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && [ "$(cat "$TMP/out")" = "1	line" ]
check $? "a ${big_mb} MB single line: one chapter"
folio --dump --width 80 "$H/line.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && [ "$(awk 'length > 80' "$TMP/out" | wc -l)" -eq 0 ] &&
	[ "$(wc -w <"$TMP/out")" -eq "$(wc -w <"$H/line.txt")" ]
check $? "a ${big_mb} MB single line: --dump wraps it to 80, every word once"
if [ -n "${FOLIO_WRAPPER:-}" ] || [ ! -x /usr/bin/time ] ||
   ldd "$FOLIO" 2>/dev/null | grep -q 'libasan'; then
	check 0 "# SKIP peak memory: not measured under a wrapper or a sanitizer, or without GNU time"
else
	kb=$(peak_kb "$FOLIO" --dump --width 80 "$H/line.txt")
	echo "# --dump of the ${big_mb} MB line: peak RSS ${kb} KiB"
	# The chapter is held once, as text; nothing in proportion twice.
	[ -n "$kb" ] && [ "$kb" -lt $((big_mb * 1000 * 3 / 2 + 20000)) ]
	check $? "a ${big_mb} MB single line: peak memory under 1.5 times its size"
fi

awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "Chapter %d\n", i }' >"$H/heads.txt"
folio --toc "$H/heads.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && [ "$(wc -l <"$TMP/out")" -eq 3000 ] &&
	[ "$(tail -n 1 "$TMP/out")" = "3000	Chapter 3000" ]
check $? "a file of only headings: one chapter each"
folio --dump --width 40 "$H/heads.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && [ "$(grep -c '^Chapter' "$TMP/out")" -eq 3000 ]
check $? "a file of only headings: --dump prints every title"

awk -v n=$many 'BEGIN { for (i = 1; i <= n; i++)
	printf "Chapter %d\n\nThe text of chapter %d.\n\n", i, i }' >"$H/many.txt"
folio --toc "$H/many.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && [ "$(wc -l <"$TMP/out")" -eq $many ] &&
	[ "$(tail -n 1 "$TMP/out")" = "$many	Chapter $many" ]
check $? "$many chapters: --toc lists them all"
folio --dump --chapter $many --width 40 "$H/many.txt" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && grep -q "The text of chapter $many\\." "$TMP/out" &&
	[ "$(grep -c 'The text' "$TMP/out")" -eq 1 ]
check $? "$many chapters: --dump --chapter $many prints only the last"

# --- On the screen ---------------------------------------------------------
start 60 12 -- "$H/controls.txt"
wait_for "␛]0;pwned␇" && row 1 | grep -q "Chapter 1 ␛\]0;pwned␇Title"
check $? "screen: the header and the text show the controls inert"
! tm capture-pane -p -e | grep -q "$(printf '\033\\[31m')" &&
	[ "$(tm display-message -p '#{pane_title}')" != "pwned" ]
check $? "screen: the book set no colour and no title"
send Right
wait_for "Chapter 2/2" && wait_for "␛c reset"
check $? "screen: a terminal reset in the text is inert"
send q
[ "$(wait_exit)" = 0 ]
check $? "screen: q exits 0 after the hostile book"

start 60 12 -- "$H/nul.bin"
[ "$(wait_exit)" = 1 ] && wait_for "not a book: binary"
check $? "screen: a binary file gives the message after the terminal is restored"

mkdir "$H/vanish"
for i in 1 2 3; do
	printf 'Part %d\n\nThe text of part %d.\n' $i $i >"$H/vanish/$i.txt"
done
start 60 12 -- "$H/vanish"
wait_for "Chapter 1/3"
# On chapter 1's last page folio has read chapter 2 ahead; chapter 3 it
# reads (ahead) on chapter 2, quietly failing, and again on arrival.
rm "$H/vanish/3.txt"
send Right
wait_for "Chapter 2/3" && wait_for "The text of part 2" &&
	! screen | grep -q "cannot read"
send Right
wait_for "cannot read this chapter"
check $? "screen: a chapter file that disappears: a message in the status bar"
send Left
wait_for "Chapter 2/3" && wait_for "The text of part 2"
check $? "screen: the other chapters still read"
send q
[ "$(wait_exit)" = 0 ]
check $? "screen: and q exits 0"

start 70 14 -- --chapter $many "$H/many.txt"
wait_for "Chapter $many/$many" 20 && wait_for "The text of chapter $many."
check $? "screen: $many chapters, opened at the last"
send t
wait_for "Chapters of many" 20 && type_text "$((many - 1))"
wait_for "1 of $many" 20 && send Enter
wait_for "Chapter $((many - 1))/$many" 20
check $? "screen: the TOC of $many chapters filters and jumps"
send q
wait_exit >/dev/null

start 70 14 -- "$H/line.txt"
wait_for "w1 w2 w3 " 30
check $? "screen: the ${big_mb} MB line opens"
send G
wait_for "w$words" 60
check $? "screen: G reaches the end of the ${big_mb} MB line"
# 70 columns, 12 rows of seven words: b shows the 84 words before.
send b
wait_gone "w$words" 30 && wait_for "w$((words - 120)) " 30
send Space
wait_for "w$words" 30
check $? "screen: b and Space page back and forth at its end"
send q
[ "$(wait_exit 30)" = 0 ]
check $? "screen: q exits 0 after the ${big_mb} MB line"

exit 0
