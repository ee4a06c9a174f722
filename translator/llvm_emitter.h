// The translator's emitter: instantiates the semantics of frontend/semantics.h with
// values that are llvm::Value*, so each operation emits IR instead of executing. The
// one statement of instruction semantics thus serves both tiers (design brief,
// decision 1); only this directory includes LLVM.
//
// Guest registers are cached by RegionIr (translator/region_ir.h), which writes them
// back, with cpu.pc, at commit points (helper calls, stores after loads), on back edges
// and at every exit: a fault or exception in translated code finds CpuState exact at
// cpu.pc, from where the interpreter reaches that instruction again. Guest memory
// accesses are volatile: they all happen, in order, even into $zero. The stateful corners (ll/sc,
// FPU control registers, FPU computations off their fast path) are calls to helpers
// that reuse the interpreter's own code; they touch no GPR or FPR.
#ifndef MIPSRUN_TRANSLATOR_LLVM_EMITTER_H_
#define MIPSRUN_TRANSLATOR_LLVM_EMITTER_H_

#include <cstddef>
#include <cstdint>

#include "frontend/fpu.h"
#include "frontend/fpu_host.h"
#include "frontend/insn.h"
#include "frontend/semantics.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "runtime/cpu_state.h"
#include "runtime/lazy_fpu.h"
#include "translator/fp_fast.h"
#include "translator/region_ir.h"

namespace mipsrun {

// Helpers that translated code calls (translator/helpers.cc). Plain C signatures. The IR
// names them as external symbols (kHelperSymbolPrefix + the field's name), which the
// translator binds to their addresses when it links a region's object: the object
// holds no address of this process, so it can be kept in the code cache and linked
// again by another run (runtime/code_cache.h).
#define MIPSRUN_TRANSLATOR_HELPERS(X) \
  X(load_linked) X(store_conditional) X(read_fcr) X(write_fcr) X(fp_compute) X(fp_compare) \
  X(fcsr_traps)
inline constexpr char kHelperSymbolPrefix[] = "mipsrun_helper_";
struct TranslatorHelpers {
  uint32_t (*load_linked)(CpuState*, const Insn*, uint32_t addr, uint32_t big);
  uint32_t (*store_conditional)(CpuState*, const Insn*, uint32_t addr, uint32_t v, uint32_t big);
  // `settled`: nothing since the last of these three could have raised a host flag or
  // left a record (RegionIr::fpu_settled), so FCSR in CpuState is exact as it is.
  uint32_t (*read_fcr)(CpuState*, uint32_t r, uint32_t settled);
  void (*write_fcr)(CpuState*, uint32_t r, uint32_t v, uint32_t settled);
  // The two take the code's FCSR and leave the one after the operation in
  // cpu->fp_helper_fcsr, and whether it trapped in cpu->fp_trapped; they change nothing
  // else of CpuState.
  uint64_t (*fp_compute)(CpuState*, uint32_t op_in_out, uint64_t a, uint64_t b, uint64_t c,
                         uint32_t fcsr);
  uint32_t (*fp_compare)(CpuState*, uint32_t cond_fmt, uint64_t a, uint64_t b, uint32_t fcsr);
  uint32_t (*fcsr_traps)(CpuState*, uint32_t settled);
};
const TranslatorHelpers& Helpers();

// Where the code of one region refers to what lives in this process only: the entry
// cell of an exit (`kCellSymbolPrefix` + its pc in hex) and an instruction that a
// helper is handed (`kInsnSymbolPrefix` + its pc in hex). Both are bound when the
// region is linked.
inline constexpr char kCellSymbolPrefix[] = "mipsrun_cell_";
inline constexpr char kInsnSymbolPrefix[] = "mipsrun_insn_";
std::string SymbolFor(const char* prefix, uint32_t pc);

template <bool kBig, uint32_t kFlags>
class LlvmEmitter {
 public:
  using V = llvm::Value*;
  using V64 = llvm::Value*;
  static constexpr bool kBigEndian = kBig;

  LlvmEmitter(RegionIr& ir, const Insn& insn) : ir_(ir), b_(ir.b), insn_(insn) {}

