// signalfd and POSIX timers: blocked signals read from a descriptor (non-blocking and
// blocking reads, several records at once, poll and select on it, queued values,
// changing its mask), and timers that deliver SIGEV_SIGNAL with the caller's value, a
// SIGEV_NONE timer read by timer_gettime, overruns of a blocked timer signal.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void check(int ok, const char* what) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

static void test_signalfd(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGALRM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  check(fd >= 0, "signalfd");
  char path[64], link[64] = {0};
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  ssize_t len = readlink(path, link, sizeof link - 1);
  check(len > 0 && strcmp(link, "anon_inode:[signalfd]") == 0, "its /proc link names a signalfd");
  // fdinfo shows the mask as render_sigset_t() does: _NSIG (128) bits, highest first.
  char expected[160] = "sigmask:\t", line[256], found[256] = "";
  for (int top = 128; top >= 4; top -= 4) {
    int nibble = 0;
    for (int k = 0; k < 4; ++k) {
      int sig = top - 3 + k;
      if (sig < 128 && sigismember(&set, sig) == 1) nibble |= 1 << k;
    }
    strncat(expected, &"0123456789abcdef"[nibble], 1);
  }
  strcat(expected, "\n");
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
  FILE* info = fopen(path, "r");
  while (info && fgets(line, sizeof line, info)) {
    if (strncmp(line, "sigmask:", 8) == 0) strcpy(found, line);
  }
  if (info) fclose(info);
  check(strcmp(found, expected) == 0, "fdinfo shows its mask in MIPS numbering");
  struct signalfd_siginfo si[4];
  errno = 0;
  check(read(fd, si, sizeof si) == -1 && errno == EAGAIN, "nothing pending: EAGAIN");
  errno = 0;
  check(read(fd, si, 100) == -1 && errno == EINVAL, "short buffer: EINVAL");

  struct pollfd p = {fd, POLLIN, 0};
  check(poll(&p, 1, 0) == 0, "poll: not readable");
  raise(SIGUSR1);
  check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "poll: readable after raise");
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(fd, &rd);
  struct timeval tv = {0, 0};
  check(select(fd + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &rd), "select: readable");
  ssize_t n = read(fd, si, sizeof si);
  check(n == sizeof si[0], "one record");
  check(si[0].ssi_signo == SIGUSR1, "ssi_signo SIGUSR1");
  check(si[0].ssi_code == SI_TKILL, "ssi_code SI_TKILL");
  check(si[0].ssi_pid == (uint32_t)getpid(), "ssi_pid");
  check(poll(&p, 1, 0) == 0, "poll: drained");

  union sigval v;
  v.sival_int = 42;
  sigqueue(getpid(), SIGRTMIN, v);
  v.sival_int = 43;
  sigqueue(getpid(), SIGRTMIN, v);
  n = read(fd, si, sizeof si);
  check(n == 2 * sizeof si[0], "two queued records at once");
  check(si[0].ssi_signo == (uint32_t)SIGRTMIN && si[0].ssi_code == SI_QUEUE, "SIGRTMIN SI_QUEUE");
  check(si[0].ssi_int == 42 && si[1].ssi_int == 43, "values in order");
  check(si[0].ssi_uid == getuid(), "ssi_uid");

  // A signal outside the mask stays pending and is not read.
  sigset_t only_alarm;
  sigemptyset(&only_alarm);
  sigaddset(&only_alarm, SIGALRM);
  check(signalfd(fd, &only_alarm, 0) == fd, "mask changed in place");
  raise(SIGUSR1);
  errno = 0;
  check(read(fd, si, sizeof si) == -1 && errno == EAGAIN, "SIGUSR1 no longer read");
  sigset_t pend;
  sigpending(&pend);
  check(sigismember(&pend, SIGUSR1), "SIGUSR1 still pending");

  // A blocking read (the descriptor made blocking) that waits for an interval timer.
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  struct itimerval it = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  n = read(fd, si, sizeof si);
  check(n == sizeof si[0] && si[0].ssi_signo == SIGALRM, "blocking read gets SIGALRM");
  check(si[0].ssi_code == SI_KERNEL, "SIGALRM from the kernel");

  int copy = dup(fd);
  raise(SIGALRM);
  check(read(copy, si, sizeof si) == sizeof si[0] && si[0].ssi_signo == SIGALRM, "a dup reads too");
  close(copy);
  check(close(fd) == 0, "close");
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  int sig = 0;
  check(sigwait(&usr1, &sig) == 0 && sig == SIGUSR1, "the pending SIGUSR1 taken by sigwait");
  sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static volatile sig_atomic_t timer_hits, timer_value, timer_code, timer_overrun;
static void on_timer(int sig, siginfo_t* info, void* uc) {
  (void)sig;
  (void)uc;
  timer_hits++;
  timer_value = info->si_value.sival_int;
  timer_code = info->si_code;
  timer_overrun = info->si_overrun;
}

static void test_timers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_timer;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGRTMIN + 1, &sa, NULL);

  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGRTMIN + 1;
  ev.sigev_value.sival_int = 77;
  timer_t t;
  check(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create SIGEV_SIGNAL");
  // Blocked until sigsuspend: were it to expire between the test and a pause(), the
  // wait would never end.
  sigset_t timer_sig, unblocked;
  sigemptyset(&timer_sig);
  sigaddset(&timer_sig, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &timer_sig, &unblocked);
  struct itimerspec its = {{0, 0}, {0, 5000000}};
  check(timer_settime(t, 0, &its, NULL) == 0, "timer_settime one shot");
  while (timer_hits == 0) sigsuspend(&unblocked);
  sigprocmask(SIG_SETMASK, &unblocked, NULL);
  check(timer_hits == 1 && timer_value == 77 && timer_code == SI_TIMER, "fired once with its value");
  struct itimerspec left;
  check(timer_gettime(t, &left) == 0 && left.it_value.tv_sec == 0 && left.it_value.tv_nsec == 0,
        "disarmed after one shot");

  // Blocked while it expires many times: one signal, the rest counted as overruns.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  struct itimerspec every = {{0, 1000000}, {0, 1000000}};
  timer_settime(t, 0, &every, NULL);
  struct timespec nap = {0, 60000000};
  while (nanosleep(&nap, &nap) != 0) {
  }
  struct itimerspec off = {{0, 0}, {0, 0}};
  timer_settime(t, 0, &off, NULL);
  timer_hits = 0;
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  check(timer_hits == 1, "one delivery for many expiries");
  check(timer_overrun > 5, "the others are overruns");
  check(timer_getoverrun(t) == timer_overrun, "timer_getoverrun says the same");
  check(timer_delete(t) == 0, "timer_delete");
  errno = 0;
  check(timer_settime(t, 0, &its, NULL) == -1 && errno == EINVAL, "deleted timer: EINVAL");

  // SIGEV_NONE: nothing is delivered; the time left goes down.
  ev.sigev_notify = SIGEV_NONE;
  check(timer_create(CLOCK_REALTIME, &ev, &t) == 0, "timer_create SIGEV_NONE");
  struct itimerspec ten = {{0, 0}, {10, 0}};
  timer_settime(t, 0, &ten, NULL);
  nap.tv_nsec = 10000000;
  nanosleep(&nap, NULL);
  timer_gettime(t, &left);
  check(left.it_value.tv_sec == 9 && left.it_value.tv_nsec > 0, "time left counts down");
  timer_delete(t);
}

int main(void) {
  test_signalfd();
  test_timers();
  return 0;
}
