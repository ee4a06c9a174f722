// Plan of a compilation:
//   1. one module and function per region: uint32_t region(CpuState*); an entry block
//      where RegionIr puts the register slots and their first loads;
//   2. each guest block: next_pc = its fall-through; each instruction's semantics,
//      instantiated with LlvmEmitter; a branch-likely leaves an "annul" condition that
//      skips its delay slot; exits to the runtime return 1 on the spot;
//   3. each block's end: go where next_pc says: a block of the region (committing the
//      registers and checking for an interrupt on back edges), another region's code
//      through its entry cell, or the jump cache for other addresses (committing the
//      registers first); else pc = next_pc and return 0 to the dispatcher. Blocks are
//      emitted in address order, so that the registers a block leaves dirty are known
//      where each block it leads to by a forward edge begins (region_ir.h);
//   4. SROA, EarlyCSE, InstCombine and SimplifyCFG over the function, then ORC's
//      codegen.
#include "translator/translator.h"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "frontend/block.h"
#include "frontend/decoder.h"
#include "frontend/semantics.h"
#include "llvm/ExecutionEngine/Orc/DebugUtils.h"
#include "llvm/ExecutionEngine/Orc/ObjectTransformLayer.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar.h"
#include "llvm/Transforms/Utils.h"
#include "translator/forward_stores.h"
#include "translator/llvm_emitter.h"
#include "translator/region_ir.h"

namespace mipsrun {
namespace {

using EmitFn = void (*)(RegionIr&, const Insn&);

template <class Sem, bool kBig, uint32_t kFlags>
void EmitInsn(RegionIr& ir, const Insn& insn) {
  LlvmEmitter<kBig, kFlags> e(ir, insn);
  Sem::Run(e, insn);
}

template <bool kBig>
void EmitReserved(RegionIr& ir, const Insn& insn) {
  LlvmEmitter<kBig, 0> e(ir, insn);
  e.Raise(Exception::kReserved, 0);
}

template <bool kBig>
constexpr EmitFn kEmitters[] = {
#define INSN(id, mnem, match, mask, ops, sem, flags) &EmitInsn<Sem##sem, kBig, (flags)>,
#include "frontend/mips_insns.def"
#undef INSN
    &EmitReserved<kBig>,
};
static_assert(std::size(kEmitters<true>) == static_cast<size_t>(InsnId::kCount));

std::string ErrorText(llvm::Error e) { return llvm::toString(std::move(e)); }

// The module uses no Abseil (its archives are not position-independent and its shared
// libraries would slow every start of mipsrun): errors are plain strings.
std::nullptr_t Fail(std::string* error, std::string what) {
  *error = std::move(what);
  return nullptr;
}

// Builds one region's function (plan steps 1-3).
class RegionBuilder {
 public:
  RegionBuilder(const RegionSpec& spec, llvm::LLVMContext& ctx, llvm::Module& module,
                const std::string& name)
      : spec_(spec), ctx_(ctx), b_(ctx) {
    auto* type = llvm::FunctionType::get(b_.getInt32Ty(), {b_.getPtrTy()}, false);
    fn_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
    // Strict floating point: the host's FPU flags are the guest's (runtime/lazy_fpu.h),
    // so no operation may be dropped, speculated or moved past another.
    fn_->addFnAttr(llvm::Attribute::StrictFP);
    // Nothing unwinds through region code (a fault leaves it by siglongjmp, and the
    // helpers it calls throw nothing): no unwind table to emit, nor to register.
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    b_.setIsFPConstrained(true);
    b_.setDefaultConstrainedExcept(llvm::fp::ebStrict);
    b_.setDefaultConstrainedRounding(llvm::RoundingMode::NearestTiesToEven);
    // No noalias on the CpuState pointer: guest accesses must stay barriers for the
    // register commits around them, which is what makes faults precise.
    llvm::BasicBlock* entry = llvm::BasicBlock::Create(ctx_, "entry", fn_);
    for (const RegionBlock& block : spec_.blocks) {
      block_bb_[block.start] = llvm::BasicBlock::Create(ctx_, llvm::Twine("g") + llvm::Twine(block.start), fn_);
    }
    // The code is entered at cpu.pc (the dispatcher's block, a cell's or the jump
    // cache's target), which is one of the entry blocks: a call's return point or a
    // loop reached from outside runs here rather than in the interpreter.
    b_.SetInsertPoint(entry);
    llvm::Value* pc = b_.CreateLoad(b_.getInt32Ty(),
                                    b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), fn_->getArg(0),
                                                                  offsetof(CpuState, pc)));
    // Each entry block has a landing of its own, where RegionIr loads the registers.
    std::vector<llvm::BasicBlock*> landings;
    for (const RegionBlock& block : spec_.blocks) {
      if (&block != &spec_.blocks[0] && !block.entry) continue;
      landings.push_back(llvm::BasicBlock::Create(ctx_, "land", fn_));
      llvm::BranchInst::Create(block_bb_[block.start], landings.back());
    }
    llvm::SwitchInst* at = b_.CreateSwitch(pc, landings[0], landings.size() - 1);
    for (size_t i = 1, l = 1; i < spec_.blocks.size(); ++i) {
      if (spec_.blocks[i].entry) at->addCase(b_.getInt32(spec_.blocks[i].start), landings[l++]);
    }
    ir_.emplace(ctx_, b_, fn_, entry, landings, spec_.fr, spec_.inline_fp_slow_paths);
    for (const RegionExit& exit : spec_.exits) exit_cell_[exit.pc] = exit.cell;
  }

