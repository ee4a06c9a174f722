// The state that the emitters of one region's instructions share while its function is
// built: the builder, the CpuState pointer, and the guest registers cached in host
// registers.
//
// Each guest register the region touches (GPRs, HI, LO, FCSR, FPRs) gets a stack slot
// that SROA turns into SSA values, loaded from CpuState where the code is entered (and
// again where a block starts with CpuState exact, if the region compiler says so).
// Writes mark the register dirty; Commit() writes the dirty ones back. The emitters
// commit at commit points (below) and wherever the code leaves the region, the region
// compiler on its back edges (not a small loop's own) and into loop heads and merges
// too; along other forward edges registers flow from block to block in host
// registers, and a register written in one block and again in the next is stored
// once.
//
// Precise faults and exceptions (design brief, decision 7) rest on one invariant:
// wherever a guest access can fault or an instruction raise an exception, CpuState
// holds the guest state at cpu.pc, a point at or before it, from where running the
// guest again reaches that instruction in the same state. When one faults or raises
// (kRunAgain, also where an FPU operation needs fpu.cc), the runtime runs the
// interpreter again from cpu.pc, which reaches the same instruction with the exact
// state and faults, raises or computes there itself.
//
// Where the code is entered, cpu.pc is that block; a back edge, and an edge into a
// loop head or a merge, commits and sets cpu.pc to its target. A commit point commits
// and sets cpu.pc to its instruction (in a delay slot, to the branch, which runs again
// before it): every helper call but the FPU's slow paths, and a store
// that follows a load since the last commit point. After an sc, which cannot run
// twice, a commit sets cpu.pc to what follows. Between these, cpu.pc stays where it
// is, across the region's other forward edges too: a block starts with the dirty
// registers and the "loaded" state of the block that leads to it (BeginBlock), which
// the region compiler emits first (in address order; only back edges go to a lower
// address).
//
// Running again from cpu.pc redoes the loads and stores since: the same stores write
// the same values, and each load reads what it read the first time, as long as no
// store came after a load in between. A store that would (a load since the last
// commit point) is a commit point itself. Back edges bound how much runs again to
// one pass through the region's blocks, but for a small loop that only loads or only
// stores: its head starts with every register it may write dirty, and its own back
// edges commit nothing (a fault in it can run all its rounds so far again).
//
// FPR slots hold CpuState::fpr's 64-bit words as they are; the FR views are
// frontend/semantics.h's. With FR=1, where each is one register, a slot has the type
// double, so that what the FPU code computes stays in XMM registers across blocks and
// loops. Four more slots (doubles too, whatever their bits) hold the record of the last
// inlined FPU operation whose Cause FCSR does not have yet (CpuState::fp_pending,
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
#include "llvm/IR/IntrinsicInst.h"
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
           llvm::BasicBlock* entry, const std::vector<llvm::BasicBlock*>& landings, bool fr,
           bool inline_fp_slow_paths)
      : ctx(ctx), b(b), fn(fn), fr(fr), inline_fp_slow_paths(inline_fp_slow_paths),
        entry_b_(entry->getTerminator()) {
    for (llvm::BasicBlock* landing : landings) landing_ends_.push_back(landing->getTerminator());
    cpu = fn->getArg(0);
    mem = entry_b_.CreateLoad(entry_b_.getPtrTy(), FieldIn(entry_b_, offsetof(CpuState, mem)));
    next_pc = entry_b_.CreateAlloca(entry_b_.getInt32Ty(), nullptr, "next_pc");
  }

  llvm::LLVMContext& ctx;
  llvm::IRBuilder<>& b;
  llvm::Function* fn;
  llvm::Module& module() { return *fn->getParent(); }
  const bool fr;
  const bool inline_fp_slow_paths;  // RegionSpec's
  // The block being emitted is in a small loop whose back edges commit nothing (where
  // running again from cpu.pc could mean all the rounds so far).
  bool in_open_loop = false;
  // Since an FCSR helper on this block's straight path (llvm_emitter.h, ReadFcr), no FPU
  // operation: CpuState's FCSR is exact, no record waits, and MXCSR has no flags.
  bool fpu_settled = false;
  llvm::Value* cpu;                  // CpuState*
  llvm::Value* mem;                  // host address of guest 0 (it never changes)
  llvm::AllocaInst* next_pc;         // where the current block continues
  llvm::Value* annul = nullptr;      // set by a branch-likely: i1, true when not taken

  llvm::Value* Field(size_t offset) { return FieldIn(b, offset); }

  llvm::Value* Reg(unsigned r) { return Get(r); }  // i32
  void SetReg(unsigned r, llvm::Value* v) { Set(r, v); }
  llvm::Value* Fcsr() { return Get(kFcsrSlot); }  // i32
  void SetFcsr(llvm::Value* v) { Set(kFcsrSlot, v); }
  // i64, CpuState::fpr[n]. With FR=1 the slot holds a double, so that a value the FPU
  // code computes stays in an XMM register across the region's loops and blocks; the
  // bitcasts fold away wherever it is used as a double.
  llvm::Value* Fpr(unsigned n) {
    return b.CreateBitCast(Get(kFprSlot0 + n), b.getInt64Ty());
  }
  void SetFpr(unsigned n, llvm::Value* v) {
    llvm::Type* type = TypeOf(kFprSlot0 + n);
    // A double that ldc1 (ldxc1, luxc1) loads goes straight into an XMM register: loaded
    // as a double, its bytes reversed by a vector shuffle for a big-endian guest. LLVM
    // folds no bitcast into a volatile load, so the i64 would go through a GPR.
    auto* swap = llvm::dyn_cast<llvm::IntrinsicInst>(v);
    bool swapped = swap && swap->getIntrinsicID() == llvm::Intrinsic::bswap && swap->use_empty();
    auto* load = llvm::dyn_cast<llvm::LoadInst>(swapped ? swap->getArgOperand(0) : v);
    if (load && type->isDoubleTy() && load->isVolatile() &&
        load->hasNUses(swapped ? 1 : 0) && load->getType()->isIntegerTy(64)) {
      llvm::IRBuilder<> at(load);
      llvm::Value* d =
          at.CreateAlignedLoad(type, load->getPointerOperand(), load->getAlign(), /*isVolatile=*/true);
      if (swapped) {
        swap->eraseFromParent();
        auto* bytes = llvm::FixedVectorType::get(at.getInt8Ty(), 8);
        d = at.CreateBitCast(at.CreateShuffleVector(at.CreateBitCast(d, bytes),
                                                    llvm::ArrayRef<int>{7, 6, 5, 4, 3, 2, 1, 0}),
                             type);
      }
      load->eraseFromParent();
      Set(kFprSlot0 + n, d);
      return;
    }
    Set(kFprSlot0 + n, b.CreateBitCast(v, type));
  }

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
    Set(kPendingSlot + 1, b.CreateBitCast(a, b.getDoubleTy()));
    if (bv) Set(kPendingSlot + 2, b.CreateBitCast(bv, b.getDoubleTy()));
    if (c) Set(kPendingSlot + 3, b.CreateBitCast(c, b.getDoubleTy()));
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

  // What flows along an edge between two blocks of the region that is not a commit.
  struct Flow {
    std::bitset<kSlots> dirty;  // registers that CpuState does not hold yet
    bool loaded = false;        // a guest load since the last commit point
    void Merge(const Flow& other) {
      dirty |= other.dirty;
      loaded |= other.loaded;
    }
  };
  // Where a block begins, with what flows into it from the blocks that lead to it
  // (nothing where the code is entered or after a back edge). `reload`: CpuState is
  // exact here, and each register the block reads first comes from there, not from
  // the value that the blocks before it had (which then need not stay live).
  void BeginBlock(const Flow& in, bool reload) {
    dirty_ = in.dirty;
    loaded_ = in.loaded;
    fpu_settled = false;
    if (reload) reload_.set(); else reload_.reset();
  }
  // Makes sure these registers have slots (loaded where the code is entered), so that
  // every commit emitted from here on writes those of them that are dirty.
  void Touch(const std::bitset<kSlots>& slots) {
    for (unsigned s = 0; s < kSlots; ++s) {
      if (slots[s]) Slot(s);
    }
  }
  // What flows out of the block (where it ends, before its edges).
  Flow Out() const { return Flow{dirty_, loaded_}; }
  // A commit point on the block's straight path: CpuState is exact at cpu.pc.
  void MarkCommitPoint() { loaded_ = false; }
  // A guest load is emitted.
  void OnLoad() { loaded_ = true; }
  // A guest store is about to be emitted: true when it must be a commit point (see the
  // top of the file); else it is emitted as it is.
  bool StoreNeedsCommit() const { return loaded_; }
  // The instruction being emitted cannot run twice (sc): CpuState must be exact after
  // it, which the region compiler sees to once its semantics are emitted.
  void CommitAfterThis() { commit_after_ = true; }
  bool TakeCommitAfter() { return std::exchange(commit_after_, false); }

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
    if (s >= kFprSlot0 && s < kPendingSlot) return fr ? b.getDoubleTy() : b.getInt64Ty();
    return s > kPendingSlot ? b.getDoubleTy() : b.getInt32Ty();
  }
  llvm::Value* Get(unsigned s) {
    if (reload_[s]) {
      reload_[s] = false;
      llvm::Value* v = b.CreateLoad(TypeOf(s), Field(OffsetOf(s)));
      b.CreateStore(v, Slot(s));
      return v;
    }
    return b.CreateLoad(TypeOf(s), Slot(s));
  }
  void Set(unsigned s, llvm::Value* v) {
    b.CreateStore(v, Slot(s));
    dirty_[s] = true;
    reload_[s] = false;
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
  bool loaded_ = false;  // a guest load since the last commit point
  bool commit_after_ = false;
  std::vector<llvm::Instruction*> landing_ends_;  // each landing's terminator
  llvm::AllocaInst* slots_[kSlots] = {};
  std::bitset<kSlots> dirty_;
  std::bitset<kSlots> reload_;  // read from CpuState at first use (BeginBlock)
};

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_REGION_IR_H_
