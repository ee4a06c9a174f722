// Handlers for synchronous traps, as a MIPS kernel delivers them: the siginfo, the
// exact pc and registers in the ucontext, and a return that resumes where the
// ucontext says (the faulting instruction again, or wherever the handler moved pc).
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static char* page;
static volatile int segv_count;
static uint32_t last_pc, last_t0;
static int last_code;
static void* last_addr;

// 1. SIGSEGV on a read-only page: the handler makes it writable and returns; the
//    store runs again and succeeds.
static void on_segv(int sig, siginfo_t* si, void* ctx) {
  ucontext_t* uc = ctx;
  segv_count++;
  last_code = si->si_code;
  last_addr = si->si_addr;
  last_pc = (uint32_t)uc->uc_mcontext.pc;
  last_t0 = (uint32_t)uc->uc_mcontext.gregs[8];
  mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

// 2. SIGILL: the handler steps over the instruction by moving the saved pc.
static void on_ill(int sig, siginfo_t* si, void* ctx) {
  ucontext_t* uc = ctx;
  last_pc = (uint32_t)uc->uc_mcontext.pc;
  last_code = si->si_code;
  uc->uc_mcontext.pc += 4;
  uc->uc_mcontext.gregs[9] = 0x5151;  // $t1, seen after the return
}

// 3. SIGFPE from a division by zero (teq ..., 7): leave by siglongjmp.
static sigjmp_buf jb;
static void on_fpe(int sig, siginfo_t* si, void* ctx) {
  last_code = si->si_code;
  last_addr = si->si_addr;
  siglongjmp(jb, 1);
}

// 4. SIGTRAP from break: the handler skips it.
static void on_trap(int sig, siginfo_t* si, void* ctx) {
  ucontext_t* uc = ctx;
  last_code = si->si_code;
  last_pc = (uint32_t)uc->uc_mcontext.pc;
  uc->uc_mcontext.pc += 4;
}

static void install(int sig, void (*fn)(int, siginfo_t*, void*)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, 0);
}

int main(void) {
  page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  install(SIGSEGV, on_segv);

  // The store, with $t0 holding a known value at the fault.
  uint32_t store_pc;
  __asm__ volatile(
      ".set push\n .set noreorder\n"
      "  li $t0, 0x1234\n"
      "  bal 1f\n"
      "  nop\n"
      "1: addiu %0, $ra, 4\n"
      "  sw $t0, 8(%1)\n"
      ".set pop\n"
      : "=&r"(store_pc)
      : "r"(page)
      : "t0", "ra", "memory");
  printf("segv: count=%d code=%s addr=page+%d pc_ok=%d t0=0x%x value=0x%x\n", segv_count,
         last_code == SEGV_ACCERR ? "SEGV_ACCERR" : "?", (int)((char*)last_addr - page),
         last_pc == store_pc, last_t0, *(uint32_t*)(page + 8));

  // A fault in a delay slot is reported at the branch (EPC with Cause.BD); returning
  // runs the branch again.
  mprotect(page, 4096, PROT_NONE);
  uint32_t branch_pc, out;
  __asm__ volatile(
      ".set push\n .set noreorder\n"
      "  bal 1f\n"
      "  nop\n"
      "1: addiu %0, $ra, 4\n"
      "  beq $zero, $zero, 2f\n"
      "  lw %1, 0(%2)\n"
      "  nop\n"
      "2:\n"
      ".set pop\n"
      : "=&r"(branch_pc), "=&r"(out)
      : "r"(page)
      : "ra", "memory");
  printf("delay slot: count=%d pc_is_branch=%d code=%s\n", segv_count, last_pc == branch_pc,
         last_code == SEGV_ACCERR ? "SEGV_ACCERR" : "?");

  // An unmapped address: SEGV_MAPERR with the address.
  install(SIGSEGV, (void (*)(int, siginfo_t*, void*))on_fpe);
  if (sigsetjmp(jb, 1) == 0) {
    *(volatile int*)0x1230 = 1;
  }
  printf("unmapped: code=%s addr=%p\n", last_code == SEGV_MAPERR ? "SEGV_MAPERR" : "?", last_addr);

  install(SIGILL, on_ill);
  uint32_t ill_pc, t1;
  __asm__ volatile(
      ".set push\n .set noreorder\n"
      "  li $t1, 0\n"
      "  bal 1f\n"
      "  nop\n"
      "1: addiu %0, $ra, 4\n"
      "  .word 0x7c0000ff\n"  // a reserved instruction (SPECIAL3 with no such function)
      "  move %1, $t1\n"
      ".set pop\n"
      : "=&r"(ill_pc), "=&r"(t1)
      :
      : "t1", "ra");
  printf("sigill: pc_ok=%d code=%d t1=0x%x\n", last_pc == ill_pc, last_code, t1);

  install(SIGFPE, on_fpe);
  volatile int zero = 0, n = 7;
  if (sigsetjmp(jb, 1) == 0) {
    n = n / zero;
    printf("no trap\n");
  } else {
    printf("sigfpe: code=%s addr_set=%d\n", last_code == FPE_INTDIV ? "FPE_INTDIV" : "?",
           last_addr != 0);
  }
  // siglongjmp restored the mask: a second trap reaches the handler again.
  if (sigsetjmp(jb, 1) == 0) {
    n = n % zero;
  } else {
    printf("sigfpe again: code=%s\n", last_code == FPE_INTDIV ? "FPE_INTDIV" : "?");
  }

  install(SIGTRAP, on_trap);
  uint32_t brk_pc;
  __asm__ volatile(
      ".set push\n .set noreorder\n"
      "  bal 1f\n"
      "  nop\n"
      "1: addiu %0, $ra, 4\n"
      "  break 3\n"
      ".set pop\n"
      : "=&r"(brk_pc)
      :
      : "ra");
  printf("sigtrap: pc_ok=%d code=%s\n", last_pc == brk_pc, last_code == TRAP_BRKPT ? "TRAP_BRKPT" : "?");

  // kill() sends SIGSEGV too: SI_USER with the sender's pid.
  install(SIGSEGV, (void (*)(int, siginfo_t*, void*))on_fpe);
  if (sigsetjmp(jb, 1) == 0) {
    kill(getpid(), SIGSEGV);
    printf("kill returned first\n");
  }
  printf("sent segv: code=%s\n", last_code == SI_USER ? "SI_USER" : "?");
  return 0;
}
