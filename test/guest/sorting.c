// qsort and bsearch with callbacks over ints, strings and structs.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec { int key; char name[12]; };

static int cmp_int(const void* a, const void* b) {
  int x = *(const int*)a, y = *(const int*)b;
  return (x > y) - (x < y);
}
static int cmp_str(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}
static int cmp_rec(const void* a, const void* b) {
  const struct rec *x = a, *y = b;
  if (x->key != y->key) return x->key - y->key;
  return strcmp(x->name, y->name);
}

int main(void) {
  enum { N = 5000 };
  static int a[N];
  unsigned seed = 12345;
  for (int i = 0; i < N; ++i) {
    seed = seed * 1103515245u + 12345u;
    a[i] = (int)(seed >> 8) % 100000 - 50000;
  }
  qsort(a, N, sizeof a[0], cmp_int);
  long sum = 0;
  int sorted = 1;
  for (int i = 0; i < N; ++i) {
    sum += (long)a[i] * (i % 7);
    if (i && a[i - 1] > a[i]) sorted = 0;
  }
  printf("sorted=%d min=%d max=%d median=%d weighted=%ld\n", sorted, a[0], a[N - 1], a[N / 2], sum);
  int key = a[1234];
  int* hit = bsearch(&key, a, N, sizeof a[0], cmp_int);
  printf("bsearch found=%d value=%d\n", hit != NULL, hit ? *hit : 0);

  const char* words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape"};
  qsort(words, 8, sizeof words[0], cmp_str);
  for (int i = 0; i < 8; ++i) printf("%s%c", words[i], i == 7 ? '\n' : ' ');

  struct rec recs[6] = {{3, "c"}, {1, "z"}, {2, "b"}, {1, "a"}, {3, "a"}, {0, "q"}};
  qsort(recs, 6, sizeof recs[0], cmp_rec);
  for (int i = 0; i < 6; ++i) printf("%d%s ", recs[i].key, recs[i].name);
  printf("\n");
  return 0;
}
