// setjmp/longjmp, function pointers, switch jump tables, computed goto.
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static int depth_reached;

static void dive(int n) {
  depth_reached = n;
  if (n == 37) longjmp(env, n * 2);
  if (n < 1000) dive(n + 1);
}

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int (*const ops[])(int, int) = {add, sub, mul};

static const char* classify(int c) {
  switch (c) {
    case 0: return "zero";
    case 1: return "one";
    case 2: return "two";
    case 3: return "three";
    case 5: return "five";
    case 8: return "eight";
    case 13: return "thirteen";
    case 21: return "twenty-one";
    case 34: return "thirty-four";
    default: return "other";
  }
}

static int run_bytecode(const unsigned char* code) {
  static void* labels[] = {&&op_push, &&op_add, &&op_dup, &&op_halt};
  int stack[16], sp = 0;
  const unsigned char* pc = code;
  goto *labels[*pc];
op_push:
  stack[sp++] = pc[1];
  pc += 2;
  goto *labels[*pc];
op_add:
  sp--;
  stack[sp - 1] += stack[sp];
  pc++;
  goto *labels[*pc];
op_dup:
  stack[sp] = stack[sp - 1];
  sp++;
  pc++;
  goto *labels[*pc];
op_halt:
  return stack[sp - 1];
}

int main(void) {
  int r = setjmp(env);
  if (r == 0) {
    dive(0);
    puts("not reached");
  }
  printf("longjmp returned %d at depth %d\n", r, depth_reached);
  volatile int counter = 0;
  if (setjmp(env) < 3) {
    counter++;
    longjmp(env, counter);
  }
  printf("counter=%d\n", counter);
  for (int i = 0; i < 3; ++i) printf("op%d(7,5)=%d\n", i, ops[i](7, 5));
  for (int i = 0; i < 40; i += 3) printf("%d:%s ", i, classify(i));
  printf("\n");
  const unsigned char prog[] = {0, 20, 0, 22, 1, 2, 1, 3};
  printf("bytecode=%d\n", run_bytecode(prog));
  return 0;
}
