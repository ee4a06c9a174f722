// Deep and mutual recursion, the Ackermann function, and a recursive permutation count.
#include <stdio.h>

static int ack(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}
static int is_even(unsigned n);
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int depth(int n) {
  volatile char pad[64];
  pad[0] = (char)n;
  return n == 0 ? pad[0] : 1 + depth(n - 1);
}
static int queens(int row, int n, unsigned cols, unsigned d1, unsigned d2) {
  if (row == n) return 1;
  int count = 0;
  for (int c = 0; c < n; ++c) {
    if ((cols >> c & 1) || (d1 >> (row + c) & 1) || (d2 >> (row - c + n) & 1)) continue;
    count += queens(row + 1, n, cols | 1u << c, d1 | 1u << (row + c), d2 | 1u << (row - c + n));
  }
  return count;
}

int main(void) {
  printf("ack(2,3)=%d ack(3,5)=%d\n", ack(2, 3), ack(3, 5));
  printf("even(10001)=%d odd(777)=%d\n", is_even(10001), is_odd(777));
  printf("fib(25)=%ld\n", fib(25));
  printf("depth=%d\n", depth(50000));
  for (int n = 4; n <= 9; ++n) printf("queens(%d)=%d\n", n, queens(0, n, 0, 0, 0));
  return 0;
}
