// Child processes: fork and the copy of memory, wait statuses with MIPS signal
// numbers (exit, killed, stopped, continued), SIGCHLD's siginfo, wait4's rusage,
// waitid, WNOHANG and ECHILD, vfork's order, execve of a MIPS program (this one
// again) with the signal mask and ignored signals kept, execve errors, posix_spawn,
// system() and popen() through the host's /bin/sh.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

extern char** environ;

static void check(int ok, const char* what) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

// Run as `children exec-child`: what an exec'd program sees of what it inherited.
static int exec_child(void) {
  sigset_t now;
  sigprocmask(SIG_SETMASK, NULL, &now);
  struct sigaction sa;
  sigaction(SIGUSR1, NULL, &sa);
  printf("exec child: SIGUSR2 blocked=%d SIGINT blocked=%d SIGUSR1 ignored=%d\n",
         sigismember(&now, SIGUSR2), sigismember(&now, SIGINT), sa.sa_handler == SIG_IGN);
  fflush(stdout);
  return 5;
}

static int global_value = 1;

// Loops that become hot: the parent's compile thread exists when it forks, and the
// child needs one of its own for its own loop.
static unsigned __attribute__((noinline)) parent_work(unsigned n) {
  unsigned h = 1;
  for (unsigned i = 0; i < n; ++i) h = h * 33 + i;
  return h;
}
static unsigned __attribute__((noinline)) child_work(unsigned n) {
  unsigned h = 7;
  for (unsigned i = 0; i < n; ++i) h = (h ^ i) * 16777619u;
  return h;
}

static void test_fork_and_exit(void) {
  pid_t parent = getpid();
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    global_value = 2;
    _exit(getppid() == parent && child_work(3000000) == child_work(3000000) ? 42 : 1);
  }
  int status = 0;
  check(waitpid(pid, &status, 0) == pid, "waitpid returns the child");
  check(WIFEXITED(status) && WEXITSTATUS(status) == 42, "child exit status 42, ppid is the parent");
  check(global_value == 1, "the child's write stays in the child");
}

static void test_killed_stopped_continued(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGUSR1, SIG_DFL);
    raise(SIGUSR1);
    _exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  check(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1, "killed by SIGUSR1 (16 on MIPS)");

  int ready[2];
  pipe(ready);
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    close(ready[0]);
    write(ready[1], "r", 1);
    for (;;) pause();
  }
  close(ready[1]);
  char c;
  read(ready[0], &c, 1);
  close(ready[0]);
  int none = 12345;
  check(waitpid(pid, &none, WNOHANG) == 0, "WNOHANG with a running child returns 0");
  kill(pid, SIGSTOP);
  check(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
            WSTOPSIG(status) == SIGSTOP,
        "stopped by SIGSTOP (23 on MIPS)");
  kill(pid, SIGCONT);
  check(waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status), "continued");
  kill(pid, SIGTERM);
  check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
        "then killed by SIGTERM");
  errno = 0;
  check(waitpid(-1, &status, 0) == -1 && errno == ECHILD, "no children left: ECHILD");
}

static volatile sig_atomic_t chld_pid, chld_code, chld_status, chld_signo;
static void on_chld(int sig, siginfo_t* info, void* uc) {
  (void)uc;
  chld_signo = sig;
  chld_pid = info->si_pid;
  chld_code = info->si_code;
  chld_status = info->si_status;
}

static void test_sigchld_and_waitid(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGCHLD, &sa, NULL);
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &old);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) _exit(7);
  while (chld_signo == 0) sigsuspend(&old);
  check(chld_signo == SIGCHLD && chld_pid == pid && chld_code == CLD_EXITED && chld_status == 7,
        "SIGCHLD handler: si_pid, CLD_EXITED, si_status 7");
  sigprocmask(SIG_SETMASK, &old, NULL);
  siginfo_t info;
  memset(&info, 0xff, sizeof info);
  check(waitid(P_PID, pid, &info, WEXITED) == 0, "waitid");
  check(info.si_signo == SIGCHLD && info.si_pid == pid && info.si_code == CLD_EXITED &&
            info.si_status == 7,
        "waitid siginfo: SIGCHLD, pid, CLD_EXITED, 7");
  signal(SIGCHLD, SIG_DFL);

  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    volatile unsigned x = 0;
    for (unsigned i = 0; i < 2000000; ++i) x += i;
    _exit(0);
  }
  struct rusage ru;
  memset(&ru, 0xff, sizeof ru);
  int status;
  check(wait4(pid, &status, 0, &ru) == pid && WIFEXITED(status), "wait4");
  check(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 &&
            ru.ru_stime.tv_usec < 1000000,
        "wait4 rusage filled in");
}

