#!/bin/sh
# The reading screen, driven in a real terminal (tmux): chapter
# navigation, paging against --dump, b, resize, TOC, search, Return,
# help, hostile bytes, colours, tiny terminals, exit and errors.

. "$SRCDIR/tests/screen/lib.sh"

plan 37

# A 60-column terminal with a 50-column text: the column starts at 5.
printf 'width = 50\nmargin = 2\n' >"$TMP/rc"
RC=FOLIORC=$TMP/rc

start 60 16 $RC -- "$HANDBOOK"
wait_for "Chapter 1/7" && row 1 | grep -q "The folio Handbook · Getting started"
check $? "opens at chapter 1 with the header"

send Right
wait_for "Chapter 2/7" && row 1 | grep -q "· Reading"
check $? "→ goes to the next chapter"

send Left
wait_for "Chapter 1/7"
check $? "← goes back"

send Left
wait_for "this is the first chapter"
check $? "← at the first chapter says so"

send ']' ']' ']' ']' ']' ']'
wait_for "Chapter 7/7"
check $? "] six times reaches the last chapter"

send Right
wait_for "this is the last chapter" && status | grep -q " 7/7"
check $? "→ at the last chapter says so and stays"

# Space through chapter 2: every line of --dump, once, in order.
send '['
wait_for "Chapter 6/7"
send '[' '[' '[' '['
wait_for "Chapter 2/7"
: >"$TMP/seen"
pages=0
while :; do
	text_rows 5 >>"$TMP/seen"
	pages=$((pages + 1))
	status | grep -q "100% of chapter" && break
	[ $pages -gt 40 ] && break
	press 16 Space || break
done
grep -v '^ *$' "$TMP/seen" >"$TMP/seen.text"
FOLIORC=$TMP/rc folio --dump --width 50 --chapter 2 "$HANDBOOK" |
	grep -v '^ *$' >"$TMP/dump.text"
cmp -s "$TMP/seen.text" "$TMP/dump.text"
status=$?
[ $status -ne 0 ] && diff "$TMP/dump.text" "$TMP/seen.text" | head -20 | sed 's/^/# /'
check $status "Space through a chapter shows every line once, as --dump ($pages pages)"

# b back through the same pages: the first lines match, last to first.
press 16 g
: >"$TMP/tops"
n=0
while :; do
	row 2 >>"$TMP/tops"
	n=$((n + 1))
	status | grep -q "100% of chapter" && break
	[ $n -gt 40 ] && break
	press 16 Space || break
done
ok=0
while [ $n -gt 1 ]; do
	press 16 b || { ok=1; break; }
	n=$((n - 1))
	[ "$(row 2)" = "$(sed -n "${n}p" "$TMP/tops")" ] || { ok=1; break; }
done
check $ok "b returns to the same pages"

send Right
wait_for "Chapter 3/7"
send b
wait_for "Chapter 2/7" && wait_for "100% of chapter"
check $? "b on a chapter's first page shows the previous chapter's last page"

# Resize: the top line's first word stays on the top line.
press 16 g
press 16 Space
press 2 j
press 2 j
word=$(row 2 | awk '{ print $1 }')
# (the column moves: 5 columns in at 60, 2 at 44)
tm resize-window -x 44 -y 12
wait_row 2 '^  [^ ]' && row 2 | grep -q -F -- "$word"
check $? "a resize keeps the top line's words at the top ($word)"
tm resize-window -x 60 -y 16
wait_row 2 '^     [^ ]' && row 2 | grep -q -F -- "$word"
check $? "and resizing back keeps them too"

# A burst of resizes.
for s in 30 70 25 90 40 60; do tm resize-window -x $s -y 14; done
tm resize-window -x 60 -y 16
wait_row 1 'The folio Handbook' && wait_row 16 'Chapter 2/7' &&
	row 2 | grep -q -F -- "$word"
status=$?
[ $status -ne 0 ] && echo "# expected '$word' on line 2" && screen | sed 's/^/# | /'
[ $status -eq 0 ]
check $? "a burst of resizes leaves the same top line"

