// ll from a misaligned address is not fixed up: SIGBUS.
#include <stdio.h>
static int words[2];
int main(void) {
  int v;
  printf("before\n");
  fflush(stdout);
  __asm__ volatile("ll %0, 1(%1)" : "=r"(v) : "r"(words));
  return v;
}
