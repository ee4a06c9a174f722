#!/usr/bin/env bash
# Builds each bench program natively (-O2) and for mips and mipsel (-O2 -static), checks
# that all builds print the same, and times native, qemu-mips(el) and mipsrun in one run
# with hyperfine. Prints a table with the ratios. mipsrun is timed twice: "cold" with no
# code cache (every run compiles its hot code), and "warm" with a code cache of the
# script's own that hyperfine's warm-up run fills (runs link the code the first one
# compiled: runtime/code_cache.h).
#   bench/run.sh [MIPSRUN] [RUNS]     (defaults: build/mipsrun, 3 runs each)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mipsrun=$(realpath "${1:-$top/build/mipsrun}")
runs=${2:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# name and argument of each program, sized for about 0.1-0.3 s natively
progs=("fib 38" "loops 40" "bytecode 20000000" "sort 1000000" "hash 100" "strings 20000"
       "nbody 1000000" "matmul 400" "libm 3000000")

time_of() {  # mean seconds of a command, by hyperfine
  hyperfine --runs "$runs" --warmup 1 --export-csv "$out/t.csv" --style none "$@" >/dev/null 2>&1
  tail -1 "$out/t.csv" | cut -d, -f2
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-9s %7s | %9s %6s %6s %7s %7s %7s %7s | %9s %6s %6s %7s %7s %7s %7s\n' program native \
  qemu-mips cold warm c/nat c/qemu w/nat w/qemu qemu-mipsel cold warm c/nat c/qemu w/nat w/qemu
for entry in "${progs[@]}"; do
  read -r name arg <<<"$entry"
  src=$top/bench/$name.c
  gcc -O2 -o "$out/$name.native" "$src" -lm
  mips-linux-gnu-gcc -O2 -static -o "$out/$name.be" "$src" -lm
  mipsel-linux-gnu-gcc -O2 -static -o "$out/$name.le" "$src" -lm
  want=$("$out/$name.native" "$arg")
  for cmd in "$mipsrun $out/$name.be" "$mipsrun $out/$name.le"; do
    got=$($cmd "$arg")
    [ "$got" = "$want" ] || { echo "$name: '$cmd' printed '$got', native printed '$want'" >&2; exit 1; }
  done
  tn=$(time_of "$out/$name.native $arg")
  line=$(printf '%-9s %7.3f' "$name" "$tn")
  for endian in be le; do
    qemu=qemu-mips
    [ "$endian" = le ] && qemu=qemu-mipsel
    tq=$(time_of "$qemu $out/$name.$endian $arg")
    tc=$(time_of "$mipsrun --code-cache=off $out/$name.$endian $arg")
    tw=$(time_of "$mipsrun --code-cache=$out/code-cache $out/$name.$endian $arg")
    line+=$(printf ' | %9.3f %6.3f %6.3f %7s %7s %7s %7s' "$tq" "$tc" "$tw" "$(ratio "$tc" "$tn")" \
      "$(ratio "$tc" "$tq")" "$(ratio "$tw" "$tn")" "$(ratio "$tw" "$tq")")
  done
  echo "$line"
done
echo "times in seconds (mean of $runs runs); cold: mipsrun without a code cache, warm: with"
echo "the code its warm-up run kept; c/ and w/: those times over native's and qemu's"
