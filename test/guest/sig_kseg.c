// A user-mode load from kernel space (kseg0) is an address error: SIGBUS.
#include <stdio.h>
int main(void) {
  printf("before\n");
  fflush(stdout);
  return *(volatile int*)0x80001000;
}
