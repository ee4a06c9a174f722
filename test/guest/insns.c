// MIPS32r2 instructions that C code rarely makes the compiler emit, checked through
// inline assembly against values computed the plain way.
#include <stdint.h>
#include <stdio.h>

#define CHECK(name, got, want)                                                     \
  printf("%-10s %s got=%08x want=%08x\n", name, (got) == (want) ? "ok " : "BAD",   \
         (unsigned)(got), (unsigned)(want))

static volatile uint32_t V1 = 0x12345678u, V2 = 0xf0f0a5a5u, V3 = 0x000000ffu;

int main(void) {
  uint32_t a = V1, b = V2, r;
  __asm__("ext %0, %1, 4, 12" : "=r"(r) : "r"(a));
  CHECK("ext", r, (a >> 4) & 0xfff);
  r = b;
  __asm__("ins %0, %1, 8, 16" : "+r"(r) : "r"(a));
  CHECK("ins", r, (b & ~0x00ffff00u) | ((a & 0xffffu) << 8));
  __asm__("wsbh %0, %1" : "=r"(r) : "r"(a));
  CHECK("wsbh", r, 0x34127856u);
  __asm__("seb %0, %1" : "=r"(r) : "r"(V3));
  CHECK("seb", r, 0xffffffffu);
  __asm__("seh %0, %1" : "=r"(r) : "r"(b));
  CHECK("seh", r, 0xffffa5a5u);
  __asm__("clz %0, %1" : "=r"(r) : "r"(V3));
  CHECK("clz", r, 24);
  __asm__("clo %0, %1" : "=r"(r) : "r"(b));
  CHECK("clo", r, 4);
  __asm__("rotr %0, %1, 8" : "=r"(r) : "r"(a));
  CHECK("rotr", r, 0x78123456u);
  __asm__("rotrv %0, %1, %2" : "=r"(r) : "r"(a), "r"(36));
  CHECK("rotrv", r, 0x81234567u);
  r = 1;
  __asm__("movn %0, %1, %2" : "+r"(r) : "r"(a), "r"(0));
  CHECK("movn no", r, 1);
  __asm__("movz %0, %1, %2" : "+r"(r) : "r"(a), "r"(0));
  CHECK("movz yes", r, a);

  uint32_t hi, lo;
  __asm__("mthi %2\n\tmtlo %3\n\tmadd %4, %5\n\tmfhi %0\n\tmflo %1"
          : "=r"(hi), "=r"(lo) : "r"(1), "r"(0xffffffffu), "r"(-3), "r"(5) : "hi", "lo");
  uint64_t want = ((uint64_t)1 << 32 | 0xffffffffu) + (uint64_t)(int64_t)(-15);
  CHECK("madd hi", hi, (uint32_t)(want >> 32));
  CHECK("madd lo", lo, (uint32_t)want);
  __asm__("mthi $0\n\tmtlo $0\n\tmaddu %2, %3\n\tmsubu %4, %4\n\tmfhi %0\n\tmflo %1"
          : "=r"(hi), "=r"(lo) : "r"(0xffffffffu), "r"(0xffffffffu), "r"(2) : "hi", "lo");
  want = 0xffffffffull * 0xffffffffull - 4;
  CHECK("maddu hi", hi, (uint32_t)(want >> 32));
  CHECK("maddu lo", lo, (uint32_t)want);
  __asm__("mthi $0\n\tmtlo $0\n\tmsub %2, %3\n\tmfhi %0\n\tmflo %1"
          : "=r"(hi), "=r"(lo) : "r"(7), "r"(9) : "hi", "lo");
  CHECK("msub hi", hi, 0xffffffffu);
  CHECK("msub lo", lo, (uint32_t)-63);
  __asm__("mul %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  CHECK("mul", r, a * b);

  // Branch-likely: the delay slot runs only when the branch is taken.
  uint32_t taken = 0, not_taken = 0;
  __asm__(".set push\n\t.set noreorder\n\t"
          "beql %1, %1, 1f\n\t"
          "addiu %0, %0, 1\n\t"
          "addiu %0, %0, 100\n"
          "1:\n\t.set pop" : "+r"(taken) : "r"(a));
  __asm__(".set push\n\t.set noreorder\n\t"
          "bnel %1, %1, 1f\n\t"
          "addiu %0, %0, 1\n\t"
          "addiu %0, %0, 100\n"
          "1:\n\t.set pop" : "+r"(not_taken) : "r"(a));
  CHECK("beql", taken, 1);
  CHECK("bnel", not_taken, 100);
  // A normal branch always runs its delay slot.
  uint32_t slot = 0;
  __asm__(".set push\n\t.set noreorder\n\t"
          "bne %1, %1, 1f\n\t"
          "addiu %0, %0, 1\n\t"
          "addiu %0, %0, 10\n"
          "1:\n\t.set pop" : "+r"(slot) : "r"(a));
  CHECK("bne slot", slot, 11);
  // bltzal links even when not taken.
  uint32_t link, here;
  __asm__(".set push\n\t.set noreorder\n\t"
          "move $t0, $ra\n\t"
          "bltzal %2, 1f\n\t"
          "nop\n"
          "1:\n\t"
          "move %0, $ra\n\t"
          "move $ra, $t0\n\t"
          "la %1, 1b\n\t.set pop" : "=r"(link), "=r"(here) : "r"(5) : "t0", "ra");
  CHECK("bltzal", link, here);

  void* tp;
  __asm__(".set push\n\t.set mips32r2\n\trdhwr %0, $29\n\t.set pop" : "=r"(tp));
  CHECK("rdhwr29", (uint32_t)(uintptr_t)tp, (uint32_t)(uintptr_t)__builtin_thread_pointer());
  __asm__(".set push\n\t.set mips32r2\n\trdhwr %0, $3\n\t.set pop" : "=r"(r));
  printf("rdhwr3 ccres nonzero=%d\n", r != 0);

  // ll/sc increments a counter; a second sc without ll fails.
  static volatile uint32_t counter = 41;
  uint32_t ok, fail;
  __asm__ volatile("1: ll %0, %2\n\t"
                   "addiu %0, %0, 1\n\t"
                   "sc %0, %2\n\t"
                   "beqz %0, 1b\n\t"
                   "nop\n\t"
                   "li %1, 9\n\t"
                   "sc %1, %2"
                   : "=&r"(ok), "=&r"(fail), "+m"(counter));
  CHECK("ll/sc", counter, 42);
  CHECK("sc fails", fail, 0);
  // Traps that do not fire.
  __asm__ volatile("teq %0, $0, 7\n\ttne %0, %0\n\ttgei %0, 0x7fff\n\ttlti %0, 0" : : "r"(a));
  __asm__ volatile("sync\n\tsynci 0(%0)\n\tpref 0, 0(%0)\n\tssnop\n\tehb" : : "r"(&counter));
  int32_t s;
  __asm__("addi %0, %1, 100" : "=r"(s) : "r"(0x7fffff00));
  CHECK("addi", (uint32_t)s, 0x7fffff64u);
  __asm__("sub %0, %1, %2" : "=r"(s) : "r"(-5), "r"(0x7ffffffa));
  CHECK("sub", (uint32_t)s, 0x80000001u);
  return 0;
}
