// Waiting for descriptors (poll, select, ppoll and pselect with a signal mask), sleeps
// that signals interrupt (restarted towards the same end when no handler runs, EINTR
// with the time left when one does), and file attributes set by name or descriptor
// (truncate, ftruncate, utime, utimes, utimensat, chown), getrusage and times.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

static void check(int ok, const char* what) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void test_poll_select(void) {
  int p[2];
  pipe(p);
  struct pollfd fds[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT | POLLWRNORM, 0}};
  check(poll(fds, 2, 0) == 1 && fds[0].revents == 0 && (fds[1].revents & POLLOUT),
        "poll: empty pipe writable, not readable");
  write(p[1], "x", 1);
  check(poll(fds, 1, 1000) == 1 && fds[0].revents == POLLIN, "poll: readable after a write");
  double t0 = now();
  char c;
  read(p[0], &c, 1);
  check(poll(fds, 1, 30) == 0 && now() - t0 >= 0.029, "poll: times out after 30 ms");
  struct pollfd bad = {1000, POLLIN, 0};
  check(poll(&bad, 1, 0) == 1 && bad.revents == POLLNVAL, "poll: POLLNVAL for a closed fd");

  fd_set rd, wr;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_SET(p[0], &rd);
  FD_SET(p[1], &wr);
  struct timeval tv = {0, 20000};
  check(select(p[1] + 1, &rd, &wr, NULL, &tv) == 1 && !FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr),
        "select: the write end only");
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  tv.tv_sec = 0;
  tv.tv_usec = 20000;
  check(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0 && tv.tv_sec == 0 && tv.tv_usec == 0,
        "select: times out, no time left");
  errno = 0;
  tv.tv_usec = -1;
  check(select(1, NULL, NULL, NULL, &tv) == -1 && errno == EINVAL, "select: bad timeval EINVAL");
  // An fd past the first 32-bit word of the set.
  int high = dup2(p[1], 40);
  FD_ZERO(&wr);
  FD_SET(high, &wr);
  tv.tv_sec = 1;
  tv.tv_usec = 0;
  check(select(high + 1, NULL, &wr, NULL, &tv) == 1 && FD_ISSET(high, &wr), "select: fd 40");
  close(high);
  close(p[0]);
  close(p[1]);
}

static volatile sig_atomic_t usr1_seen;
static void on_usr1(int sig) { usr1_seen = sig; }

static void test_wait_masks(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t block, open_mask, cur;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, NULL);
  raise(SIGUSR1);
  check(!usr1_seen, "SIGUSR1 blocked and pending");
  sigemptyset(&open_mask);
  struct timespec ts = {5, 0};
  errno = 0;
  int r = ppoll(NULL, 0, &ts, &open_mask);
  check(r == -1 && errno == EINTR && usr1_seen == SIGUSR1, "ppoll with an open mask: handler, EINTR");
  sigprocmask(SIG_BLOCK, NULL, &cur);
  check(sigismember(&cur, SIGUSR1), "the caller's mask is back after ppoll");
  usr1_seen = 0;
  raise(SIGUSR1);
  struct timespec ts2 = {5, 0};
  errno = 0;
  r = pselect(0, NULL, NULL, NULL, &ts2, &open_mask);
  check(r == -1 && errno == EINTR && usr1_seen == SIGUSR1, "pselect with an open mask: handler, EINTR");
  sigprocmask(SIG_BLOCK, NULL, &cur);
  check(sigismember(&cur, SIGUSR1), "the caller's mask is back after pselect");
  ts.tv_sec = 0;
  ts.tv_nsec = 1000000;
  check(ppoll(NULL, 0, &ts, &block) == 0, "ppoll times out with the signal still blocked");
  sigprocmask(SIG_UNBLOCK, &block, NULL);
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void test_interrupted_sleeps(void) {
  // A 2 ms interval timer whose SIGALRM is blocked: each tick interrupts the host
  // sleep, which restarts towards its end, so it still ends on time.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  struct itimerval it = {{0, 2000}, {0, 2000}};
  setitimer(ITIMER_REAL, &it, NULL);
  double t0 = now();
  struct timespec req = {0, 60000000};
  check(nanosleep(&req, NULL) == 0, "nanosleep through blocked ticks");
  check(poll(NULL, 0, 60) == 0, "poll through blocked ticks");
  double took = now() - t0;
  check(took >= 0.119 && took < 2.0, "both took their time, not more");
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  sigset_t pend;
  sigpending(&pend);
  int dummy;
  if (sigismember(&pend, SIGALRM)) sigwait(&set, &dummy);
  sigprocmask(SIG_UNBLOCK, &set, NULL);

  // With a handler (even SA_RESTART), nanosleep fails with EINTR and the time left.
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  // 300 ms: long enough that the sleep has surely started, even when every block on
  // the way is compiled first (--jit=eager).
  struct itimerval once = {{0, 0}, {0, 300000}};
  setitimer(ITIMER_REAL, &once, NULL);
  struct timespec rem = {0, 0};
  req.tv_sec = 2;
  req.tv_nsec = 0;
  errno = 0;
  int r = nanosleep(&req, &rem);
  check(r == -1 && errno == EINTR && alarms == 1, "nanosleep: EINTR after a handler");
  check(rem.tv_sec == 1 && rem.tv_nsec > 0, "nanosleep: the time left");
  // The next sleep is a new one, not the rest of the interrupted one.
  t0 = now();
  req.tv_sec = 0;
  req.tv_nsec = 30000000;
  check(nanosleep(&req, NULL) == 0 && now() - t0 >= 0.029, "a new sleep sleeps its whole length");
  signal(SIGALRM, SIG_DFL);
}

