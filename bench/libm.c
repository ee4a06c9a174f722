// Floating point: a mix of libm calls (exp, log, sin, cos, pow, atan2, sqrt).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 300000;
  double acc = 0;
  for (int i = 1; i <= n; ++i) {
    double x = i * 1e-4;
    acc += exp(-x) * sin(x) + log1p(x) * cos(3 * x) + pow(x, 0.3) - atan2(x, 1.0 + x) +
           sqrt(x) / (1 + x * x);
  }
  printf("%.10g\n", acc);
  return 0;
}
