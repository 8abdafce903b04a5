#!/bin/sh
# Unicode's LineBreakTest.txt through layout_breaks: the number of cases
# that agree must not fall below tests/linebreak.baseline.
. "$SRCDIR/tests/lib.sh"

data=${LINEBREAK_TEST:-}
for f in /usr/share/unicode/auxiliary/LineBreakTest.txt \
	/usr/share/unicode/LineBreakTest.txt; do
	[ -z "$data" ] && [ -r "$f" ] && data=$f
done
if [ -z "$data" ] || [ ! -r "$data" ]; then
	echo "1..0 # SKIP LineBreakTest.txt missing (Debian package unicode-data)"
	exit 0
fi
plan 1
base=$(cat "$SRCDIR/tests/linebreak.baseline")
set -- $(${FOLIO_WRAPPER:-} "$BUILDDIR/tests/linebreak_test" "$data" 2>"$TMP/diag")
head -12 "$TMP/diag"
echo "# LineBreakTest: $1 of $2 cases agree (baseline $base)"
[ -n "$1" ] && [ "$1" -ge "$base" ]
check $? "LineBreakTest.txt: $1 of $2 agree, baseline $base"
