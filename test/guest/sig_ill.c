// A privileged instruction (eret) in user mode: SIGILL.
#include <stdio.h>
int main(void) {
  printf("before\n");
  fflush(stdout);
  __asm__ volatile(".word 0x42000018");
  return 0;
}
