// Block discovery: the straight-line run of instructions from a guest pc up to and
// including the first control transfer and its delay slot, or an instruction that
// always leaves to the runtime (syscall, break, synci, reserved).
#ifndef MIPSRUN_FRONTEND_BLOCK_H_
#define MIPSRUN_FRONTEND_BLOCK_H_

#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "frontend/insn.h"

namespace mipsrun {

inline constexpr size_t kMaxBlockInsns = 128;

struct DecodedBlock {
  uint32_t start = 0;
  uint32_t end = 0;            // address after the last instruction (the fall-through)
  bool ends_in_branch = false; // the last two instructions are a branch and its slot
  std::vector<Insn> insns;     // empty: a fetch fault, see fetch_fault_addr
  uint32_t fetch_fault_addr = 0;  // with no insns: the address that could not be read
};

// `fetch(addr, &word)` reads an instruction word in host order, false if the address
// is not executable. A branch in a delay slot is UNPREDICTABLE; it decodes as reserved.
DecodedBlock DiscoverBlock(uint32_t pc, absl::FunctionRef<bool(uint32_t, uint32_t*)> fetch,
                           size_t max_insns = kMaxBlockInsns);

// The guest addresses that the block of `insns` (n > 0, ending at `end`) can go to by
// itself: a conditional branch's target and its fall-through, an unconditional one's
// target (j, jal, b, bal), `end` after a block that does not end in a transfer. An
// indirect jump has none. Returns how many of out[0..1] it filled.
size_t StaticSuccessors(const Insn* insns, size_t n, uint32_t end, uint32_t out[2]);

// Whether the block of `insns` ends in a call (a linking branch or jump, then its delay
// slot): its end is then the call's return point.
bool EndsInCall(const Insn* insns, size_t n);

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_BLOCK_H_
