#!/usr/bin/env python3
"""Runs GCC's C execute tests under mipsrun.

The suite comes from Debian's gcc-12-source package: the testsuite directories are
extracted from its tarball into the work directory (nothing is cached elsewhere).
Each test is compiled per configuration with the MIPS cross compilers, statically,
and run under mipsrun with a timeout; a test passes when it exits 0 (abort() fails).

What a test needs is read from its DejaGnu directives, as far as they matter for a
mips-linux-gnu o32 target: dg-do, dg-options, dg-additional-options, dg-add-options,
dg-require-effective-target, dg-skip-if, dg-xfail-if, dg-xfail-run-if, dg-output and
dg-shouldfail. A test that does not compile for MIPS is reported as such, not counted.

Prints one line per failure and closes with "N passed, M failed". Exits non-zero when
a test fails that is not in the known-failures file, or when a known failure passes
(the list must only shrink: remove the entry).
"""

import argparse
import concurrent.futures
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time

TARBALL = "/usr/src/gcc-12/gcc-12.2.0-dfsg.tar.xz"
TS = "gcc-12.2.0/gcc/testsuite/"
EXECUTE = TS + "gcc.c-torture/execute/"
GCC_DG = TS + "gcc.dg/"

# Effective targets as a mips-linux-gnu o32 target answers them. Anything not listed
# is treated as unsupported, and the test is reported as skipped with the name.
EFFECTIVE_TARGETS = {
    "int32plus": True, "int32": True, "int16": False, "ilp32": True, "lp64": False,
    "llp64": False, "longlong64": True, "int128": False, "size32plus": True,
    "ptr32plus": True, "double64": True, "double64plus": True, "large_double": True,
    "label_values": True, "alloca": True, "trampolines": True, "indirect_jumps": True,
    "nonlocal_goto": True, "untyped_assembly": True, "return_address": True,
    "fileio": True, "c99_runtime": True, "unwrapped": True, "stdint_types": True,
    "mmap": True, "signal": True, "weak": True, "alias": True, "dfp": False,
    "sync_int_long": True, "sync_char_short": True, "pthread": True, "tls": True,
    "tls_runtime": True, "tls_native": True, "freorder": True, "fpic": True,
    "pie": True, "static": True, "nonpic": False, "hard_float": True,
    "ieee": True, "inf": True, "stdint_types_mbig_endian": False, "wchar": True,
    "section_anchors": False, "vect_int": False, "vect_float": False,
    "fopenmp": False, "fgnu_tm": False, "cet": False, "avx": False, "sse": False,
    "sse2": False, "fstack_protector": True, "init_priority": True,
    "global_constructor": True, "scheduling": True, "lto": False, "dfprt": False,
    "float16": False, "float32": True, "float64": True, "float32x": True,
    "float64x": False, "float128": False, "float128x": False, "float16_runtime": False,
    "float32_runtime": True, "float64_runtime": True, "float32x_runtime": True,
    "float64x_runtime": False, "float128_runtime": False, "float128x_runtime": False,
    "bitint": False, "exceptions": True, "stack_size": True, "nonlocal_goto": True,
    "setjmp": True, "clone": True, "ucn": True, "named_sections": True,
    "builtin_eh_return": True, "non_strict_align": False, "strict_align": True,
    "natural_alignment_32": True, "natural_alignment_64": False, "arm_eabi": False,
    "powerpc_altivec_ok": False, "x86": False, "ia32": False, "mips64": False,
    "cas_char": True, "cas_int": True, "sync_long_long": False,
    "sync_long_long_runtime": False, "tail_call": True, "rdynamic": True,
    "gettimeofday": True, "posix_memalign": True, "newlib": False, "llvm": False,
}

CONFIGS = {  # name -> (compiler, torture optimization options)
    "be-O0": ("mips-linux-gnu-gcc", "-O0"),
    "be-O2": ("mips-linux-gnu-gcc", "-O2"),
    "le-O2": ("mipsel-linux-gnu-gcc", "-O2"),
}


# ---------------------------------------------------------------------------------
# DejaGnu directives

