// Loops over arrays: a sieve, prefix sums and an integer matrix multiply.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
enum { kN = 96 };
static int a[kN][kN], b[kN][kN], c[kN][kN];
int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 10;
  unsigned check = 0;
  static unsigned char composite[1 << 20];
  for (int r = 0; r < rounds; ++r) {
    memset(composite, 0, sizeof composite);
    int primes = 0;
    for (int i = 2; i < (1 << 20); ++i) {
      if (composite[i]) continue;
      primes++;
      for (int j = 2 * i; j < (1 << 20); j += i) composite[j] = 1;
    }
    for (int i = 0; i < kN; ++i)
      for (int j = 0; j < kN; ++j) a[i][j] = (i * 31 + j + r) & 255, b[i][j] = (j * 17 + i) & 255;
    for (int i = 0; i < kN; ++i)
      for (int j = 0; j < kN; ++j) {
        int s = 0;
        for (int k = 0; k < kN; ++k) s += a[i][k] * b[k][j];
        c[i][j] = s;
      }
    for (int i = 1; i < kN * kN; ++i) (&c[0][0])[i] += (&c[0][0])[i - 1];
    check = check * 31 + (unsigned)primes + (unsigned)c[kN - 1][kN - 1];
  }
  printf("check %u\n", check);
  return 0;
}
