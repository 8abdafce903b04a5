#!/bin/sh
# bench/run.sh: folio's benchmark report (see bench/README).  `make bench`
# runs it; by hand:
#   FOLIO=src/folio BUILDDIR=. SRCDIR=. sh bench/run.sh
#
# Environment:
#   FOLIO         the folio to measure (required)
#   BUILDDIR      where bench/ptydrive and bench/gen were built (default .)
#   BENCH_RUNS    runs per figure; the report gives medians (default 3)
#   BENCH_REPS    samples a run of figures 1, 2b, 3b, 4 and 8 (default 5)
#   BENCH_DATA    cache of generated inputs (default $BUILDDIR/bench-data)
#   BENCH_SIZE    terminal size (default 100x30)
#   BENCH_TIMEOUT seconds allowed for each step of a run (default 60)
#   PTYDRIVE, BENCH_GEN  the helper programs (default $BUILDDIR/bench/...)
#
# Every figure is measured for folio and for its baseline (less, wc, fold)
# in the same run, interleaved, and printed with the ratio folio/baseline.

set -u
set -f          # the run scripts below are split on blanks, never globbed
LC_ALL=C
export LC_ALL

BUILDDIR=${BUILDDIR:-.}
RUNS=${BENCH_RUNS:-3}
REPS=${BENCH_REPS:-5}
DATA=${BENCH_DATA:-$BUILDDIR/bench-data}
SIZE=${BENCH_SIZE:-100x30}
TIMEOUT=${BENCH_TIMEOUT:-60}
PTYDRIVE=${PTYDRIVE:-$BUILDDIR/bench/ptydrive}
GEN=${BENCH_GEN:-$BUILDDIR/bench/gen}
DATA_VERSION=1          # bump when bench/gen.c's output changes
CHAPTERS=28500

die() { echo "bench: $*" >&2; exit 1; }

if [ -z "${FOLIO:-}" ]; then
	die "FOLIO is not set: run 'make bench', or set FOLIO to the folio program"
fi
if [ ! -x "$FOLIO" ]; then
	die "folio not found at $FOLIO: build it first (make), then run 'make bench'"
fi
case $RUNS in
	''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number, not '$RUNS'" ;;
esac
case $REPS in
	''|*[!0-9]*|0) die "BENCH_REPS must be a positive number, not '$REPS'" ;;
esac
for t in "$PTYDRIVE" "$GEN"; do
	[ -x "$t" ] || die "$t is missing: 'make bench' builds it"
done
for t in less fold wc; do
	command -v $t >/dev/null 2>&1 || die "the baseline program '$t' is not installed"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/folio-bench.XXXXXX") || die "cannot make a temporary directory"
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM HUP
mkdir "$T/res" || exit 1
: > "$T/notes"

# --- inputs -----------------------------------------------------------------
mkdir -p "$DATA" || die "cannot create $DATA"
BOOK=$DATA/book-v$DATA_VERSION.txt
LINE=$DATA/line-v$DATA_VERSION.txt
if [ ! -f "$BOOK" ]; then
	echo "bench: generating $BOOK (about 100 MB, once)" >&2
	"$GEN" book "$BOOK.tmp" $CHAPTERS && mv "$BOOK.tmp" "$BOOK" || die "cannot generate $BOOK"
fi
if [ ! -f "$LINE" ]; then
	echo "bench: generating $LINE (50 MB, once)" >&2
	"$GEN" line "$LINE.tmp" 50000000 && mv "$LINE.tmp" "$LINE" || die "cannot generate $LINE"
fi
BOOK_BYTES=$(wc -c < "$BOOK")
LINE_BYTES=$(wc -c < "$LINE")
# Both programs read the files from the page cache.
cat "$BOOK" "$LINE" > /dev/null

