// Hashing a buffer: FNV-1a bytewise, and a word-at-a-time mixing hash.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 40;
  enum { kSize = 1 << 20 };
  uint8_t* buf = malloc(kSize);
  for (int i = 0; i < kSize; ++i) buf[i] = (uint8_t)(i * 2654435761u >> 13);
  uint32_t fnv = 2166136261u;
  uint64_t mix = 0;
  for (int r = 0; r < rounds; ++r) {
    for (int i = 0; i < kSize; ++i) fnv = (fnv ^ buf[i]) * 16777619u;
    for (int i = 0; i < kSize / 4; ++i) {
      uint32_t k;
      memcpy(&k, buf + 4 * i, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      k = __builtin_bswap32(k);  // the same little-endian words on every machine
#endif
      k *= 0xcc9e2d51u;
      k = (k << 15) | (k >> 17);
      mix = (mix ^ (k * 0x1b873593u)) * 0x9e3779b97f4a7c15ull;
    }
    buf[r] ^= (uint8_t)fnv;
  }
  printf("fnv %08x mix %016llx\n", fnv, (unsigned long long)mix);
  return 0;
}
