/* QEMU's tests/tcg/multiarch/signals.c without its ten background threads: a POSIX
   timer (timer_create, SIGEV_SIGNAL with SIGRTMIN) fires every millisecond and the main
   thread counts 2,000 SA_SIGINFO deliveries between usleep calls. The whole program runs
   too, as signals; this one keeps the timer part checked until mipsrun has threads. */
#define main qemu_signals_main
#include "signals.c"
#undef main

int main(void) {
  max_threads = 0;
  test_signals();
  return 0;
}