# Tiny terminals: a message, no crash.
tm resize-window -x 10 -y 3
wait_for "too small" && ! screen | grep -q "terminal too"
check $? "a 10x3 terminal says 'too small', whole"
tm resize-window -x 30 -y 3
wait_for "terminal too small"
check $? "a 30x3 terminal says 'terminal too small'"
tm resize-window -x 1 -y 1
tm resize-window -x 60 -y 16
wait_for "Chapter 2/7" && [ ! -f "$TMP/exit" ]
check $? "1x1 and back: still running"

# TOC: filter and jump; then Return.
send t
wait_for "Chapters of The folio Handbook" && wait_for "▸     2  Reading"
check $? "t shows the chapters with the current one marked"
type_text "sett"
wait_for "1 of 7"
send Enter
wait_for "Chapter 5/7" && row 1 | grep -q "Settings"
check $? "typing filters and Enter jumps"
send u
wait_for "Chapter 2/7"
check $? "u returns to before the jump"

# Search: forward, n, N, wrap, not found.
send /
wait_for "/"
type_text "bookmark"
press 2 Enter
row 2 | grep -qi "bookmark"
check $? "/ finds the next match and puts its line at the top"
press 2 n
row 2 | grep -qi "bookmark"
check $? "n goes to the next match"
press 2 N
row 2 | grep -qi "bookmark"
check $? "N goes back"
send /
type_text "zqxj"
send Enter
wait_for "not found: zqxj"
check $? "a search that finds nothing says so"

# Help.
send h
wait_for "Help: the keys" && wait_for "next chapter" && wait_for "one line down"
check $? "h shows every key"
screen | grep -q "next page; at a chapter's end.*…$"
check $? "a help line too long for 60 columns ends in an ellipsis"
send Escape
wait_gone "Help: the keys"

# q: exit status 0, the shell's screen back.
send q
code=$(wait_exit)
[ "$code" = 0 ] && wait_for "folio exited" && ! screen | grep -q "Chapter "
check $? "q exits 0 and leaves the terminal as it was"

# Control bytes in a book are shown, not obeyed.
printf 'Chapter 1: Hostile\n\nTitle \033]0;pwned\007 clear \033[2J red \033[31mX\033[0m C1 \302\233 end.\n' >"$TMP/hostile.txt"
start 60 12 -- "$TMP/hostile.txt"
wait_for "␛]0;pwned␇" && wait_for "␛[2J" && wait_for "␛[31mX"
check $? "escape sequences in the text appear as control pictures"
[ "$(tm display-message -p '#{pane_title}')" != "pwned" ]
check $? "the book cannot set the terminal's title"
send q
wait_exit >/dev/null

# NO_COLOR: bars in reverse video, no colour at all.
start 60 12 NO_COLOR=1 -- "$HANDBOOK"
wait_for "The folio Handbook"
! tm capture-pane -p -e | grep -q '\[3[0-7]m\|\[38;5' && tm capture-pane -p -e | grep -q '\[7m'
check $? "NO_COLOR: no colours, the bars in reverse"
send q
wait_exit >/dev/null

# Errors: a clear line and exit 1, the terminal untouched.
start 100 12 LC_ALL=C LANG=C -- "$HANDBOOK"
code=$(wait_exit)
[ "$code" = 1 ] && wait_for "not UTF-8"
check $? "a non-UTF-8 locale: a clear message and exit 1"
start 60 12 TERM=no-such-terminal -- "$HANDBOOK"
code=$(wait_exit)
[ "$code" = 1 ] && wait_for "unknown terminal type"
check $? "an unknown TERM: a clear message and exit 1"
start 80 12 -- -
code=$(wait_exit)
[ "$code" = 1 ] && wait_for "standard input: is a terminal"
check $? "folio - with the terminal as standard input: a clear message and exit 1"

