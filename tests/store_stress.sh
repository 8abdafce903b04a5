#!/bin/sh
# store_stress: many folio processes saving one dotfile at once, and
# writers killed with SIGKILL in the middle of a save.  Speaks TAP.
#
# Round 1: WRITERS processes save COUNT times each, concurrently; then every
# process's last record must be there and the file must parse cleanly.
# Round 2: KILL_ROUNDS times, KILL_WRITERS processes save in a loop and are
# killed at random moments; then the file must still parse cleanly and hold
# every record whose save was reported done before the kill.

WRITERS=5
COUNT=150
KILL_ROUNDS=8
KILL_WRITERS=4

hammer=${BUILDDIR:-.}/tests/store_hammer
tmp=$(mktemp -d "${TMPDIR:-/tmp}/store_stress.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
file=$tmp/bookmarks

n=0
ok() {		# ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
	fi
}

# The offset of record FP in the check output $tmp/check, or -1.
offset_of() {
	awk -v fp="$1" '$1 == fp { print $3; found = 1 }
	    END { if (!found) print -1 }' "$tmp/check"
}

# A random delay in seconds, 0.000 to $1.
delay() {
	awk -v max="$1" -v seed="$$$n$2" 'BEGIN { srand(seed);
	    printf "%.3f\n", rand() * max }'
}

echo "1..8"

if [ ! -x "$hammer" ]; then
	for i in 1 2 3 4 5 6 7 8; do
		echo "not ok $i - $hammer not built"
	done
	exit 0
fi

# Round 1: concurrent writers.
pids=""
for w in $(seq 1 $WRITERS); do
	"$hammer" "$file" "w$w" $COUNT >"$tmp/out.w$w" 2>"$tmp/err.w$w" &
	pids="$pids $!"
done
status=0
for p in $pids; do
	wait "$p" || status=1
done
ok $status "$WRITERS writers x $COUNT saves all succeed"
[ $status -eq 0 ] || cat "$tmp"/err.* | sed 's/^/# /'

"$hammer" -c "$file" >"$tmp/check" 2>&1
head -n 1 "$tmp/check" | grep -qx "records $WRITERS bad 0"
ok $? "the file parses: $WRITERS records, 0 bad lines"

status=0
for w in $(seq 1 $WRITERS); do
	got=$(offset_of "hammer-w$w")
	if [ "$got" != "$COUNT" ]; then
		echo "# writer w$w: offset $got, want $COUNT"
		status=1
	fi
	# Every tenth save added a mark: all of them are there.
	marks=$(awk -v fp="hammer-w$w" '$1 == fp { print $4 }' "$tmp/check")
	if [ "$marks" != "$((COUNT / 10))" ]; then
		echo "# writer w$w: $marks marks, want $((COUNT / 10))"
		status=1
	fi
done
ok $status "every writer's last save and all its marks are there"

# Round 2: writers killed while saving.
status=0
parse=0
stale=0
for r in $(seq 1 $KILL_ROUNDS); do
	pids=""
	for w in $(seq 1 $KILL_WRITERS); do
		"$hammer" "$file" "k$r.$w" 100000 >"$tmp/out.k$r.$w" \
		    2>"$tmp/err.k$r.$w" &
		pids="$pids $!"
	done
	# The shell reports each killed writer on its standard error
	# ("Killed"), when it reaps it: not news here.
	{
		sleep "$(delay 0.4 "$r")"
		for p in $pids; do
			sleep "$(delay 0.05 "$r$p")"
			kill -KILL "$p"
		done
		for p in $pids; do
			wait "$p"
		done
	} 2>/dev/null
	# Killed between writing a temp file and renaming it (the next
	# round's first save removes them).
	stale=$((stale + $(find "$tmp" -name 'bookmarks.tmp.*' | wc -l)))
	"$hammer" -c "$file" >"$tmp/check" 2>&1
	if ! head -n 1 "$tmp/check" | grep -q "^records [0-9]* bad 0$"; then
		echo "# round $r: $(head -n 1 "$tmp/check")"
		parse=1
	fi
	# Every save reported done, in this round and all before, is there.
	for out in "$tmp"/out.k*; do
		last=$(tail -n 1 "$out" | awk '{ print $2 }')
		[ -n "$last" ] || continue
		id=$(basename "$out" | sed 's/^out\.//')
		got=$(offset_of "hammer-$id")
		if [ "$got" -lt "$last" ]; then
			echo "# round $r: hammer-$id at $got, saved $last"
			status=1
		fi
	done
done
ok $parse "after $KILL_ROUNDS rounds of SIGKILL, the file parses with 0 bad lines"
ok $status "every save completed before a kill is in the file"

saved=$(cat "$tmp"/out.k* | wc -l)
[ "$saved" -gt 0 ]
ok $? "the killed writers completed some saves ($saved)"

# The first round's records survived the second.
status=0
for w in $(seq 1 $WRITERS); do
	[ "$(offset_of "hammer-w$w")" = "$COUNT" ] || status=1
done
ok $status "round 1's records survive round 2"

# The next save removes temp files left by killed writers.
echo "# $stale temp files were left by writers killed mid-save"
"$hammer" "$file" final 1 >/dev/null 2>&1
left=$(find "$tmp" -name 'bookmarks.tmp.*' | wc -l)
[ "$left" -eq 0 ] && [ -f "$file.lock" ] && [ ! -L "$file" ]
ok $? "no temp files left after the next save"
