// The architectural state of one guest thread, and how execution left guest code.
#ifndef MIPSRUN_RUNTIME_CPU_STATE_H_
#define MIPSRUN_RUNTIME_CPU_STATE_H_

#include <cstdint>

#include "frontend/insn.h"
#include "frontend/semantics.h"

namespace mipsrun {

// Why the interpreter (or, later, translated code) handed control back to the runtime.
enum class ExitReason : uint8_t {
  kNone,
  kSyscall,     // pc = the syscall instruction
  kException,   // pc = the faulting instruction; exception/exception_code say which
  kSynci,       // pc = the instruction after synci; synci_addr names the line
  kMemoryFault, // host fault on a guest access; pc = the instruction, fault_addr set
  kFetchFault,  // pc is not executable (unmapped, or not readable)
};

struct CpuState;

// Host code for guest code (translator/): the interpreter's block contract, see
// translator/translator.h.
using NativeCode = uint32_t (*)(CpuState*);
// What it returns (translator/translator.h).
inline constexpr uint32_t kLeftRegion = 0;
inline constexpr uint32_t kExited = 1;
inline constexpr uint32_t kRunAgain = 2;

// A small direct-mapped cache from guest pc to translated code, per guest thread, that
// translated code consults at indirect jumps (jr, jalr, returns) before leaving to the
// dispatcher. An empty entry has pc 1, where no instruction can be; but a guest can
// still jump there, so its code leaves for the dispatcher at pc 1 (to a fetch fault).
uint32_t LeaveForPcOne(CpuState* cpu);
struct JumpCacheEntry {
  uint32_t pc = 1;
  NativeCode code = &LeaveForPcOne;
};
inline constexpr uint32_t kJumpCacheBits = 10;
inline uint32_t JumpCacheIndex(uint32_t pc) { return (pc >> 2) & ((1u << kJumpCacheBits) - 1); }

// A block lookup table (runtime/interpreter.h) with every slot empty: the interpreter's
// until an executor gives it its block cache's, so that it never holds null.
void* const* EmptyBlockLookup();

struct CpuState {
  uint32_t gpr[34] = {};          // $0..$31, then HI (kRegHi) and LO (kRegLo)
  uint32_t pc = 0;                // next instruction to run
  uint32_t next_pc = 0;           // where a block continues after its last instruction
  uint64_t fpr[32] = {};          // FPRs; with FR=0 a word lives in the low half
  uint32_t fcsr = 0;              // FPU control/status (FCSR, $31)
  uint32_t tls = 0;               // UserLocal, read by rdhwr $29 (set_thread_area)
  bool fr = false;                // Status.FR: 64-bit FPRs (true) or pairs (false)
  bool ll_valid = false;          // LLbit: cleared by sc and by every kernel entry
  uint32_t ll_addr = 0;           // address of the last ll
  uint32_t ll_value = 0;          // value it loaded (sc succeeds if memory still has it)
  uint8_t* mem = nullptr;         // host address of guest address 0

  // Filled when a block exits to the runtime.
  ExitReason exit = ExitReason::kNone;
  Exception exception = Exception::kNone;
  uint32_t exception_code = 0;    // trap/break code
  uint32_t fault_addr = 0;        // guest address of a memory fault / synci line
  bool in_delay_slot = false;     // the exiting instruction is a delay slot (Cause.BD)
  uint32_t branch_pc = 0;         // with in_delay_slot: the branch's address (EPC)
  const Insn* cur_mem_insn = nullptr;  // the interpreter's guest access in flight
  uint32_t fp_trapped = 0;        // translated code: the last FPU helper trapped
  uint32_t fp_helper_fcsr = 0;    // translated code: FCSR after that helper
  // The last FPU operation of lazy arithmetic (either tier), whose Cause FCSR does not
  // have yet (runtime/lazy_fpu.h), and the operands it reads; 0 when Cause is exact.
  uint32_t fp_pending = 0;
  uint64_t fp_pending_ops[3] = {};

  // Set (atomically, from any thread) to make guest code come back to the dispatcher at
  // its next block boundary or loop back edge: translations are ready to publish.
  uint32_t interrupt = 0;
  JumpCacheEntry* jump_cache = nullptr;  // kJumpCacheSize entries, or null (no tier 2)

  // The interpreter's own: the block being run, and how many more blocks may follow it
  // by direct chaining before control returns to the dispatcher.
  void* cur_block = nullptr;
  uint32_t chain_budget = 0;
  void* const* block_lookup = EmptyBlockLookup();  // Block* by BlockLookupIndex
  uint64_t hot_threshold = UINT64_MAX;  // exec_count at which a block goes to tier 2
};

inline uint32_t LeaveForPcOne(CpuState* cpu) {
  cpu->pc = 1;
  return 0;
}

// Switches Status.FR (prctl PR_SET_FP_MODE). The FPU's physical registers are 64 bits
// wide: with FR=0 the odd single-precision registers are the upper halves of the even
// ones. Here each register keeps its word in fpr[n] while FR=0, so the switch moves the
// halves to where the other mode reads them; FR=1's odd registers start as the upper
// halves, as the hardware leaves them.
inline void SetFpuMode(CpuState& cpu, bool fr) {
  if (fr == cpu.fr) return;
  for (unsigned n = 0; n < 32; n += 2) {
    if (fr) {
      cpu.fpr[n] = (cpu.fpr[n + 1] << 32) | static_cast<uint32_t>(cpu.fpr[n]);
      cpu.fpr[n + 1] = cpu.fpr[n] >> 32;
    } else {
      cpu.fpr[n + 1] = cpu.fpr[n] >> 32;
      cpu.fpr[n] = static_cast<uint32_t>(cpu.fpr[n]);
    }
  }
  cpu.fr = fr;
}

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_CPU_STATE_H_