  V Const(uint32_t v) { return b_.getInt32(v); }
  V64 Const64(uint64_t v) { return b_.getInt64(v); }
  V Gpr(unsigned r) { return r == 0 ? Const(0) : ir_.Reg(r); }
  void SetGpr(unsigned r, V v) {
    if (r != 0) ir_.SetReg(r, v);
  }
  V Hi() { return ir_.Reg(kRegHi); }
  V Lo() { return ir_.Reg(kRegLo); }
  void SetHi(V v) { ir_.SetReg(kRegHi, v); }
  void SetLo(V v) { ir_.SetReg(kRegLo, v); }

  V Add(V a, V c) { return b_.CreateAdd(a, c); }
  V Sub(V a, V c) { return b_.CreateSub(a, c); }
  V And(V a, V c) { return b_.CreateAnd(a, c); }
  V Or(V a, V c) { return b_.CreateOr(a, c); }
  V Xor(V a, V c) { return b_.CreateXor(a, c); }
  V Mul(V a, V c) { return b_.CreateMul(a, c); }
  V Shl(V a, V n) { return b_.CreateShl(a, n); }
  V Shr(V a, V n) { return b_.CreateLShr(a, n); }
  V Sar(V a, V n) { return b_.CreateAShr(a, n); }
  V CmpEq(V a, V c) { return Bool(b_.CreateICmpEQ(a, c)); }
  V CmpNe(V a, V c) { return Bool(b_.CreateICmpNE(a, c)); }
  V CmpLtS(V a, V c) { return Bool(b_.CreateICmpSLT(a, c)); }
  V CmpLtU(V a, V c) { return Bool(b_.CreateICmpULT(a, c)); }
  V Select(V c, V t, V f) { return b_.CreateSelect(Truth(c), t, f); }
  V DivS(V a, V c) { return b_.CreateSDiv(a, c); }
  V RemS(V a, V c) { return b_.CreateSRem(a, c); }
  V DivU(V a, V c) { return b_.CreateUDiv(a, c); }
  V RemU(V a, V c) { return b_.CreateURem(a, c); }
  V Clz(V a) {
    return b_.CreateBinaryIntrinsic(llvm::Intrinsic::ctlz, a, b_.getFalse());  // clz(0) = 32
  }
  V64 MulS64(V a, V c) { return b_.CreateMul(b_.CreateSExt(a, I64()), b_.CreateSExt(c, I64())); }
  V64 MulU64(V a, V c) { return b_.CreateMul(b_.CreateZExt(a, I64()), b_.CreateZExt(c, I64())); }
  V64 Pair(V hi, V lo) {
    return b_.CreateOr(b_.CreateShl(b_.CreateZExt(hi, I64()), 32), b_.CreateZExt(lo, I64()));
  }
  V64 Add64(V64 a, V64 c) { return b_.CreateAdd(a, c); }
  V64 Sub64(V64 a, V64 c) { return b_.CreateSub(a, c); }
  V HiOf(V64 v) { return b_.CreateTrunc(b_.CreateLShr(v, 32), I32()); }
  V LoOf(V64 v) { return b_.CreateTrunc(v, I32()); }
  V64 Zext64(V v) { return b_.CreateZExt(v, I64()); }
  V64 Select64(V c, V64 t, V64 f) { return b_.CreateSelect(Truth(c), t, f); }