# --- running one program ------------------------------------------------------
# Each run starts from a new HOME holding no bookmarks and no settings; the
# index cache ($XDG_CACHE_HOME) is empty ("cold") or the one primed below
# ("warm").  less sees the same environment: no LESS variables except
# LESSHISTFILE=-, so no lesspipe and no history file.
fresh_home() {
	rm -rf "$T/home" && mkdir "$T/home" || exit 1
}
cold_cache() {
	rm -rf "$T/cold" && mkdir "$T/cold" || exit 1
	CACHE=$T/cold
}
warm_cache() {
	CACHE=$T/warm
}
run_env() {
	env -i PATH="$PATH" HOME="$T/home" TERM=xterm-256color LANG=C.UTF-8 \
		LESSHISTFILE=- FOLIO_BOOKMARKS="$T/home/bookmarks" \
		FOLIORC="$T/home/foliorc" XDG_CACHE_HOME="$CACHE" "$@"
}

# val NAME "ms=1 rss_kb=2 ...": the value of NAME in a ptydrive report.
val() {
	for kv in $2; do
		case $kv in "$1"=*) echo "${kv#*=}"; return ;; esac
	done
}

# measure KEY PTYDRIVE-ARGUMENTS...: one run; appends its time (ms) to
# res/KEY.ms and its peak RSS (KB) to res/KEY.rss, or FAIL to both.
measure() {
	key=$1
	shift
	# After a failure, the other runs of the figure would fail the same way.
	grep -q FAIL "$T/res/$key.ms" 2>/dev/null && return
	fresh_home
	status=
	if out=$(run_env "$PTYDRIVE" -t "$TIMEOUT" -s "$SIZE" "$@" 2> "$T/err") &&
		status=$(val status "$out") && [ "$status" = 0 ]; then
		val ms "$out" >> "$T/res/$key.ms"
		val rss_kb "$out" >> "$T/res/$key.rss"
		val out_bytes "$out" > "$T/res/$key.bytes"
		val out_lines "$out" > "$T/res/$key.lines"
	else
		echo FAIL >> "$T/res/$key.ms"
		echo FAIL >> "$T/res/$key.rss"
		why=$(tail -n 3 "$T/err" | tr -s '\r\n' '  ')
		[ -n "$why" ] || why="exit status ${status:-?}"
		echo "failed: $key: $why" >> "$T/notes"
	fi
}

# The scripts (see bench/ptydrive.c).  Markers are words that bench/gen
# puts only in the first chapter (Quillfeather), only in the last one
# (Zephyrine), and at the very end of the book ([Finis]).
FIRST='wait=Quillfeather idle stop send=q exit'
LAST='wait=Zephyrine idle stop send=q exit'
LESS_END='wait=Quillfeather idle send=G wait=[Finis] idle stop send=q exit'
LAST_END='wait=Zephyrine idle send=G wait=[Finis] idle stop send=q exit'
SPACE_BURST='wait=Quillfeather idle mark burst=1000:\s send=q exit stop'
SPACE_PACED='wait=Quillfeather idle mark pace=1000:\s stop send=q exit'
RESIZE='wait=Quillfeather idle mark resize=200 stop send=q exit'

# pair N FOLIO-COMMAND BASELINE-COMMAND: one run of each, folio first when N
# is odd, so that drifting machine load favours neither.
pair() {
	if [ $(($1 % 2)) = 1 ]; then
		eval "$2"
		eval "$3"
	else
		eval "$3"
		eval "$2"
	fi
}

# short_figures N: one sample of each first screen (less's, folio's with
# and without the index cache, folio's at the last chapter), in an order
# rotated by N.  They take a few milliseconds each, within this machine's
# noise of about half a millisecond, so every run takes REPS of them, and
# each program runs in each place of the order as often as the others.
short_figures() {
	k=0
	while [ $k -lt 4 ]; do
		case $(( ($1 + k) % 4 )) in
		0) cold_cache; measure f1c $FIRST -- "$FOLIO" "$BOOK" ;;
		1) measure l1 $FIRST -- less "$BOOK" ;;
		2) warm_cache; measure f1w $FIRST -- "$FOLIO" "$BOOK" ;;
		3) warm_cache; measure f2w $LAST -- "$FOLIO" --chapter $CHAPTERS "$BOOK" ;;
		esac
		k=$((k + 1))
	done
}

