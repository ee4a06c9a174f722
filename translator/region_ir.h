// The state that the emitters of one region's instructions share while its function is
// built: the builder, the CpuState pointer, and the guest registers cached in host
// registers.
//
// Each guest GPR (and HI, LO) the region touches gets a stack slot that SROA turns into
// SSA values, loaded from CpuState once at the region's entry. Writes mark the
// register dirty; Commit() writes the dirty ones back. The emitters commit before every
// guest memory access, helper call and exit, and the region compiler at every block
// end, so CpuState is exact wherever guest code can fault or leave and registers still
// flow from block to block in host registers. FPRs and FCSR stay in CpuState: the FPU
// helpers work on them there.
#ifndef MIPSRUN_TRANSLATOR_REGION_IR_H_
#define MIPSRUN_TRANSLATOR_REGION_IR_H_

#include <cstddef>
#include <cstdint>

#include "llvm/IR/IRBuilder.h"
#include "runtime/cpu_state.h"

namespace mipsrun {

class RegionIr {
 public:
  static constexpr unsigned kCachedRegs = 34;  // $0..$31, HI, LO

  // `entry` is the function's entry block, already ended by a terminator: slots and
  // their initial loads go in before it.
  RegionIr(llvm::LLVMContext& ctx, llvm::IRBuilder<>& b, llvm::Function* fn,
           llvm::BasicBlock* entry)
      : ctx(ctx), b(b), fn(fn), entry_b_(entry->getTerminator()) {
    cpu = fn->getArg(0);
    mem = entry_b_.CreateLoad(entry_b_.getPtrTy(), FieldIn(entry_b_, offsetof(CpuState, mem)));
    next_pc = entry_b_.CreateAlloca(entry_b_.getInt32Ty(), nullptr, "next_pc");
  }

  llvm::LLVMContext& ctx;
  llvm::IRBuilder<>& b;
  llvm::Function* fn;
  llvm::Value* cpu;                  // CpuState*
  llvm::Value* mem;                  // host address of guest 0 (it never changes)
  llvm::AllocaInst* next_pc;         // where the current block continues
  llvm::Value* annul = nullptr;      // set by a branch-likely: i1, true when not taken

  llvm::Value* Field(size_t offset) { return FieldIn(b, offset); }

  llvm::Value* Reg(unsigned r) { return b.CreateLoad(b.getInt32Ty(), Slot(r)); }
  void SetReg(unsigned r, llvm::Value* v) {
    b.CreateStore(v, Slot(r));
    dirty_ |= uint64_t{1} << r;
  }

  // Writes the dirty registers back to CpuState. `keep_dirty` for a path that leaves
  // (an exception), so that the path that goes on still commits them later.
  void Commit(bool keep_dirty = false) {
    for (unsigned r = 0; r < kCachedRegs; ++r) {
      if (dirty_ & (uint64_t{1} << r)) {
        b.CreateStore(b.CreateLoad(b.getInt32Ty(), slots_[r]),
                      Field(offsetof(CpuState, gpr) + 4 * r));
      }
    }
    if (!keep_dirty) dirty_ = 0;
  }
  bool clean() const { return dirty_ == 0; }

 private:
  static llvm::Value* FieldIn(llvm::IRBuilder<>& b, size_t offset) {
    return b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), b.GetInsertBlock()->getParent()->getArg(0),
                                        offset);
  }
  llvm::AllocaInst* Slot(unsigned r) {
    if (!slots_[r]) {
      slots_[r] = entry_b_.CreateAlloca(entry_b_.getInt32Ty());
      llvm::Value* initial = entry_b_.CreateLoad(
          entry_b_.getInt32Ty(), FieldIn(entry_b_, offsetof(CpuState, gpr) + 4 * r));
      entry_b_.CreateStore(initial, slots_[r]);
    }
    return slots_[r];
  }

  llvm::IRBuilder<> entry_b_;  // inserts before the entry block's terminator
  llvm::AllocaInst* slots_[kCachedRegs] = {};
  uint64_t dirty_ = 0;
};

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_REGION_IR_H_
