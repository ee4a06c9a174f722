// A trapping add that overflows: SIGFPE (FPE_INTOVF), and the destination is unchanged.
#include <stdio.h>
int main(void) {
  int r = 0;
  printf("before\n");
  fflush(stdout);
  __asm__ volatile("add %0, %1, %2" : "=r"(r) : "r"(0x7fffffff), "r"(1));
  printf("not reached %d\n", r);
  return 0;
}