  // ---- Memory ----
  V Load8U(V a) { return b_.CreateZExt(LoadRaw(a, b_.getInt8Ty()), I32()); }
  V Load8S(V a) { return b_.CreateSExt(LoadRaw(a, b_.getInt8Ty()), I32()); }
  V Load16U(V a) { return b_.CreateZExt(Swap(LoadRaw(a, b_.getInt16Ty())), I32()); }
  V Load16S(V a) { return b_.CreateSExt(Swap(LoadRaw(a, b_.getInt16Ty())), I32()); }
  V Load32(V a) { return Swap(LoadRaw(a, I32())); }
  V64 Load64(V a) { return Swap(LoadRaw(a, I64())); }
  void Store8(V a, V v) { StoreRaw(a, b_.CreateTrunc(v, b_.getInt8Ty())); }
  void Store16(V a, V v) { StoreRaw(a, Swap(b_.CreateTrunc(v, b_.getInt16Ty()))); }
  void Store32(V a, V v) { StoreRaw(a, Swap(v)); }
  void Store64(V a, V64 v) { StoreRaw(a, Swap(v)); }
  V LoadLinked(V a) {
    CommitHere();
    return Call("load_linked", I32(), {ir_.cpu, InsnPtr(), a, Const(kBig)});
  }
  V StoreConditional(V a, V v) {
    CommitHere();
    // Running sc again would fail (it cleared LLbit): a fault after it must not go back
    // before it, so the region compiler commits again right after it.
    ir_.CommitAfterThis();
    return Call("store_conditional", I32(), {ir_.cpu, InsnPtr(), a, v, Const(kBig)});
  }

  // ---- Control ----
  void Branch(V cond, uint32_t target) {
    llvm::Value* taken = Truth(cond);
    llvm::Value* next = b_.CreateLoad(I32(), ir_.next_pc);
    b_.CreateStore(b_.CreateSelect(taken, Const(target), next), ir_.next_pc);
    if constexpr ((kFlags & kLikely) != 0) ir_.annul = b_.CreateNot(taken);
  }
  void Jump(uint32_t target) { b_.CreateStore(Const(target), ir_.next_pc); }
  void JumpIndirect(V target) { b_.CreateStore(target, ir_.next_pc); }
  bool RaiseIf(V cond, Exception ex, uint32_t code) {
    llvm::BasicBlock* raise = llvm::BasicBlock::Create(ir_.ctx, "raise", ir_.fn);
    llvm::BasicBlock* cont = llvm::BasicBlock::Create(ir_.ctx, "cont", ir_.fn);
    b_.CreateCondBr(Truth(cond), raise, cont);
    b_.SetInsertPoint(raise);
    EmitRaise(ex, code);
    b_.SetInsertPoint(cont);
    return false;  // the semantics go on emitting the not-raised path
  }
  void Raise(Exception ex, uint32_t code) {
    EmitRaise(ex, code);
    Continue();
  }
  void Syscall() {
    Exit(ExitReason::kSyscall, Const(insn_.pc));
    Continue();
  }
  void Synci(V a) {
    Store32Field(offsetof(CpuState, fault_addr), a);
    Exit(ExitReason::kSynci, insn_.delay_slot ? b_.CreateLoad(I32(), ir_.next_pc)
                                              : Const(insn_.pc + 4));
    Continue();
  }
  // A commit point: no store before a sync runs again for a fault after it, where
  // another thread may see it.
  void Fence() {
    CommitHere();
    b_.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent);
  }
  V ReadHwr(unsigned reg) {
    switch (reg) {
      case 0: return Const(0);
      case 1: return Const(32);
      case 2: {
        llvm::Value* cycles = b_.CreateIntrinsic(llvm::Intrinsic::readcyclecounter, {}, {});
        return b_.CreateTrunc(cycles, I32());
      }
      case 3: return Const(1);
      default: return Load32Field(offsetof(CpuState, tls));
    }
  }

