#!/bin/sh
# Golden-output tests: each tests/golden/NAME.cmd is one line of
# arguments to folio (leading VAR=value words set the environment;
# @SRCDIR@ is the source directory).  Its standard output, then its
# standard error after a "--- stderr" line if any, then "--- exit N",
# must equal tests/golden/NAME.out.  To bless new outputs after reading
# them: GOLDEN_UPDATE=1 make check TESTS=tests/golden.sh
. "$SRCDIR/tests/lib.sh"

# folio names a book by its real path
realsrc=$(cd "$SRCDIR" && pwd -P)
cd "$SRCDIR/tests/golden" || exit 99
set -- *.cmd
plan $(($# + 5))

run() {
	# run CMDLINE OUT: folio with the line's environment and words
	line=$(sed "s|@SRCDIR@|$SRCDIR|g" "$1")
	(
		eval "set -- $line"
		while [ $# -gt 0 ]; do
			case $1 in
			[A-Za-z_]*=*) export "$1"; shift ;;
			*) break ;;
			esac
		done
		folio "$@" >"$TMP/stdout" 2>"$TMP/stderr" </dev/null
		echo $? >"$TMP/status"
	)
	cat "$TMP/stdout"
	if [ -s "$TMP/stderr" ]; then
		echo "--- stderr"
		# (getopt names the program as invoked: a build path)
		sed -e 's|^[^ ]*/folio: |folio: |' -e "s|$SRCDIR|@SRCDIR@|g" \
			-e "s|$realsrc|@SRCDIR@|g" "$TMP/stderr"
	fi
	echo "--- exit $(cat "$TMP/status")"
}

for cmd in "$@"; do
	name=${cmd%.cmd}
	run "$cmd" >"$TMP/got"
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		cp "$TMP/got" "$name.out"
	fi
	if cmp -s "$TMP/got" "$name.out"; then
		check 0 "$name"
	else
		check 1 "$name"
		diff -u "$name.out" "$TMP/got" >"$TMP/diff" 2>&1
		diag "$TMP/diff"
	fi
done

# Errors are one line "folio: ..." on standard error.
for cmd in "$@"; do
	run "$cmd" >/dev/null
	st=$(cat "$TMP/status")
	if [ "$st" -ne 0 ]; then
		[ "$(wc -l <"$TMP/stderr")" -eq 1 ] && grep -q '^folio: ' "$TMP/stderr" ||
			grep -q "^Try 'folio --help'" "$TMP/stderr" || echo "$cmd" >>"$TMP/bad-errors"
	fi
done
[ ! -s "$TMP/bad-errors" ]
check $? "every error is one line on standard error"
[ -s "$TMP/bad-errors" ] && diag "$TMP/bad-errors"

# --help and --version (not golden: they change with every option).
folio --help >"$TMP/help" </dev/null
check $? "--help exits 0"
grep -q '^Usage: folio ' "$TMP/help" && grep -q -- '--dump' "$TMP/help"
check $? "--help prints the usage"
folio --version >"$TMP/version" </dev/null
check $? "--version exits 0"
grep -q '^folio [0-9]' "$TMP/version"
check $? "--version prints the version"
exit 0
