// The older signal calls: alarm (its remaining seconds, its SIGALRM), setitimer and
// getitimer (values, intervals, bad arguments), and o32's traditional sigaction, which
// reads and writes only the first word of the mask (arch/mips/kernel/signal.c).
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static void check(int ok, const char* what) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
  if (sig == SIGALRM) alarms++;
}

static void test_alarm(void) {
  // The calls come back to back and are checked afterwards: the first printf can take
  // a second or more where every block is compiled before it runs (--jit=eager on a
  // loaded machine), and the remaining seconds are rounded to the nearest, as the kernel
  // does (9 and 19 only on a stalled machine).
  unsigned before = alarm(10);
  unsigned left = alarm(20);
  struct itimerval v, after;
  int got = getitimer(ITIMER_REAL, &v);
  unsigned left_at_cancel = alarm(0);
  int got_after = getitimer(ITIMER_REAL, &after);
  check(before == 0, "alarm: none before");
  check(left == 10 || left == 9, "alarm: the seconds left of the previous one");
  check(got == 0 && v.it_value.tv_sec <= 20 && (v.it_value.tv_sec > 0 || v.it_value.tv_usec > 0) &&
            v.it_interval.tv_sec == 0 && v.it_interval.tv_usec == 0,
        "alarm: getitimer sees it, without an interval");
  check(left_at_cancel == 20 || left_at_cancel == 19, "alarm(0): cancels, says what was left");
  check(got_after == 0 && after.it_value.tv_sec == 0 && after.it_value.tv_usec == 0,
        "alarm(0): getitimer sees none");

  // Blocked until sigsuspend, so that it cannot expire before the wait starts.
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  sigset_t only, old;
  sigemptyset(&only);
  sigaddset(&only, SIGALRM);
  sigprocmask(SIG_BLOCK, &only, &old);
  alarm(1);
  while (alarms == 0) sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, NULL);
  check(alarms == 1, "alarm(1): one SIGALRM to the handler");
}

static void test_itimer(void) {
  struct itimerval set = {{2, 500000}, {100, 0}}, old, v;
  check(setitimer(ITIMER_REAL, &set, &old) == 0 && old.it_value.tv_sec == 0 &&
            old.it_value.tv_usec == 0,
        "setitimer: none before");
  check(getitimer(ITIMER_REAL, &v) == 0 && v.it_interval.tv_sec == 2 &&
            v.it_interval.tv_usec == 500000 && v.it_value.tv_sec <= 100 &&
            v.it_value.tv_sec >= 90,
        "getitimer: the interval, the value counting down");
  struct itimerval off = {{0, 0}, {0, 0}};
  check(setitimer(ITIMER_REAL, &off, &old) == 0 && old.it_interval.tv_sec == 2 &&
            old.it_interval.tv_usec == 500000,
        "setitimer: disarms, returns the old one");

  // The CPU-time timers count the guest's time; a long one has not expired yet.
  struct itimerval prof = {{0, 0}, {50, 0}};
  check(setitimer(ITIMER_PROF, &prof, NULL) == 0 && getitimer(ITIMER_PROF, &v) == 0 &&
            v.it_value.tv_sec <= 50 && v.it_value.tv_sec >= 40,
        "ITIMER_PROF");
  check(setitimer(ITIMER_PROF, &off, NULL) == 0, "ITIMER_PROF disarmed");

  errno = 0;
  check(getitimer(7, &v) == -1 && errno == EINVAL, "getitimer: unknown timer: EINVAL");
  errno = 0;
  check(syscall(SYS_getitimer, ITIMER_REAL, (void*)16) == -1 && errno == EFAULT,
        "getitimer: bad address: EFAULT");
  struct itimerval bad = {{0, 0}, {0, 1000000}};
  errno = 0;
  check(setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL,
        "setitimer: 1000000 microseconds: EINVAL");
}

// struct sigaction of the MIPS kernel, which both calls use.
struct kernel_sigaction {
  unsigned int flags;
  void (*handler)(int);
  unsigned long mask[4];
};

static volatile sig_atomic_t usr1_runs, usr2_blocked_inside, usr1_blocked_inside;
static void on_usr1(int sig) {
  sigset_t now;
  sigprocmask(SIG_SETMASK, NULL, &now);
  usr1_runs += sig == SIGUSR1;
  usr1_blocked_inside = sigismember(&now, SIGUSR1);
  usr2_blocked_inside = sigismember(&now, SIGUSR2);
}

static void test_old_sigaction(void) {
  struct kernel_sigaction act, old;
  memset(&act, 0, sizeof act);
  act.handler = on_usr1;
  act.mask[0] = 1ul << (SIGUSR2 - 1);
  act.mask[1] = 0xffffffff;  // not read
  check(syscall(SYS_sigaction, SIGUSR1, &act, NULL) == 0, "sigaction: installs");
  struct sigaction now;
  sigaction(SIGUSR1, NULL, &now);
  check(now.sa_handler == on_usr1 && sigismember(&now.sa_mask, SIGUSR2) == 1 &&
            sigismember(&now.sa_mask, SIGRTMIN) == 0,
        "rt_sigaction reads it back, with the first mask word only");
  // No SA_SIGINFO: the traditional frame, returning through sigreturn.
  raise(SIGUSR1);
  check(usr1_runs == 1 && usr1_blocked_inside == 1 && usr2_blocked_inside == 1,
        "its handler runs with the signal and its mask blocked");
  sigset_t after;
  sigprocmask(SIG_SETMASK, NULL, &after);
  check(sigismember(&after, SIGUSR1) == 0 && sigismember(&after, SIGUSR2) == 0,
        "the mask is back after the handler");

  sigaddset(&now.sa_mask, SIGRTMIN + 5);
  now.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &now, NULL);
  memset(&old, 0xff, sizeof old);
  check(syscall(SYS_sigaction, SIGUSR1, NULL, &old) == 0 && old.handler == on_usr1 &&
            old.flags == SA_RESTART && old.mask[0] == 1ul << (SIGUSR2 - 1) &&
            old.mask[1] == 0 && old.mask[2] == 0 && old.mask[3] == 0,
        "sigaction: reads the first mask word, zeros the others");

  errno = 0;
  check(syscall(SYS_sigaction, SIGKILL, &act, NULL) == -1 && errno == EINVAL,
        "sigaction: SIGKILL: EINVAL");
  errno = 0;
  check(syscall(SYS_sigaction, 0, NULL, &old) == -1 && errno == EINVAL,
        "sigaction: signal 0: EINVAL");
  errno = 0;
  check(syscall(SYS_sigaction, SIGUSR1, (void*)16, NULL) == -1 && errno == EFAULT,
        "sigaction: unreadable action: EFAULT");
  errno = 0;
  check(syscall(SYS_sigaction, 200, (void*)16, NULL) == -1 && errno == EFAULT,
        "sigaction: an unreadable action is EFAULT before a bad signal");
}

int main(void) {
  test_alarm();
  test_itimer();
  test_old_sigaction();
  return 0;
}
