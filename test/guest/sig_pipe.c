// Writing to a pipe whose read end is closed, with SIGPIPE at its default: the process
// dies of SIGPIPE (the shell's status 141), as on the kernel.
#include <stdio.h>
#include <unistd.h>
int main(void) {
  int fds[2];
  pipe(fds);
  close(fds[0]);
  printf("writing\n");
  fflush(stdout);
  write(fds[1], "x", 1);
  printf("still alive\n");
  return 0;
}
