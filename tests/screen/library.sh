#!/bin/sh
# The library (Home, Categories) and Book info: grouping and progress,
# the filter, opening a book and coming back, FOLIO_PATH, a missing book,
# --list, and the info overlay.

. "$SRCDIR/tests/screen/lib.sh"

plan 13

# folio finds the bundled books beside the binary it is: the build
# tree's binary lists the source tree's books/.
mkdir -p "$TMP/shelf/tales"
printf 'title = Small Tales\nauthor = A. Writer\ncategory = Fiction\n' \
	>"$TMP/shelf/tales/book.conf"
printf 'The First Tale\n\nOnce upon a time.\n' >"$TMP/shelf/tales/1.txt"
printf 'The Second Tale\n\nTwice upon a time.\n' >"$TMP/shelf/tales/2.txt"
SHELF=FOLIO_PATH=$TMP/shelf

start 90 20 "$SHELF" --
wait_for "folio · Library" && wait_for "documentary report" &&
	wait_for "Guides" && wait_for "Fiction" && ! screen | grep -q "Continue reading"
check $? "the library groups the books by category; nothing read yet"
screen | grep -q "Small Tales — A. Writer .* 2 ch\.  *0%"
check $? "a FOLIO_PATH book is listed with author, chapters and progress"

# Filter, open, read, come back.
type_text "handbook"
wait_for "filter: handbook" && ! screen | grep -q "Small Tales"
check $? "typing filters by title"
send Enter
wait_for "The folio Handbook · Getting started"
check $? "Enter opens the book"
send Right Right Space
wait_for "Chapter 3/7"
send i
wait_for "Book information" && wait_for "The folio Handbook" &&
	wait_for "never before" && wait_for "Bookmarks    0" &&
	wait_for "directory, UTF-8" && wait_for "Chapters     7"
check $? "i shows the book's information; never read before"
send Escape
send m
wait_for "Bookmark label: "
send Enter
wait_for "bookmark added"
send i
wait_for "Bookmarks    1"
check $? "the info counts the bookmark"
send Escape
send L
wait_for "Continue reading" && wait_for "The folio Handbook"
check $? "L returns to the library, the book under Continue reading"
row 3 | grep -q "The folio Handbook .*7 ch\. *[1-9][0-9]*%"
check $? "with its progress"
send Escape
wait_for "Chapter 3/7"
check $? "Esc goes back to the book"
send q
wait_exit >/dev/null

# The info of a book read before says when.
start 90 20 "$SHELF" -- "$HANDBOOK"
wait_for "resumed"
send i
wait_for "Last read" && ! screen | grep -q "never before"
check $? "a book read before shows when it was last read"
send Escape q
wait_exit >/dev/null

# A book opened by path, then deleted: listed as missing.
cp -r "$TMP/shelf/tales" "$TMP/gone"
start 90 20 -- "$TMP/gone"
wait_for "Small Tales"
send q
wait_exit >/dev/null
rm -rf "$TMP/gone"
start 90 20 --
wait_for "folio · Library"
screen | grep -q "Small Tales.*missing"
check $? "a recorded book that was deleted is shown as missing"
send q
wait_exit >/dev/null
grep -q "$TMP/gone" "$FOLIO_BOOKMARKS"
check $? "and stays in the dotfile"

# --list: tab-separated, one book a line.
env FOLIO_PATH="$TMP/shelf" "$FOLIO" --list >"$TMP/list"
grep -q "^Fiction	Small Tales	A. Writer	2	[0-9]*	$TMP/shelf/tales\$" "$TMP/list" &&
	grep -q "^Guides	The folio Handbook	The folio authors	7	[0-9]*	" "$TMP/list"
check $? "--list prints category, title, author, chapters, progress, path"
