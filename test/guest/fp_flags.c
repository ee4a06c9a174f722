// FCSR's Flags and Cause as a MIPS FPU leaves them, checked in loops long enough to run
// as translated code (which uses the host's arithmetic and works FCSR out lazily):
// the fenv flags after a loop of each kind of operation, the Cause of the operation
// just before a cfc1, and FCSR in the ucontext of a SIGSEGV right after an operation.
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#define CAUSE(fcsr) (((fcsr) >> 12) & 0x3f)
#define FLAGS(fcsr) (((fcsr) >> 2) & 0x1f)
enum { I = 1, U = 2, O = 4, Z = 8, V = 16 };

static const char* Names(unsigned bits) {
  static char buf[8][16];
  static int n;
  char* s = buf[n++ % 8];
  s[0] = 0;
  if (bits & V) strcat(s, "V");
  if (bits & Z) strcat(s, "Z");
  if (bits & O) strcat(s, "O");
  if (bits & U) strcat(s, "U");
  if (bits & I) strcat(s, "I");
  if (!bits) strcat(s, "-");
  return s;
}

// One operation and then FCSR, in one asm statement so that nothing comes between.
#define OP2(name, insn)                                                        \
  static unsigned name(double a, double b, double* r) {                        \
    unsigned v;                                                                \
    double t;                                                                  \
    __asm__ volatile(insn " %1, %2, %3\n\tcfc1 %0, $31"                        \
                     : "=r"(v), "=&f"(t) : "f"(a), "f"(b));                    \
    *r = t;                                                                    \
    return v;                                                                  \
  }
OP2(Add, "add.d")
OP2(Sub, "sub.d")
OP2(Mul, "mul.d")
OP2(Div, "div.d")
static unsigned Sqrt(double a, double b, double* r) {
  unsigned v;
  double t;
  (void)b;
  __asm__ volatile("sqrt.d %1, %2\n\tcfc1 %0, $31" : "=r"(v), "=&f"(t) : "f"(a));
  *r = t;
  return v;
}
static unsigned MaddS(double a, double b, double* r) {  // a * b + a in single precision
  unsigned v;
  float t, fa = (float)a, fb = (float)b;
  __asm__ volatile("madd.s %1, %2, %2, %3\n\tcfc1 %0, $31" : "=r"(v), "=&f"(t) : "f"(fa), "f"(fb));
  *r = t;
  return v;
}
// An inexact addition, then a comparison: c.cond sets Cause too (to nothing here).
static unsigned AddThenCompare(double a, double b, double* r) {
  unsigned v;
  double t;
  __asm__ volatile("add.d %1, %2, %3\n\tc.eq.d %1, %2\n\tcfc1 %0, $31"
                   : "=r"(v), "=&f"(t) : "f"(a), "f"(b));
  *r = t;
  return v;
}

// FCSR accesses in a row in one block, as glibc's fenv functions make them: translated
// code reads MXCSR for the first only, while no operation comes between.
// cfc1, then the addition, then cfc1 again: the second sees the addition's flags.
static unsigned ReadAddRead(double a, double b, double* r) {
  unsigned v, w;
  double t;
  __asm__ volatile("cfc1 %0, $31\n\tadd.d %2, %3, %4\n\tcfc1 %1, $31"
                   : "=&r"(w), "=r"(v), "=&f"(t) : "f"(a), "f"(b));
  *r = t;
  return v;
}
// The addition, cfc1, ctc1 of that with Flags and Cause cleared, then `after` and cfc1
// in that block and again in the next one (what both read).
#define ADD_CLEAR_THEN(name, after)                                                   \
  static unsigned name(double a, double b, double* r) {                               \
    unsigned v, w;                                                                    \
    double t;                                                                         \
    __asm__ volatile("add.d %2, %3, %4\n\tcfc1 %1, $31\n\tli %0, 0x3f07c\n\t"         \
                     "nor %0, %0, $0\n\tand %1, %1, %0\n\tctc1 %1, $31\n\t" after       \
                     "cfc1 %1, $31\n\tb 1f\n\tnop\n1:\tcfc1 %0, $31"                    \
                     : "=&r"(v), "=&r"(w), "=&f"(t) : "f"(a), "f"(b));                \
    *r = t;                                                                           \
    return v | w;                                                                     \
  }
ADD_CLEAR_THEN(AddReadClearRead, "")                     // nothing is left
ADD_CLEAR_THEN(AddClearAddRead, "add.d %2, %3, %4\n\t")  // its flags come back

struct Case {
  const char* what;
  unsigned (*op)(double, double, double*);
  double a, b;
};
static const struct Case kCases[] = {
    {"add exact", Add, 1.0, 2.0},
    {"add inexact", Add, 0.1, 0.2},
    {"sub exact", Sub, 5.0, 0.5},
    {"mul overflow", Mul, 1e200, 1e200},
    {"mul underflow", Mul, 1e-200, 1e-200},
    {"mul subnormal exact", Mul, 0x1p-1060, 0x1p-10},
    {"div by zero", Div, 1.0, 0.0},
    {"div inexact", Div, 1.0, 3.0},
    {"sqrt exact", Sqrt, 4.0, 0},
    {"sqrt inexact", Sqrt, 2.0, 0},
    {"madd.s inexact", MaddS, 1.1, 3.3},
    {"madd.s exact", MaddS, 1.5, 2.0},
    {"add then c.eq", AddThenCompare, 0.1, 0.2},
    {"read, add, read", ReadAddRead, 0.1, 0.2},
    {"add, clear, read", AddReadClearRead, 0.1, 0.2},
    {"add, clear, add", AddClearAddRead, 0.1, 0.2},
};
enum { kRounds = 3000 };

