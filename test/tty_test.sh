#!/usr/bin/env bash
# Runs the tty guest on a pseudo-terminal (script(1) from util-linux) with a known size
# and modes, and checks what TCGETS and TIOCGWINSZ reported to it and what it set.
#   tty_test.sh MIPSRUN GUEST_OUT
set -u
mipsrun=$1 guests=$2
failures=0
check() {  # check STTY_SETTINGS EXPECTED_LINE
  for endian in be le; do
    out=$(script -qec "stty $1; $mipsrun $guests/$endian/tty" /dev/null </dev/null | tr -d '\r')
    if [ "$out" != "$2" ]; then
      echo "FAIL ($endian, stty $1): got '$out', want '$2'"
      failures=$((failures + 1))
    fi
  done
}
# The guest then sets a raw mode and a size of its own and reads them back (TCSETS,
# TIOCSWINSZ), and compares the terminal's process group with its own (TIOCGPGRP).
set_line="set rows=40 cols=90 icanon=0 echo=0 isig=1 intr=7 vmin=3 vtime=2 pgrp=1"
check "rows 33 cols 77 icanon echo isig intr ^C eof ^D" \
  "tty rows=33 cols=77 icanon=1 echo=1 isig=1 intr=3 eof=4 vmin=1
$set_line"
check "rows 12 cols 200 -icanon -echo -isig min 5 intr ^E" \
  "tty rows=12 cols=200 icanon=0 echo=0 isig=0 intr=5 eof=4 vmin=5
$set_line"
[ "$failures" = 0 ] && echo "tty checks passed"
exit "$failures"
