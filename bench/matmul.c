// Floating point: a double-precision matrix multiply (multiply-add chains).
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n),
         *c = malloc(sizeof(double) * n * n);
  for (int i = 0; i < n * n; ++i) a[i] = (i % 17) * 0.25 - 1.5, b[i] = (i % 13) * 0.125 + 0.5;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      double s = 0;
      for (int k = 0; k < n; ++k) s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
  double t = 0;
  for (int i = 0; i < n * n; ++i) t += c[i] * ((i & 7) - 3.5);
  printf("%.6f\n", t);
  return 0;
}
