# screen/lib.sh: sourced by the screen tests.  folio runs in a detached
# tmux session with a socket and a directory of its own; the tests send
# keys and poll the screen for the text they expect.  Nothing waits a
# fixed time for a state: every wait polls, with a timeout stretched by
# SCREEN_TIMEOUT_SCALE (valgrind runs are tens of times slower).

. "$SRCDIR/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

SCALE=${SCREEN_TIMEOUT_SCALE:-1}
TMUX_TMPDIR=$TMP/tmux
mkdir -p "$TMUX_TMPDIR"
export TMUX_TMPDIR
unset TMUX
SOCK=folio-test-$$
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT INT TERM
BOOKS=$SRCDIR/books
HANDBOOK=$BOOKS/folio-handbook

tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

# stop_server: kill the session's tmux server and wait until it is gone.
stop_server() {
	tm kill-server >/dev/null 2>&1
	i=0
	while tm has-session >/dev/null 2>&1 && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	rm -f "$TMUX_TMPDIR"/tmux-*/"$SOCK"
}

# q WORD: WORD quoted for sh.
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# start COLS ROWS [VAR=value]... [--] ARG...: folio in a fresh session.
# Its exit status lands in $TMP/exit; the pane stays open afterwards so
# the screen can still be read.
start() {
	cols=$1 rows=$2
	shift 2
	envs="" args=""
	while [ $# -gt 0 ]; do
		case $1 in
		--) shift; break ;;
		*=*) envs="$envs $(q "$1")"; shift ;;
		*) break ;;
		esac
	done
	for a in "$@"; do
		args="$args $(q "$a")"
	done
	stop_server
	rm -f "$TMP/exit"
	cat >"$TMP/run.sh" <<EOF
cd $(q "$TMP")
env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color$envs ${FOLIO_WRAPPER:-} $(q "$FOLIO")$args
echo \$? >$(q "$TMP/exit.new")
mv $(q "$TMP/exit.new") $(q "$TMP/exit")
echo "folio exited"
exec sleep 100000
EOF
	tm new-session -d -x "$cols" -y "$rows" "sh $(q "$TMP/run.sh")"
}

screen() {
	tm capture-pane -p
}

# row N: line N (1-based) of the screen.
row() {
	screen | sed -n "${1}p"
}

send() {
	tm send-keys "$@"
}

# type TEXT: literal text, no key names.
type_text() {
	tm send-keys -l "$1"
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT.  On a timeout
# the screen goes to the log as TAP comments.
wait_for() {
	limit=$(( ${2:-10} * SCALE * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		if screen | grep -F -q -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for: $1"
	screen | sed 's/^/# | /'
	return 1
}

# wait_row N REGEX: until screen line N matches REGEX (grep).
wait_row() {
	limit=$(( 10 * SCALE * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		if row "$1" | grep -q -- "$2"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for line $1 to match: $2"
	screen | sed 's/^/# | /'
	return 1
}

# wait_gone TEXT: until the screen no longer shows TEXT.
wait_gone() {
	limit=$(( ${2:-10} * SCALE * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		if ! screen | grep -F -q -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for this to go: $1"
	screen | sed 's/^/# | /'
	return 1
}

# press LINE KEY...: send the keys, then wait until screen line LINE
# differs from what it was before they were sent.
press() {
	line=$1
	shift
	before=$(row "$line")
	send "$@"
	wait_for_change "$line" "$before"
}

# wait_for_change LINE BEFORE: until line LINE is no longer BEFORE.
wait_for_change() {
	limit=$(( 10 * SCALE * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		if [ "$(row "$1")" != "$2" ]; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for line $1 to change from: $2"
	return 1
}

# wait_change LINE: until screen line LINE differs from what it is now.
wait_change() {
	before=$(row "$1")
	limit=$(( ${2:-10} * SCALE * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		if [ "$(row "$1")" != "$before" ]; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "# timed out waiting for line $1 to change from: $before"
	return 1
}

# wait_exit: until folio has exited; prints its exit status.
wait_exit() {
	limit=$(( ${1:-10} * SCALE * 20 ))
	i=0
	while [ $i -lt $limit ]; do
		if [ -f "$TMP/exit" ]; then
			cat "$TMP/exit"
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo timeout
	return 1
}

# status: the status bar (the last line).
status() {
	screen | sed -n '$p'
}

# text_rows: the text area, without header and status bar, each line
# without the column's left margin (given as $1 spaces).
text_rows() {
	screen | sed '1d;$d' | sed "s/^ \{$1\}//"
}
