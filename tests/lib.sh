# lib.sh: sourced by the script tests.  TAP output, and a private
# environment so that the user's files never matter: HOME is a fresh
# temp directory, FOLIORC is /dev/null and the bookmarks live in $TMP.
# Needs FOLIO, SRCDIR and BUILDDIR (set by AM_TESTS_ENVIRONMENT).

: "${FOLIO:?run me from make check}" "${SRCDIR:?}" "${BUILDDIR:?}"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/folio-test.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT INT TERM
mkdir "$TMP/home"
HOME=$TMP/home
FOLIORC=/dev/null
FOLIO_BOOKMARKS=$TMP/bookmarks
XDG_CONFIG_HOME=$TMP/home/.config
XDG_CACHE_HOME=$TMP/home/.cache
XDG_DATA_HOME=$TMP/home/.local/share
export HOME FOLIORC FOLIO_BOOKMARKS XDG_CONFIG_HOME XDG_CACHE_HOME XDG_DATA_HOME
unset COLUMNS LINES NO_COLOR
# folio's output does not depend on the locale; the tools here might.
LC_ALL=C.UTF-8
export LC_ALL

# folio ARGS...: the program under test, through FOLIO_WRAPPER (valgrind
# in make check-valgrind) when set.
folio() {
	${FOLIO_WRAPPER:-} "$FOLIO" "$@"
}

tap_n=0
tap_failed=0

# plan N: the TAP plan line.
plan() {
	echo "1..$1"
}

# check STATUS NAME...: "ok" if STATUS is 0, else "not ok".
check() {
	tap_status=$1
	shift
	tap_n=$((tap_n + 1))
	if [ "$tap_status" -eq 0 ]; then
		echo "ok $tap_n - $*"
	else
		echo "not ok $tap_n - $*"
		tap_failed=$((tap_failed + 1))
	fi
}

# diag FILE: show a file as TAP comments (at most 40 lines).
diag() {
	head -n 40 "$1" | sed 's/^/# /'
}
