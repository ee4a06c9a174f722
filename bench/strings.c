// String handling: building, searching, copying and formatting text.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 2000;
  static char text[65536], line[256], out[256];
  size_t len = 0;
  const char* words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
  for (int i = 0; len < sizeof text - 64; ++i) {
    len += (size_t)snprintf(text + len, sizeof text - len, "%s-%d ", words[i % 8], i % 1000);
  }
  unsigned long found = 0, total = 0;
  for (int r = 0; r < rounds; ++r) {
    const char* needle = words[r % 8];
    for (const char* p = text; (p = strstr(p, needle)); p += strlen(needle)) found++;
    strncpy(line, text + (r * 97) % (len - 200), 200);
    line[200] = 0;
    for (char* t = strtok(line, " "); t; t = strtok(NULL, " ")) {
      snprintf(out, sizeof out, "[%s:%zu]", t, strlen(t));
      total += strlen(out) + (unsigned char)out[1];
    }
  }
  printf("found %lu total %lu\n", found, total);
  return 0;
}