  llvm::Function* Build() {
    FindFlowTargets();
    std::vector<const RegionBlock*> order;
    for (const RegionBlock& block : spec_.blocks) order.push_back(&block);
    std::sort(order.begin(), order.end(),
              [](const RegionBlock* a, const RegionBlock* b) { return a->start < b->start; });
    for (const RegionBlock* block : order) EmitBlock(*block);
    return fn_;
  }

 private:
  void EmitBlock(const RegionBlock& block) {
    RegionIr& ir = *ir_;
    b_.SetInsertPoint(block_bb_[block.start]);
    bool exact = !flow_targets_.contains(block.start);
    RegionIr::Flow in = flow_in_[block.start];
    if (auto open = open_loops_.find(block.start); open != open_loops_.end()) {
      in.Merge(open->second.in);
      ir.Touch(in.dirty);
    }
    ir.BeginBlock(in, /*reload=*/exact && !small_loops_.contains(block.start));
    ir.in_open_loop = false;
    for (const auto& [head, loop] : open_loops_) {
      ir.in_open_loop |= head <= block.start && block.end <= loop.end;
    }
    b_.CreateStore(b_.getInt32(block.end), ir.next_pc);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx_, "end", fn_);
    const EmitFn* emitters = spec_.big_endian ? kEmitters<true> : kEmitters<false>;
    for (const Insn& insn : block.insns) {
      if (insn.delay_slot && ir.annul) {
        // Branch-likely not taken: its delay slot is skipped. Both ways reach `done`,
        // which commits what the slot may have written: commit the rest now, exact
        // at the branch (region_ir.h).
        ir.Commit();
        b_.CreateStore(b_.getInt32(insn.pc - 4), ir.Field(offsetof(CpuState, pc)));
        ir.MarkCommitPoint();
        llvm::BasicBlock* slot = llvm::BasicBlock::Create(ctx_, "slot", fn_);
        b_.CreateCondBr(ir.annul, done, slot);
        b_.SetInsertPoint(slot);
        ir.annul = nullptr;
      }
      emitters[static_cast<size_t>(insn.id)](ir, insn);
      if (ir.TakeCommitAfter()) {
        // CpuState exact after the instruction, cpu.pc at what follows (region_ir.h).
        ir.Commit();
        llvm::Value* after = insn.delay_slot ? b_.CreateLoad(b_.getInt32Ty(), ir.next_pc)
                                             : static_cast<llvm::Value*>(b_.getInt32(insn.pc + 4));
        b_.CreateStore(after,
                       ir.Field(offsetof(CpuState, pc)));
      }
    }
    ir.annul = nullptr;
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    EmitDispatch(block, b_.CreateLoad(b_.getInt32Ty(), ir.next_pc));
  }

  // Which blocks go on with the dirty registers of a block that leads to them: those
  // that one forward edge leads to (what EmitDispatch makes of the static successors,
  // and of an indirect jump's way to every entry block after it), and no direct back
  // edge. A block that more edges lead to would carry the union of what they wrote
  // (a loop's head: what the code before the loop wrote, committed again on every
  // round). The self-edge of an indirect jump (a switch) is not a loop: it does not
  // count.
  //
  // The other blocks start with CpuState exact, and take the registers they use from
  // there rather than from the blocks before them, whose values would otherwise stay
  // live across the whole region: with many guest registers in use (GCC's unrolled
  // recursions keep 20 or more), LLVM spills them to the stack on top of the commits.
  // Only a small loop (one that names at most kSmallLoopGprs registers and calls
  // nothing) keeps its registers in host registers from round to round.
  static constexpr int kSmallLoopGprs = 13;
  void FindFlowTargets() {
    std::unordered_map<uint32_t, unsigned> forward_in;
    std::unordered_set<uint32_t> loop_heads;
    std::unordered_map<uint32_t, uint32_t> loop_end;  // of a loop's lowest back edge
    for (const RegionBlock& block : spec_.blocks) {
      uint32_t targets[2];
      size_t n = StaticSuccessors(block.insns.data(), block.insns.size(), block.end, targets);
      for (size_t i = 0; i < n; ++i) {
        if (targets[i] > block.start) {
          ++forward_in[targets[i]];
          continue;
        }
        loop_heads.insert(targets[i]);
        if (!EndsInCall(block.insns.data(), block.insns.size())) {  // a call is no loop
          uint32_t& end = loop_end[targets[i]];
          end = std::max(end, block.end);
        }
      }
      if (n == 0 && spec_.blocks.size() > 1) {
        for (const RegionBlock& to : spec_.blocks) {
          if (to.entry && to.start > block.start) ++forward_in[to.start];
        }
      }
    }
    for (auto [start, n] : forward_in) {
      if (n == 1 && !loop_heads.contains(start)) flow_targets_.insert(start);
    }
    for (auto [head, end] : loop_end) {
      bool calls = false;
      uint32_t gprs = 0;
      for (const RegionBlock& block : spec_.blocks) {
        if (block.start < head || block.end > end) continue;
        calls |= EndsInCall(block.insns.data(), block.insns.size());
        for (const Insn& insn : block.insns) gprs |= GprsNamed(insn);
      }
      if (calls || std::popcount(gprs) > kSmallLoopGprs) continue;
      small_loops_.insert(head);
      // A loop that both loads and stores has commit points in it, each of which would
      // write everything the loop may leave dirty: its back edges commit instead.
      bool loads = false, stores = false;
      for (const RegionBlock& block : spec_.blocks) {
        if (block.start < head || block.end > end) continue;
        for (const Insn& insn : block.insns) {
          if (!(InsnFlagsOf(insn) & kMemory)) continue;
          std::string_view m = GetInsnInfo(insn.id).mnemonic;  // lw, ldc1, ...; sw, sc, ...
          loads |= m[0] != 's';
          stores |= m[0] != 'l';
        }
      }
      if (loads && stores) continue;
      open_loops_[head] = OpenLoop{end, RegionIr::Flow{LoopSlots(head, end), loads}};
    }
  }

  static bool Covers(const RegionIr::Flow& head, const RegionIr::Flow& edge) {
    return (edge.dirty & ~head.dirty).none() && (head.loaded || !edge.loaded);
  }

  // Every register that the instructions of the loop [head, end) can write, by what
  // they name: GPRs, each FPR named with its pair (FR=0 doubles), HI and LO for the
  // multiply and divide family, FCSR and the FPU record for any FPU instruction.
  std::bitset<RegionIr::kSlots> LoopSlots(uint32_t head, uint32_t end) const {
    std::bitset<RegionIr::kSlots> slots;
    for (const RegionBlock& block : spec_.blocks) {
      if (block.start < head || block.end > end) continue;
      for (const Insn& insn : block.insns) {
        uint32_t gprs = GprsNamed(insn);
        for (unsigned r = 1; r < 32; ++r) slots[r] = slots[r] || (gprs >> r & 1);
        const InsnInfo& info = GetInsnInfo(insn.id);
        std::string_view m = info.mnemonic;
        if (m.starts_with("mul") || m.starts_with("div") || m.starts_with("madd") ||
            m.starts_with("msub") || m.starts_with("mt")) {
          slots[kRegHi] = slots[kRegLo] = true;
        }
        bool fpu = false;
        for (char letter : info.operands) {
          int fpr = letter == 'T' ? insn.ft() : letter == 'F' ? insn.fs()
                  : letter == 'D' ? insn.fd() : letter == 'R' ? insn.rs : -1;
          if (fpr >= 0) {
            slots[RegionIr::kFprSlot0 + fpr] = slots[RegionIr::kFprSlot0 + (fpr ^ 1)] = true;
          }
          fpu |= fpr >= 0 || letter == 'X' || letter == 'N' || letter == 'M';
        }
        if (fpu) {
          slots[RegionIr::kFcsrSlot] = true;
          for (unsigned s = RegionIr::kPendingSlot; s < RegionIr::kSlots; ++s) slots[s] = true;
        }
      }
    }
    return slots;
  }

  // Plan step 3: where the block goes next.
  void EmitDispatch(const RegionBlock& block, llvm::Value* next) {
    llvm::BasicBlock* indirect = llvm::BasicBlock::Create(ctx_, "indirect", fn_);
    uint32_t targets[2];
    size_t n = StaticSuccessors(block.insns.data(), block.insns.size(), block.end, targets);
    if (n == 0 && spec_.blocks.size() > 1) {
      // An indirect jump: when every way it can go commits (the region's entries can be
      // many), it commits once here rather than on each.
      bool keeps = false;
      for (const RegionBlock& to : spec_.blocks) {
        keeps |= to.entry && KeepsDirty(block, to.start, /*direct=*/false);
      }
      if (!keeps) ir_->Commit();
    }
    llvm::SwitchInst* sw = b_.CreateSwitch(next, indirect, n);
    for (size_t i = 0; i < n; ++i) {
      llvm::BasicBlock* edge = llvm::BasicBlock::Create(ctx_, "edge", fn_);
      sw->addCase(b_.getInt32(targets[i]), edge);
      b_.SetInsertPoint(edge);
      EmitGoto(block, targets[i]);
    }
    b_.SetInsertPoint(indirect);
    if (n == 0 && spec_.blocks.size() > 1) {
      // An indirect jump: first the region's own entry blocks (a switch's cases, a
      // return to a call's return point), then the jump cache.
      // Switching on the word offset from the lowest block lets LLVM build a jump
      // table for the blocks that lie close together; rotating instead of shifting
      // sends a misaligned target far out of every case.
      uint32_t base = UINT32_MAX;
      for (const RegionBlock& to : spec_.blocks) {
        if (to.entry) base = std::min(base, to.start);
      }
      llvm::Value* word = b_.CreateIntrinsic(llvm::Intrinsic::fshr, {b_.getInt32Ty()},
                                             {b_.CreateSub(next, b_.getInt32(base)),
                                              b_.CreateSub(next, b_.getInt32(base)),
                                              b_.getInt32(2)});
      llvm::BasicBlock* outside = llvm::BasicBlock::Create(ctx_, "outside", fn_);
      llvm::SwitchInst* in = b_.CreateSwitch(word, outside, spec_.blocks.size());
      for (const RegionBlock& to : spec_.blocks) {
        if (!to.entry) continue;
        llvm::BasicBlock* edge = llvm::BasicBlock::Create(ctx_, "iedge", fn_);
        in->addCase(b_.getInt32((to.start - base) >> 2), edge);
        b_.SetInsertPoint(edge);
        EmitGoto(block, to.start, /*direct=*/false);
      }
      b_.SetInsertPoint(outside);
    }
    EmitIndirect(next);
  }

  // Every path that leaves the block commits what is dirty there (keep_dirty: the
  // block's other paths commit it themselves).
  // Whether the edge from `from` to `target` leaves registers dirty (EmitGoto).
  bool KeepsDirty(const RegionBlock& from, uint32_t target, bool direct) const {
    if (!block_bb_.contains(target)) return false;
    if (target > from.start && flow_targets_.contains(target)) return true;
    auto open = open_loops_.find(target);
    return direct && open != open_loops_.end() && target <= from.start &&
           from.end <= open->second.end && Covers(open->second.in, ir_->Out());
  }

  void EmitGoto(const RegionBlock& from, uint32_t target, bool direct = true) {
    auto inside = block_bb_.find(target);
    if (inside != block_bb_.end()) {
      if (target > from.start && flow_targets_.contains(target)) {
        // The block goes on with this one's dirty registers (FindFlowTargets).
        flow_in_[target].Merge(ir_->Out());
      } else if (KeepsDirty(from, target, direct)) {
        // A small loop's own back edge: its head starts with what the loop may have
        // written dirty, so only leaving for an interrupt commits. What FindFlowTargets
        // guessed from the instructions' names is checked against what their semantics
        // did: an edge that leaves more dirty, or loaded where the head says not,
        // commits as any back edge.
        LeaveIfInterrupted(target, /*commit=*/true);
      } else {
        // Others start with CpuState exact. Back edges also look at cpu.interrupt, so
        // that a region that loops for long still lets the runtime in.
        ir_->Commit(/*keep_dirty=*/true);
        b_.CreateStore(b_.getInt32(target), ir_->Field(offsetof(CpuState, pc)));
        if (target <= from.start) LeaveIfInterrupted(target);
      }
      b_.CreateBr(inside->second);
      return;
    }
    ir_->Commit(/*keep_dirty=*/true);
    auto exit = exit_cell_.find(target);
    if (exit != exit_cell_.end() && exit->second) {
      llvm::Value* cell =
          fn_->getParent()->getOrInsertGlobal(SymbolFor(kCellSymbolPrefix, target), b_.getPtrTy());
      llvm::LoadInst* code = b_.CreateLoad(b_.getPtrTy(), cell);
      code->setAtomic(llvm::AtomicOrdering::Monotonic);
      code->setAlignment(llvm::Align(8));
      TailCallIf(b_.CreateIsNotNull(code), code, b_.getInt32(target));
      return;
    }
    Leave(b_.getInt32(target));
  }

  // An indirect jump, or an address no static edge named: the thread's jump cache.
  void EmitIndirect(llvm::Value* next) {
    ir_->Commit(/*keep_dirty=*/true);
    llvm::Value* cache = b_.CreateLoad(
        b_.getPtrTy(), ir_->Field(offsetof(CpuState, jump_cache)));
    llvm::Value* index = b_.CreateZExt(
        b_.CreateAnd(b_.CreateLShr(next, 2), (1u << kJumpCacheBits) - 1), b_.getInt64Ty());
    llvm::Value* entry =
        b_.CreateGEP(b_.getInt8Ty(), cache, b_.CreateShl(index, 4));  // 16-byte entries
    static_assert(sizeof(JumpCacheEntry) == 16 && offsetof(JumpCacheEntry, code) == 8);
    llvm::Value* pc = b_.CreateLoad(b_.getInt32Ty(), entry);
    llvm::Value* code =
        b_.CreateLoad(b_.getPtrTy(), b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), entry, 8));
    TailCallIf(b_.CreateICmpEQ(pc, next), code, next);
  }

  // cpu.pc = pc; if (cond && !cpu.interrupt) return code(cpu); else leave for `pc`.
  void TailCallIf(llvm::Value* cond, llvm::Value* code, llvm::Value* pc) {
    llvm::BasicBlock* call = llvm::BasicBlock::Create(ctx_, "chain", fn_);
    llvm::BasicBlock* leave = llvm::BasicBlock::Create(ctx_, "leave", fn_);
    b_.CreateCondBr(b_.CreateAnd(cond, b_.CreateNot(Interrupted())), call, leave);
    b_.SetInsertPoint(call);
    b_.CreateStore(pc, ir_->Field(offsetof(CpuState, pc)));  // where `code` starts
    llvm::CallInst* r = b_.CreateCall(fn_->getFunctionType(), code, {ir_->cpu});
    r->setTailCallKind(llvm::CallInst::TCK_MustTail);
    b_.CreateRet(r);
    b_.SetInsertPoint(leave);
    Leave(pc);
  }

  void LeaveIfInterrupted(uint32_t target, bool commit = false) {
    llvm::BasicBlock* leave = llvm::BasicBlock::Create(ctx_, "interrupted", fn_);
    llvm::BasicBlock* go = llvm::BasicBlock::Create(ctx_, "loop", fn_);
    b_.CreateCondBr(Interrupted(), leave, go);
    b_.SetInsertPoint(leave);
    if (commit) ir_->Commit(/*keep_dirty=*/true);
    Leave(b_.getInt32(target));
    b_.SetInsertPoint(go);
  }

  llvm::Value* Interrupted() {
    llvm::LoadInst* flag =
        b_.CreateLoad(b_.getInt32Ty(), ir_->Field(offsetof(CpuState, interrupt)));
    flag->setAtomic(llvm::AtomicOrdering::Monotonic);
    flag->setAlignment(llvm::Align(4));
    return b_.CreateIsNotNull(flag);
  }

  // Back to the dispatcher, which goes on at `pc` (the registers are committed).
  void Leave(llvm::Value* pc) {
    b_.CreateStore(pc, ir_->Field(offsetof(CpuState, pc)));
    b_.CreateRet(b_.getInt32(0));
  }

  const RegionSpec& spec_;
  llvm::LLVMContext& ctx_;
  llvm::IRBuilder<> b_;
  llvm::Function* fn_;
  std::optional<RegionIr> ir_;
  std::unordered_map<uint32_t, llvm::BasicBlock*> block_bb_;
  std::unordered_map<uint32_t, const EntryCell*> exit_cell_;
  std::unordered_map<uint32_t, RegionIr::Flow> flow_in_;  // by forward edges (Build)
  std::unordered_set<uint32_t> flow_targets_;             // FindFlowTargets()
  std::unordered_set<uint32_t> small_loops_;              // FindFlowTargets()
  struct OpenLoop {
    uint32_t end;        // of its lowest back edge's block
    RegionIr::Flow in;   // at its head: what the loop may leave dirty, and "loaded"
  };
  std::unordered_map<uint32_t, OpenLoop> open_loops_;     // small loops: FindFlowTargets()
};

}  // namespace

