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
#include "runtime/lazy_fpu.h"

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

struct Block;

// What a block's end marker carries: the block, and the blocks that ran after it (a
// branch's two ways), so that hot loops go from block to block without a hash lookup.
// They are here rather than in Block so that the end of a block reaches them straight
// from its own instruction stream (EndOfBlock). Reset whenever any block is dropped. An
// empty slot holds NoBlock(), never null, so that the lookup needs no null test.
struct BlockEnd {
  Block* block;
  Block* successor[2];
};

// An instruction and its handler; the block's last entry is its end marker, which
// carries the block and its successor links instead.
struct ExecInsn {
  ExecInsn(Handler f, const Insn& i) : fn(f), insn(i) {}
  ExecInsn(Handler f, Block* b);
  Handler fn;
  union {
    Insn insn;     // an instruction
    BlockEnd end;  // the end marker
  };
};

struct Block {
  uint32_t start = 0;
  uint32_t end = 0;           // first byte after the block's last instruction
  std::vector<ExecInsn> code; // the instructions, then the end marker
  uint64_t exec_count = 0;    // runs by the interpreter (see Executor::Loop)
  bool pending = false;       // part of a region that is being compiled
  // Translated code entered at this block (translator/), or null: then it is
  // interpreted.
  NativeCode native = nullptr;
  uint32_t runs_again = 0;    // kRunAgain returns of `native` (Executor::Loop)

  bool translatable() const { return code.size() >= 2; }  // not a fetch fault
  size_t insn_count() const { return code.size() - 1; }   // all but the end marker
  // The successor links (BlockEnd) of a block that has an end marker: one that is
  // translatable(), as is every block whose end the interpreter reaches.
  Block** successors() { return code.back().end.successor; }

  Block();
  void ClearSuccessors();

 private:
  struct EmptyTag {};
  explicit Block(EmptyTag);  // for NoBlock() itself
  friend Block* NoBlock();
};

// The empty successor: its start is 1, where no instruction can be; when a guest jumps
// there all the same, running it leaves for the dispatcher at pc 1.
Block* NoBlock();

// A direct-mapped table from guest pc to cached block (BlockCache owns it), looked up
// at the end of a block whose successor links do not know where it went (an indirect
// jump with many targets: a switch, a return): then the interpreter still goes on
// into the next block without the dispatcher. Empty slots hold NoBlock().
inline constexpr uint32_t kBlockLookupBits = 12;
inline uint32_t BlockLookupIndex(uint32_t pc) {
  return (pc >> 2) & ((1u << kBlockLookupBits) - 1);
}

// The handler for `insn`: its semantics for this byte order, without the $zero test on
// its result when its destination field is not $zero.
Handler InterpreterHandler(const Insn& insn, bool big_endian);

// Pre-decodes `decoded` for execution. A block whose first instruction could not be
// fetched becomes one pseudo-instruction that reports the fetch fault.
std::unique_ptr<Block> BuildBlock(const DecodedBlock& decoded, bool big_endian);

// Runs `block` once. Returns false when it ran to its end (cpu.pc is where execution
// continues), true when an instruction left for the runtime (cpu.exit says why).
// It may go on into successor blocks (see Block::successor); when it returns false,
// cpu.cur_block names the block whose end was reached. FCSR is exact afterwards
// (runtime/lazy_fpu.h), unless a host fault left it: then the caller folds the flags
// of the faulting context in (FaultFcsrFlags) and settles it.
// Translated code (Block::native) is the dispatcher's to run, not this.
inline bool RunBlock(CpuState& cpu, Block& block) {
  ClearHostFpFlags();
  cpu.next_pc = block.end;
  bool left = block.code[0].fn(cpu, block.code.data());
  SettleFpu(cpu);
  return left;
}

// Chaining runs one block into the next by tail calls. Where calls are not sure to be
// tail calls (unoptimized and sanitizer builds) a budget of hops per RunBlock keeps the
// stack shallow; optimized builds chain without a limit.
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
#define MIPSRUN_CHAIN_BUDGET 0
inline constexpr uint32_t kChainBudget = 0;  // unused
#else
#define MIPSRUN_CHAIN_BUDGET 1
inline constexpr uint32_t kChainBudget = 8;
#endif

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_INTERPRETER_H_
