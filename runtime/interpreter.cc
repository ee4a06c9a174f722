#include "runtime/interpreter.h"

#include "frontend/semantics.h"
#include "runtime/interp_emitter.h"

namespace mipsrun {
namespace {

template <class Sem, bool kBig, uint32_t kFlags>
int Exec(CpuState& cpu, const Insn& insn) {
  InterpEmitter<kBig, kFlags> e(cpu, insn);
  Sem::Run(e, insn);
  return e.result();
}

int ExecReserved(CpuState& cpu, const Insn& insn) {
  cpu.exit = ExitReason::kException;
  cpu.exception = Exception::kReserved;
  cpu.exception_code = 0;
  cpu.pc = insn.pc;
  return kExitBlock;
}

// Pseudo-instruction of a block that could not be fetched: pc is the instruction
// (or branch) being fetched for, target the address that was not executable.
int ExecFetchFault(CpuState& cpu, const Insn& insn) {
  cpu.exit = ExitReason::kFetchFault;
  cpu.pc = insn.pc;
  cpu.fault_addr = insn.target;
  return kExitBlock;
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
  block->code.reserve(decoded.insns.size());
  for (const Insn& insn : decoded.insns) {
    block->code.push_back({InterpreterHandler(insn.id, big_endian), insn});
  }
  return block;
}

bool RunBlock(CpuState& cpu, const Block& block) {
  cpu.next_pc = block.end;
  const ExecInsn* p = block.code.data();
  const ExecInsn* end = p + block.code.size();
  while (p < end) {
    int r = p->fn(cpu, p->insn);
    if (__builtin_expect(r == kContinue, 1)) {
      ++p;
    } else if (r == kAnnulSlot) {
      p += 2;  // the delay slot is the block's last instruction
    } else {
      // A delay-slot instruction reports at its branch, with Cause.BD, as the kernel does.
      cpu.in_delay_slot = p->insn.delay_slot;
      if (cpu.in_delay_slot) {
        cpu.branch_pc = p->insn.pc - 4;
        if (cpu.exit == ExitReason::kException) cpu.pc = cpu.branch_pc;
      }
      return true;
    }
  }
  cpu.pc = cpu.next_pc;
  return false;
}

}  // namespace mipsrun
