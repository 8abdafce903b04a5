#!/bin/sh
# The layers hold: curses only in ui*.c, libunistring only in text.c and
# layout.c, and the pure modules never include ui.h.
cd "${SRCDIR:-.}/src" || exit 1
echo "1..3"
n=1
check() {
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1: $2"; fi
	n=$((n + 1))
}
check "curses only in ui*.c" \
	"$(grep -l -E '#include <n?curses' *.c *.h | grep -v '^ui' | tr '\n' ' ')"
check "libunistring only in text.c and layout.c" \
	"$(grep -l -E '#include <(unistr|uniwidth|unilbrk|unigbrk|unicase|unictype|uninorm|uniconv|unistdio|unitypes|uniname|unistring/)' *.c *.h | grep -v -E '^(text|layout)\.c$' | tr '\n' ' ')"
check "pure modules do not include ui.h" \
	"$(grep -l '#include "ui.h"' *.c | grep -v -E '^(ui|main)' | tr '\n' ' ')"