# Prime the warm index cache: open the last chapter once.
CACHE=$T/warm
mkdir "$CACHE" || exit 1
measure prime $LAST -- "$FOLIO" --chapter $CHAPTERS "$BOOK"

i=1
while [ $i -le "$RUNS" ]; do
	echo "bench: run $i of $RUNS" >&2
	# 1, 2b and 8: the first screens, and their peak RSS
	r=1
	while [ $r -le "$REPS" ]; do
		short_figures $((i + r))
		r=$((r + 1))
	done
	# 2: the last chapter; the end of the book
	pair $i 'cold_cache; measure f2c $LAST -- "$FOLIO" --chapter $CHAPTERS "$BOOK"' \
		'measure lG $LESS_END -- less "$BOOK"'
	warm_cache; measure f2e $LAST_END -- "$FOLIO" --chapter $CHAPTERS "$BOOK"
	# 3: 1000 x Space; 4: 200 resizes (index cached)
	pair $i 'warm_cache; measure f3a $SPACE_BURST -- "$FOLIO" "$BOOK"' \
		'measure l3a $SPACE_BURST -- less "$BOOK"'
	# (each key or resize waits for the screen: also sampled REPS times)
	r=1
	while [ $r -le "$REPS" ]; do
		pair $((i + r + 1)) 'warm_cache; measure f3b $SPACE_PACED -- "$FOLIO" "$BOOK"' \
			'measure l3b $SPACE_PACED -- less "$BOOK"'
		pair $((i + r)) 'warm_cache; measure f4 $RESIZE -- "$FOLIO" "$BOOK"' \
			'measure l4 $RESIZE -- less "$BOOK"'
		r=$((r + 1))
	done
	# 5: indexing (--toc, empty cache); 6, 7: layout throughput
	pair $((i + 1)) 'cold_cache; measure f5 -n -- "$FOLIO" --toc "$BOOK"' \
		'measure w5 -n -- wc -l "$BOOK"'
	pair $i 'cold_cache; measure f6 -n -- "$FOLIO" --dump --width 80 "$BOOK"' \
		'measure d6 -n -- fold -s -w 80 "$BOOK"'
	pair $((i + 1)) 'cold_cache; measure f7 -n -- "$FOLIO" --dump --width 80 --chapter 1 "$LINE"' \
		'measure d7 -n -- fold -s -w 80 "$LINE"'
	i=$((i + 1))
done

