#!/usr/bin/env bash
# Builds each bench program natively (-O2) and for mips and mipsel (-O2 -static), checks
# that all builds print the same, and times native, qemu-mips(el) and mipsrun in one run
# with hyperfine. Prints a table with the ratios.
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

printf '%-9s %8s | %9s %9s %7s %7s | %9s %9s %7s %7s\n' program native qemu-mips mipsrun \
  "/native" "/qemu" qemu-mipsel mipsrun "/native" "/qemu"
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
  tqb=$(time_of "qemu-mips $out/$name.be $arg")
  tmb=$(time_of "$mipsrun $out/$name.be $arg")
  tql=$(time_of "qemu-mipsel $out/$name.le $arg")
  tml=$(time_of "$mipsrun $out/$name.le $arg")
  printf '%-9s %8.3f | %9.3f %9.3f %7s %7s | %9.3f %9.3f %7s %7s\n' "$name" "$tn" "$tqb" "$tmb" \
    "$(ratio "$tmb" "$tn")" "$(ratio "$tmb" "$tqb")" "$tql" "$tml" "$(ratio "$tml" "$tn")" \
    "$(ratio "$tml" "$tqb")"
done
echo "times in seconds (mean of $runs runs); /native and /qemu: mipsrun's time over theirs"
