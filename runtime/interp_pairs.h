// Superinstructions: one handler for two instructions that often follow each other in
// a block, so that the pair costs one dispatch (an indirect jump, the next handler's
// address and operands loaded) instead of two. A branch and its delay slot are a pair
// too. Each is the two instructions' own semantics run back to back; a pair whose first
// instruction leaves or annuls its slot goes on as that instruction's handler would.
#ifndef MIPSRUN_RUNTIME_INTERP_PAIRS_H_
#define MIPSRUN_RUNTIME_INTERP_PAIRS_H_

#include "frontend/insn.h"
#include "runtime/interpreter.h"

namespace mipsrun {

// The handler that runs `first` and then `second` (the instruction after it in its
// block; `last`: the block's last one), or null when there is none for them. It goes on
// at the entry after `second`'s, so the entry of `second` keeps its own handler only
// for completeness.
Handler PairHandler(const Insn& first, const Insn& second, bool last, bool big_endian);

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_INTERP_PAIRS_H_