# --- report -------------------------------------------------------------------
# median FILE: the median of the numbers in FILE, FAIL if a run failed, - if none.
median() {
	[ -f "$1" ] || { echo -; return; }
	grep -q FAIL "$1" && { echo FAIL; return; }
	sort -n "$1" | awk '{ v[NR] = $1 }
		END { if (NR == 0) print "-"
		      else if (NR % 2) print v[(NR + 1) / 2]
		      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# row ID LABEL FOLIO-KEY BASELINE-NAME BASELINE-KEY KIND [INPUT-BYTES]
# KIND: ms (a time), rss (peak RSS), tput (a time over INPUT-BYTES).
row() {
	id=$1 label=$2 fk=$3 bname=$4 bk=$5 kind=$6 bytes=${7:-0}
	ext=ms
	[ "$kind" = rss ] && ext=rss
	f=$(median "$T/res/$fk.$ext")
	b=$(median "$T/res/$bk.$ext")
	awk -v id="$id" -v label="$label" -v f="$f" -v bname="$bname" -v b="$b" \
		-v kind="$kind" -v bytes="$bytes" '
	function show(v) {
		if (v == "FAIL" || v == "-") return v
		if (kind == "rss") return sprintf("%.1f MiB", v / 1024)
		s = v < 10 ? sprintf("%.2f ms", v) : v < 1000 ? sprintf("%.1f ms", v) : sprintf("%.0f ms", v)
		if (kind == "tput" && v > 0) s = s sprintf(" %4.0f MB/s", bytes / 1e3 / v)
		return s
	}
	BEGIN {
		r = (f ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) ? sprintf("%.2f", f / b) : "-"
		printf "%-4s %-44s %-19s %-14s %-19s %6s\n", id, label, show(f), bname, show(b), r
	}'
}

folio_version=$("$FOLIO" --version 2>/dev/null | head -n 1)
less_version=$(less --version 2>/dev/null | head -n 1)
echo
echo "folio benchmark: median of $RUNS run(s) ($((RUNS * REPS)) of figures 1, 2b, 3b, 4, 8), terminal $SIZE, $(date '+%Y-%m-%d %H:%M')"
echo "folio: $FOLIO${folio_version:+ ($folio_version)}"
echo "book: $BOOK_BYTES bytes, $CHAPTERS chapters; line: $LINE_BYTES bytes, no newline"
echo "machine: $(uname -sm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null); baseline: $less_version"
echo
printf "%-4s %-44s %-19s %-14s %-19s %6s\n" "" "figure" "folio" "baseline" "" "ratio"
row 1a "first screen, 100 MB book, no index cache" f1c less l1 ms
row 1b "first screen, 100 MB book, index cached" f1w less l1 ms
row 2a "--chapter $CHAPTERS, no index cache" f2c "less" l1 ms
row 2b "--chapter $CHAPTERS, index cached" f2w "less" l1 ms
row 2c "--chapter $CHAPTERS, no index cache" f2c "less + G" lG ms
row 2d "--chapter $CHAPTERS, index cached" f2w "less + G" lG ms
row 2e "--chapter $CHAPTERS + G (end of book), cached" f2e "less + G" lG ms
row 3a "1000 x Space sent at once, until exit" f3a less l3a ms
row 3b "1000 x Space, each until drawn" f3b less l3b ms
row 4 "200 resizes, each until redrawn" f4 less l4 ms
row 5a "--toc of the 100 MB book (indexing): time" f5 "wc -l" w5 ms
row 5b "--toc of the 100 MB book: peak RSS" f5 "wc -l" w5 rss
row 6 "--dump --width 80 of the 100 MB book" f6 "fold -s -w 80" d6 tput "$BOOK_BYTES"
row 7 "--dump --chapter 1 of a 50 MB line" f7 "fold -s -w 80" d7 tput "$LINE_BYTES"
row 8a "peak RSS, first screen, no index cache" f1c less l1 rss
row 8b "peak RSS, first screen, index cached" f1w less l1 rss
echo
echo "ratio = folio / baseline: below 1, folio is faster or smaller.  Figures 1-4"
echo "through a pty (bench/ptydrive); 5-7 with standard output to a pipe."

# Sanity checks on what folio printed.
if [ -f "$T/res/f5.lines" ] && [ "$(cat "$T/res/f5.lines")" != $CHAPTERS ]; then
	echo "note: folio --toc printed $(cat "$T/res/f5.lines") lines, expected $CHAPTERS" >> "$T/notes"
fi
for k in f6:$BOOK_BYTES f7:$LINE_BYTES; do
	f=$T/res/${k%%:*}.bytes
	if [ -f "$f" ] && [ "$(cat "$f")" -lt $((${k#*:} * 9 / 10)) ]; then
		echo "note: ${k%%:*}: folio --dump wrote $(cat "$f") bytes for ${k#*:} bytes of input" >> "$T/notes"
	fi
done
if [ -s "$T/notes" ]; then
	echo
	cat "$T/notes"
fi
grep -rq FAIL "$T/res" && exit 1
exit 0
