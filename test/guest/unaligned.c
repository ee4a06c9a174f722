// Unaligned lw/lh/sw/sh are fixed up by the MIPS kernel (not trapped); lwl/lwr/swl/swr
// compose unaligned words. Every result is compared with memcpy's.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static unsigned char buf[32] __attribute__((aligned(8)));

int main(void) {
  int bad = 0;
  for (int off = 0; off < 8; ++off) {
    for (int i = 0; i < 32; ++i) buf[i] = (unsigned char)(0x11 * i + 5);
    unsigned char* p = buf + off;
    uint32_t w, want_w;
    int32_t h;
    uint32_t hu;
    int16_t want_h;
    __asm__ volatile("lw %0, 0(%1)" : "=r"(w) : "r"(p) : "memory");
    memcpy(&want_w, p, 4);
    __asm__ volatile("lh %0, 0(%1)" : "=r"(h) : "r"(p) : "memory");
    __asm__ volatile("lhu %0, 0(%1)" : "=r"(hu) : "r"(p) : "memory");
    memcpy(&want_h, p, 2);
    bad += w != want_w;
    bad += h != want_h;
    bad += hu != (uint16_t)want_h;
    uint32_t l = 0x5555aaaa, r2 = 0;
    __asm__ volatile("lwl %0, 0(%2)\n\tlwr %0, 3(%2)" : "=&r"(r2), "+r"(l) : "r"(p) : "memory");
    if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
      __asm__ volatile("lwr %0, 0(%1)\n\tlwl %0, 3(%1)" : "=&r"(r2) : "r"(p) : "memory");
    }
    bad += r2 != want_w;
    __asm__ volatile("sw %0, 0(%1)" : : "r"(0xa1b2c3d4u), "r"(p + 8) : "memory");
    memcpy(&w, p + 8, 4);
    bad += w != 0xa1b2c3d4u;
    __asm__ volatile("sh %0, 0(%1)" : : "r"(0xbeefu), "r"(p + 13) : "memory");
    uint16_t hw;
    memcpy(&hw, p + 13, 2);
    bad += hw != 0xbeef;
    if (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) {
      __asm__ volatile("swl %0, 0(%1)\n\tswr %0, 3(%1)" : : "r"(0x01020304u), "r"(p + 16) : "memory");
    } else {
      __asm__ volatile("swr %0, 0(%1)\n\tswl %0, 3(%1)" : : "r"(0x01020304u), "r"(p + 16) : "memory");
    }
    memcpy(&w, p + 16, 4);
    bad += w != 0x01020304u;
    // Bytes around a partial store stay as they were.
    bad += p[15] != (unsigned char)(0x11 * (off + 15) + 5);
    bad += p[20] != (unsigned char)(0x11 * (off + 20) + 5);
    printf("offset %d: %s\n", off, bad ? "BAD" : "ok");
  }
  // Single lwl/lwr halves, byte by byte, against the architecture's definition.
  for (int i = 0; i < 8; ++i) buf[i] = (unsigned char)(0xa0 + i);
  for (int off = 0; off < 4; ++off) {
    uint32_t l = 0x11223344u, r = 0x11223344u;
    __asm__ volatile("lwl %0, 0(%1)" : "+r"(l) : "r"(buf + off) : "memory");
    __asm__ volatile("lwr %0, 0(%1)" : "+r"(r) : "r"(buf + off) : "memory");
    printf("lwl/lwr at %d: %08x %08x\n", off, l, r);
  }
  return bad != 0;
}
