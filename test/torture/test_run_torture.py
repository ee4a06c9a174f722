#!/usr/bin/env python3
"""Checks run_torture.py's reading of DejaGnu directives and target selectors."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_torture as rt  # noqa: E402


class SelectorTest(unittest.TestCase):
    def setUp(self):
        self.be = rt.Target("mips-unknown-linux-gnu")

    def test_triples_and_effective_targets(self):
        self.assertTrue(self.be.matches("mips*-*-*"))
        self.assertTrue(self.be.matches("*-*-*"))
        self.assertFalse(self.be.matches("avr-*-* nvptx-*-*"))
        self.assertTrue(self.be.matches("avr-*-* mips*-*-linux*"))
        self.assertTrue(self.be.matches("target { ! lp64 }"))
        self.assertFalse(self.be.matches("target int128"))
        self.assertTrue(self.be.matches("{ ilp32 && int32plus }"))
        self.assertFalse(self.be.matches("{ ilp32 && lp64 }"))
        self.assertTrue(self.be.matches("{ lp64 || ilp32 }"))

    def test_tcl_words(self):
        self.assertEqual(rt.tcl_words('"-O2 -fno-x" { target { ! avr-*-* } }'),
                         ["-O2 -fno-x", "target { ! avr-*-* }"])


class PlanTest(unittest.TestCase):
    def plan(self, source, kind="torture", config="be-O2"):
        with tempfile.TemporaryDirectory() as d:
            ts = os.path.join(d, rt.TS)
            os.makedirs(ts)
            path = os.path.join(ts, "t.c")
            with open(path, "w") as f:
                f.write(source)
            return rt.plan(rt.Test("x/t", [path], kind), config, d)

    def test_defaults(self):
        p = self.plan("int main(void) { return 0; }\n")
        self.assertEqual(p["flags"], ["-O2", "-w"])
        self.assertEqual(self.plan("int x;\n", kind="dg")["flags"], ["-ansi", "-pedantic-errors"])

    def test_options(self):
        p = self.plan('/* { dg-options "-std=gnu99" } */\n'
                      '/* { dg-additional-options "-DX=1" { target mips*-*-* } } */\n'
                      '/* { dg-additional-options "-DNOT" { target avr-*-* } } */\n')
        self.assertEqual(p["flags"], ["-O2", "-std=gnu99", "-DX=1"])

    def test_skips(self):
        self.assertEqual(self.plan("/* { dg-require-effective-target int128 } */\n"),
                         "requires int128")
        self.assertEqual(self.plan('/* { dg-skip-if "no" { mips*-*-* } } */\n'),
                         "dg-skip-if no")
        self.assertIsInstance(self.plan('/* { dg-skip-if "no" { avr-*-* } } */\n'), dict)
        self.assertEqual(self.plan("/* { dg-do compile } */\n"), "dg-do compile")
        self.assertEqual(self.plan("/* { dg-do run { target { ! mips*-*-* } } } */\n"),
                         "dg-do compile")

    def test_expectations(self):
        p = self.plan('/* { dg-shouldfail "x" } */\n/* { dg-output "hello.*world" } */\n')
        self.assertTrue(p["shouldfail"])
        self.assertEqual(p["outputs"], ["hello.*world"])
        self.assertTrue(self.plan('/* { dg-xfail-run-if "" { *-*-* } } */\n')["xfail"])

    def test_known_failures(self):
        known = {"execute/a": "", "le-O2 execute/b": ""}
        self.assertTrue(rt.is_known(known, "be-O0 execute/a"))
        self.assertTrue(rt.is_known(known, "le-O2 execute/b"))
        self.assertFalse(rt.is_known(known, "be-O2 execute/b"))


if __name__ == "__main__":
    unittest.main()
