// Hot FPU loops whose operations keep meeting what the translator leaves to the
// interpreter or to fpu.cc's rules: NaN operands and results (legacy MIPS NaN encoding),
// and arithmetic under a directed rounding mode. Translated code first runs these
// instructions again in the interpreter and is then compiled again with the slow paths
// inline; every mode must print what the interpreter alone prints.
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t Bits(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

#define N 4096
static double data[N];

int main(void) {
  volatile double zero = 0.0;
  for (int i = 0; i < N; ++i) data[i] = (i % 7 == 3) ? zero / zero : i * 0.37 - 100.0;

  // A loop that only loads: the sum turns NaN at the fourth element, and each product
  // with a NaN element is a NaN again.
  double sum = 0, clean = 0;
  int nans = 0;
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < N; ++i) {
      double x = data[i] * 1.5;
      sum += x;
      if (x == x) clean += x; else ++nans;
    }
  }
  printf("sum %016llx clean %.6f nans %d\n", (unsigned long long)Bits(sum), clean, nans);

  // Division rounded upwards and downwards: every quotient goes to fpu.cc.
  double up = 0, down = 0;
  fesetround(FE_UPWARD);
  for (int i = 1; i < 200000; ++i) up += 1.0 / i;
  fesetround(FE_DOWNWARD);
  for (int i = 1; i < 200000; ++i) down += 1.0 / i;
  fesetround(FE_TONEAREST);
  printf("up %016llx down %016llx\n", (unsigned long long)Bits(up), (unsigned long long)Bits(down));

  // Comparisons with NaN operands (unordered) in a loop that also stores.
  int unordered = 0;
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i + 1 < N; ++i) {
      if (!(data[i] < data[i + 1]) && !(data[i] >= data[i + 1])) ++unordered;
      data[i] = data[i] + 0.0;
    }
  }
  printf("unordered %d fcsr-inexact %d\n", unordered, fetestexcept(FE_INEXACT) != 0);

  // Exact arithmetic rounded downwards: no flag may be raised. Translated code runs the
  // addition again in the interpreter each round until it is compiled again, which
  // --jit=eager does on the guest's own thread: the compiler's own host arithmetic must
  // not reach FCSR.
  fesetround(FE_DOWNWARD);
  feclearexcept(FE_ALL_EXCEPT);
  volatile double one = 1.0;
  double acc = 0;
  for (int i = 0; i < 10000; ++i) acc = acc + one;
  int flags = fetestexcept(FE_ALL_EXCEPT);
  fesetround(FE_TONEAREST);
  printf("exact sum %.1f, flags %#x\n", acc, flags);
  return 0;
}
