// Loads fault in hot loops: the handler must find every register (and FCSR) as it was
// at the faulting load, whichever tier ran the loop.
//  1. The fault is in the second block of a two-block loop whose first block also
//     loads and adds, so that running it once more before the fault (resuming too
//     early) shows in $t1.
//  2. A successful sc comes just before the faulting load: it must not run again
//     (it would fail the second time, leaving 0 in $t3).
//  3. A cfc1 comes before a div.s that sets Inexact, then the faulting load: the cfc1
//     must not see that flag, and the handler must.
//  4. A store faults, after a store that comes before any load in its block and a
//     load-add-store of a counter: running the first store again is harmless, running
//     the counter's again would count twice.
//  5. A loop that only stores (so it commits nothing from round to round) walks the
//     whole page to the guard: the interpreter runs it again from before its first
//     round, over more blocks than one recovery covers.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static unsigned long long regs[32];
static unsigned fcsr;
static unsigned fault_insn;
static unsigned long fault_offset;
static unsigned* words;

static void on_segv(int sig, siginfo_t* info, void* context) {
  ucontext_t* uc = context;
  (void)sig;
  memcpy(regs, uc->uc_mcontext.gregs, sizeof regs);
  fcsr = uc->uc_mcontext.fpc_csr;
  fault_insn = *(unsigned*)(unsigned long)uc->uc_mcontext.pc;
  fault_offset = (char*)info->si_addr - (char*)words;
  siglongjmp(back, 1);
}

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  words = mmap(0, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (words == MAP_FAILED) return 1;
  unsigned n = page / 4;
  for (unsigned i = 0; i < n; ++i) words[i] = (n - i) * 7 + 1;  // ..., 15, 8
  words[0] = 5;  // what the first block loads
  mprotect((char*)words + page, page, PROT_NONE);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0);

  if (sigsetjmp(back, 1) == 0) {
    unsigned* start = words + n - 300;  // 300 rounds, then the guard page
    __asm__ volatile(
        ".set push\n .set noreorder\n"
        "  move $t0, %0\n"     // walks to the guard page
        "  move $t5, %1\n"     // always words[0]
        "  li $t1, 0\n"        // sum
        "  li $t2, 0\n"        // rounds
        "  b 1f\n"             // the loop is entered at its first block
        "  nop\n"
        "1: lw $t3, 0($t5)\n"  // first block
        "  addu $t1, $t1, $t3\n"
        "  bnez $t3, 2f\n"
        "  addiu $t1, $t1, 3\n"
        "  break\n"
        "2: lw $t4, 0($t0)\n"  // second block: faults at the guard page
        "  addu $t1, $t1, $t4\n"
        "  addiu $t2, $t2, 1\n"
        "  b 1b\n"
        "  addiu $t0, $t0, 4\n"
        ".set pop\n"
        :
        : "r"(start), "r"(words)
        : "t0", "t1", "t2", "t3", "t4", "t5", "memory");
  }
  unsigned long guard = (unsigned long)words + page;
  printf("fault at the guard page: %s\n", fault_offset == (unsigned long)page ? "yes" : "no");
  printf("faulting instruction %08x\n", fault_insn);
  printf("t0-guard %ld t1 %llu t2 %llu t3 %llu t4 %llu t5-buffer %ld\n",
         (long)(regs[8] - guard), regs[9], regs[10], regs[11], regs[12],
         (long)(regs[13] - (unsigned long)words));

  words[0] = 0;
  if (sigsetjmp(back, 1) == 0) {
    __asm__ volatile(
        ".set push\n .set noreorder\n"
        "  move $t0, %0\n"
        "  move $t5, %1\n"
        "  li $t2, 0\n"
        "  b 1f\n"
        "  nop\n"
        "1: ll $t3, 0($t5)\n"  // words[0] += 1, atomically
        "  addiu $t3, $t3, 1\n"
        "  sc $t3, 0($t5)\n"
        "  lw $t4, 0($t0)\n"   // faults at the guard page
        "  addiu $t2, $t2, 1\n"
        "  b 1b\n"
        "  addiu $t0, $t0, 4\n"
        ".set pop\n"
        :
        : "r"(words + n - 300), "r"(words)
        : "t0", "t2", "t3", "t4", "t5", "memory");
  }
  printf("sc: faulting instruction %08x t0-guard %ld t2 %llu t3 %llu words[0] %u\n", fault_insn,
         (long)(regs[8] - guard), regs[10], regs[11], words[0]);

  if (sigsetjmp(back, 1) == 0) {
    __asm__ volatile(
        ".set push\n .set noreorder\n"
        "  move $t0, %0\n"
        "  lui $t3, 0x3f80\n"  // 1.0f
        "  mtc1 $t3, $f2\n"
        "  lui $t3, 0x4040\n"  // 3.0f
        "  mtc1 $t3, $f4\n"
        "  li $t2, 0\n"
        "  b 1f\n"
        "  nop\n"
        "1: ctc1 $zero, $31\n"
        "  cfc1 $t6, $31\n"    // 0: nothing has happened since the ctc1
        "  div.s $f0, $f2, $f4\n"  // Inexact
        "  lw $t4, 0($t0)\n"   // faults at the guard page
        "  addiu $t2, $t2, 1\n"
        "  b 1b\n"
        "  addiu $t0, $t0, 4\n"
        ".set pop\n"
        :
        : "r"(words + n - 300)
        : "t0", "t2", "t3", "t4", "t6", "$f0", "$f2", "$f4", "memory");
  }
  printf("fpu: faulting instruction %08x t0-guard %ld t2 %llu t6 %llu fcsr %08x\n", fault_insn,
         (long)(regs[8] - guard), regs[10], regs[14], fcsr);

  words[0] = 0;
  words[1] = 0;
  if (sigsetjmp(back, 1) == 0) {
    __asm__ volatile(
        ".set push\n .set noreorder\n"
        "  move $t0, %0\n"     // walks to the guard page
        "  move $t5, %1\n"
        "  li $t1, 0\n"        // rounds
        "  b 1f\n"
        "  nop\n"
        "1: sw $t1, 4($t5)\n"  // words[1] = rounds so far
        "  lw $t3, 0($t5)\n"   // words[0] += 1
        "  addiu $t3, $t3, 1\n"
        "  sw $t3, 0($t5)\n"
        "  addiu $t1, $t1, 1\n"
        "  sw $t1, 0($t0)\n"   // faults at the guard page
        "  b 1b\n"
        "  addiu $t0, $t0, 4\n"
        ".set pop\n"
        :
        : "r"(words + n - 300), "r"(words)
        : "t0", "t1", "t3", "t5", "memory");
  }
  printf("stores: faulting instruction %08x t0-guard %ld t1 %llu t3 %llu words[0] %u words[1] %u\n",
         fault_insn, (long)(regs[8] - guard), regs[9], regs[11], words[0], words[1]);

  if (sigsetjmp(back, 1) == 0) {
    __asm__ volatile(
        ".set push\n .set noreorder\n"
        "  move $t0, %0\n"     // walks to the guard page
        "  li $t1, 0\n"        // rounds
        "  b 1f\n"
        "  nop\n"
        "1: sw $t1, 0($t0)\n"  // faults at the guard page
        "  addiu $t1, $t1, 1\n"
        "  bnez $t1, 2f\n"
        "  nop\n"
        "  break\n"
        "2: b 1b\n"
        "  addiu $t0, $t0, 4\n"
        ".set pop\n"
        :
        : "r"(words)
        : "t0", "t1", "memory");
  }
  printf("store loop: faulting instruction %08x t0-guard %ld t1 %llu words[%u] %u\n", fault_insn,
         (long)(regs[8] - guard), regs[9], n - 1, words[n - 1]);
  return 0;
}
