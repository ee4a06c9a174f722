// Generated code: write a function into executable memory, flush, run it; rewrite it,
// flush again, and the new code runs (cacheflush invalidates decoded blocks).
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/cachectl.h>
#include <sys/mman.h>

typedef int (*fn_t)(int);

static void emit(uint32_t* code, int16_t addend) {
  code[0] = 0x03e00008u;                          // jr ra
  code[1] = 0x24820000u | (uint16_t)addend;       // addiu v0, a0, addend (delay slot)
}

int main(void) {
  uint32_t* code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) return 1;
  fn_t f = (fn_t)(uintptr_t)code;
  emit(code, 5);
  cacheflush(code, 8, BCACHE);
  printf("first: %d\n", f(10));
  printf("again: %d\n", f(20));
  emit(code, -7);
  cacheflush(code, 8, BCACHE);
  printf("rewritten: %d\n", f(10));
  // The same through synci, the user-mode way to sync the instruction cache.
  emit(code, 1000);
  __asm__ volatile(".set push\n\t.set mips32r2\n\tsynci 0(%0)\n\tsync\n\t.set pop" : : "r"(code) : "memory");
  printf("synci: %d\n", f(1));
  munmap(code, 4096);
  return 0;
}
