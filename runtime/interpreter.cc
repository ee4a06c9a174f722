#include "runtime/interpreter.h"

#include "frontend/decoder.h"
#include "frontend/semantics.h"
#include "runtime/interp_exec.h"
#include "runtime/interp_pairs.h"

namespace mipsrun {
namespace {

using interp::Exec;
using interp::ExitAt;

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


template <bool kBig, bool kCheckZero>
constexpr Handler kHandlers[] = {
#define INSN(id, mnem, match, mask, ops, sem, flags) &Exec<Sem##sem, kBig, (flags), kCheckZero>,
#include "frontend/mips_insns.def"
#undef INSN
    &ExecReserved,
};
static_assert(std::size(kHandlers<true, true>) == static_cast<size_t>(InsnId::kCount));

}  // namespace

namespace interp {

bool EndMarker(CpuState& cpu, const ExecInsn* p) { return EndOfBlock(cpu, p); }

}  // namespace interp

Block* NoBlock() {
  static Block none{Block::EmptyTag{}};
  return &none;
}

// A guest can jump to pc 1 too: then the empty successor "matches", and its one
// pseudo-instruction hands pc 1 to the dispatcher (which finds a fetch fault there).
static bool LeaveFromNoBlock(CpuState& cpu, const ExecInsn*) {
  cpu.pc = 1;
  cpu.cur_block = nullptr;
  return false;
}

void* const* EmptyBlockLookup() {
  static void* const* table = [] {
    static void* slots[1u << kBlockLookupBits];
    for (void*& slot : slots) slot = NoBlock();
    return slots;
  }();
  return table;
}

Block::Block(EmptyTag) : start(1), end(1) {
  code.emplace_back(&LeaveFromNoBlock, Insn{});
}

Block::Block() = default;

ExecInsn::ExecInsn(Handler f, Block* b) : fn(f), end{b, {NoBlock(), NoBlock()}} {}

void Block::ClearSuccessors() {
  if (!translatable()) return;  // no end marker, no links
  successors()[0] = successors()[1] = NoBlock();
}

Handler InterpreterHandler(const Insn& insn, bool big_endian) {
  bool dest_not_zero = DestGprOf(insn) > 0;
  size_t i = static_cast<size_t>(insn.id);
  if (dest_not_zero) return big_endian ? kHandlers<true, false>[i] : kHandlers<false, false>[i];
  return big_endian ? kHandlers<true, true>[i] : kHandlers<false, true>[i];
}

std::unique_ptr<Block> BuildBlock(const DecodedBlock& decoded, bool big_endian) {
  auto block = std::make_unique<Block>();
  block->start = decoded.start;
  block->end = decoded.end;
  if (decoded.insns.empty()) {
    Insn fault;
    fault.pc = decoded.start;
    fault.target = decoded.fetch_fault_addr;
    block->code.emplace_back(&ExecFetchFault, fault);
    block->end = decoded.start + 4;
    return block;
  }
  block->code.reserve(decoded.insns.size() + 1);
  const std::vector<Insn>& insns = decoded.insns;
  for (size_t i = 0; i < insns.size(); ++i) {
    block->code.emplace_back(InterpreterHandler(insns[i], big_endian), insns[i]);
  }
  // Superinstructions, paired from the block's end backwards, so that a branch and its
  // delay slot pair and go straight into the end of the block (PairHandler's `last`).
  // The second of a pair is skipped.
  for (size_t i = insns.size(); i >= 2; --i) {
    if (Handler pair = PairHandler(insns[i - 2], insns[i - 1], i == insns.size(), big_endian)) {
      block->code[i - 2].fn = pair;
      --i;
    }
  }
  block->code.emplace_back(&interp::EndMarker, block.get());
  return block;
}

}  // namespace mipsrun
