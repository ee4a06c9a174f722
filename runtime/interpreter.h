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

// What an instruction handler tells the block loop.
enum HandlerResult : int {
  kContinue = 0,
  kAnnulSlot = 1,  // branch-likely not taken: skip the delay slot
  kExitBlock = 2,  // cpu.exit says why
};

using Handler = int (*)(CpuState&, const Insn&);

struct ExecInsn {
  Handler fn;
  Insn insn;
};

struct Block {
  uint32_t start = 0;
  uint32_t end = 0;           // first byte after the block's last instruction
  std::vector<ExecInsn> code;
  uint64_t exec_count = 0;
  Block* successor = nullptr; // the block that ran after this one last time
};

Handler InterpreterHandler(InsnId id, bool big_endian);

// Pre-decodes `decoded` for execution. A block whose first instruction could not be
// fetched becomes one pseudo-instruction that reports the fetch fault.
std::unique_ptr<Block> BuildBlock(const DecodedBlock& decoded, bool big_endian);

// Runs `block` once. Returns false when it ran to its end (cpu.pc is where execution
// continues), true when an instruction left for the runtime (cpu.exit says why).
bool RunBlock(CpuState& cpu, const Block& block);

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_INTERPRETER_H_
