#!/usr/bin/env bash
# Bad input to mipsrun: each case must print exactly one line on stderr that names the
# file (or option) and the reason, and exit with the documented status.
#   cli_errors.sh MIPSRUN GUEST_OUT
set -u
mipsrun=$1 guests=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect STATUS PATTERN -- ARGS...: runs mipsrun ARGS, checks status and the one line.
expect() {
  local want_status=$1 pattern=$2
  shift 3
  local err status lines
  err=$("$mipsrun" "$@" 2>&1 >/dev/null </dev/null)
  status=$?
  lines=$(printf '%s' "$err" | grep -c '')
  if [ "$status" != "$want_status" ] || [ "$lines" != 1 ] || ! grep -qE -- "$pattern" <<<"$err"; then
    echo "FAIL: mipsrun $*"
    echo "  status $status (want $want_status), $lines line(s) (want 1): $err"
    echo "  wanted: $pattern"
    failures=$((failures + 1))
  fi
}

printf 'just text\n' > "$work/text"
head -c 30 "$guests/be/arith" > "$work/short"
head -c 3000 "$guests/be/arith" > "$work/cut"
cp "$guests/be/arith" "$work/x86"
printf '\x00\x03' | dd of="$work/x86" bs=1 seek=18 conv=notrunc status=none   # e_machine = EM_386
cp "$guests/be/arith" "$work/n32"
printf '\x70\x00\x10\x27' | dd of="$work/n32" bs=1 seek=36 conv=notrunc status=none  # EF_MIPS_ABI2
mkdir "$work/dir"

expect 127 "^mipsrun: $work/missing: No such file or directory$" -- "$work/missing"
expect 127 "^mipsrun: $work/text: not an ELF file$" -- "$work/text"
expect 127 "^mipsrun: $work/short: truncated ELF header$" -- "$work/short"
expect 127 "^mipsrun: $work/cut: truncated file: program header [0-9]+ extends past its end$" -- "$work/cut"
expect 127 "^mipsrun: $work/x86: not a MIPS executable \(e_machine 3\)$" -- "$work/x86"
expect 127 "^mipsrun: $work/n32: n32 ABI objects are not supported" -- "$work/n32"
expect 127 "^mipsrun: $work/dir: is a directory$" -- "$work/dir"
expect 127 "^mipsrun: /bin/true: 64-bit ELF file" -- /bin/true
expect 127 "^mipsrun: $work/nosuchroot: sysroot not accessible" -- -L "$work/nosuchroot" "$guests/be/arith"
expect 127 "^mipsrun: $guests/be/hello_dyn: cannot load its interpreter \(/lib/ld.so.1: No such file or directory\); give the guest's sysroot with -L DIR$" -- "$guests/be/hello_dyn"
expect 127 "^mipsrun: $guests/le/hello_dyn: interpreter /usr/mips-linux-gnu/lib/ld.so.1 has the other byte order$" -- -L /usr/mips-linux-gnu "$guests/le/hello_dyn"
expect 2 "^mipsrun: no program given" --
expect 2 "^mipsrun: unknown option --bogus" -- --bogus "$guests/be/arith"
expect 2 "^mipsrun: option -L needs a value" -- -L
expect 2 "^mipsrun: unknown --jit mode fast \(tiered, off, eager, sync\)" -- --jit=fast "$guests/be/arith"
expect 2 "^mipsrun: --jit-threshold needs a positive number, not '0'" -- --jit-threshold=0 "$guests/be/arith"
expect 2 "^mipsrun: --jit-threshold needs a positive number, not 'x'" -- --jit-threshold=x "$guests/be/arith"

# --help and --version succeed and print to stdout.
"$mipsrun" --help | grep -q '^usage: mipsrun' || { echo "FAIL: --help"; failures=$((failures + 1)); }
"$mipsrun" --version | grep -q '^mipsrun ' || { echo "FAIL: --version"; failures=$((failures + 1)); }

# --strace names each syscall, and an unimplemented one says so.
trace=$("$mipsrun" --strace "$guests/le/exit_code" 5 2>&1 >/dev/null)
for want in 'set_thread_area\(0x[0-9a-f]+\) = 0' 'rseq\(.*\) = -1 ENOSYS \(not implemented by mipsrun\)' \
            'write\(1, "exiting with 5\\natexit ran\\n", 26\) = 26' 'exit_group\(5\) = \?'; do
  grep -qE -- "$want" <<<"$trace" || { echo "FAIL: --strace lacks $want"; failures=$((failures + 1)); }
