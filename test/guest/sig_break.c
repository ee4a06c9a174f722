// break with a code other than 6 or 7: SIGTRAP.
#include <stdio.h>
int main(void) {
  printf("before\n");
  fflush(stdout);
  __asm__ volatile("break 3");
  return 0;
}
