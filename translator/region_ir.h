// The state that the emitters of one region's instructions share while its function is
// built: the builder, the CpuState pointer, and the guest registers cached in host
// registers.
//
// Each guest register the region touches (GPRs, HI, LO, FCSR, FPRs) gets a stack slot
// that SROA turns into SSA values, loaded from CpuState once at the region's entry.
// Writes mark the register dirty; Commit() writes the dirty ones back. The emitters
// commit before every guest memory access, helper call and exit, and the region
// compiler at every block end, so CpuState is exact wherever guest code can fault or
// leave and registers still flow from block to block in host registers. FPR slots hold
// CpuState::fpr's 64-bit words as they are; the FR views are frontend/semantics.h's.
// Four more slots hold the record of the last inlined FPU operation whose Cause FCSR
// does not have yet (CpuState::fp_pending, runtime/lazy_fpu.h): like the registers, it
// reaches CpuState only where the runtime could look.
#ifndef MIPSRUN_TRANSLATOR_REGION_IR_H_
#define MIPSRUN_TRANSLATOR_REGION_IR_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "llvm/IR/IRBuilder.h"
#include "runtime/cpu_state.h"

namespace mipsrun {

class RegionIr {
 public:
  // Slot numbers: $0..$31, HI, LO (as CpuState::gpr), then FCSR, then the 32 FPRs, then
  // fp_pending and its three operands.
  static constexpr unsigned kFcsrSlot = 34;
  static constexpr unsigned kFprSlot0 = 35;
  static constexpr unsigned kPendingSlot = kFprSlot0 + 32;
  static constexpr unsigned kSlots = kPendingSlot + 4;

  // `entry` is the function's entry block, already ended by a terminator: the slots go
  // in before it. `landings`, also ended by terminators, are where the code is entered
  // (one per entry block): each loads every slot's register from CpuState. A register
  // that is not live where a landing leads then has a load nobody uses, which LLVM
  // drops; the code entered at a block loads only what that block needs.
  // `fr`: the FPU register mode the code is for.
  RegionIr(llvm::LLVMContext& ctx, llvm::IRBuilder<>& b, llvm::Function* fn,
           llvm::BasicBlock* entry, const std::vector<llvm::BasicBlock*>& landings, bool fr)
      : ctx(ctx), b(b), fn(fn), fr(fr), entry_b_(entry->getTerminator()) {
    for (llvm::BasicBlock* landing : landings) landing_ends_.push_back(landing->getTerminator());
    cpu = fn->getArg(0);
    mem = entry_b_.CreateLoad(entry_b_.getPtrTy(), FieldIn(entry_b_, offsetof(CpuState, mem)));
    next_pc = entry_b_.CreateAlloca(entry_b_.getInt32Ty(), nullptr, "next_pc");
  }

  llvm::LLVMContext& ctx;
  llvm::IRBuilder<>& b;
  llvm::Function* fn;
  const bool fr;
  llvm::Value* cpu;                  // CpuState*
  llvm::Value* mem;                  // host address of guest 0 (it never changes)
  llvm::AllocaInst* next_pc;         // where the current block continues
  llvm::Value* annul = nullptr;      // set by a branch-likely: i1, true when not taken

  llvm::Value* Field(size_t offset) { return FieldIn(b, offset); }

  llvm::Value* Reg(unsigned r) { return Get(r); }  // i32
  void SetReg(unsigned r, llvm::Value* v) { Set(r, v); }
  llvm::Value* Fcsr() { return Get(kFcsrSlot); }  // i32
  void SetFcsr(llvm::Value* v) { Set(kFcsrSlot, v); }
  llvm::Value* Fpr(unsigned n) { return Get(kFprSlot0 + n); }  // i64, CpuState::fpr[n]
  void SetFpr(unsigned n, llvm::Value* v) { Set(kFprSlot0 + n, v); }

  // Writes the dirty registers back to CpuState. `keep_dirty` for a path that leaves
  // (an exception) or calls a helper on one side of a branch, so that the path that
  // goes on still commits them later.
  void Commit(bool keep_dirty = false) {
    for (unsigned s = 0; s < kSlots; ++s) {
      if (dirty_[s]) Store(s);
    }
    if (!keep_dirty) dirty_.reset();
  }
  // The last inlined FPU operation (FpPendingCode) and its operands (c may be null).
  void RecordFp(uint32_t code, llvm::Value* a, llvm::Value* bv, llvm::Value* c) {
    Set(kPendingSlot, b.getInt32(code));
    Set(kPendingSlot + 1, a);
    if (bv) Set(kPendingSlot + 2, bv);
    if (c) Set(kPendingSlot + 3, c);
  }
  // FCSR's Cause is exact (an operation set it itself).
  void ClearFpRecord() { Set(kPendingSlot, b.getInt32(0)); }

  // FCSR and the record to CpuState for a helper that reads them, and FCSR back into
  // its slot after a helper that settled it (runtime/lazy_fpu.h: no record is left).
  void CommitFcsr() {
    for (unsigned s : {kFcsrSlot, kPendingSlot, kPendingSlot + 1, kPendingSlot + 2, kPendingSlot + 3}) {
      if (dirty_[s]) Store(s);
    }
  }
  void ReloadFcsr() {
    b.CreateStore(b.CreateLoad(b.getInt32Ty(), Field(OffsetOf(kFcsrSlot))), Slot(kFcsrSlot));
    b.CreateStore(b.getInt32(0), Slot(kPendingSlot));
  }
  bool clean() const { return dirty_.none(); }

 private:
  static llvm::Value* FieldIn(llvm::IRBuilder<>& b, size_t offset) {
    return b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), b.GetInsertBlock()->getParent()->getArg(0),
                                        offset);
  }
  static size_t OffsetOf(unsigned s) {
    if (s < kFcsrSlot) return offsetof(CpuState, gpr) + 4 * s;
    if (s == kFcsrSlot) return offsetof(CpuState, fcsr);
    if (s == kPendingSlot) return offsetof(CpuState, fp_pending);
    if (s > kPendingSlot) return offsetof(CpuState, fp_pending_ops) + 8 * (s - kPendingSlot - 1);
    return offsetof(CpuState, fpr) + 8 * (s - kFprSlot0);
  }
  llvm::Type* TypeOf(unsigned s) const {
    return s >= kFprSlot0 && s != kPendingSlot ? b.getInt64Ty() : b.getInt32Ty();
  }
  llvm::Value* Get(unsigned s) { return b.CreateLoad(TypeOf(s), Slot(s)); }
  void Set(unsigned s, llvm::Value* v) {
    b.CreateStore(v, Slot(s));
    dirty_[s] = true;
  }
  void Store(unsigned s) { b.CreateStore(b.CreateLoad(TypeOf(s), slots_[s]), Field(OffsetOf(s))); }
  llvm::AllocaInst* Slot(unsigned s) {
    if (!slots_[s]) {
      slots_[s] = entry_b_.CreateAlloca(TypeOf(s));
      for (llvm::Instruction* end : landing_ends_) {
        llvm::IRBuilder<> at(end);
        at.CreateStore(at.CreateLoad(TypeOf(s), FieldIn(at, OffsetOf(s))), slots_[s]);
      }
    }
    return slots_[s];
  }

  llvm::IRBuilder<> entry_b_;  // inserts before the entry block's terminator
  std::vector<llvm::Instruction*> landing_ends_;  // each landing's terminator
  llvm::AllocaInst* slots_[kSlots] = {};
  std::bitset<kSlots> dirty_;
};

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_REGION_IR_H_
