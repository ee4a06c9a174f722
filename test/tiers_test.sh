#!/usr/bin/env bash
# The execution tiers do what they say (read from --stats): --jit=off never translates;
# --jit=sync translates hot code and runs it; the default mode, given a program that
# runs long enough, publishes code from its compile thread and spends time in it. The
# end-to-end tests compare outputs in every mode; this checks that the modes differ.
#   tiers_test.sh MIPSRUN GUEST_OUT
set -u
mipsrun=$1 guests=$2
# What each tier does by itself: nothing comes from a code cache (runtime/code_cache.h).
export MIPSRUN_CODE_CACHE=off
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run OPTIONS... PROGRAM ARGS: prints what --stats says of the run.
run() {
  local out
  out=$("$mipsrun" --stats "$@" 2>&1 >/dev/null)
  printf '%s\n' "$out"
}

stats=$(run --jit=off "$guests/be/hot_loop" 300000)
grep -q "regions" <<<"$stats" && fail "--jit=off reports regions: $stats"
grep -qE "interpreted block runs [1-9]" <<<"$stats" || fail "--jit=off: $stats"

stats=$(run --jit=sync --jit-threshold=2 "$guests/le/hello")
grep -qE "regions compiled [1-9][0-9]* \([0-9]+ blocks\), published [1-9]" <<<"$stats" ||
  fail "--jit=sync compiled nothing: $stats"
grep -qE "entries into translated code [1-9]" <<<"$stats" || fail "--jit=sync ran no translated code: $stats"
# Setting LLVM up is counted apart from the regions' compile time, and is never nothing.
grep -qE "translator load ([1-9][0-9]*\.[0-9]+|0\.[0-9]*[1-9][0-9]*) s" <<<"$stats" ||
  fail "--jit=sync reports no time for loading the translator: $stats"

# Interpreted alone this takes seconds; the compile thread has its code out long before.
want="hot_loop 30000000: e2b44e05"
for endian in be le; do
  out=$("$mipsrun" --stats "$guests/$endian/hot_loop" 30000000 2>"$guests/../tiers.err")
  stats=$(cat "$guests/../tiers.err")
  [ "$out" = "$want" ] || fail "default mode printed '$out'"
  grep -qE "published [1-9]" <<<"$stats" || fail "default mode ($endian) published nothing: $stats"
  grep -qE "translated code ([1-9][0-9]*\.[0-9]|0\.[1-9])%" <<<"$stats" ||
    fail "default mode ($endian) spent no time in translated code: $stats"
done
rm -f "$guests/../tiers.err"

# FPU operations on NaNs and under directed rounding leave translated code for the
# interpreter; the regions that keep doing so are compiled again with slow paths inline.
for mode in tiered "sync --jit-threshold=2"; do
  stats=$(run --jit=$mode "$guests/be/fp_slow_loop")
  grep -qE "compiled again with FPU slow paths [1-9]" <<<"$stats" ||
    fail "--jit=$mode compiled no region again for its FPU slow paths: $stats"
done

if [ "$failures" != 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all tier checks passed"
