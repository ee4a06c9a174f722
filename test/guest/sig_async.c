// Signals that come from outside the instruction stream: raise/kill, timers, a closed
// pipe; masks, pending sets, sigsuspend, sigtimedwait; SA_RESTART, SA_RESETHAND,
// SA_NODEFER; traditional (non-SA_SIGINFO) handlers; the alternate stack.
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits, depth, max_depth;
static volatile int last_sig, last_code, last_pid;
static int pipe_fds[2];

static void count(int sig) {
  hits++;
  last_sig = sig;
}

static void with_info(int sig, siginfo_t* si, void* ctx) {
  hits++;
  last_sig = sig;
  last_code = si->si_code;
  last_pid = si->si_pid;
}

static volatile sig_atomic_t entries;
static void nested(int sig) {
  depth++;
  if (depth > max_depth) max_depth = depth;
  if (++entries < 3) raise(sig);
  depth--;
}

static void feed_pipe(int sig) {
  hits++;
  (void)write(pipe_fds[1], "x", 1);
}

static void set(int sig, void (*fn)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, 0);
}

// Timers that must fire while a call sleeps are armed for kSlack ms: long enough for
// --jit=eager (under sanitizers) to compile the code on the way to the call.
enum { kSlack = 300 };
static void arm_timer_ms(int ms) {
  struct itimerval it = {{0, 0}, {0, ms * 1000}};
  setitimer(ITIMER_REAL, &it, 0);
}

static char alt[64 * 1024];
static sigjmp_buf overflow_jb;
static volatile uintptr_t handler_local;
static void on_overflow(int sig) {
  int local;
  handler_local = (uintptr_t)&local;
  siglongjmp(overflow_jb, 1);
}
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(volatile char* p) {
  volatile char buf[1024];
  buf[0] = *p;
  return recurse(buf) + buf[1];
}

