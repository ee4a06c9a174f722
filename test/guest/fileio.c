// File I/O through stdio and raw syscalls: create, write, seek, read, stat, rename,
// directories, unlink, pipes and dup2.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
  if (mkdir("work", 0755) != 0) { perror("mkdir"); return 1; }
  FILE* f = fopen("work/a.txt", "w");
  for (int i = 0; i < 100; ++i) fprintf(f, "line %d\n", i);
  fclose(f);
  struct stat st;
  stat("work/a.txt", &st);
  printf("size=%lld regular=%d mode=%o\n", (long long)st.st_size, S_ISREG(st.st_mode),
         st.st_mode & 0777 & ~022);
  int fd = open("work/a.txt", O_RDWR);
  char buf[32] = {0};
  lseek(fd, 70, SEEK_SET);
  ssize_t n = read(fd, buf, 10);
  printf("read %zd: %.*s|\n", n, (int)n, buf);
  off_t end = lseek(fd, 0, SEEK_END);
  printf("end=%lld\n", (long long)end);
  pwrite(fd, "XY", 2, 5);
  memset(buf, 0, sizeof buf);
  pread(fd, buf, 8, 0);
  printf("pread=%s\n", buf);
  struct iovec iov[2] = {{"hello ", 6}, {"world\n", 6}};
  lseek(fd, 0, SEEK_END);
  printf("writev=%zd\n", writev(fd, iov, 2));
  fstat(fd, &st);
  printf("fstat size=%lld\n", (long long)st.st_size);
  close(fd);
  printf("rename=%d\n", rename("work/a.txt", "work/b.txt"));
  printf("old gone=%d errno=%s\n", access("work/a.txt", F_OK) != 0, strerror(errno));
  DIR* d = opendir("work");
  int entries = 0;
  for (struct dirent* e; (e = readdir(d));) entries += strcmp(e->d_name, "b.txt") == 0;
  closedir(d);
  printf("dir has b.txt=%d\n", entries);
  int p[2];
  pipe(p);
  write(p[1], "through a pipe", 14);
  close(p[1]);
  memset(buf, 0, sizeof buf);
  printf("pipe read=%zd %s\n", read(p[0], buf, sizeof buf - 1), buf);
  close(p[0]);
  int saved = dup(1);
  int out = open("work/c.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  dup2(out, 1);
  printf("into a file\n");
  fflush(stdout);
  dup2(saved, 1);
  close(out);
  f = fopen("work/c.txt", "r");
  fgets(buf, sizeof buf, f);
  fclose(f);
  printf("redirected: %s", buf);
  printf("open missing=%d errno=%d(%s)\n", open("work/none", O_RDONLY), errno, strerror(errno));
  printf("rmdir nonempty=%d %s\n", rmdir("work"), strerror(errno));
  unlink("work/b.txt");
  unlink("work/c.txt");
  printf("rmdir=%d\n", rmdir("work"));
  char cwd[256];
  printf("getcwd ok=%d\n", getcwd(cwd, sizeof cwd) != NULL);
  // The kernel keeps no descriptor of the program open for it (mipsrun closes the one
  // it loaded the program from): no open file is the program itself.
  char self[512], link[512], path[300];
  n = readlink("/proc/self/exe", self, sizeof self - 1);
  self[n > 0 ? n : 0] = 0;
  int of_self = 0;
  DIR* fds = opendir("/proc/self/fd");
  for (struct dirent* e; fds && (e = readdir(fds));) {
    snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
    n = readlink(path, link, sizeof link - 1);
    if (n <= 0) continue;
    link[n] = 0;
    of_self += strcmp(link, self) == 0;
  }
  if (fds) closedir(fds);
  printf("program readable=%d, open descriptors of it=%d\n", access(self, R_OK) == 0, of_self);
  return 0;
}