done
# execve is traced before it happens, and a MIPS program it runs is traced too.
trace=$("$mipsrun" --strace "$guests/be/children" 2>&1 >/dev/null)
for want in 'execve\("/proc/self/exe", \["/proc/self/exe", "exec-child"\]\) = \? <runs under mipsrun>' \
            'execve\("/bin/sh", \["sh", "-c", "exit 3"\]\) = \? <handed to the host>' \
            '^[0-9]+ exit_group\(5\) = \?'; do
  grep -qE -- "$want" <<<"$trace" || { echo "FAIL: --strace lacks $want"; failures=$((failures + 1)); }
done
# A guest killed by a signal is reported under --strace, and mipsrun dies of it.
trace=$("$mipsrun" --strace "$guests/be/sig_segv" 2>&1 >/dev/null)
status=$?
grep -qE -- '--- SIGSEGV \{SEGV_MAPERR si_addr=0x10\} pc=0x[0-9a-f]+: sw ' <<<"$trace" ||
  { echo "FAIL: --strace lacks the SIGSEGV line: $trace"; failures=$((failures + 1)); }
[ "$status" = 139 ] || { echo "FAIL: sig_segv status $status"; failures=$((failures + 1)); }

# LLVM is not on the start-up path: mipsrun itself does not link it; the translator
# module is loaded on first use, and without it --jit=eager says so and interprets.
if ldd "$mipsrun" | grep -qi llvm; then
  echo "FAIL: mipsrun links LLVM directly"; failures=$((failures + 1))
fi
cp "$mipsrun" "$work/mipsrun-alone"
out=$("$work/mipsrun-alone" --jit=eager "$guests/be/hello" 2>"$work/err")
if [ "$out" != "Hello from a big-endian mips program (hello), argc=1" ] ||
   ! grep -q "^mipsrun: the translator is not available (.*); interpreting$" "$work/err"; then
  echo "FAIL: --jit=eager without the translator module: '$out' / $(cat "$work/err")"
  failures=$((failures + 1))
fi
trace=$("$mipsrun" --jit=eager --stats --code-cache=off "$guests/le/hello" 2>&1 >/dev/null)
grep -qE "regions compiled [1-9][0-9]* \([1-9][0-9]* blocks\), published [1-9]" <<<"$trace" ||
  { echo "FAIL: --jit=eager --stats: $trace"; failures=$((failures + 1)); }

# The code cache: by default under ~/.cache/mipsrun (the run's environment says where),
# none with --code-cache=off or MIPSRUN_CODE_CACHE=off, and a directory that cannot be
# written is no error, only compiling again.
expect 2 "^mipsrun: --code-cache needs a directory or off" -- --code-cache= "$guests/be/arith"
hot=(--jit=sync --jit-threshold=2)
hello="Hello from a big-endian mips program (hello), argc=1"
env -u MIPSRUN_CODE_CACHE -u XDG_CACHE_HOME HOME="$work/home" "$mipsrun" "${hot[@]}" "$guests/be/hello" >/dev/null
[ -n "$(find "$work/home/.cache/mipsrun" -type f 2>/dev/null)" ] ||
  { echo "FAIL: nothing kept under \$HOME/.cache/mipsrun"; failures=$((failures + 1)); }
env -u MIPSRUN_CODE_CACHE -u XDG_CACHE_HOME HOME="$work/home2" "$mipsrun" "${hot[@]}" --code-cache=off "$guests/be/hello" >/dev/null
env -u XDG_CACHE_HOME MIPSRUN_CODE_CACHE=off HOME="$work/home2" "$mipsrun" "${hot[@]}" "$guests/be/hello" >/dev/null
[ -e "$work/home2" ] && { echo "FAIL: --code-cache=off kept code"; failures=$((failures + 1)); }
touch "$work/a-file"
out=$("$mipsrun" "${hot[@]}" --code-cache="$work/a-file/cache" "$guests/be/hello" 2>"$work/err")
[ "$out" = "$hello" ] && [ ! -s "$work/err" ] ||
  { echo "FAIL: an unusable cache directory: '$out' / $(cat "$work/err")"; failures=$((failures + 1)); }

if [ "$failures" != 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all command-line checks passed"
