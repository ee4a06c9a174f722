// Store-to-load forwarding for guest memory, which LLVM's own passes leave alone: guest
// accesses are volatile (translator/llvm_emitter.h), so that every one of them happens,
// in order, even into $zero.
#ifndef MIPSRUN_TRANSLATOR_FORWARD_STORES_H_
#define MIPSRUN_TRANSLATOR_FORWARD_STORES_H_

#include "llvm/IR/Function.h"

namespace mipsrun {

// Replaces each guest load that reads what a guest store just wrote (the same pointer
// value and type, later in the same basic block, with no other guest store and nothing
// else that may write memory between them, calls included) by the stored value.
// Legal in every case the condition admits: the load cannot fault where the store to
// the same bytes did not, and a load that reads the thread's own latest store is what
// any memory model allows, whatever other threads do. CpuState stores (not volatile)
// never alias guest memory, which is a reservation of its own. Returns how many loads
// it replaced.
int ForwardGuestStores(llvm::Function& f);

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_FORWARD_STORES_H_