  // ---- FPU: storage words in RegionIr's slots, for the FR mode the region is built
  // for (the views are sem::FprW and friends) ----
  bool Fr() const { return ir_.fr; }
  V64 FprRaw(unsigned r) { return ir_.Fpr(r); }
  void SetFprRaw(unsigned r, V64 v) { ir_.SetFpr(r, v); }
  // The FCSR helpers settle it (runtime/lazy_fpu.h: MXCSR's flags go into it), and the
  // region compiler commits again after the instruction, so that running the guest
  // again from cpu.pc never goes back before an access to FCSR (FaultFcsrFlags).
  // Reading MXCSR waits for every FPU operation in flight: after one of these helpers,
  // the next skips it while no FPU operation came between (fpu_settled), as in the
  // reads and writes of FCSR that glibc's fenv functions and its libm make in a row.
  V ReadFcr(unsigned r) {  // FCSR too: the helper makes its Flags and Cause exact
    CommitHere(/*keep_dirty=*/true);
    V v = Call("read_fcr", I32(), {ir_.cpu, Const(r), Const(ir_.fpu_settled)});
    ir_.ReloadFcsr();
    ir_.CommitAfterThis();
    ir_.fpu_settled = true;
    return v;
  }
  void WriteFcr(unsigned r, V v) {
    CommitHere(/*keep_dirty=*/true);
    Call("write_fcr", Void(), {ir_.cpu, Const(r), v, Const(ir_.fpu_settled)});
    ir_.ReloadFcsr();
    ir_.CommitAfterThis();
    ir_.fpu_settled = true;
  }
  V Fcsr() { return ir_.Fcsr(); }
  void SetFcsr(V v) { ir_.SetFcsr(v); }
  V FcsrTraps() {  // the interpreter's rule (FcsrTrapsOnWrite); only ctc1 asks
    CommitHere(/*keep_dirty=*/true);
    V v = Call("fcsr_traps", I32(), {ir_.cpu, Const(ir_.fpu_settled)});
    ir_.ReloadFcsr();
    ir_.fpu_settled = true;
    return v;
  }
  // The host's arithmetic inline where it is exact (translator/fp_fast.h), else the
  // interpreter's rules as a helper.
  V64 FpCompute(FpOp op, FpFmt in, FpFmt out, V64 a, V64 c, V64 d) {
    uint32_t code = FpPendingCode(op, in, out);
    auto record = [&] {
      ir_.RecordFp(code, a, IsUnaryArith(op) ? nullptr : c, IsMadd(op) ? d : nullptr);
    };
    return WithFastPath(
        FastFpControlMask(op, in, out), [&] { return EmitFastFpCompute(b_, op, in, out, ir_.Fcsr(), a, c, d); },
        record, I64(),
        [&] { return Call("fp_compute", I64(), {ir_.cpu, Const(code), a, c, d, ir_.Fcsr()}); });
  }
  V FpCompare(unsigned cond, FpFmt fmt, V64 a, V64 c) {
    uint32_t code = cond | static_cast<uint32_t>(fmt) << 8;
    return WithFastPath(
        0, [&] { return EmitFastFpCompare(b_, cond, fmt, a, c); }, [] {}, I32(),
        [&] { return Call("fp_compare", I32(), {ir_.cpu, Const(code), a, c, ir_.Fcsr()}); });
  }
  V FpTrapped() { return trapped_; }

 private:
  llvm::Type* I32() { return b_.getInt32Ty(); }
  llvm::Type* I64() { return b_.getInt64Ty(); }
  llvm::Type* Void() { return b_.getVoidTy(); }
  static size_t FprOffset(unsigned r) { return offsetof(CpuState, fpr) + 8 * r; }
  V Bool(llvm::Value* i1) { return b_.CreateZExt(i1, I32()); }
  llvm::Value* Truth(V v) { return b_.CreateICmpNE(v, Const(0)); }

  llvm::Value* Field(size_t offset) { return ir_.Field(offset); }
  V Load32Field(size_t off) { return b_.CreateLoad(I32(), Field(off)); }
  V64 Load64Field(size_t off) { return b_.CreateLoad(I64(), Field(off)); }
  void Store32Field(size_t off, llvm::Value* v) { b_.CreateStore(v, Field(off)); }
  void Store64Field(size_t off, llvm::Value* v) { b_.CreateStore(v, Field(off)); }
  void Store8Field(size_t off, uint8_t v) { b_.CreateStore(b_.getInt8(v), Field(off)); }

