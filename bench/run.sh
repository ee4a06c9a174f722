#!/usr/bin/env bash
# Builds each bench program natively (-O2) and for mips and mipsel (-O2 -static), checks
# that all builds print the same, and times native, qemu-mips(el) and mipsrun in one run
# with hyperfine. Prints a table with the ratios. mipsrun is timed twice: "cold" with no
# code cache (every run compiles its hot code), and "warm" with a code cache of the
# script's own that hyperfine's warm-up run fills (runs link the code the first one
# compiled: runtime/code_cache.h). Then, for the translator's budgets: the share of a
# cold run's CPU time (user + system, both threads) that went to compiling (mipsrun
# --stats), and how long a static hello-world takes from start to exit.
#   bench/run.sh [MIPSRUN] [RUNS] [PROGRAM...]
# (defaults: build/mipsrun, 3 runs each, every program below)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mipsrun=$(realpath "${1:-$top/build/mipsrun}")
runs=${2:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
shares= compile_lines=()
# name and argument of each program, sized for about 0.1-0.3 s natively
progs=("fib 38" "loops 40" "bytecode 20000000" "sort 1000000" "hash 100" "strings 20000"
       "nbody 1000000" "matmul 400" "libm 3000000")

time_of() {  # mean seconds of a command, by hyperfine
  hyperfine --runs "$runs" --warmup 1 --export-csv "$out/t.csv" --style none "$@" >/dev/null 2>&1
  tail -1 "$out/t.csv" | cut -d, -f2
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# Percent of a cold run's CPU time spent compiling: one run, its --stats compile time
# and translator load time (LLVM set up, once per process) over its user + system time.
compile_share() {
  /usr/bin/time -f 'cpu %U %S' -o "$out/cpu" "$mipsrun" --stats --code-cache=off "$@" \
    >/dev/null 2>"$out/stats"
  awk '/compile time/ { for (i = 1; i < NF; ++i) if ($i == "time" || $i == "load") c += $(i + 1) }
       END { if (c != "") printf "%.4f", c }' "$out/stats" >"$out/c"
  # No compile time in the statistics (no translator): nothing to show.
  awk -v c="$(cat "$out/c")" '/^cpu/ { if (c == "") printf "-"; else printf "%.1f%%", 100 * c / ($2 + $3) }' \
    "$out/cpu"
}

only=("${@:3}")
for name in "${only[@]}"; do
  [[ " ${progs[*]} " =~ " $name " ]] || { echo "bench/run.sh: no program named '$name'" >&2; exit 2; }
done
printf '%-9s %7s | %9s %6s %6s %7s %7s %7s %7s | %9s %6s %6s %7s %7s %7s %7s\n' program native \
  qemu-mips cold warm c/nat c/qemu w/nat w/qemu qemu-mipsel cold warm c/nat c/qemu w/nat w/qemu
for entry in "${progs[@]}"; do
  read -r name arg <<<"$entry"
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then continue; fi
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
    shares+=$(printf ' %9s' "$(compile_share "$out/$name.$endian" "$arg")")
  done
  echo "$line"
  compile_lines+=("$(printf '%-9s%s' "$name" "$shares")")
  shares=
done
echo "times in seconds (mean of $runs runs); cold: mipsrun without a code cache, warm: with"
echo "the code its warm-up run kept; c/ and w/: those times over native's and qemu's"
echo
printf '%-9s %9s %9s\n' program "compile%" "compile%"
printf '%-9s %9s %9s\n' "" mips mipsel
printf '%s\n' "${compile_lines[@]}"
echo "compile%: share of a cold run's CPU time (user + system) that compiling took, with loading the translator"
echo
# Start-up: a static hello-world (the bundled sample), from start to exit.
hello=$top/test/guest/hello.c
gcc -O2 -o "$out/hello.native" "$hello"
mips-linux-gnu-gcc -O2 -static -o "$out/hello.be" "$hello"
mipsel-linux-gnu-gcc -O2 -static -o "$out/hello.le" "$hello"
ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }
startup() {  # hyperfine without a shell, many runs: these are milliseconds
  hyperfine -N --runs 100 --warmup 5 --export-csv "$out/t.csv" --style none "$@" >/dev/null 2>&1
  tail -1 "$out/t.csv" | cut -d, -f2
}
echo "static hello-world, start to exit (mean of 100 runs):"
echo "  native $(ms "$(startup "$out/hello.native")")"
for endian in be le; do
  qemu=qemu-mips
  [ "$endian" = le ] && qemu=qemu-mipsel
  echo "  $endian: mipsrun $(ms "$(startup "$mipsrun $out/hello.$endian")"), $qemu" \
    "$(ms "$(startup "$qemu $out/hello.$endian")")"
done
