// argv, envp and the auxiliary vector as the kernel lays them out.
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char** argv, char** envp) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  printf("argv[argc]=%p\n", (void*)argv[argc]);
  printf("MIPSRUN_TEST=%s\n", getenv("MIPSRUN_TEST") ? getenv("MIPSRUN_TEST") : "(unset)");
  int envc = 0;
  for (char** e = envp; *e; ++e) envc++;
  printf("env nonempty=%d\n", envc > 0);
  printf("pagesz=%lu\n", getauxval(AT_PAGESZ));
  printf("phent=%lu\n", getauxval(AT_PHENT));
  printf("entry set=%d\n", getauxval(AT_ENTRY) != 0);
  printf("random set=%d\n", getauxval(AT_RANDOM) != 0);
  printf("platform=%s\n", (const char*)getauxval(AT_PLATFORM));
  printf("execfn matches argv0=%d\n", strcmp((const char*)getauxval(AT_EXECFN), argv[0]) == 0);
  printf("stack aligned=%d\n", ((unsigned long)__builtin_frame_address(0) & 7) == 0);
  char exe[512];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = 0;
  const char* base = strrchr(exe, '/');
  printf("exe=%s\n", base ? base + 1 : exe);
  return 0;
}