# Ctrl-Z with no shell to go back to (folio is the pane's only job).
start 80 12 -- "$HANDBOOK"
wait_for "/7 ·"
send C-z
wait_for "no shell to suspend to" && [ ! -f "$TMP/exit" ]
check $? "Ctrl-Z where no shell can take over says so and goes on"
send q
wait_exit >/dev/null

# Job control, from an interactive shell: a SIGTSTP stops folio, Ctrl-Z
# the job; fg paints the page it was on.  SIGTERM: the terminal as it
# was, status 143, the place kept.
cat >"$TMP/job.sh" <<JOB
echo \$\$ >$(q "$TMP/pid")
exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color ${FOLIO_WRAPPER:-} $(q "$FOLIO") $(q "$HANDBOOK")
JOB
# page: the screen without the header and the status bar
page() {
	screen | sed '1d;$d'
}
# stopped: until folio's process is stopped (T in /proc)
stopped() {
	i=0
	while [ $i -lt $((10 * SCALE * 20)) ]; do
		grep -q '^State:[[:space:]]*T' "/proc/$(cat "$TMP/pid")/status" 2>/dev/null &&
			return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for folio to stop"
	return 1
}
if command -v bash >/dev/null 2>&1 && [ -d /proc/self ]; then
	stop_server
	tm new-session -d -x 80 -y 16 "env PS1='$ ' bash --norc --noprofile -i"
	wait_for '$'
	type_text "sh $(q "$TMP/job.sh")"
	send Enter
	# on page 2 (back from 3): Space's page 3 is drawn ahead, and
	# what fg paints must be page 2 all the same
	wait_for "/7 ·" && press 2 Space && press 2 Space
	next=$(page)
	press 2 b
	before=$(page)
	if [ -n "${FOLIO_WRAPPER:-}" ]; then
		# valgrind takes a stop signal's default action for "ignore"
		echo "ok $((tap_n + 1)) # SKIP a stop under FOLIO_WRAPPER is the wrapper's"
		echo "ok $((tap_n + 2)) # SKIP a stop under FOLIO_WRAPPER is the wrapper's"
		tap_n=$((tap_n + 2))
	else
		kill -TSTP "$(cat "$TMP/pid")"
		stopped && wait_for "Stopped" && ! screen | grep -q "/7 ·"
		s1=$?
		type_text fg
		send Enter
		wait_for "/7 ·" && [ "$(page)" = "$before" ]
		check $(( s1 + $? )) "a SIGTSTP stops folio; fg shows the same page"
		send C-z
		stopped && wait_for "Stopped"
		s1=$?
		type_text fg
		send Enter
		wait_for "/7 ·" && [ "$(page)" = "$before" ] &&
			press 2 Space && [ "$(page)" = "$next" ]
		check $(( s1 + $? )) "Ctrl-Z stops the job; fg shows the same page, Space the next"
	fi
	top=$(row 2)
	kill -TERM "$(cat "$TMP/pid")"
	wait_gone "/7 ·"
	type_text 'echo "status $?"'
	send Enter
	wait_for "status 143" && ! screen | grep -q "Chapter "
	check $? "SIGTERM: exit status 143 and the terminal as it was"
	type_text "sh $(q "$TMP/job.sh")"
	send Enter
	wait_for "resumed at chapter" && [ "$(row 2)" = "$top" ]
	check $? "after SIGTERM, the place was kept"
	send q
	wait_for '$'
	# A parent that ignores SIGTSTP does not want folio stopped.
	type_text "clear; (trap '' TSTP; exec sh $(q "$TMP/job.sh"))"
	send Enter
	wait_for "/7 ·"
	send C-z
	wait_for "suspending is off here" && [ "$(cat "$TMP/pid")" ] &&
		! grep -q '^State:[[:space:]]*T' "/proc/$(cat "$TMP/pid")/status"
	check $? "Ctrl-Z when SIGTSTP is ignored says so and goes on"
	send q
	wait_for '$'
else
	for n in 1 2 3 4 5; do
		echo "ok $((tap_n + n)) # SKIP no bash or no /proc for job control"
	done
	tap_n=$((tap_n + 5))
fi
