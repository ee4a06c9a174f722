// Sorting with a callback: qsort over integers and over strings.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp_int(const void* a, const void* b) {
  int x = *(const int*)a, y = *(const int*)b;
  return (x > y) - (x < y);
}
static int cmp_str(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }
int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 300000;
  int* v = malloc(sizeof(int) * n);
  unsigned seed = 1;
  for (int i = 0; i < n; ++i) v[i] = (int)((seed = seed * 1664525u + 1013904223u) >> 1);
  qsort(v, n, sizeof *v, cmp_int);
  int m = n / 4;
  char** s = malloc(sizeof(char*) * m);
  char* pool = malloc((size_t)m * 12);
  for (int i = 0; i < m; ++i) {
    s[i] = pool + (size_t)i * 12;
    seed = seed * 1664525u + 1013904223u;
    for (int k = 0; k < 11; ++k) s[i][k] = (char)('a' + (seed >> (k * 2 + 3)) % 26);
    s[i][11] = 0;
  }
  qsort(s, m, sizeof *s, cmp_str);
  printf("%d %d %d %s %s\n", v[0], v[n / 2], v[n - 1], s[0], s[m - 1]);
  return 0;
}
