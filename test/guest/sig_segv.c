// A store to an unmapped page: SIGSEGV.
#include <stdio.h>
int main(void) {
  printf("before\n");
  fflush(stdout);
  volatile int* volatile p = (int*)16;
  *p = 1;
  return 0;
}
