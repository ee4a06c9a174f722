#!/usr/bin/env bash
# A code cache filled by one run, and a later run that maps code only after its hot
# loop has got hot (test/guest/cached_mapping.c): both runs print what they should.
#   cached_mapping_test.sh MIPSRUN GUEST_OUT
set -u
mipsrun=$1 guests=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
for endian in be le; do
  rm -rf cache
  opts=(--jit=sync --jit-threshold=2 --code-cache="$work/cache")
  out=$("$mipsrun" "${opts[@]}" "$guests/$endian/cached_mapping" fill 2>&1)
  [ "$out" = "fill: 100000" ] || { echo "FAIL ($endian): fill printed: $out"; failures=$((failures + 1)); }
  out=$("$mipsrun" "${opts[@]}" "$guests/$endian/cached_mapping" 2>&1)
  want=$'check, before the mapping: 200000\ncheck, after it: 100000'
  [ "$out" = "$want" ] || { echo "FAIL ($endian): check printed: $out"; failures=$((failures + 1)); }
done
[ "$failures" = 0 ] && echo "both byte orders passed"
[ "$failures" = 0 ]
