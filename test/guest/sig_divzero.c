// Integer division by zero: GCC guards div with `teq rt, zero, 7`, and the kernel
// turns trap code 7 into SIGFPE (not SIGTRAP, as qemu-user does).
#include <stdio.h>
static volatile int zero = 0;
int main(void) {
  printf("before\n");
  fflush(stdout);
  return 10 / zero;
}