  // The region's own copy of this instruction, which lives as long as its code.
  llvm::Value* InsnPtr() {
    return ir_.module().getOrInsertGlobal(SymbolFor(kInsnSymbolPrefix, insn_.pc), b_.getInt8Ty());
  }
  // CpuState exact at this instruction, and cpu.pc naming it (translator/region_ir.h);
  // in a delay slot, the branch, which runs again before it. `keep_dirty` on a side
  // path (a helper called on one side of a branch).
  void CommitHere(bool keep_dirty = false) {
    ir_.Commit(keep_dirty);
    Store32Field(offsetof(CpuState, pc), Const(insn_.delay_slot ? insn_.pc - 4 : insn_.pc));
    if (!keep_dirty) ir_.MarkCommitPoint();
  }
  llvm::Value* GuestAddress(V a) {
    return b_.CreateGEP(b_.getInt8Ty(), ir_.mem, b_.CreateZExt(a, I64()));
  }
  llvm::Value* LoadRaw(V a, llvm::Type* t) {
    ir_.OnLoad();
    llvm::LoadInst* load = b_.CreateAlignedLoad(t, GuestAddress(a), llvm::MaybeAlign(1));
    load->setVolatile(true);
    return load;
  }
  // A store after a load since the last commit point is one itself (region_ir.h).
  void StoreRaw(V a, llvm::Value* v) {
    if (ir_.StoreNeedsCommit()) CommitHere();
    llvm::StoreInst* store = b_.CreateAlignedStore(v, GuestAddress(a), llvm::MaybeAlign(1));
    store->setVolatile(true);
  }
  llvm::Value* Swap(llvm::Value* v) {
    if constexpr (!kBig) return v;
    return b_.CreateUnaryIntrinsic(llvm::Intrinsic::bswap, v);
  }

  // if (FCSR has none of ctl_mask's bits && fast.ok) { FCSR per the fast result, or the
  // operation recorded for its Cause (fast.lazy); r = fast.result } else { r = slow() },
  // with FpTrapped() false on the fast side and the helper's verdict on the other; or,
  // without RegionSpec::inline_fp_slow_paths, else { run again in the interpreter }.
  // The fast computation is emitted after the FCSR check: its host flags count.
  template <class FastFn, class Record, class Slow>
  llvm::Value* WithFastPath(uint32_t ctl_mask, FastFn fast_fn, Record record, llvm::Type* type,
                            Slow slow) {
    ir_.fpu_settled = false;
    llvm::Value* fcsr = ir_.Fcsr();
    llvm::BasicBlock* slow_bb = llvm::BasicBlock::Create(ir_.ctx, "fp_slow", ir_.fn);
    if (ctl_mask) {
      llvm::BasicBlock* try_bb = llvm::BasicBlock::Create(ir_.ctx, "fp_try", ir_.fn);
      b_.CreateCondBr(b_.CreateICmpEQ(b_.CreateAnd(fcsr, ctl_mask), Const(0)), try_bb, slow_bb,
                      Likely());
      b_.SetInsertPoint(try_bb);
    }
    FastFp fast = fast_fn();
    if (!fast.ok) {  // no fast path for this operation
      b_.CreateBr(slow_bb);
      b_.SetInsertPoint(slow_bb);
      return SlowFp(slow);
    }
    llvm::BasicBlock* fast_bb = llvm::BasicBlock::Create(ir_.ctx, "fp_fast", ir_.fn);
    b_.CreateCondBr(fast.ok, fast_bb, slow_bb, Likely());
    b_.SetInsertPoint(fast_bb);
    if (fast.lazy) {
      record();
    } else {
      ir_.SetFcsr(FcsrAfterFast(b_, fcsr, fast.inexact));
      ir_.ClearFpRecord();
    }
    if (!ir_.inline_fp_slow_paths) {
      // The interpreter runs the guest again from cpu.pc and this instruction with it
      // (translator/region_ir.h). In a loop that commits nothing on its back edges that
      // could be every round so far: there CpuState is made exact here first.
      llvm::BasicBlock* fast_end = b_.GetInsertBlock();
      b_.SetInsertPoint(slow_bb);
      if (ir_.in_open_loop) CommitHere(/*keep_dirty=*/true);
      b_.CreateRet(b_.getInt32(kRunAgain));
      b_.SetInsertPoint(fast_end);
      trapped_ = Const(0);
      return fast.result;
    }
    llvm::BasicBlock* join = llvm::BasicBlock::Create(ir_.ctx, "fp_join", ir_.fn);
    b_.CreateBr(join);
    b_.SetInsertPoint(slow_bb);
    llvm::Value* slow_r = SlowFp(slow);
    // A double result joins as a double, so that it can stay in an XMM register.
    llvm::Value* fast_r = fast.result;
    if (auto* cast = llvm::dyn_cast<llvm::BitCastInst>(fast_r);
        cast && cast->getSrcTy()->isDoubleTy()) {
      fast_r = cast->getOperand(0);
      slow_r = b_.CreateBitCast(slow_r, fast_r->getType());
    }
    llvm::BasicBlock* slow_end = b_.GetInsertBlock();
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
    llvm::PHINode* r = b_.CreatePHI(fast_r->getType(), 2);
    r->addIncoming(fast_r, fast_bb);
    r->addIncoming(slow_r, slow_end);
    return b_.CreateBitCast(r, type);
  }
  // The helper, and the SIGFPE of an enabled exception raised right there (so that
  // FpTrapped() is false where the paths join and the fast one tests nothing). It
  // changes no state of the guest's but the FCSR it hands back: nothing is committed.
  template <class Slow>
  llvm::Value* SlowFp(Slow slow) {
    llvm::Value* r = slow();
    ir_.SetFcsr(Load32Field(offsetof(CpuState, fp_helper_fcsr)));
    ir_.ClearFpRecord();  // the helper set Cause
    llvm::BasicBlock* raise = llvm::BasicBlock::Create(ir_.ctx, "fp_raise", ir_.fn);
    llvm::BasicBlock* cont = llvm::BasicBlock::Create(ir_.ctx, "fp_cont", ir_.fn);
    b_.CreateCondBr(Truth(Load32Field(offsetof(CpuState, fp_trapped))), raise, cont, Unlikely());
    b_.SetInsertPoint(raise);
    EmitRaise(Exception::kFloatingPoint, 0);
    b_.SetInsertPoint(cont);
    trapped_ = Const(0);
    return r;
  }
  // Branch weights for a condition that is almost never true.
  llvm::MDNode* Unlikely() { return llvm::MDBuilder(ir_.ctx).createBranchWeights(1, 4000); }
  llvm::MDNode* Likely() { return llvm::MDBuilder(ir_.ctx).createBranchWeights(4000, 1); }