def tcl_words(text):
    """Splits a Tcl list into words, keeping {...} and "..." groups whole."""
    words, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            words.append(text[i + 1:j - 1].strip())
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            words.append(text[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            words.append(text[i:j])
            i = j
    return words


def directives(source):
    """Yields (name, [arguments]) for each { dg-... } directive in the source."""
    for m in re.finditer(r"\{\s*(dg-[a-z-]+)(.*?)\}\s*(?:\*/|$|//)", source, re.M):
        yield m.group(1), tcl_words(m.group(2))


class Target:
    """Evaluates DejaGnu target selectors for one configuration."""

    def __init__(self, triple):
        self.triple = triple

    def term(self, word):
        if word in ("", "*-*-*"):
            return True
        if "-" in word and "*" in word or word.count("-") >= 2:
            return fnmatch.fnmatch(self.triple, word)
        return EFFECTIVE_TARGETS.get(word, False)

    def matches(self, selector):
        """selector: 'target X' / 'xfail X' / a bare list of triples."""
        words = tcl_words(selector)
        if words and words[0] in ("target", "xfail"):
            words = words[1:]
        if len(words) == 1 and (" " in words[0] or words[0].startswith("!")):
            return self.expr(tcl_words(words[0]))
        return self.expr(words)

    def expr(self, words):
        # Left to right with ! && ||, and braces as sub-expressions; a plain list of
        # triples means "any of them".
        result, op, negate = None, None, False
        for w in words:
            if w == "!":
                negate = not negate
                continue
            if w in ("&&", "||"):
                op = w
                continue
            value = self.expr(tcl_words(w)) if " " in w else self.term(w)
            value = value != negate
            negate = False
            if result is None:
                result = value
            elif op == "&&":
                result = result and value
            else:  # "||" or juxtaposition
                result = result or value
            op = None
        return bool(result)


class Test:
    def __init__(self, name, sources, kind, extra_flags=()):
        self.name = name          # e.g. execute/20000112-1 or gcc.dg/pr12345
        self.sources = sources    # paths, the main one first
        self.kind = kind          # "torture" or "dg"
        self.extra_flags = list(extra_flags)


def plan(test, config, work):
    """Decides how to build and judge `test` in `config`: a dict, or a skip reason."""
    cc, opt = CONFIGS[config]
    triple = ("mips" if cc.startswith("mips-") else "mipsel") + "-unknown-linux-gnu"
    target = Target(triple)
    with open(test.sources[0], errors="replace") as f:
        src = f.read()
    do, dg_options, more, outputs, extra_sources = "run", None, [], [], []
    xfail = shouldfail = False
    for name, args in directives(src):
        if name == "dg-do":
            if len(args) > 1 and not target.matches(args[1]):
                do = "compile"
            else:
                do = args[0] if args else "run"
        elif name == "dg-options":
            if len(args) < 2 or target.matches(args[1]):
                dg_options = args[0] if args else ""
        elif name == "dg-additional-options":
            if len(args) < 2 or target.matches(args[1]):
                more.append(args[0] if args else "")
        elif name == "dg-add-options":
            pass  # ieee, stack_size, c99_runtime...: nothing to add on MIPS
        elif name == "dg-additional-sources":
            if args and (len(args) < 2 or target.matches(args[1])):
                here = os.path.dirname(test.sources[0])
                extra_sources += [os.path.join(here, s) for s in args[0].split()]
        elif name == "dg-require-effective-target":
            if args and not EFFECTIVE_TARGETS.get(args[0], False):
                if len(args) < 2 or target.matches(args[1]):
                    return "requires %s" % args[0]
        elif name == "dg-skip-if":
            if len(args) >= 2 and target.matches(args[1]):
                include = args[2].split() if len(args) > 2 else ["*"]
                exclude = args[3].split() if len(args) > 3 else []
                flags = (opt + " " + " ".join(more) + " " + (dg_options or "")).split()
                inc = include == ["*"] or any(i in flags for i in include)
                exc = any(e in flags for e in exclude)
                if inc and not exc:
                    return "dg-skip-if %s" % args[0]
        elif name in ("dg-xfail-if", "dg-xfail-run-if"):
            if len(args) >= 2 and target.matches(args[1]):
                xfail = True
        elif name == "dg-output":
            if len(args) < 2 or target.matches(args[1]):
                outputs.append(args[0] if args else "")
        elif name == "dg-shouldfail":
            if len(args) < 2 or target.matches(args[1]):
                shouldfail = True
        elif name in ("dg-require-stack-size", "dg-require-alias", "dg-require-weak",
                      "dg-prune-output", "dg-final", "dg-message", "dg-warning",
                      "dg-error", "dg-bogus", "dg-excess-errors", "dg-timeout-factor",
                      "dg-timeout", "dg-require-visibility", "dg-require-named-sections",
                      "dg-require-profiling", "dg-require-ifunc", "dg-skip-if",
                      "dg-require-dll", "dg-require-linker-plugin", "dg-set-target-env-var",
                      "dg-require-iconv", "dg-require-host-local", "dg-do"):
            pass
    if do != "run":
        return "dg-do %s" % do
    if test.kind == "torture":
        flags = [opt] + (dg_options.split() if dg_options is not None else ["-w"])
    else:
        flags = (dg_options.split() if dg_options is not None else ["-ansi", "-pedantic-errors"])
    for m in more:
        flags += m.split()
    flags += test.extra_flags + x_file_flags(test.sources[0])
    # Options may name files relative to the testsuite, as DejaGnu's ${srcdir}.
    srcdir = test.sources[0][:test.sources[0].index(TS) + len(TS) - 1]
    flags = [f.replace("${srcdir}", srcdir).replace("$srcdir", srcdir) for f in flags]
    exe = os.path.join(work, "bin", config, test.name.replace("/", "__"))
    return {"cc": cc, "flags": flags, "exe": exe, "xfail": xfail, "shouldfail": shouldfail,
            "outputs": outputs, "sources": test.sources + extra_sources}


def x_file_flags(source):
    """Flags from the test's .x file (old-style DejaGnu hooks). Only unconditional
    top-level `set additional_flags` lines matter here: every conditional block in the
    GCC 12 suite is about other targets (avr, m68k, nvptx, tic6x, ...)."""
    x = source[:-2] + ".x"
    if not os.path.exists(x):
        return []
    flags = []
    for line in open(x):
        m = re.match(r"(?:set|lappend) additional_flags (.*)", line)
        if m:
            flags += [w for w in tcl_words(m.group(1).strip())]
    return flags


def tcl_regexp_to_python(pattern):
    # dg-output patterns are Tcl regexps; the common subset reads the same in Python.
    return pattern.replace("\\[", "\\[").replace("\\]", "\\]")


# ---------------------------------------------------------------------------------
# Running

def build(test, p):
    """Compiles the test, or reuses the binary built by the same command before."""
    os.makedirs(os.path.dirname(p["exe"]), exist_ok=True)
    cmd = [p["cc"], "-static", "-fno-diagnostics-color", "-fno-diagnostics-show-caret",
           "-I" + os.path.dirname(test.sources[0])] + p["flags"] + p["sources"] + [
               "-lm", "-o", p["exe"]]
    stamp = p["exe"] + ".cmd"
    line = " ".join(cmd)
    if os.path.exists(p["exe"]) and os.path.exists(stamp) and open(stamp).read() == line:
        return True, ""
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300)
    if r.returncode == 0:
        with open(stamp, "w") as f:
            f.write(line)
    if r.returncode != 0:
        first = next((l for l in r.stdout.decode(errors="replace").splitlines()
                      if "error" in l), "compiler failed")
        return False, first.strip()[:160]
    return True, ""


def run(runner, test, p, timeout):
    cmd = runner + [p["exe"]]
    cwd = os.path.dirname(p["exe"])
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return False, "timeout after %ds" % timeout
    status = r.returncode
    if p["shouldfail"]:
        return status != 0, "exited 0 but should fail"
    if status != 0:
        why = "killed by signal %d" % -status if status < 0 else "exit status %d" % status
        return False, why
    if p["outputs"]:
        pattern = "".join(tcl_regexp_to_python(o) for o in p["outputs"])
        text = r.stdout.decode(errors="replace")
        try:
            if not re.search(pattern, text, re.S):
                return False, "output does not match dg-output"
        except re.error:
            pass  # a pattern Python cannot read: exit status alone decides
    return True, ""


def one(args, runner, test, config):
    p = plan(test, config, args.work)
    key = "%s %s" % (config, test.name)
    if isinstance(p, str):
        return key, "unsupported", p
    ok, why = build(test, p)
    if not ok:
        return key, "noncompile", why
    passed, why = run(runner, test, p, args.timeout)
    if p["xfail"]:
        return key, ("xpass" if passed else "xfail"), why
    return key, ("pass" if passed else "fail"), why


# ---------------------------------------------------------------------------------
# The suite

def extract(work):
    root = os.path.join(work, "src")
    stamp = os.path.join(root, ".extracted")
    if os.path.exists(stamp):
        return root
    if not os.path.exists(TARBALL):
        sys.exit("run_torture: %s is missing: apt-get install gcc-12-source" % TARBALL)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with tarfile.open(TARBALL) as tar:
        members = [m for m in tar
                   if m.name.startswith(EXECUTE) or m.name.startswith(GCC_DG)]
        tar.extractall(root, members=members)
    open(stamp, "w").close()
    return root


def collect(root, suites):
    tests = []
    ex = os.path.join(root, EXECUTE)
    if "execute" in suites:
        for f in sorted(os.listdir(ex)):
            if f.endswith(".c"):
                tests.append(Test("execute/" + f[:-2], [os.path.join(ex, f)], "torture"))
        ieee = os.path.join(ex, "ieee")
        for f in sorted(os.listdir(ieee)):
            if f.endswith(".c"):
                tests.append(Test("ieee/" + f[:-2], [os.path.join(ieee, f)], "torture",
                                  ["-fno-inline"]))
        bi = os.path.join(ex, "builtins")
        flags = ["-fno-tree-dse", "-fno-tree-loop-distribute-patterns", "-fno-tracer",
                 "-fno-ipa-ra", "-fno-inline-functions"]
        for f in sorted(os.listdir(bi)):
            if f.endswith(".c") and not f.endswith("-lib.c"):
                base = f[:-2]
                srcs = [os.path.join(bi, f), os.path.join(bi, base + "-lib.c"),
                        os.path.join(bi, "lib", "main.c")]
                tests.append(Test("builtins/" + base, srcs, "torture", flags))
    if "dg" in suites:
        dg = os.path.join(root, GCC_DG)
        for f in sorted(os.listdir(dg)):
            if not f.endswith(".c"):
                continue
            path = os.path.join(dg, f)
            with open(path, errors="replace") as fh:
                if not re.search(r"\{\s*dg-do\s+run", fh.read()):
                    continue
            tests.append(Test("gcc.dg/" + f[:-2], [path], "dg"))
    return tests


def load_known(path):
    known = {}
    if not path or not os.path.exists(path):
        return known
    for line in open(path):
        line = line.split("#", 1)
        entry = line[0].strip()
        if entry:
            known[entry] = line[1].strip() if len(line) > 1 else ""
    return known


def is_known(known, key):
    config, name = key.split(" ", 1)
    return key in known or name in known or ("%s %s" % (config[:2], name)) in known


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mipsrun", help="the mipsrun to test")
    ap.add_argument("--qemu", action="store_true", help="run under qemu-mips(el) instead")
    ap.add_argument("--work", required=True, help="work directory (inside the build dir)")
    ap.add_argument("--configs", default="be-O0,be-O2,le-O2")
    ap.add_argument("--dg-configs", default="be-O2,le-O2",
                    help="configurations for gcc.dg (its own options, not the -O level)")
    ap.add_argument("--suites", default="execute,dg")
    ap.add_argument("--known-failures", help="file of known failures with reasons")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--only", help="run only tests whose name contains this")
    ap.add_argument("--verbose", action="store_true", help="also list unsupported tests")
    ap.add_argument("--mipsrun-option", action="append", default=[],
                    help="an option for mipsrun, such as --jit=off (repeatable)")
    ap.add_argument("--sample", type=int, default=1,
                    help="run every Nth test only (for slow modes such as --jit=eager)")
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    if not args.qemu and not args.mipsrun:
        ap.error("give --mipsrun or --qemu")

    start = time.time()
    root = extract(args.work)
    tests = collect(root, args.suites.split(","))
    if args.only:
        tests = [t for t in tests if args.only in t.name]
    if args.sample > 1:
        tests = tests[::args.sample]
    jobs = []
    for t in tests:
        for config in (args.configs if t.kind == "torture" else args.dg_configs).split(","):
            jobs.append((t, config))
    known = load_known(args.known_failures)

    counts = {}
    unexpected, fixed = [], []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = []
        for t, config in jobs:
            if args.qemu:
                runner = ["qemu-mips" if config.startswith("be") else "qemu-mipsel"]
            else:
                runner = [os.path.abspath(args.mipsrun)] + args.mipsrun_option
            futures.append(pool.submit(one, args, runner, t, config))
        for fut in futures:
            key, result, why = fut.result()
            counts[result] = counts.get(result, 0) + 1
            if result == "fail":
                if is_known(known, key):
                    counts["known"] = counts.get("known", 0) + 1
                    print("known failure: %s: %s" % (key, why))
                else:
                    unexpected.append(key)
                    print("FAIL: %s: %s" % (key, why))
            elif result == "pass" and is_known(known, key):
                fixed.append(key)
                print("now passes, remove from the known failures: %s" % key)
            elif result == "noncompile":
                print("does not compile for MIPS: %s: %s" % (key, why))
            elif result == "unsupported" and args.verbose:
                print("unsupported: %s: %s" % (key, why))
            sys.stdout.flush()

    passed = counts.get("pass", 0) + counts.get("xpass", 0)
    failed = counts.get("fail", 0)
    print("summary: %d runs; %d unsupported on MIPS, %d do not compile, %d expected "
          "failures (dg-xfail), %d known failures; %.0f s" % (
              len(jobs), counts.get("unsupported", 0), counts.get("noncompile", 0),
              counts.get("xfail", 0), counts.get("known", 0), time.time() - start))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if unexpected or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
