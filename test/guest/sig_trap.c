// __builtin_trap() is `teq zero, zero` (code 0): SIGTRAP.
#include <stdio.h>
int main(void) {
  printf("before\n");
  fflush(stdout);
  __builtin_trap();
}