  // A call of the helper named `name` (a field of TranslatorHelpers).
  llvm::Value* Call(const char* name, llvm::Type* ret, std::initializer_list<llvm::Value*> args) {
    std::vector<llvm::Type*> types;
    for (llvm::Value* a : args) types.push_back(a->getType());
    auto* type = llvm::FunctionType::get(ret, types, false);
    llvm::FunctionCallee callee =
        ir_.module().getOrInsertFunction(std::string(kHelperSymbolPrefix) + name, type);
    return b_.CreateCall(callee, args);
  }

  // Leaves the block for the runtime (the interpreter's Exit()).
  void Exit(ExitReason why, llvm::Value* pc) {
    ir_.Commit(/*keep_dirty=*/true);
    Store8Field(offsetof(CpuState, exit), static_cast<uint8_t>(why));
    Store32Field(offsetof(CpuState, pc), pc);
    Store8Field(offsetof(CpuState, in_delay_slot), insn_.delay_slot);
    if (insn_.delay_slot) Store32Field(offsetof(CpuState, branch_pc), Const(insn_.pc - 4));
    b_.CreateRet(b_.getInt32(1));
  }
  // A guest exception at this instruction: the interpreter runs the guest again from
  // cpu.pc, where CpuState is exact, and raises it itself (kRunAgain). Nothing is
  // committed: the code for an exception is one instruction.
  void EmitRaise(Exception, uint32_t) { b_.CreateRet(b_.getInt32(kRunAgain)); }
  // After an unconditional exit, emission goes on in a block nothing reaches.
  void Continue() { b_.SetInsertPoint(llvm::BasicBlock::Create(ir_.ctx, "dead", ir_.fn)); }

  RegionIr& ir_;
  llvm::IRBuilder<>& b_;
  const Insn& insn_;
  llvm::Value* trapped_ = nullptr;  // FpTrapped(): of the last FpCompute/FpCompare
};

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_LLVM_EMITTER_H_
