// 64-bit arithmetic on a 32-bit machine: libgcc helpers, carries, mult/multu/madd.
#include <stdint.h>
#include <stdio.h>

static volatile int64_t v[] = {0, 1, -1, 0x7fffffffffffffffLL, (-0x7fffffffffffffffLL - 1),
                               0x123456789abcdefLL, -0xfedcba987654321LL, 1000000007LL,
                               0x100000000LL, 0xffffffffLL};

int main(void) {
  int n = sizeof v / sizeof v[0];
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      int64_t a = v[i], b = v[j];
      uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
      printf("%lld %lld add=%lld sub=%lld mul=%llx", (long long)a, (long long)b,
             (long long)(ua + ub), (long long)(ua - ub), (unsigned long long)(ua * ub));
      if (b != 0 && !(a == INT64_MIN && b == -1)) {
        printf(" div=%lld mod=%lld", (long long)(a / b), (long long)(a % b));
      }
      if (b != 0) printf(" udiv=%llu", (unsigned long long)(ua / ub));
      printf(" shl=%llx sar=%llx lt=%d\n", (unsigned long long)(ua << (j * 7 % 64)),
             (unsigned long long)(a >> (i * 5 % 64)), a < b);
    }
  }
  // 32x32->64 products (mult/multu) and accumulation (madd/maddu from -O2).
  int64_t acc = 0;
  uint64_t uacc = 0;
  for (int32_t i = -50000; i < 50000; i += 777) {
    acc += (int64_t)i * (int64_t)(i ^ 0x5a5a5a5);
    uacc += (uint64_t)(uint32_t)i * (uint64_t)(uint32_t)(i * 3);
  }
  printf("acc=%lld uacc=%llu\n", (long long)acc, (unsigned long long)uacc);
  return 0;
}
