// abort() raises SIGABRT through tgkill: the guest, and so mipsrun, dies of SIGABRT.
#include <stdio.h>
#include <stdlib.h>
int main(void) {
  printf("before\n");
  fflush(stdout);
  abort();
}