static void test_file_attrs(void) {
  char name[] = "/tmp/mipsrun-attrs-XXXXXX";
  int fd = mkstemp(name);
  write(fd, "hello world", 11);
  struct stat st;
  check(truncate(name, 5) == 0 && stat(name, &st) == 0 && st.st_size == 5, "truncate");
  check(ftruncate(fd, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 100, "ftruncate");
  check(truncate64(name, 3) == 0 && stat(name, &st) == 0 && st.st_size == 3, "truncate64");
  struct utimbuf ub = {1000, 2000};
  check(utime(name, &ub) == 0 && stat(name, &st) == 0 && st.st_atime == 1000 && st.st_mtime == 2000,
        "utime");
  struct timeval tv[2] = {{3000, 500000}, {4000, 250000}};
  check(utimes(name, tv) == 0 && stat(name, &st) == 0 && st.st_mtime == 4000 &&
            st.st_mtim.tv_nsec == 250000000,
        "utimes");
  struct timespec ts[2] = {{0, UTIME_OMIT}, {5000, 7}};
  check(utimensat(AT_FDCWD, name, ts, 0) == 0 && stat(name, &st) == 0 && st.st_atime == 3000 &&
            st.st_mtime == 5000 && st.st_mtim.tv_nsec == 7,
        "utimensat with UTIME_OMIT");
  struct timespec fts[2] = {{6000, 0}, {6000, 0}};
  check(futimens(fd, fts) == 0 && fstat(fd, &st) == 0 && st.st_mtime == 6000, "futimens");
  check(chown(name, getuid(), getgid()) == 0 && fchown(fd, -1, -1) == 0 &&
            lchown(name, -1, getgid()) == 0,
        "chown to oneself");
  errno = 0;
  check(truncate("/nonexistent/x", 0) == -1 && errno == ENOENT, "truncate: ENOENT");
  close(fd);
  unlink(name);
}

static void test_usage(void) {
  volatile unsigned x = 0;
  for (unsigned i = 0; i < 20000000; ++i) x += i;
  struct rusage ru;
  check(getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 &&
            ru.ru_maxrss > 0,
        "getrusage");
  struct tms t;
  clock_t c = times(&t);
  check(c != (clock_t)-1 && t.tms_utime + t.tms_stime > 0, "times");
}

int main(void) {
  test_poll_select();
  test_wait_masks();
  test_interrupted_sleeps();
  test_file_attrs();
  test_usage();
  return 0;
}
