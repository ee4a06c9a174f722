// The interpreter tier: blocks are decoded once into arrays of (handler, insn) pairs
// and then run by a tight loop, with each handler a semantics function from
// frontend/semantics.h instantiated for the interpreter's emitter and the guest's byte
// order. No per-instruction fetch or decode happens on the hot path.
#ifndef MIPSRUN_RUNTIME_INTERPRETER_H_
#define MIPSRUN_RUNTIME_INTERPRETER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "frontend/block.h"
#include "frontend/insn.h"
#include "runtime/cpu_state.h"

namespace mipsrun {

// What an instruction's semantics told its handler.
enum HandlerResult : int {
  kContinue = 0,
  kAnnulSlot = 1,  // branch-likely not taken: skip the delay slot
  kExitBlock = 2,  // cpu.exit says why
};

struct ExecInsn;

// Runs the instruction at `p` and then, by a tail call to the next handler, the rest
// of its block (threaded code: no loop and no return between instructions). Every
// block ends with an end marker. Returns true when an instruction left for the runtime
// (cpu.exit says why), false when the block ran to its end (cpu.pc is set).
using Handler = bool (*)(CpuState& cpu, const ExecInsn* p);

struct ExecInsn {
  Handler fn;
  Insn insn;
};

struct Block {
  uint32_t start = 0;
  uint32_t end = 0;           // first byte after the block's last instruction
  std::vector<ExecInsn> code; // the instructions, then the end marker
  uint64_t exec_count = 0;
  // Blocks that ran after this one (a branch's two ways), so that hot loops go from
  // block to block without a hash lookup. Cleared whenever any block is dropped.
  Block* successor[2] = {nullptr, nullptr};
};

Handler InterpreterHandler(InsnId id, bool big_endian);

// Pre-decodes `decoded` for execution. A block whose first instruction could not be
// fetched becomes one pseudo-instruction that reports the fetch fault.
std::unique_ptr<Block> BuildBlock(const DecodedBlock& decoded, bool big_endian);

// Runs `block` once. Returns false when it ran to its end (cpu.pc is where execution
// continues), true when an instruction left for the runtime (cpu.exit says why).
// It may go on into successor blocks (see Block::successor) up to cpu.chain_budget;
// cpu.cur_block then names the block that ended the run.
inline bool RunBlock(CpuState& cpu, Block& block) {
  cpu.cur_block = &block;
  cpu.next_pc = block.end;
  return block.code[0].fn(cpu, block.code.data());
}

#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
inline constexpr uint32_t kChainBudget = 4096;
#else
inline constexpr uint32_t kChainBudget = 8;  // no tail calls: keep the stack shallow
#endif

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_INTERPRETER_H_
