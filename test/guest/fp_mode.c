// prctl(PR_GET/SET_FP_MODE): FPXX code (Debian's default) runs in either FPU register
// mode; the mode reads back, and doubles in registers survive the switch.
#include <stdio.h>
#include <sys/prctl.h>

#ifndef PR_SET_FP_MODE
#define PR_SET_FP_MODE 45
#define PR_GET_FP_MODE 46
#endif

// Not inlined or cloned: the same code runs in each mode, translated once it is hot.
__attribute__((noipa)) static double work(double x) {
  double s = 0;
  for (int i = 1; i < 100; ++i) s += x / i;
  return s;
}

int main(void) {
  printf("initial mode %d\n", prctl(PR_GET_FP_MODE, 0, 0, 0, 0));
  register double kept __asm__("$f20") = 1.25;  // callee-saved, lives across the calls
  double before = work(3.0);
  printf("set FR=1: %d, mode %d\n", prctl(PR_SET_FP_MODE, 1, 0, 0, 0),
         prctl(PR_GET_FP_MODE, 0, 0, 0, 0));
  __asm__ volatile("" : "+f"(kept));
  printf("same result: %d kept=%g\n", work(3.0) == before, kept);
  printf("set FRE: %d\n", prctl(PR_SET_FP_MODE, 3, 0, 0, 0));
  printf("set FR=0: %d, mode %d\n", prctl(PR_SET_FP_MODE, 0, 0, 0, 0),
         prctl(PR_GET_FP_MODE, 0, 0, 0, 0));
  __asm__ volatile("" : "+f"(kept));
  printf("same result: %d kept=%g\n", work(3.0) == before, kept);
  return 0;
}
