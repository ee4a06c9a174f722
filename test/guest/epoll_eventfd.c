// epoll (create, ctl with 64-bit data, wait, pwait with a signal mask, one-shot and
// edge-triggered events) and eventfd (the counter in the guest's byte order, semaphore
// mode, non-blocking reads), with a signalfd in the same epoll set.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

static void check(int ok, const char* what) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

static void test_eventfd(void) {
  int fd = eventfd(3, EFD_NONBLOCK);
  uint64_t v = 0;
  check(read(fd, &v, sizeof v) == 8 && v == 3, "eventfd: initial value");
  errno = 0;
  check(read(fd, &v, sizeof v) == -1 && errno == EAGAIN, "eventfd: zero is EAGAIN");
  v = 5;
  write(fd, &v, sizeof v);
  v = 0x100000007ull;
  check(write(fd, &v, sizeof v) == 8, "eventfd: write a 64-bit value");
  check(read(fd, &v, sizeof v) == 8 && v == 0x10000000cull, "eventfd: the sum, in this byte order");
  errno = 0;
  check(read(fd, &v, 4) == -1 && errno == EINVAL, "eventfd: short read EINVAL");
  close(fd);

  fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  int ones = 0;
  while (read(fd, &v, sizeof v) == 8 && v == 1) ones++;
  check(ones == 2, "eventfd semaphore: counts down by one");
  eventfd_t ev;
  eventfd_write(fd, 9);
  check(eventfd_read(fd, &ev) == 0 && ev == 1, "eventfd_read/eventfd_write");
  int copy = dup(fd);
  eventfd_write(copy, 1);
  check(eventfd_read(fd, &ev) == 0 && ev == 1, "a dup shares the counter");
  close(copy);
  close(fd);
}

static volatile sig_atomic_t usr1;
static void on_usr1(int sig) { usr1 = sig; }

static void test_epoll(void) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  check(ep >= 0, "epoll_create1");
  int p[2];
  pipe(p);
  int efd = eventfd(0, EFD_NONBLOCK);
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  ev.data.u64 = 0x1122334455667788ull;
  check(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll_ctl ADD pipe");
  ev.events = EPOLLIN | EPOLLET;
  ev.data.u64 = 42;
  check(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0, "epoll_ctl ADD eventfd (edge-triggered)");
  errno = 0;
  check(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == -1 && errno == EEXIST, "epoll_ctl ADD twice: EEXIST");

  struct epoll_event out[4];
  check(epoll_wait(ep, out, 4, 0) == 0, "epoll_wait: nothing ready");
  errno = 0;
  check(epoll_wait(ep, out, 0, 0) == -1 && errno == EINVAL, "epoll_wait: maxevents 0 EINVAL");
  write(p[1], "x", 1);
  int n = epoll_wait(ep, out, 4, 1000);
  check(n == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 0x1122334455667788ull,
        "epoll_wait: the pipe, with its 64-bit data");
  eventfd_write(efd, 1);
  n = epoll_wait(ep, out, 4, 1000);
  check(n == 2, "epoll_wait: both ready");
  check(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 != 42, "edge-triggered: reported once");

  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.u64 = 7;
  check(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0, "epoll_ctl MOD one-shot");
  check(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 7, "one-shot: once");
  check(epoll_wait(ep, out, 4, 0) == 0, "one-shot: then disabled");
  check(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0, "epoll_ctl DEL");

  // A signalfd in the set becomes ready when its signal is pending.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int sfd = signalfd(-1, &set, SFD_NONBLOCK);
  ev.events = EPOLLIN;
  ev.data.u64 = 99;
  epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
  check(epoll_wait(ep, out, 4, 0) == 0, "signalfd: not ready");
  raise(SIGUSR2);
  check(epoll_wait(ep, out, 4, 1000) == 1 && out[0].data.u64 == 99, "signalfd: ready after raise");
  struct signalfd_siginfo si;
  check(read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGUSR2, "signalfd: read");
  check(epoll_wait(ep, out, 4, 0) == 0, "signalfd: not ready after the read");

  // epoll_pwait opens SIGUSR1 for the wait only: its handler ends it with EINTR.
  signal(SIGUSR1, on_usr1);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR1);
  sigset_t open_mask;
  sigemptyset(&open_mask);
  errno = 0;
  n = epoll_pwait(ep, out, 4, 5000, &open_mask);
  check(n == -1 && errno == EINTR && usr1 == SIGUSR1, "epoll_pwait: handler, EINTR");
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  check(sigismember(&cur, SIGUSR1), "epoll_pwait: the mask is back");
  close(sfd);
  close(efd);
  close(p[0]);
  close(p[1]);
  close(ep);
}

int main(void) {
  test_eventfd();
  test_epoll();
  return 0;
}
