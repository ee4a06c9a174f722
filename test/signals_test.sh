#!/usr/bin/env bash
# Signals from outside the guest: another process's kill reaches the guest's handler
# or its default action (the parent sees the same wait status), and a signal that the
# parent left ignored stays ignored across mipsrun, as across exec.
#   signals_test.sh MIPSRUN GUEST_OUT
set -u
mipsrun=$1 guests=$2
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Starts the guest in mode $2 with output to a fifo-like file; waits for "ready" (up
# to a minute: --jit=eager compiles every block of the C library's start-up first,
# which on a loaded machine running tests in parallel once took more than 10 s).
start() {
  out=$(mktemp)
  "$mipsrun" "$@" >"$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    grep -q ready "$out" && return 0
    sleep 0.05
  done
  fail "no ready from $*"
  return 1
}

for endian in be le; do
  prog=$guests/$endian/sig_wait
  for mode in --jit=off --jit=eager ""; do
    # A handler catches SIGINT sent by another process while the guest waits.
    if start $mode "$prog" handler; then
      kill -INT "$pid"
      wait "$pid"
      status=$?
      grep -q "got SIGINT" "$out" && [ "$status" = 0 ] ||
        fail "$endian $mode handler: status $status, output: $(cat "$out")"
    fi
    # At the default action, SIGTERM ends mipsrun with SIGTERM itself.
    if start $mode "$prog" sleep; then
      kill -TERM "$pid"
      wait "$pid"
      status=$?
      [ "$status" = 143 ] || fail "$endian $mode sleep: status $status (want 143, SIGTERM)"
    fi
    rm -f "$out"
  done
  # Ignored by the parent: ignored by the guest too.
  out=$( (trap '' USR1; "$mipsrun" "$prog" raise) 2>&1)
  [ "$out" = "$(printf 'raising\nsurvived')" ] || fail "$endian inherited SIG_IGN: $out"
done
[ "$failures" = 0 ] && echo "all signal tests passed"
exit $((failures > 0))
