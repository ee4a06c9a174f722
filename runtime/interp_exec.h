// The interpreter's handler bodies (runtime/interpreter.cc and its superinstructions,
// runtime/interp_pairs.cc): one instruction's semantics for the interpreter's emitter,
// then on to the next handler by a tail call, or out to the runtime.
#ifndef MIPSRUN_RUNTIME_INTERP_EXEC_H_
#define MIPSRUN_RUNTIME_INTERP_EXEC_H_

#include <cstdint>

#include "frontend/semantics.h"
#include "runtime/interp_emitter.h"
#include "runtime/interpreter.h"

namespace mipsrun::interp {

// An instruction left for the runtime. A delay-slot instruction reports at its branch,
// with Cause.BD, as the kernel does.
inline bool ExitAt(CpuState& cpu, const ExecInsn* p) {
  cpu.in_delay_slot = p->insn.delay_slot;
  if (cpu.in_delay_slot) {
    cpu.branch_pc = p->insn.pc - 4;
    if (cpu.exit == ExitReason::kException) cpu.pc = cpu.branch_pc;
  }
  return true;
}

// The end of every block (`p` is its end marker): go straight on into the next block
// when the successor links or the block lookup table know it, without returning to the
// dispatcher; a tail call, so the stack does not grow in optimized builds. The budget
// bounds a chain where calls are not tail calls (unoptimized and sanitizer builds) and
// brings the dispatcher back regularly.
[[gnu::always_inline]] inline bool EndOfBlock(CpuState& cpu, const ExecInsn* p) {
  uint32_t pc = cpu.next_pc;
  const BlockEnd& end = p->end;
  Block* next = end.successor[0];
  if (next->start != pc) {
    next = end.successor[1];
    if (next->start != pc) {
      next = static_cast<Block*>(cpu.block_lookup[BlockLookupIndex(pc)]);
      if (next->start != pc) goto leave;
    }
  }
  // The dispatcher takes over for translated code, for a block about to become hot,
  // and when translations wait to be published.
  if (next->native) goto leave;
  if (next->exec_count + 1 >= cpu.hot_threshold && !next->pending) goto leave;
  if (__atomic_load_n(&cpu.interrupt, __ATOMIC_RELAXED)) goto leave;
#if MIPSRUN_CHAIN_BUDGET
  if (cpu.chain_budget == 0) goto leave;
  --cpu.chain_budget;
#endif
  ++next->exec_count;
  cpu.next_pc = next->end;
  return next->code[0].fn(cpu, next->code.data());
leave:
  cpu.pc = pc;
  cpu.cur_block = end.block;
  return false;
}

// The end marker's handler, which every block ends with (runtime/interpreter.cc); a
// superinstruction that ends a block has EndOfBlock inline instead, so that the jump into
// the next block is its own, which the host predicts better than one shared by all.
bool EndMarker(CpuState& cpu, const ExecInsn* p);

// Runs the instruction at `p` and returns what its semantics said (HandlerResult).
template <class Sem, bool kBig, uint32_t kFlags, bool kCheckZero>
inline int RunOne(CpuState& cpu, const ExecInsn* p) {
  InterpEmitter<kBig, kFlags, kCheckZero> e(cpu, p->insn);
  Sem::Run(e, p->insn);
  return e.result();
}

// After the instruction at `p` gave `r`: the next handler, or out.
[[gnu::always_inline]] inline bool GoOn(CpuState& cpu, const ExecInsn* p, int r) {
  if (__builtin_expect(r == kContinue, 1)) {
    ++p;
    return p->fn(cpu, p);  // a sibling call: GCC and Clang emit a jump at -O1 and up
  }
  if (r == kAnnulSlot) {
    p += 2;  // the delay slot is the block's last instruction
    return p->fn(cpu, p);
  }
  return ExitAt(cpu, p);
}

template <class Sem, bool kBig, uint32_t kFlags, bool kCheckZero>
bool Exec(CpuState& cpu, const ExecInsn* p) {
  return GoOn(cpu, p, RunOne<Sem, kBig, kFlags, kCheckZero>(cpu, p));
}

}  // namespace mipsrun::interp

#endif  // MIPSRUN_RUNTIME_INTERP_EXEC_H_
