// Code that one run mapped where a later run has nothing yet. With a code cache shared
// by the two (test/cached_mapping_test.sh), the later run finds a cached region that
// reaches into that memory while it is not mapped: the region must be passed over, and
// nothing decoded there, because the mapping that comes later (an mmap with a hint, no
// cacheflush, as a kernel needs none for a fresh mapping) drops no decoded blocks.
//   cached_mapping fill    maps the code, then runs the loop that calls it
//   cached_mapping         runs the same loop without the call first, then maps and calls
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define AT 0x0f000000u  // in the program's 256 MB segment: jal reaches it

static volatile int calls;

static void map_code(void) {
  static const uint32_t code[2] = {
      0x03e00008u,  // jr ra
      0x24820001u,  // addiu v0, a0, 1 (delay slot)
  };
  const char* path = "cached_mapping.code";
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || write(fd, code, sizeof code) != sizeof code || ftruncate(fd, 4096) != 0) {
    perror("code file");
    exit(1);
  }
  void* p = mmap((void*)AT, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
  close(fd);
  unlink(path);
  if (p != (void*)AT) {
    printf("mapped at %p, not at 0x%x\n", p, AT);
    exit(1);
  }
}

static inline int call_at(int x) {
  register int a0 __asm__("$4") = x;
  register int v0 __asm__("$2");
  // jal 0x0f000000, as a word: the assembler will not take an absolute jal target in
  // code built for abicalls.
  __asm__ volatile(".set push\n\t.set noreorder\n\t.word 0x0fc00000\n\tnop\n\t.set pop"
                   : "=r"(v0), "+r"(a0)
                   :
                   : "$1", "$3", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13",
                     "$14", "$15", "$24", "$25", "$31", "hi", "lo", "memory");
  return v0;
}

__attribute__((noinline)) static int loop(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) {
    if (calls) {
      s = call_at(s);
    } else {
      s += 2;
    }
  }
  return s;
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "fill") == 0) {
    map_code();
    calls = 1;
    printf("fill: %d\n", loop(100000));
  } else {
    printf("check, before the mapping: %d\n", loop(100000));
    map_code();
    calls = 1;
    printf("check, after it: %d\n", loop(100000));
  }
  return 0;
}
