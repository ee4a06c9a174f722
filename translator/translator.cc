// Plan of a compilation:
//   1. one module and function per block: uint32_t block(CpuState*);
//   2. entry: next_pc = the fall-through address; the guest memory base, once;
//   3. each instruction: its semantics, instantiated with LlvmEmitter; a branch-likely
//      leaves an "annul" condition that skips its delay slot;
//   4. the end: pc = next_pc, return 0; every exit to the runtime returned 1 already;
//   5. EarlyCSE, InstCombine and SimplifyCFG over the function, then ORC's codegen.
#include "translator/translator.h"

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "frontend/decoder.h"
#include "frontend/semantics.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar.h"
#include "llvm/Transforms/Utils.h"
#include "translator/llvm_emitter.h"

namespace mipsrun {
namespace {

using EmitFn = void (*)(BlockIr&, const Insn&, const Insn*);

template <class Sem, bool kBig, uint32_t kFlags>
void EmitInsn(BlockIr& ir, const Insn& insn, const Insn* stable) {
  LlvmEmitter<kBig, kFlags> e(ir, insn, stable);
  Sem::Run(e, insn);
}

template <bool kBig>
void EmitReserved(BlockIr& ir, const Insn& insn, const Insn* stable) {
  LlvmEmitter<kBig, 0> e(ir, insn, stable);
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

}  // namespace

class LlvmTranslator : public Translator {
 public:
  static absl::StatusOr<std::unique_ptr<LlvmTranslator>> Create();
  NativeBlock Compile(const std::vector<const Insn*>& insns, uint32_t end, bool big_endian,
                      std::string* error) override {
    absl::StatusOr<NativeBlock> r = CompileBlock(insns, end, big_endian);
    if (!r.ok()) {
      *error = std::string(r.status().message());
      return nullptr;
    }
    return *r;
  }
  uint64_t blocks_compiled() const override { return blocks_compiled_; }
  double compile_seconds() const override { return compile_seconds_; }

 private:
  absl::StatusOr<NativeBlock> CompileBlock(const std::vector<const Insn*>& insns, uint32_t end,
                                           bool big_endian);
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  uint64_t next_id_ = 0;
  uint64_t blocks_compiled_ = 0;
  double compile_seconds_ = 0;
};

absl::StatusOr<std::unique_ptr<LlvmTranslator>> LlvmTranslator::Create() {
  static const bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit) return absl::InternalError(absl::StrCat("LLJIT: ", ErrorText(jit.takeError())));
  (*jit)->getIRTransformLayer().setTransform(
      [](llvm::orc::ThreadSafeModule tsm, const llvm::orc::MaterializationResponsibility&)
          -> llvm::Expected<llvm::orc::ThreadSafeModule> {
        tsm.withModuleDo([](llvm::Module& m) {
          llvm::legacy::FunctionPassManager fpm(&m);
          fpm.add(llvm::createEarlyCSEPass());
          fpm.add(llvm::createInstructionCombiningPass());
          fpm.add(llvm::createCFGSimplificationPass());
          fpm.doInitialization();
          for (llvm::Function& f : m) fpm.run(f);
          fpm.doFinalization();
        });
        return tsm;
      });
  auto translator = std::make_unique<LlvmTranslator>();
  translator->jit_ = std::move(*jit);
  return translator;
}

absl::StatusOr<NativeBlock> LlvmTranslator::CompileBlock(const std::vector<const Insn*>& insns,
                                                         uint32_t end, bool big_endian) {
  auto start = std::chrono::steady_clock::now();
  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("block", *ctx);
  std::string name = absl::StrCat("mips_block_", next_id_++);
  llvm::IRBuilder<> b(*ctx);
  auto* type = llvm::FunctionType::get(b.getInt32Ty(), {b.getPtrTy()}, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module.get());
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(*ctx, "entry", fn);
  llvm::BasicBlock* done = llvm::BasicBlock::Create(*ctx, "done", fn);
  b.SetInsertPoint(entry);
  llvm::Value* cpu = fn->getArg(0);
  llvm::Value* mem = b.CreateLoad(
      b.getPtrTy(), b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), cpu, offsetof(CpuState, mem)));
  BlockIr ir{*ctx, b, fn, cpu, mem};
  auto* next_pc = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), cpu, offsetof(CpuState, next_pc));
  b.CreateStore(b.getInt32(end), next_pc);

  const EmitFn* emitters = big_endian ? kEmitters<true> : kEmitters<false>;
  for (const Insn* insn : insns) {
    if (insn->delay_slot && ir.annul) {
      // Branch-likely not taken: its delay slot is skipped.
      llvm::BasicBlock* slot = llvm::BasicBlock::Create(*ctx, "slot", fn);
      b.CreateCondBr(ir.annul, done, slot);
      b.SetInsertPoint(slot);
      ir.annul = nullptr;
    }
    emitters[static_cast<size_t>(insn->id)](ir, *insn, insn);
  }
  b.CreateBr(done);
  b.SetInsertPoint(done);
  b.CreateStore(b.CreateLoad(b.getInt32Ty(), next_pc),
                b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), cpu, offsetof(CpuState, pc)));
  b.CreateRet(b.getInt32(0));

  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyFunction(*fn, &os)) {
    return absl::InternalError(absl::StrCat("invalid IR for a block: ", os.str()));
  }
  if (llvm::Error e = jit_->addIRModule(
          llvm::orc::ThreadSafeModule(std::move(module), std::move(ctx)))) {
    return absl::InternalError(ErrorText(std::move(e)));
  }
  auto addr = jit_->lookup(name);
  if (!addr) return absl::InternalError(ErrorText(addr.takeError()));
  ++blocks_compiled_;
  compile_seconds_ +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return addr->toPtr<NativeBlock>();
}

}  // namespace mipsrun

extern "C" __attribute__((visibility("default"))) mipsrun::Translator* MipsrunCreateTranslator(
    std::string* error) {
  absl::StatusOr<std::unique_ptr<mipsrun::LlvmTranslator>> t = mipsrun::LlvmTranslator::Create();
  if (!t.ok()) {
    *error = std::string(t.status().message());
    return nullptr;
  }
  return t->release();
}