static void test_vfork(void) {
  fflush(stdout);
  pid_t pid = vfork();
  if (pid == 0) {
    write(1, "vfork child runs first\n", 23);
    _exit(3);
  }
  printf("vfork parent resumes after the child\n");
  int status;
  check(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 3, "vfork child status 3");
}

static void test_exec(const char* self) {
  sigset_t mask, old;
  sigemptyset(&mask);
  sigaddset(&mask, SIGUSR2);
  sigprocmask(SIG_BLOCK, &mask, &old);
  signal(SIGUSR1, SIG_IGN);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    char* argv[] = {(char*)self, "exec-child", NULL};
    execve(self, argv, environ);
    _exit(99);
  }
  int status;
  waitpid(pid, &status, 0);
  check(WIFEXITED(status) && WEXITSTATUS(status) == 5, "exec'd MIPS program exit status 5");
  sigprocmask(SIG_SETMASK, &old, NULL);
  signal(SIGUSR1, SIG_DFL);

  errno = 0;
  char* argv[] = {"nope", NULL};
  check(execve("/nonexistent/program", argv, environ) == -1 && errno == ENOENT,
        "execve of a missing file: ENOENT");
  errno = 0;
  check(execve("/", argv, environ) == -1 && errno == EACCES, "execve of a directory: EACCES");
}

static void test_spawn_and_shell(const char* self) {
  fflush(stdout);
  pid_t pid;
  char* argv[] = {(char*)self, "exec-child", NULL};
  check(posix_spawn(&pid, self, NULL, NULL, argv, environ) == 0, "posix_spawn");
  int status;
  check(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 5, "spawned child status 5");
  int r = system("exit 3");
  check(WIFEXITED(r) && WEXITSTATUS(r) == 3, "system(\"exit 3\")");
  FILE* p = popen("echo from-the-shell", "r");
  char line[64] = "";
  if (p) fgets(line, sizeof line, p);
  check(p && strcmp(line, "from-the-shell\n") == 0 && pclose(p) == 0, "popen reads the shell");
}

static void test_groups_and_ids(void) {
  check(getpgrp() == getpgid(0) && getsid(0) >= 0 && getsid(0) == getsid(getpid()),
        "getpgrp, getpgid, getsid agree");
  uid_t r, e, s;
  gid_t gr, ge, gs;
  check(getresuid(&r, &e, &s) == 0 && r == getuid() && e == geteuid(), "getresuid");
  check(getresgid(&gr, &ge, &gs) == 0 && gr == getgid() && ge == getegid(), "getresgid");
  check(setuid(getuid()) == 0 && setgid(getgid()) == 0 && setresuid(-1, -1, -1) == 0 &&
            setreuid(-1, -1) == 0,
        "set*id to what they are");
  gid_t groups[256];
  int n = getgroups(0, NULL);
  check(n >= 0 && getgroups(256, groups) == n, "getgroups counts, then fills");
  int r2 = setgroups(n, groups);
  check(r2 == 0 || errno == EPERM, "setgroups with our own groups: done, or EPERM unprivileged");
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    if (setpgid(0, 0) != 0 || getpgrp() != getpid()) _exit(1);
    _exit(setsid() == -1 && errno == EPERM ? 0 : 2);  // a group leader cannot
  }
  int status;
  waitpid(pid, &status, 0);
  check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "setpgid(0, 0) in a child; setsid: EPERM");
  fflush(stdout);
  pid = fork();
  if (pid == 0) _exit(setsid() == getpid() && getsid(0) == getpid() ? 0 : 1);
  waitpid(pid, &status, 0);
  check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "setsid in a child starts a session");
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return exec_child();
  // The program itself, by the name the kernel gives it: /proc/self/exe.
  const char* self = "/proc/self/exe";
  printf("parent work: %u\n", parent_work(3000000));
  test_fork_and_exit();
  test_killed_stopped_continued();
  test_sigchld_and_waitid();
  test_vfork();
  test_exec(self);
  test_spawn_and_shell(self);
  test_groups_and_ids();
  return 0;
}
