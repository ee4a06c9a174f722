// Allocation-heavy code: many small blocks, realloc growth, large blocks (mmap).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { struct node* next; int value; char pad[20]; };

int main(void) {
  struct node* head = NULL;
  for (int i = 0; i < 20000; ++i) {
    struct node* n = malloc(sizeof *n);
    n->value = i;
    n->next = head;
    head = n;
  }
  long sum = 0;
  int count = 0;
  while (head) {
    struct node* n = head;
    head = n->next;
    sum += n->value;
    count++;
    free(n);
  }
  printf("list count=%d sum=%ld\n", count, sum);
  char* s = NULL;
  size_t len = 0;
  for (int i = 0; i < 2000; ++i) {
    s = realloc(s, len + 8);
    len += (size_t)sprintf(s + len, "%d,", i % 97);
  }
  unsigned h = 0;
  for (size_t i = 0; i < len; ++i) h = h * 33 + (unsigned char)s[i];
  printf("realloc len=%zu hash=%u\n", len, h);
  free(s);
  for (int round = 0; round < 5; ++round) {
    size_t big = (size_t)(1 + round) << 20;  // mmap-backed
    unsigned char* p = malloc(big);
    memset(p, round + 1, big);
    unsigned long t = 0;
    for (size_t i = 0; i < big; i += 4096) t += p[i];
    printf("big %zu sum=%lu\n", big, t);
    free(p);
  }
  void* ptrs[500];
  for (int i = 0; i < 500; ++i) ptrs[i] = calloc((size_t)(i % 50) + 1, 16);
  int zeros = 1;
  for (int i = 0; i < 500; ++i) {
    for (int k = 0; k < ((i % 50) + 1) * 16; ++k) zeros &= ((unsigned char*)ptrs[i])[k] == 0;
    free(ptrs[i]);
  }
  printf("calloc zeroed=%d\n", zeros);
  return 0;
}
