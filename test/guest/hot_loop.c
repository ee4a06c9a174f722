// A long hot loop with a call in it, for the tier tests: run long enough, the default
// (tiered) mode must have published translated code and spent time in it
// (test/tiers_test.sh). ARGV[1] is the number of iterations.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static uint32_t mix(uint32_t h, uint32_t i) {
  return (h ^ i) * 16777619u + (i >> 3);
}

int main(int argc, char** argv) {
  uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1000;
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; ++i) h = mix(h, i);
  printf("hot_loop %u: %08x\n", n, h);
  return 0;
}
