// A switch-based bytecode interpreter running a counting loop (indirect jumps).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
enum { PUSH, LOAD, STORE, ADD, SUB, MUL, JNZ, DUP, POP, HALT, XOR, SHR };
// 32-bit values so that every build computes the same thing.
static uint32_t run(const int* code, uint32_t n) {
  uint32_t stack[64], vars[8] = {n, 0, 0, 0, 0, 0, 0, 0};
  int sp = 0;
  const int* pc = code;
  for (;;) {
    switch (*pc++) {
      case PUSH: stack[sp++] = *pc++; break;
      case LOAD: stack[sp++] = vars[*pc++]; break;
      case STORE: vars[*pc++] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case SHR: sp--; stack[sp - 1] >>= stack[sp]; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case POP: sp--; break;
      case JNZ: { int t = *pc++; if (stack[--sp]) pc = code + t; break; }
      case HALT: return vars[1];
    }
  }
}
int main(int argc, char** argv) {
  uint32_t n = argc > 1 ? (uint32_t)atol(argv[1]) : 3000000;
  // acc = ((acc * 33) ^ i) >> 1 ... for i = n down to 1
  const int code[] = {
      /* 0 */ LOAD, 1, PUSH, 33, MUL, LOAD, 0, XOR, PUSH, 1, SHR, STORE, 1,
      /* 13 */ LOAD, 0, PUSH, 1, SUB, DUP, STORE, 0, JNZ, 0, HALT};
  printf("result %u\n", run(code, n));
  return 0;
}
