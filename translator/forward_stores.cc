#include "translator/forward_stores.h"

#include "llvm/IR/Instructions.h"

namespace mipsrun {

int ForwardGuestStores(llvm::Function& f) {
  int replaced = 0;
  for (llvm::BasicBlock& bb : f) {
    llvm::StoreInst* last = nullptr;  // the latest guest store, while nothing else wrote
    for (auto it = bb.begin(); it != bb.end();) {
      llvm::Instruction& inst = *it++;
      if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&inst)) {
        if (store->isVolatile()) last = store;
        continue;
      }
      if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&inst)) {
        if (last && load->isVolatile() &&
            load->getPointerOperand() == last->getPointerOperand() &&
            load->getType() == last->getValueOperand()->getType()) {
          load->replaceAllUsesWith(last->getValueOperand());
          load->eraseFromParent();
          ++replaced;
        }
        continue;
      }
      if (inst.mayWriteToMemory()) last = nullptr;
    }
  }
  return replaced;
}

}  // namespace mipsrun
