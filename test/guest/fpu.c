// Floating point as programs use it: printf/strtod round trips, rounding modes, fenv
// flags, NaN bit patterns, libm, conversions, and compares with NaN.
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile double vd[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1e-310, 1.7976931348623157e308,
                               3.141592653589793, 2.5, -2.5, 1e16, 123456.789};
static volatile float vf[] = {0.0f, 1.0f, -1.5f, 0.1f, 1e-40f, 3.4028235e38f, 2.5f};

static uint64_t Bits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static uint32_t BitsF(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

int main(void) {
  for (unsigned i = 0; i < sizeof vd / sizeof vd[0]; ++i) {
    double d = vd[i];
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", d);
    double back = strtod(buf, NULL);
    printf("%-24s %016llx round-trip=%d sqrt=%.17g rint=%.1f int=%d\n", buf,
           (unsigned long long)Bits(d), Bits(back) == Bits(d), sqrt(fabs(d)), rint(d),
           fabs(d) < 2e9 ? (int)d : -1);
  }
  for (unsigned i = 0; i < sizeof vf / sizeof vf[0]; ++i) {
    float f = vf[i];
    printf("%.9g %08x *3=%.9g /7=%.9g d=%.17g\n", f, BitsF(f), f * 3.0f, f / 7.0f, (double)f);
  }
  // Rounding modes.
  const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
  const char* names[] = {"nearest", "upward", "downward", "towardzero"};
  for (int m = 0; m < 4; ++m) {
    fesetround(modes[m]);
    volatile double one = 1.0, three = 3.0, neg = -7.0;
    printf("%-10s 1/3=%016llx -7/3=%016llx rint(2.5)=%.1f lrint(-2.5)=%ld\n", names[m],
           (unsigned long long)Bits(one / three), (unsigned long long)Bits(neg / three),
           rint(2.5), lrint(-2.5));
  }
  fesetround(FE_TONEAREST);
  // Exception flags.
  feclearexcept(FE_ALL_EXCEPT);
  volatile double zero = 0.0, big = 1e308, tiny = 1e-308;
  volatile double r = 1.0 / zero;
  printf("1/0=%g divbyzero=%d invalid=%d\n", r, !!fetestexcept(FE_DIVBYZERO), !!fetestexcept(FE_INVALID));
  feclearexcept(FE_ALL_EXCEPT);
  r = zero / zero;
  printf("0/0 nan=%d bits=%016llx invalid=%d\n", isnan(r), (unsigned long long)Bits(r), !!fetestexcept(FE_INVALID));
  feclearexcept(FE_ALL_EXCEPT);
  r = big * 10;
  printf("overflow=%d inexact=%d\n", !!fetestexcept(FE_OVERFLOW), !!fetestexcept(FE_INEXACT));
  feclearexcept(FE_ALL_EXCEPT);
  r = tiny / 1e10;
  printf("underflow=%d\n", !!fetestexcept(FE_UNDERFLOW));
  feclearexcept(FE_ALL_EXCEPT);
  r = 2.0 + 2.0;
  printf("exact: flags=%d\n", fetestexcept(FE_ALL_EXCEPT));
  // NaNs.
  volatile float fz = 0.0f;
  printf("nanf bits=%08x nan bits=%016llx nan(\"\")=%016llx\n", BitsF(fz / fz),
         (unsigned long long)Bits(NAN), (unsigned long long)Bits(nan("")));
  double n = zero / zero;
  printf("nan<1=%d nan>1=%d nan==nan=%d nan!=nan=%d isunordered=%d\n", n < 1, n > 1, n == n,
         n != n, isunordered(n, 1.0));
  // Conversions.
  volatile double huge = 1e10, neg = -1e10;
  printf("(int)1e10=%d (int)-1e10=%d (unsigned)3e9=%u (long long)1e18=%lld (float)1e39=%g\n",
         (int)huge, (int)neg, (unsigned)(huge * 0.3), (long long)(huge * 1e8), (float)(huge * 1e29));
  printf("(double)INT_MIN=%.1f (double)2^63=%.1f (float)16777217=%.1f\n", (double)(-2147483647 - 1),
         (double)(1ULL << 63), (float)16777217);
  // libm.
  printf("exp=%.17g log=%.17g sin=%.17g cos=%.17g atan2=%.17g\n", exp(1.5), log(10.0), sin(1.0),
         cos(1.0), atan2(1.0, -2.0));
  printf("pow=%.17g fmod=%.17g floor=%g ceil=%g round=%g trunc=%g hypot=%.17g\n", pow(2.0, 0.5),
         fmod(10.0, 3.3), floor(-2.5), ceil(-2.5), round(-2.5), trunc(-2.5), hypot(3.0, 4.0));
  printf("expf=%.9g logf=%.9g sqrtf=%.9g fmaf=%.9g frexp=%g ldexp=%g\n", expf(1.5f), logf(10.0f),
         sqrtf(2.0f), fmaf(1.1f, 2.2f, 3.3f), frexp(48.0, &(int){0}), ldexp(0.75, 6));
  double sum = 0;
  for (int i = 1; i <= 1000; ++i) sum += 1.0 / ((double)i * i);
  printf("basel=%.17g max=%g min=%g eps=%g\n", sum, DBL_MAX, DBL_MIN, DBL_EPSILON);
  return 0;
}
