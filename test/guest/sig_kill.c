// Signals a process sends itself: ignored ones and ones whose default is to ignore go
// by; kill() to another process works; SIGUSR1 (16 on MIPS, 10 on x86-64) kills.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
  signal(SIGUSR2, SIG_IGN);
  printf("raise(SIGUSR2) ignored: %d\n", raise(SIGUSR2));
  printf("raise(SIGCHLD) default-ignored: %d\n", raise(SIGCHLD));
  printf("kill(parent, 0): %d\n", kill(getppid(), 0));
  printf("SIGUSR1 is %d on MIPS\n", SIGUSR1);
  fflush(stdout);
  kill(getpid(), SIGUSR1);
  printf("not reached\n");
  return 0;
}
