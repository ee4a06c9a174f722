// Signals from another process. argv[1] says what to do:
//   handler: catch SIGINT, say "ready", wait in sigsuspend(), report the signal
//   sleep:   say "ready", sleep with every signal at its default
//   raise:   raise SIGUSR1 at its default (fatal unless the parent made it ignored)
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_int(int sig) { got = sig; }

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "raise";
  if (!strcmp(mode, "handler")) {
    // Blocked until sigsuspend, so that it cannot come between the test of `got` and
    // the wait (with pause() it could, and the wait would never end).
    sigset_t intr, old;
    sigemptyset(&intr);
    sigaddset(&intr, SIGINT);
    sigprocmask(SIG_BLOCK, &intr, &old);
    signal(SIGINT, on_int);
    printf("ready\n");
    fflush(stdout);
    while (!got) sigsuspend(&old);
    printf("got %s\n", got == SIGINT ? "SIGINT" : "?");
  } else if (!strcmp(mode, "sleep")) {
    printf("ready\n");
    fflush(stdout);
    sleep(30);
    printf("slept\n");
  } else {
    printf("raising\n");
    fflush(stdout);
    raise(SIGUSR1);
    printf("survived\n");
  }
  return 0;
}
