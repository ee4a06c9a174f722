#!/usr/bin/env python3
"""Runs QEMU's own linux-user tests (tests/tcg/multiarch and tests/tcg/mips) under mipsrun.

The tests come from Debian's qemu source package, fetched with `apt-get source` through
a private apt state in the work directory (its own deb-src list; the machine's apt
configuration is not touched) and extracted from the upstream tarball. Each test is
built statically for both byte orders and run under mipsrun in each execution mode.

A test passes when it exits 0 and, where it says so in TESTS, its standard output is
what the same source prints when built natively for the host (integer programs whose
output does not depend on the machine), the text given, or a reference file of what a
MIPS FPU under Linux prints (the float_* tests; see README.md here). Each reference is
checked against qemu-mips, an implementation independent of mipsrun: the two must agree
on every line without a NaN. Tests that need what mipsrun
does not have yet would be listed as not run, with the reason. A failure
other than one in the known-failures file fails the run, and so does a listed test
that passes (the list must only shrink).
"""

import argparse
import concurrent.futures
import glob
import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES_LIST = """\
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
"""
SUBDIRS = ("tests/tcg/multiarch/", "tests/tcg/mips/")


class Test:
    """One test: its sources (under tests/tcg/, or ours under test/qemu_tcg/), extra
    compiler flags, and how its output is checked: "native" (the host build's output),
    "native-sorted" (the same lines in any order), "ref:FILE" (a reference file here), a
    literal string, or None (exit status only). `needs` names what mipsrun lacks."""

    def __init__(self, name, sources, flags=(), output="native", needs=None):
        self.name, self.sources, self.flags = name, sources, list(flags)
        self.output, self.needs = output, needs


TESTS = [
    # sha1.c tests BYTE_ORDER without including <endian.h>: undefined, it takes the
    # little-endian path, and a big-endian build would hash the wrong words.
    Test("sha1", ["multiarch/sha1.c"], ["-include", "endian.h"]),
    Test("sha512", ["multiarch/sha512.c"], ["-lm"]),
    Test("overflow", ["multiarch/overflow.c"]),
    Test("sigbus", ["multiarch/sigbus.c"]),  # a plain unaligned load: the kernel fixes it up
    Test("test-mmap", ["multiarch/test-mmap.c"], output=None),  # prints addresses
    Test("linux-madvise", ["multiarch/linux/linux-madvise.c"]),
    Test("linux-test", ["multiarch/linux/linux-test.c"]),
    # Ten threads and a 1 kHz POSIX timer; how many signals each thread saw varies.
    Test("signals", ["multiarch/signals.c"], ["-lrt", "-lpthread"], output=None),
    # Two threads write lines in an order that depends on timing: compared sorted.
    Test("testthread", ["multiarch/testthread.c"], ["-lpthread"], output="native-sorted"),
    Test("threadcount", ["multiarch/threadcount.c"], ["-lpthread"]),
    Test("munmap-pthread", ["multiarch/munmap-pthread.c"], ["-pthread"]),
    # Conversions and fused multiply-add over a table of values, in each rounding mode,
    # with the exception flags: their output is MIPS-specific (NaN encodings, fmaf in
    # glibc's software form), so it is compared with a MIPS reference.
    Test("float_convs", ["multiarch/float_convs.c", "multiarch/libs/float_helpers.c"], ["-lm"],
         output="ref:float_convs.mips.ref"),
    Test("float_convd", ["multiarch/float_convd.c", "multiarch/libs/float_helpers.c"], ["-lm"],
         output="ref:float_convd.mips.ref"),
    Test("float_madds", ["multiarch/float_madds.c", "multiarch/libs/float_helpers.c"], ["-lm"],
         output="ref:float_madds.mips.ref"),
    Test("hello-mips", ["mips/hello-mips.c"],
         ["-mno-abicalls", "-fno-PIC", "-mabi=32", "-nostdlib"], output="Hello, World!\n"),
]
TARGETS = {"be": "mips-linux-gnu-gcc", "le": "mipsel-linux-gnu-gcc"}
MODES = {"default": [], "off": ["--jit=off"], "eager": ["--jit=eager"]}


def apt(work, *args):
    state = os.path.join(work, "apt")
    opts = ["-o", "Dir::Etc::SourceList=" + os.path.join(state, "sources.list"),
            "-o", "Dir::Etc::SourceParts=/nonexistent",
            "-o", "Dir::State::Lists=" + os.path.join(state, "lists"),
            "-o", "Dir::Cache=" + os.path.join(state, "cache"), "-q"]
    subprocess.run(["apt-get"] + opts + list(args), check=True, cwd=os.path.join(work, "dl"),
                   stdout=subprocess.DEVNULL)


