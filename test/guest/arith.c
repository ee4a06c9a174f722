// Integer arithmetic edge cases: wrapping, shifts, division signs, comparisons.
#include <limits.h>
#include <stdio.h>

static volatile int vi[] = {0, 1, -1, 7, -7, INT_MAX, INT_MIN, 12345, -98765};
static volatile unsigned vu[] = {0u, 1u, 0xffffffffu, 0x80000000u, 3u, 0xdeadbeefu};

int main(void) {
  int n = sizeof vi / sizeof vi[0];
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      int a = vi[i], b = vi[j];
      unsigned ua = (unsigned)a, ub = (unsigned)b;
      printf("%d %d: add=%d sub=%d mul=%d", a, b, (int)(ua + ub), (int)(ua - ub), (int)(ua * ub));
      if (b != 0 && !(a == INT_MIN && b == -1)) printf(" div=%d mod=%d", a / b, a % b);
      if (b != 0) printf(" udiv=%u umod=%u", ua / ub, ua % ub);
      printf(" lt=%d ult=%d\n", a < b, ua < ub);
    }
  }
  for (int i = 0; i < 6; ++i) {
    unsigned u = vu[i];
    for (int s = 0; s < 32; s += 7) {
      printf("%08x s%d: shl=%08x shr=%08x sar=%08x rot=%08x\n", u, s, u << s, u >> s,
             (unsigned)((int)u >> s), (u >> s) | (u << ((32 - s) & 31)));
    }
    printf("clz=%d ctz=%d pop=%d bswap=%08x\n", u ? __builtin_clz(u) : 32,
           u ? __builtin_ctz(u) : 32, __builtin_popcount(u), __builtin_bswap32(u));
    printf("sext8=%d sext16=%d zext8=%u zext16=%u\n", (signed char)u, (short)u,
           (unsigned char)u, (unsigned short)u);
  }
  return 0;
}
