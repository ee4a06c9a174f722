#!/usr/bin/env bash
# A large real program: Debian bookworm's python3.11 for mipsel (downloaded with
# apt-get, so the machine needs network and `dpkg --add-architecture mipsel`, which this
# script does), timed on a few scripts natively, under qemu-mipsel and under mipsrun,
# cold (no code cache) and warm (a cache of the script's own, filled by the warm-up
# run). Its tens of thousands of blocks and hundreds of hot regions show what the
# compute kernels of bench/run.sh do not: region formation and compile-queue costs that
# grow with the size of the program.
#   bench/python.sh [MIPSRUN] [RUNS]     (defaults: build/mipsrun, 3 runs each)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mipsrun=$(realpath "${1:-$top/build/mipsrun}")
runs=${2:-3}
root=${MIPSRUN_PYTHON_ROOT:-/var/tmp/mipsrun-python-mipsel}
if [ ! -x "$root/usr/bin/python3.11" ]; then
  dpkg --print-foreign-architectures | grep -qx mipsel || dpkg --add-architecture mipsel
  apt-get update -qq
  debs=$(mktemp -d)
  (cd "$debs" && apt-get download -qq python3.11-minimal:mipsel libpython3.11-minimal:mipsel \
     libc6:mipsel zlib1g:mipsel libexpat1:mipsel libssl3:mipsel 2>/dev/null)
  mkdir -p "$root"
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
  rm -rf "$debs"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat >"$out/start.py" <<'PY'
print(sum(i * i for i in range(100000)))
PY
cat >"$out/dict.py" <<'PY'
d = {}
s = 0
for i in range(300000):
    k = "k%d" % (i % 1000)
    d[k] = d.get(k, 0) + i
    s += len(k)
print(s, len(d))
PY
cat >"$out/objects.py" <<'PY'
class P:
    def __init__(self, x, y): self.x, self.y = x, y
    def __add__(self, o): return P(self.x + o.x, self.y + o.y)
acc = P(0, 0)
for i in range(200000):
    acc = acc + P(i % 7, i % 11)
print(acc.x, acc.y, sorted(str(i) for i in range(20000))[-1])
PY

time_of() {  # mean seconds of a command, by hyperfine
  hyperfine -N --runs "$runs" --warmup 1 --export-csv "$out/t.csv" --style none "$@" >/dev/null 2>&1
  tail -1 "$out/t.csv" | cut -d, -f2
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
py=(-L "$root" "$root/usr/bin/python3.11" -S)
printf '%-8s %7s %9s %7s %7s %7s %7s %7s %7s\n' script native qemu cold warm c/nat c/qemu w/nat w/qemu
for name in start dict objects; do
  want=$(python3 -S "$out/$name.py")
  got=$("$mipsrun" --code-cache=off "${py[@]}" "$out/$name.py")
  [ "$got" = "$want" ] || { echo "$name: mipsrun printed '$got', native '$want'" >&2; exit 1; }
  tn=$(time_of "python3 -S $out/$name.py")
  tq=$(time_of "qemu-mipsel ${py[*]} $out/$name.py")
  tc=$(time_of "$mipsrun --code-cache=off ${py[*]} $out/$name.py")
  tw=$(time_of "$mipsrun --code-cache=$out/code-cache ${py[*]} $out/$name.py")
  printf '%-8s %7.3f %9.3f %7.3f %7.3f %7s %7s %7s %7s\n' "$name" "$tn" "$tq" "$tc" "$tw" \
    "$(ratio "$tc" "$tn")" "$(ratio "$tc" "$tq")" "$(ratio "$tw" "$tn")" "$(ratio "$tw" "$tq")"
done
echo "times in seconds (mean of $runs runs); native: the host's python3 (3.11), qemu: qemu-mipsel;"
echo "cold: mipsrun without a code cache, warm: with the code its warm-up run kept"
