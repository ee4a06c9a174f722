// The state that the emitters of one region's instructions share while its function is
// built: the builder, the CpuState pointer, and the guest registers cached in host
// registers.
//
// Each guest register the region touches (GPRs, HI, LO, FCSR, FPRs) gets a stack slot
// that SROA turns into SSA values, loaded from CpuState where the code is entered.
// Writes mark the register dirty; Commit() writes the dirty ones back. The emitters
// commit before every guest store, helper call and exit, and the region compiler at
// every block end, so registers still flow from block to block in host registers.
//
// Precise faults (design brief, decision 7) rest on one invariant: wherever a guest
// access can fault, CpuState holds the guest state at cpu.pc, a point at or before
// it, from where running the guest again reaches the access in the same state. When
// one faults, the runtime runs the interpreter again from cpu.pc, which reaches the
// same access with the exact state and faults there itself.
//
// Where the code is entered, cpu.pc is that block. A commit point sets cpu.pc to its
// instruction (in a delay slot, to the branch, which runs again before it): every
// helper call, and a store that follows a load since the last commit point. After an
// sc, which cannot run twice, a commit sets cpu.pc to what follows. A block that
// accesses memory before any commit point sets cpu.pc to its own start, where
// CpuState is exact (the block before it committed at its end).
//
// Running again from cpu.pc redoes the loads and stores since: the same stores write
// the same values, and each load reads what it read the first time, as long as no
// store came after a load in between. A store that would (a load since the last
// commit point) is a commit point itself.
//
// FPR slots hold CpuState::fpr's 64-bit words as they are; the FR views are
// frontend/semantics.h's. Four more slots hold the record of the last inlined FPU
// operation whose Cause FCSR does not have yet (CpuState::fp_pending,
// runtime/lazy_fpu.h): like the registers, it reaches CpuState only where the runtime
// could look.
#ifndef MIPSRUN_TRANSLATOR_REGION_IR_H_
#define MIPSRUN_TRANSLATOR_REGION_IR_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
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

  // FCSR back into its slot after a helper that settled it (runtime/lazy_fpu.h: no
  // record is left).
  void ReloadFcsr() {
    b.CreateStore(b.CreateLoad(b.getInt32Ty(), Field(OffsetOf(kFcsrSlot))), Slot(kFcsrSlot));
    b.CreateStore(b.getInt32(0), Slot(kPendingSlot));
  }
  bool clean() const { return dirty_.none(); }

  // Where a block begins: cpu.pc is not yet exact for it (see the top of the file).
  void BeginBlock(uint32_t start) {
    block_start_ = start;
    pc_exact_ = false;
    loaded_ = false;
    start_pc_at_ = b.CreateIntrinsic(llvm::Intrinsic::donothing, {}, {});
    start_pc_needed_ = false;
  }
  // A commit point on the block's straight path: CpuState is exact at cpu.pc.
  void SetPcExact() {
    pc_exact_ = true;
    loaded_ = false;
  }
  // A guest load is emitted.
  void OnLoad() {
    start_pc_needed_ |= !pc_exact_;
    loaded_ = true;
  }
  // A guest store is about to be emitted: true when it must be a commit point (see the
  // top of the file); else it is emitted as it is.
  bool StoreNeedsCommit() {
    start_pc_needed_ |= !pc_exact_;
    return loaded_;
  }
  // The instruction being emitted cannot run twice (sc): CpuState must be exact after
  // it, which the region compiler sees to once its semantics are emitted.
  void CommitAfterThis() { commit_after_ = true; }
  bool TakeCommitAfter() { return std::exchange(commit_after_, false); }
  // Where the block ends: sets cpu.pc to its start at its beginning if it loads before
  // setting cpu.pc itself.
  void EndBlock() {
    if (start_pc_needed_) {
      llvm::IRBuilder<> at(start_pc_at_);
      at.CreateStore(at.getInt32(block_start_), FieldIn(at, offsetof(CpuState, pc)));
    }
    start_pc_at_->eraseFromParent();
  }

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
  uint32_t block_start_ = 0;
  bool pc_exact_ = false;
  bool start_pc_needed_ = false;
  bool loaded_ = false;  // a guest load since the last commit point
  bool commit_after_ = false;
  llvm::Instruction* start_pc_at_ = nullptr;  // placeholder at the block's start
  std::vector<llvm::Instruction*> landing_ends_;  // each landing's terminator
  llvm::AllocaInst* slots_[kSlots] = {};
  std::bitset<kSlots> dirty_;
};

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_REGION_IR_H_