int main(void) {
  // raise() with a traditional handler: the sigframe path and sigreturn.
  set(SIGUSR1, count, 0);
  raise(SIGUSR1);
  printf("raise: hits=%d sig=%s\n", hits, last_sig == SIGUSR1 ? "SIGUSR1" : "?");

  // SA_SIGINFO through kill(): SI_USER and our pid.
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = with_info;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &sa, 0);
  kill(getpid(), SIGUSR2);
  printf("kill: code=%s pid_ok=%d\n", last_code == SI_USER ? "SI_USER" : "?", last_pid == getpid());

  // Blocked: pending until unblocked, delivered once for two sends.
  sigset_t s, old;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigprocmask(SIG_BLOCK, &s, &old);
  hits = 0;
  raise(SIGUSR1);
  raise(SIGUSR1);
  sigset_t pend;
  sigpending(&pend);
  printf("blocked: hits=%d pending=%d\n", hits, sigismember(&pend, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, 0);
  printf("unblocked: hits=%d\n", hits);

  // Real-time signals queue: three sends, three deliveries.
  set(SIGRTMIN + 1, count, 0);
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &s, 0);
  hits = 0;
  for (int i = 0; i < 3; i++) raise(SIGRTMIN + 1);
  sigprocmask(SIG_UNBLOCK, &s, 0);
  printf("rt queue: hits=%d\n", hits);

  // SA_NODEFER lets a handler be interrupted by its own signal; the default defers it.
  set(SIGUSR1, nested, SA_NODEFER);
  max_depth = entries = 0;
  raise(SIGUSR1);
  printf("nodefer: depth=%d entries=%d\n", max_depth, entries);
  set(SIGUSR1, nested, 0);
  max_depth = entries = 0;
  raise(SIGUSR1);
  printf("deferred: depth=%d entries=%d\n", max_depth, entries);

  // SA_RESETHAND: one delivery, then SIG_DFL again.
  set(SIGUSR2, count, SA_RESETHAND);
  raise(SIGUSR2);
  sigaction(SIGUSR2, 0, &sa);
  printf("resethand: handler_is_default=%d\n", sa.sa_handler == SIG_DFL);

  // A timer interrupts a hot loop (translated after a few thousand runs: the first
  // round warms it up).
  set(SIGALRM, count, 0);
  volatile unsigned long spins = 0;
  for (int round = 0; round < 2; round++) {
    hits = round == 0;
    if (round == 1) arm_timer_ms(20);
    while (!hits || spins < 100000) spins++;
  }
  printf("timer in a loop: hits=%d\n", hits);

  // sigsuspend waits with another mask and returns EINTR after the handler.
  sigemptyset(&s);
  sigaddset(&s, SIGALRM);
  sigprocmask(SIG_BLOCK, &s, &old);
  hits = 0;
  arm_timer_ms(10);
  sigset_t none;
  sigemptyset(&none);
  int r = sigsuspend(&none);
  sigset_t now;
  sigprocmask(SIG_SETMASK, 0, &now);
  printf("sigsuspend: r=%d errno=%s hits=%d mask_back=%d\n", r, errno == EINTR ? "EINTR" : "?",
         hits, sigismember(&now, SIGALRM));
  sigprocmask(SIG_SETMASK, &old, 0);

  // pause() ends with the handler.
  hits = 0;
  arm_timer_ms(kSlack);
  r = pause();
  printf("pause: r=%d errno=%s hits=%d\n", r, errno == EINTR ? "EINTR" : "?", hits);

  // sigtimedwait takes a blocked signal without a handler running (glibc reports
  // raise()'s SI_TKILL as SI_USER).
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigprocmask(SIG_BLOCK, &s, 0);
  hits = 0;
  raise(SIGUSR1);
  siginfo_t si;
  int got = sigtimedwait(&s, &si, 0);
  printf("sigtimedwait: got=%s code=%s hits=%d\n", got == SIGUSR1 ? "SIGUSR1" : "?",
         si.si_code == SI_TKILL ? "SI_TKILL" : si.si_code == SI_USER ? "SI_USER" : "?", hits);
  struct timespec ts = {0, 10 * 1000 * 1000};
  got = sigtimedwait(&s, &si, &ts);
  printf("sigtimedwait timeout: r=%d errno=%s\n", got, errno == EAGAIN ? "EAGAIN" : "?");
  sigprocmask(SIG_UNBLOCK, &s, 0);

  // A read that a handler interrupts: restarted with SA_RESTART (the handler writes
  // what it then reads), EINTR without.
  pipe(pipe_fds);
  set(SIGALRM, feed_pipe, SA_RESTART);
  arm_timer_ms(10);
  char c = 0;
  ssize_t n = read(pipe_fds[0], &c, 1);
  printf("read SA_RESTART: n=%d c=%c\n", (int)n, c);
  set(SIGALRM, count, 0);
  arm_timer_ms(kSlack);
  n = read(pipe_fds[0], &c, 1);
  printf("read no SA_RESTART: n=%d errno=%s\n", (int)n, errno == EINTR ? "EINTR" : "?");

  // nanosleep ends early with EINTR and the time left.
  arm_timer_ms(kSlack);
  struct timespec req = {5, 0}, rem = {0, 0};
  r = nanosleep(&req, &rem);
  printf("nanosleep: r=%d errno=%s rem_ok=%d\n", r, errno == EINTR ? "EINTR" : "?",
         rem.tv_sec >= 3 && rem.tv_sec <= 5);

  // SIGPIPE: ignored gives EPIPE; with a handler, the handler runs and EPIPE too.
  close(pipe_fds[0]);
  signal(SIGPIPE, SIG_IGN);
  n = write(pipe_fds[1], "x", 1);
  printf("sigpipe ignored: n=%d errno=%s\n", (int)n, errno == EPIPE ? "EPIPE" : "?");
  set(SIGPIPE, count, 0);
  hits = 0;
  n = write(pipe_fds[1], "x", 1);
  printf("sigpipe handled: n=%d errno=%s hits=%d\n", (int)n, errno == EPIPE ? "EPIPE" : "?", hits);

  // Stack overflow caught on the alternate stack.
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
  sigaltstack(&ss, 0);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_overflow;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGSEGV, &sa, 0);
  if (sigsetjmp(overflow_jb, 1) == 0) {
    char seed = 1;
    recurse(&seed);
  }
  printf("overflow: on_alt_stack=%d\n",
         handler_local >= (uintptr_t)alt && handler_local < (uintptr_t)alt + sizeof alt);
  stack_t cur;
  sigaltstack(0, &cur);
  printf("altstack: size_ok=%d flags=%d\n", cur.ss_size == sizeof alt, cur.ss_flags);
  return 0;
}