class LlvmTranslator : public Translator {
 public:
  // Null with *error set when LLJIT cannot be set up.
  static std::unique_ptr<LlvmTranslator> Create(std::string* error);
  NativeCode Compile(const RegionSpec& region, std::string* error,
                     std::string* object) override;
  NativeCode Load(const RegionSpec& region, std::string_view object,
                  std::string* error) override;
  uint64_t regions_compiled() const override { return regions_compiled_; }
  uint64_t blocks_compiled() const override { return blocks_compiled_; }
  double compile_seconds() const override { return compile_seconds_; }

 private:
  // A JITDylib of the region's own, where the symbols its object refers to are bound
  // to this process's helpers, the region's instructions and its exits' cells.
  llvm::Expected<llvm::orc::JITDylib&> RegionDylib(const RegionSpec& region);
  NativeCode Lookup(llvm::orc::JITDylib& jd, std::string* error);

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::string* capture_ = nullptr;  // where the object being linked is copied (Compile)
  uint64_t next_id_ = 0;
  uint64_t regions_compiled_ = 0;
  uint64_t blocks_compiled_ = 0;
  double compile_seconds_ = 0;
};

// Every region's function has this name, in a JITDylib of its own.
constexpr char kRegionFunction[] = "mips_region";

std::unique_ptr<LlvmTranslator> LlvmTranslator::Create(std::string* error) {
  static const bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // X86DomainReassignment (moving GPR values into AVX-512 mask registers, on hosts
    // that have AVX512BW) was up to a fifth of the compile time of regions with many
    // guest registers live (perf, bench/fib), and region code has no use for them.
    // X86CmovConversion turns a cmov that loads into a branch around the load: a guest
    // load whose only use is a movn/movz then runs only when selected, and cannot
    // fault when it should (the differential tester found one).
    std::vector<const char*> argv = {"mipsrun", "-disable-x86-domain-reassignment",
                                     "-x86-cmov-converter=false"};
    // For whoever tunes the translator: more LLVM options (-time-passes, ...).
    std::vector<std::string> extra;
    if (const char* opts = getenv("MIPSRUN_LLVM_OPTS")) {
      std::string all = opts;
      for (size_t at = 0; at < all.size();) {
        size_t end = std::min(all.find(' ', at), all.size());
        if (end > at) extra.push_back(all.substr(at, end - at));
        at = end + 1;
      }
    }
    for (const std::string& o : extra) argv.push_back(o.c_str());
    llvm::cl::ParseCommandLineOptions(static_cast<int>(argv.size()), argv.data());
    return true;
  }();
  (void)initialized;
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return Fail(error, "LLJIT: " + ErrorText(jtmb.takeError()));
  // For tests: code for another CPU model with none of the host's extra features
  // (MIPSRUN_JIT_CPU=x86-64: no FMA, no SSE4.1).
  if (const char* cpu = getenv("MIPSRUN_JIT_CPU")) {
    jtmb->setCPU(cpu);
    jtmb->getFeatures() = llvm::SubtargetFeatures();
  }
  const char* level = getenv("MIPSRUN_CG_LEVEL");
  jtmb->setCodeGenOptLevel(level && *level == '0'   ? llvm::CodeGenOpt::None
                           : level && *level == '1' ? llvm::CodeGenOpt::Less
                           : level && *level == '3' ? llvm::CodeGenOpt::Aggressive
                                                    : llvm::CodeGenOpt::Default);
  // Position-independent code reaches the helpers, cells and instructions a region
  // names through the GOT, wherever the process has them: its object is the same in
  // every run, and the code cache can keep it.
  jtmb->setRelocationModel(llvm::Reloc::PIC_);
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  if (!jit) return Fail(error, "LLJIT: " + ErrorText(jit.takeError()));
  // Intrinsics the host CPU lacks become libm calls (fma without FMA, roundeven and
  // trunc without SSE4.1): they resolve in the process.
  auto libm = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!libm) return Fail(error, "LLJIT: " + ErrorText(libm.takeError()));
  (*jit)->getMainJITDylib().addGenerator(std::move(*libm));
  (*jit)->getIRTransformLayer().setTransform(
      [](llvm::orc::ThreadSafeModule tsm, const llvm::orc::MaterializationResponsibility&)
          -> llvm::Expected<llvm::orc::ThreadSafeModule> {
        tsm.withModuleDo([](llvm::Module& m) {
          // Plan step 4.
          // Guest stores forwarded to loads once EarlyCSE has made their addresses one
          // value; InstCombine then folds a big-endian store's swap and its load's.
          llvm::legacy::FunctionPassManager early(&m), late(&m);
          early.add(llvm::createSROAPass());
          early.add(llvm::createEarlyCSEPass());
          late.add(llvm::createInstructionCombiningPass());
          late.add(llvm::createCFGSimplificationPass());
          early.doInitialization();
          late.doInitialization();
          for (llvm::Function& f : m) {
            early.run(f);
            ForwardGuestStores(f);
            late.run(f);
          }
          early.doFinalization();
          late.doFinalization();
          // For whoever tunes the translator: the optimized IR of every region.
          if (const char* dump = getenv("MIPSRUN_DUMP_IR")) {
            std::error_code ec;
            llvm::raw_fd_ostream out(dump, ec, llvm::sys::fs::OF_Append);
            if (!ec) m.print(out, nullptr);
          }
        });
        return tsm;
      });
  auto translator = std::make_unique<LlvmTranslator>();
  std::optional<llvm::orc::DumpObjects> dump;
  if (const char* dir = getenv("MIPSRUN_DUMP_OBJ")) dump.emplace(dir);
  LlvmTranslator* self = translator.get();
  (*jit)->getObjTransformLayer().setTransform(
      [self, dump](std::unique_ptr<llvm::MemoryBuffer> object) mutable
          -> llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> {
        if (self->capture_) self->capture_->assign(object->getBufferStart(), object->getBufferSize());
        if (dump) return (*dump)(std::move(object));
        return object;
      });
  translator->jit_ = std::move(*jit);
  return translator;
}

