#include "runtime/interpreter.h"

#include "frontend/semantics.h"
#include "runtime/interp_emitter.h"

namespace mipsrun {
namespace {

// An instruction left for the runtime. A delay-slot instruction reports at its branch,
// with Cause.BD, as the kernel does.
bool ExitAt(CpuState& cpu, const ExecInsn* p) {
  cpu.in_delay_slot = p->insn.delay_slot;
  if (cpu.in_delay_slot) {
    cpu.branch_pc = p->insn.pc - 4;
    if (cpu.exit == ExitReason::kException) cpu.pc = cpu.branch_pc;
  }
  return true;
}

template <class Sem, bool kBig, uint32_t kFlags>
bool Exec(CpuState& cpu, const ExecInsn* p) {
  InterpEmitter<kBig, kFlags> e(cpu, p->insn);
  Sem::Run(e, p->insn);
  int r = e.result();
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

bool ExecReserved(CpuState& cpu, const ExecInsn* p) {
  cpu.exit = ExitReason::kException;
  cpu.exception = Exception::kReserved;
  cpu.exception_code = 0;
  cpu.pc = p->insn.pc;
  return ExitAt(cpu, p);
}

// Pseudo-instruction of a block that could not be fetched: pc is the instruction
// (or branch) being fetched for, target the address that was not executable.
bool ExecFetchFault(CpuState& cpu, const ExecInsn* p) {
  cpu.exit = ExitReason::kFetchFault;
  cpu.pc = p->insn.pc;
  cpu.fault_addr = p->insn.target;
  return true;
}

// The end of every block: go straight on into the next block when the successor links
// know it, without returning to the dispatcher; a tail call, so the stack does not
// grow in optimized builds. The budget bounds a chain where calls are not tail calls
// (unoptimized and sanitizer builds) and brings the dispatcher back regularly.
bool EndOfBlock(CpuState& cpu, const ExecInsn*) {
  uint32_t pc = cpu.next_pc;
  cpu.pc = pc;
  if (cpu.chain_budget == 0) return false;
  Block* const* succ = static_cast<Block*>(cpu.cur_block)->successor;
  Block* next = succ[0];
  if (!next || next->start != pc) {
    next = succ[1];
    if (!next || next->start != pc) return false;
  }
  --cpu.chain_budget;
  cpu.cur_block = next;
  ++next->exec_count;
  cpu.next_pc = next->end;
  return next->code[0].fn(cpu, next->code.data());
}

template <bool kBig>
constexpr Handler kHandlers[] = {
#define INSN(id, mnem, match, mask, ops, sem, flags) &Exec<Sem##sem, kBig, (flags)>,
#include "frontend/mips_insns.def"
#undef INSN
    &ExecReserved,
};
static_assert(std::size(kHandlers<true>) == static_cast<size_t>(InsnId::kCount));

}  // namespace

Handler InterpreterHandler(InsnId id, bool big_endian) {
  return big_endian ? kHandlers<true>[static_cast<size_t>(id)]
                    : kHandlers<false>[static_cast<size_t>(id)];
}

std::unique_ptr<Block> BuildBlock(const DecodedBlock& decoded, bool big_endian) {
  auto block = std::make_unique<Block>();
  block->start = decoded.start;
  block->end = decoded.end;
  if (decoded.insns.empty()) {
    Insn fault;
    fault.pc = decoded.start;
    fault.target = decoded.fetch_fault_addr;
    block->code.push_back({&ExecFetchFault, fault});
    block->end = decoded.start + 4;
    return block;
  }
  block->code.reserve(decoded.insns.size() + 1);
  for (const Insn& insn : decoded.insns) {
    block->code.push_back({InterpreterHandler(insn.id, big_endian), insn});
  }
  block->code.push_back({&EndOfBlock, Insn{}});
  return block;
}

}  // namespace mipsrun
