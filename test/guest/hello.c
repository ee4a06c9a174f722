// The bundled sample: what the quick start runs.
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char** argv) {
  struct utsname u;
  uname(&u);
  unsigned probe = 1;
  const char* name = strrchr(argv[0], '/');
  printf("Hello from a %s-endian %s program (%s), argc=%d\n",
         *(unsigned char*)&probe ? "little" : "big", u.machine, name ? name + 1 : argv[0], argc);
  return 0;
}
