// A load into $zero still accesses memory: from an unmapped page it is SIGSEGV.
#include <stdio.h>
int main(void) {
  printf("before\n");
  fflush(stdout);
  __asm__ volatile("lw $zero, 0(%0)" : : "r"(16));
  printf("not reached\n");
  return 0;
}
