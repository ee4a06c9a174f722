// A jump to address 1 (odd, so no instruction can be there): the fetch is an address
// error, SIGBUS, as the kernel sends it. Jumped to from a hot loop, so that translated
// code makes the jump in the modes that translate. mipsrun once crashed here itself: 1
// is where its "no block" marker claims to start.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int (*Fn)(int);
static int twice(int x) { return 2 * x; }

int main(int argc, char** argv) {
  (void)argv;
  volatile uintptr_t targets[2] = {(uintptr_t)&twice, (uintptr_t)argc};  // argc is 1
  int sum = 0;
  for (int i = 0; i < 5000; ++i) sum += ((Fn)targets[0])(i);
  printf("sum %d\n", sum);
  fflush(stdout);
  for (int i = 0; i < 5000; ++i) sum += ((Fn)targets[i == 4999])(i);
  printf("not reached %d\n", sum);
  return 0;
}
