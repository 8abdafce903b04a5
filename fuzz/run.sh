#!/bin/sh
# fuzz/run.sh SECONDS: run each libFuzzer target built in fuzz/ for
# SECONDS on a copy of its seed corpus.  Prints one line a target; exits
# non-zero if any target found a crash (the input is kept in fuzz/crashes).
secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
status=0
mkdir -p fuzz/crashes
for t in book_txt book_dir layout store settings; do
	bin=fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz $t: not built"; status=1; continue; }
	work=$(mktemp -d)
	cp "$here/corpus/$t/"* "$work/" 2>/dev/null
	log=fuzz/$t.log
	"$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=fuzz/crashes/$t- "$work" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc -eq 0 ]; then
		echo "fuzz $t: ok, ${execs:-?} executions in ${secs}s"
	else
		echo "fuzz $t: FAILED (exit $rc); see $log"
		grep -A20 "ERROR\|==ERROR\|deadly signal" "$log" | head -30
		status=1
	fi
	rm -rf "$work"
done
exit $status
