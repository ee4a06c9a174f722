// System calls beyond plain file I/O, each checked for the property a program relies on.
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define OK(name, cond) printf("%-14s %s\n", name, (cond) ? "ok" : "FAILED")

// Integer nanoseconds: floating point is not what this test is about.
static long long Nanos(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
  struct utsname u;
  OK("uname", uname(&u) == 0 && strcmp(u.machine, "mips") == 0 && strcmp(u.sysname, "Linux") == 0);

  long long t0 = Nanos(CLOCK_MONOTONIC);
  struct timespec nap = {0, 20 * 1000 * 1000};
  int slept = nanosleep(&nap, NULL);
  long long t1 = Nanos(CLOCK_MONOTONIC);
  OK("nanosleep", slept == 0 && t1 - t0 >= 19000000 && t1 - t0 < 5000000000LL);
  OK("clock_nanosleep", clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL) == 0);
  time_t now = time(NULL);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  long long real = Nanos(CLOCK_REALTIME) / 1000000000LL;
  OK("time", now > 1600000000 && labs((long)(tv.tv_sec - now)) <= 2 && llabs(real - now) <= 2);
  struct timespec res;
  OK("clock_getres", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);

  OK("ids", getpid() > 1 && getppid() > 0 && gettid() == getpid() && getuid() == geteuid() &&
                getgid() == getegid());
  struct sysinfo si;
  OK("sysinfo", sysinfo(&si) == 0 && (unsigned long long)si.totalram * si.mem_unit > (16u << 20) &&
                    si.uptime > 0 && si.procs > 0);
  unsigned char rnd[32] = {0};
  int nonzero = 0;
  OK("getrandom", getrandom(rnd, sizeof rnd, 0) == 32);
  for (int i = 0; i < 32; ++i) nonzero |= rnd[i];
  OK("random bytes", nonzero);

  struct rlimit rl;
  OK("getrlimit", getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= 64);
  struct rlimit lower = {rl.rlim_cur - 1, rl.rlim_max};
  struct rlimit back;
  OK("setrlimit", setrlimit(RLIMIT_NOFILE, &lower) == 0 && getrlimit(RLIMIT_NOFILE, &back) == 0 &&
                      back.rlim_cur == rl.rlim_cur - 1);
  OK("stack limit", getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur > 0);

  // Anonymous memory: grow with mremap (moving if needed), contents kept.
  char* p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (int i = 0; i < 3 * 4096; ++i) p[i] = (char)(i * 7);
  char* q = mremap(p, 3 * 4096, 40 * 4096, MREMAP_MAYMOVE);
  int kept = q != MAP_FAILED;
  for (int i = 0; kept && i < 3 * 4096; ++i) kept = q[i] == (char)(i * 7);
  if (kept) q[40 * 4096 - 1] = 1;
  OK("mremap grow", kept);
  char* r = mremap(q, 40 * 4096, 2 * 4096, 0);
  OK("mremap shrink", r == q && r[4095] == (char)(4095 * 7));
  OK("mprotect", mprotect(r, 4096, PROT_READ) == 0 && r[10] == (char)70);
  OK("munmap", munmap(r, 2 * 4096) == 0);
  OK("munmap bad", munmap((void*)0x1001, 4096) == -1 && errno == EINVAL);

  // A shared file mapping and read() see the same bytes.
  int fd = open("mapped.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(fd, 8192);
  char* m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  memcpy(m + 4096, "through the mapping", 19);
  msync(m, 8192, MS_SYNC);
  char buf[32] = {0};
  pread(fd, buf, 19, 4096);
  OK("mmap shared", m != MAP_FAILED && strcmp(buf, "through the mapping") == 0);
  munmap(m, 8192);
  // 64-bit offsets through _llseek and ftruncate64.
  off_t big = (off_t)5 << 30;
  OK("llseek 5GiB", lseek(fd, big, SEEK_SET) == big && write(fd, "!", 1) == 1);
  struct stat st;
  OK("fstat 5GiB", fstat(fd, &st) == 0 && st.st_size == big + 1);
  close(fd);
  unlink("mapped.bin");

  fd = open("flags.txt", O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK, 0600);
  int fl = fcntl(fd, F_GETFL);
  OK("F_GETFL", (fl & O_APPEND) && (fl & O_NONBLOCK) && (fl & O_ACCMODE) == O_WRONLY);
  OK("F_SETFL", fcntl(fd, F_SETFL, O_APPEND) == 0 && !(fcntl(fd, F_GETFL) & O_NONBLOCK));
  struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
  OK("F_SETLK", fcntl(fd, F_SETLK, &lk) == 0);
  lk.l_type = F_WRLCK;
  OK("F_GETLK", fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type == F_UNLCK);  // our own lock
  OK("dup3", dup3(fd, 20, O_CLOEXEC) == 20 && (fcntl(20, F_GETFD) & FD_CLOEXEC));
  close(20);
  close(fd);
  unlink("flags.txt");
  int pfd[2];
  OK("pipe2", pipe2(pfd, O_CLOEXEC | O_NONBLOCK) == 0 && (fcntl(pfd[0], F_GETFD) & FD_CLOEXEC) &&
                  read(pfd[0], buf, 1) == -1 && errno == EAGAIN);

  errno = 0;
  OK("isatty", !isatty(0) && errno == ENOTTY);
  OK("faccessat", faccessat(AT_FDCWD, "/", R_OK, 0) == 0);
  OK("EEXIST", mkdir("/", 0) == -1 && errno == EEXIST);
  OK("ENOTDIR", open("/etc/passwd/x", O_RDONLY) == -1 && errno == ENOTDIR);
  char longpath[PATH_MAX + 10];
  memset(longpath, 'a', sizeof longpath - 1);
  longpath[sizeof longpath - 1] = 0;
  OK("ENAMETOOLONG", open(longpath, O_RDONLY) == -1 && errno == ENAMETOOLONG);
  OK("EFAULT", read(0, (void*)0x90000000, 4) == -1 && errno == EFAULT);
  OK("EBADF", close(12345) == -1 && errno == EBADF);
  // A link's target is stored as written (with -L too, where /lib exists in the sysroot).
  char target[64] = {0};
  OK("symlink", symlink("/lib", "lnk") == 0 && readlink("lnk", target, sizeof target - 1) == 4 &&
                    strcmp(target, "/lib") == 0);
  unlink("lnk");
  char cwd[256];
  OK("chdir", chdir("/") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") == 0);
  // A system call that mipsrun does not implement: the guest's ENOSYS.
  errno = 0;
  OK("ENOSYS", syscall(__NR_Linux + 499) == -1 && errno == ENOSYS);  // past the o32 table
  return 0;
}
