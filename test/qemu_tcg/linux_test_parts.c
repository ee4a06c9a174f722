/* The parts of QEMU's tests/tcg/multiarch/linux/linux-test.c that need no fork, clone,
   sockets or System V shared memory: files, pipes, time and signals (an interval timer
   with a SIGALRM handler, a SIGSEGV handler leaving by longjmp, sigaction on SIGKILL and
   SIGSTOP refused). The whole program runs too, as linux-test; this one keeps its signal
   part checked until mipsrun has processes and threads. */
#define main qemu_linux_test_main
#include "linux-test.c"
#undef main

int main(void) {
  test_file();
  test_pipe();
  test_time();
  test_signal();
  return 0;
}