llvm::Expected<llvm::orc::JITDylib&> LlvmTranslator::RegionDylib(const RegionSpec& region) {
  auto jd = jit_->createJITDylib("region" + std::to_string(next_id_++));
  if (!jd) return jd.takeError();
  llvm::orc::SymbolMap symbols;
  auto bind = [&](const std::string& name, const void* address) {
    symbols[jit_->mangleAndIntern(name)] = llvm::JITEvaluatedSymbol(
        llvm::pointerToJITTargetAddress(address), llvm::JITSymbolFlags::Exported);
  };
  const TranslatorHelpers& helpers = Helpers();
#define MIPSRUN_BIND_HELPER(name) \
  bind(std::string(kHelperSymbolPrefix) + #name, reinterpret_cast<const void*>(helpers.name));
  MIPSRUN_TRANSLATOR_HELPERS(MIPSRUN_BIND_HELPER)
#undef MIPSRUN_BIND_HELPER
  for (const RegionBlock& block : region.blocks) {
    for (const Insn& insn : block.insns) {
      // A pc in two overlapping blocks (one may see it in a delay slot, the other at its
      // start): the helpers that take an instruction (ll, sc) read only its operands,
      // and a fault in them is run again from cpu.pc, so either copy does.
      std::string name = SymbolFor(kInsnSymbolPrefix, insn.pc);
      if (!symbols.count(jit_->mangleAndIntern(name))) bind(name, &insn);
    }
  }
  for (const RegionExit& exit : region.exits) {
    if (exit.cell) bind(SymbolFor(kCellSymbolPrefix, exit.pc), exit.cell);
  }
  if (llvm::Error e = jd->define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
    return e;
  }
  // Intrinsics the host lacks become libm calls, found in the process (Create).
  jd->addToLinkOrder(jit_->getMainJITDylib());
  return jd;
}

NativeCode LlvmTranslator::Lookup(llvm::orc::JITDylib& jd, std::string* error) {
  auto addr = jit_->lookup(jd, kRegionFunction);
  if (!addr) return Fail(error, ErrorText(addr.takeError()));
  return addr->toPtr<NativeCode>();
}

// For whoever profiles translated code: with MIPSRUN_PERF_MAP set, each region's code
// goes into /tmp/perf-PID.map, where perf looks for the names of JIT code, as
// "mips_region@HEAD" with the size its object gives the function.
void WritePerfMap(NativeCode code, llvm::StringRef object, uint32_t head) {
  static const bool enabled = getenv("MIPSRUN_PERF_MAP") != nullptr;
  if (!enabled || !code) return;
  uint64_t size = 0;
  auto file = llvm::object::ObjectFile::createObjectFile(llvm::MemoryBufferRef(object, "region"));
  if (!file) {
    llvm::consumeError(file.takeError());
    return;
  }
  for (const llvm::object::SymbolRef& sym : (*file)->symbols()) {
    auto name = sym.getName();
    if (name && *name == kRegionFunction) {
      size = llvm::object::ELFSymbolRef(sym).getSize();
    } else if (!name) {
      llvm::consumeError(name.takeError());
    }
  }
  std::string path = "/tmp/perf-" + std::to_string(getpid()) + ".map";
  if (FILE* f = fopen(path.c_str(), "a")) {
    fprintf(f, "%lx %lx mips_region@0x%x\n", reinterpret_cast<unsigned long>(code),
            static_cast<unsigned long>(size), head);
    fclose(f);
  }
}

NativeCode LlvmTranslator::Compile(const RegionSpec& region, std::string* error,
                                   std::string* object) {
  if (region.blocks.empty()) return Fail(error, "an empty region");
  auto start = std::chrono::steady_clock::now();
  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("region", *ctx);
  llvm::Function* fn = RegionBuilder(region, *ctx, *module, kRegionFunction).Build();

  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyFunction(*fn, &os)) {
    return Fail(error, "invalid IR for a region: " + os.str());
  }
  auto jd = RegionDylib(region);
  if (!jd) return Fail(error, ErrorText(jd.takeError()));
  if (llvm::Error e = jit_->addIRModule(
          *jd, llvm::orc::ThreadSafeModule(std::move(module), std::move(ctx)))) {
    return Fail(error, ErrorText(std::move(e)));
  }
  std::string captured;
  capture_ = object ? object : &captured;
  NativeCode code = Lookup(*jd, error);
  capture_ = nullptr;
  WritePerfMap(code, object ? *object : captured, region.blocks[0].start);
  if (!code) return nullptr;
  ++regions_compiled_;
  blocks_compiled_ += region.blocks.size();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  compile_seconds_ += seconds;
  static const bool debug = getenv("MIPSRUN_DEBUG_REGIONS") != nullptr;
  if (debug) {
    fprintf(stderr, "region at 0x%x: %zu blocks compiled in %.2f ms\n", region.blocks[0].start,
            region.blocks.size(), seconds * 1e3);
  }
  return code;
}

NativeCode LlvmTranslator::Load(const RegionSpec& region, std::string_view object,
                                std::string* error) {
  if (region.blocks.empty()) return Fail(error, "an empty region");
  auto jd = RegionDylib(region);
  if (!jd) return Fail(error, ErrorText(jd.takeError()));
  if (llvm::Error e = jit_->addObjectFile(
          *jd, llvm::MemoryBuffer::getMemBufferCopy(
                   llvm::StringRef(object.data(), object.size()), "cached region"))) {
    return Fail(error, ErrorText(std::move(e)));
  }
  NativeCode code = Lookup(*jd, error);
  WritePerfMap(code, llvm::StringRef(object.data(), object.size()), region.blocks[0].start);
  return code;
}

}  // namespace mipsrun

extern "C" __attribute__((visibility("default"))) mipsrun::Translator* MipsrunCreateTranslator(
    std::string* error) {
  return mipsrun::LlvmTranslator::Create(error).release();
}
