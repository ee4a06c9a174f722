#!/usr/bin/env bash
# Runs one guest test program under mipsrun and compares what it printed, and how it
# ended, with the expected file.
#   run_guest.sh MIPSRUN GUEST_BINARY SOURCE_DIR NAME ENDIAN [MIPSRUN_OPTIONS...]
# Expected output: SOURCE_DIR/NAME.ENDIAN.expected if present, else NAME.expected; its
# last line is "[exit N]" (N = 128 + signal for a guest killed by a signal).
# Arguments for the guest: SOURCE_DIR/NAME.args (one per line), if present.
set -u
mipsrun=$1 binary=$2 srcdir=$3 name=$4 endian=$5
shift 5
expected=$srcdir/$name.$endian.expected
[ -f "$expected" ] || expected=$srcdir/$name.expected
args=()
if [ -f "$srcdir/$name.args" ]; then mapfile -t args < "$srcdir/$name.args"; fi
# Options are passed as separate words; an empty list must not become one empty word.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
run() {
  actual=$(MIPSRUN_TEST=from-the-host "$mipsrun" "$@" "$binary" "${args[@]}" </dev/null 2>"$work/stderr"; echo "[exit $?]")
}
run "$@"
# LeakSanitizer's stop-the-world tracer itself crashes now and then at exit, whatever the
# program (google/sanitizers#1353): that is the sanitizer's failure, not the run's, so
# such a run is repeated, the last time without the leak check (the address and
# undefined-behaviour checks stay on). Any other difference fails at once.
lsan_crashed() { grep -q "LeakSanitizer has encountered a fatal error" "$work/stderr"; }
if lsan_crashed; then
  echo "note: LeakSanitizer's tracer crashed ($(grep -m1 '^Tracer caught' "$work/stderr")); running again" >&2
  run "$@"
fi
if lsan_crashed; then
  echo "note: LeakSanitizer's tracer crashed again; running once more without the leak check" >&2
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" run "$@"
fi
if ! diff -u "$expected" <(printf '%s\n' "$actual"); then
  echo "--- stderr of the guest run:"
  cat "$work/stderr"
  exit 1
fi
# mipsrun's own diagnostics (a translator that would not load, a block it could not
# translate) fail the test too: falling back to the interpreter must not pass silently.
if grep -q "^mipsrun: " "$work/stderr"; then
  echo "--- mipsrun reported:"
  grep "^mipsrun: " "$work/stderr"
  exit 1
fi
