// Enabling an FPU exception and raising it: SIGFPE (FPE_FLTDIV), not a silent inf.
#define _GNU_SOURCE
#include <fenv.h>
#include <stdio.h>
int main(void) {
  volatile double zero = 0.0;
  feenableexcept(FE_DIVBYZERO);
  printf("before\n");
  fflush(stdout);
  volatile double r = 1.0 / zero;
  printf("not reached %g\n", r);
  return 0;
}