def fetch(work):
    """Extracts tests/tcg/{multiarch,mips} of Debian's qemu source into work/src."""
    src = os.path.join(work, "src")
    if os.path.isdir(os.path.join(src, "multiarch")):
        return src
    for d in ("apt/lists/partial", "apt/cache", "dl"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    with open(os.path.join(work, "apt", "sources.list"), "w") as f:
        f.write(SOURCES_LIST)
    print("fetching Debian's qemu source package (apt-get source --download-only qemu)")
    sys.stdout.flush()
    apt(work, "update")
    apt(work, "source", "--download-only", "qemu")
    tarballs = glob.glob(os.path.join(work, "dl", "qemu_*.orig.tar.*"))
    if not tarballs:
        sys.exit("run_qemu_tcg: no qemu_*.orig.tar.* downloaded into %s" % work)
    tmp = src + ".tmp"
    with tarfile.open(tarballs[0]) as tar:
        for m in tar:
            top, _, rest = m.name.partition("/")
            for sub in SUBDIRS:
                if rest.startswith(sub) and (m.isfile() or m.isdir()):
                    m.name = os.path.join(sub.split("/")[2], rest[len(sub):])
                    tar.extract(m, tmp)
    os.rename(tmp, src)
    return src


def source_paths(src, test):
    out = []
    for s in test.sources:
        kind, _, rel = s.partition("/")
        out.append(os.path.join(HERE, rel) if kind == "ours" else os.path.join(src, kind, rel))
    return out


def build(src, work, test, compiler, tag):
    """Builds `test` with `compiler` into work/bin/tag/; returns (path, error)."""
    out_dir = os.path.join(work, "bin", tag)
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, test.name)
    includes = ["-I" + os.path.join(src, "multiarch"), "-I" + os.path.join(src, "multiarch", "linux")]
    static = [] if tag == "native" else ["-static"]
    cmd = [compiler, "-O2", "-w"] + static + includes + ["-o", out] + source_paths(src, test) + test.flags
    r = subprocess.run(cmd, capture_output=True, text=True)
    return (out, None) if r.returncode == 0 else (None, r.stderr.strip().splitlines()[-1:])


def run(cmd, timeout):
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % timeout


def check_reference(test, ref, tag, path, timeout):
    """The reference must agree with qemu-mips (QEMU's softfloat, not mipsrun) on every
    line without a NaN; QEMU gives the default NaN for every NaN result, where a MIPS FPU
    (and the kernel's emulator of it) passes a quiet NaN operand on. Returns a problem or
    None."""
    qemu = {"be": "qemu-mips", "le": "qemu-mipsel"}[tag]
    code, out, err = run([qemu, path], timeout)
    if code != 0:
        return "%s: the reference check needs %s, which exits %s: %s" % (test.name, qemu, code,
                                                                         err.strip()[-200:])
    ours, theirs = ref.splitlines(), out.splitlines()
    if len(ours) != len(theirs):
        return "%s: the reference has %d lines, %s prints %d" % (test.name, len(ours), qemu,
                                                                 len(theirs))
    for n, (a, b) in enumerate(zip(ours, theirs), 1):
        if a != b and "nan" not in a + b:
            return "%s: the reference differs from %s at line %d on a line without a NaN: " \
                   "%r vs %r" % (test.name, qemu, n, a, b)
    return None


def load_known(path):
    known = {}
    if path and os.path.exists(path):
        for line in open(path):
            entry, _, why = line.partition("#")
            if entry.strip():
                known[entry.strip()] = why.strip()
    return known


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mipsrun", required=True, help="the mipsrun to test")
    ap.add_argument("--work", required=True, help="work directory (inside the build dir)")
    ap.add_argument("--known-failures", default=os.path.join(HERE, "known_failures.txt"))
    ap.add_argument("--modes", default=",".join(MODES), help="execution modes to run")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=int, default=120)
    args = ap.parse_args()
    work = os.path.abspath(args.work)
    mipsrun = os.path.abspath(args.mipsrun)
    src = fetch(work)
    known = load_known(args.known_failures)

    jobs, problems = [], []
    for test in TESTS:
        if test.needs:
            print("not run: %s: needs %s" % (test.name, test.needs))
            continue
        expected = test.output
        if expected in ("native", "native-sorted"):
            path, err = build(src, work, test, "gcc", "native")
            if not path:
                problems.append("%s does not build natively: %s" % (test.name, err))
                continue
            code, expected, _ = run([path], args.timeout)
            if test.output == "native-sorted":
                expected = sorted(expected.splitlines())
            if code != 0:
                problems.append("%s fails natively (exit %s)" % (test.name, code))
                continue
        elif expected and expected.startswith("ref:"):
            with open(os.path.join(HERE, expected[len("ref:"):])) as f:
                expected = f.read()
        for tag, compiler in TARGETS.items():
            path, err = build(src, work, test, compiler, tag)
            if not path:
                problems.append("%s does not build for %s: %s" % (test.name, tag, err))
                continue
            if test.output and test.output.startswith("ref:"):
                problem = check_reference(test, expected, tag, path, args.timeout)
                if problem:
                    problems.append(problem)
            for mode in args.modes.split(","):
                jobs.append((test, tag, mode, [mipsrun] + MODES[mode] + [path], expected))

    def one(job):
        test, tag, mode, cmd, expected = job
        code, out, err = run(cmd, args.timeout)
        if code != 0:
            why = "exit %s: %s" % (code, (err.strip().splitlines() or [""])[-1])
        elif expected is not None and (sorted(out.splitlines()) if test.output == "native-sorted"
                                       else out) != expected:
            why = "output differs: %r, expected %r" % (out[-200:], expected[-200:])
        else:
            why = None
        return "%s %s %s" % (tag, mode, test.name), test.name, why

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for key, name, why in pool.map(one, jobs):
            if why is None:
                passed += 1
                if name in known:
                    problems.append("now passes, remove from the known failures: " + key)
            elif name in known:
                print("known failure: %s: %s (%s)" % (key, known[name], why))
            else:
                failed += 1
                problems.append("FAIL: %s: %s" % (key, why))
    for p in problems:
        print(p)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