// Each case many times, alternating with an exact addition so that Cause changes every
// time: the Cause of every run and the Flags the case alone leaves.
static void Causes(void) {
  for (size_t c = 0; c < sizeof kCases / sizeof kCases[0]; ++c) {
    const struct Case* k = &kCases[c];
    unsigned first = 0, bad = 0, flags = 0;
    double r;
    for (int i = 0; i < kRounds; ++i) {
      feclearexcept(FE_ALL_EXCEPT);
      unsigned v = k->op(k->a, k->b, &r);
      flags = FLAGS(v);
      if (i == 0) first = CAUSE(v);
      else if (CAUSE(v) != first) ++bad;
      if (CAUSE(Add(1.0, 1.0, &r)) != 0) ++bad;
    }
    printf("%-20s cause %-3s flags %-3s%s\n", k->what, Names(first), Names(flags),
           bad ? " (Cause differed between runs)" : "");
  }
}

// The flags a whole loop leaves, through <fenv.h>.
static volatile double vin[4] = {0.1, 1e200, 1e-200, 0.0};
static void LoopFlags(void) {
  double s = 0, x = 0;  // each loop's result is printed, so that the loop stays
  feclearexcept(FE_ALL_EXCEPT);
  for (int i = 0; i < 100000; ++i) s += 1.0;
  printf("sum of ones %.0f: %s\n", s, fetestexcept(FE_ALL_EXCEPT) ? "flags" : "no flag");
  feclearexcept(FE_ALL_EXCEPT);
  s = 0;
  for (int i = 0; i < 100000; ++i) s += vin[0];
  printf("sum of tenths %.6f: inexact %d, others %d\n", s, !!fetestexcept(FE_INEXACT),
         !!fetestexcept(FE_ALL_EXCEPT & ~FE_INEXACT));
  feclearexcept(FE_ALL_EXCEPT);
  for (int i = 0; i < 100000; ++i) x += vin[1] * vin[1] - vin[2] * vin[2];
  printf("huge and tiny products %g: overflow %d, underflow %d, inexact %d, divbyzero %d\n", x,
         !!fetestexcept(FE_OVERFLOW), !!fetestexcept(FE_UNDERFLOW), !!fetestexcept(FE_INEXACT),
         !!fetestexcept(FE_DIVBYZERO));
  feclearexcept(FE_ALL_EXCEPT);
  x = 0;
  for (int i = 0; i < 100000; ++i) x += 1.0 / vin[3];
  printf("sum of 1/0 = %g: divbyzero %d, others %d\n", x, !!fetestexcept(FE_DIVBYZERO),
         !!fetestexcept(FE_ALL_EXCEPT & ~FE_DIVBYZERO));
}

// An addition, then a load that faults when p is null; or two additions (the second
// exact, 1 + 1), so that the first one's flags are only in Flags.
static sigjmp_buf jump;
static volatile unsigned seen_fcsr;
static void OnSegv(int sig, siginfo_t* info, void* ctx) {
  (void)sig, (void)info;
  seen_fcsr = ((ucontext_t*)ctx)->uc_mcontext.fpc_csr;
  siglongjmp(jump, 1);
}
static int AddThenLoad(double a, double b, const int* p) {
  int v;
  double t;
  __asm__ volatile("add.d %1, %2, %3\n\tlw %0, 0(%4)" : "=r"(v), "=&f"(t) : "f"(a), "f"(b), "r"(p));
  return v;
}
static int TwoAddsThenLoad(double a, double b, const int* p) {
  int v;
  double t, u;
  __asm__ volatile("add.d %1, %3, %4\n\tadd.d %2, %5, %5\n\tlw %0, 0(%6)"
                   : "=r"(v), "=&f"(t), "=&f"(u) : "f"(a), "f"(b), "f"(1.0), "r"(p));
  return v;
}
static void FaultState(const char* what, int (*op)(double, double, const int*), double a,
                       double b) {
  static const int word = 7;
  int sum = 0;
  feclearexcept(FE_ALL_EXCEPT);
  for (int i = 0; i < kRounds; ++i) sum += op(1.0, 1.0, &word);
  if (sigsetjmp(jump, 1) == 0) {
    op(a, b, NULL);
    printf("no fault?\n");
    return;
  }
  printf("SIGSEGV after %-18s cause %-3s flags %-3s (loads %d)\n", what, Names(CAUSE(seen_fcsr)),
         Names(FLAGS(seen_fcsr)), sum);
}

int main(void) {
  Causes();
  LoopFlags();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = OnSegv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, NULL);
  FaultState("add exact", AddThenLoad, 1.0, 2.0);
  FaultState("add inexact", AddThenLoad, 0.1, 0.2);
  FaultState("add inexact, exact", TwoAddsThenLoad, 0.1, 0.2);
  FaultState("add exact, exact", TwoAddsThenLoad, 1.0, 2.0);
  return 0;
}
