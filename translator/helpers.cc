// What translated code calls for the stateful corners of the semantics. Each helper is
// the interpreter's own emitter doing the work, so no rule is stated twice.
#include "frontend/fpu.h"
#include "runtime/interp_emitter.h"
#include "translator/llvm_emitter.h"

namespace mipsrun {
namespace {

template <bool kBig>
using Interp = InterpEmitter<kBig, 0>;

uint32_t LoadLinked(CpuState* cpu, const Insn* insn, uint32_t addr, uint32_t big) {
  if (big) return Interp<true>(*cpu, *insn).LoadLinked(addr);
  return Interp<false>(*cpu, *insn).LoadLinked(addr);
}
uint32_t StoreConditional(CpuState* cpu, const Insn* insn, uint32_t addr, uint32_t v,
                          uint32_t big) {
  if (big) return Interp<true>(*cpu, *insn).StoreConditional(addr, v);
  return Interp<false>(*cpu, *insn).StoreConditional(addr, v);
}

const Insn kNoInsn{};  // the control registers touch no memory

uint32_t ReadFcr(CpuState* cpu, uint32_t r) { return Interp<false>(*cpu, kNoInsn).ReadFcr(r); }
void WriteFcr(CpuState* cpu, uint32_t r, uint32_t v) { Interp<false>(*cpu, kNoInsn).WriteFcr(r, v); }

// op_in_out packs FpOp, FpFmt in and FpFmt out a byte each; the trap flag goes to
// cpu->fp_trapped for the code's FpTrapped().
uint64_t FpCompute(CpuState* cpu, uint32_t op_in_out, uint64_t a, uint64_t b, uint64_t c) {
  uint64_t r = 0;
  cpu->fp_trapped = !FpuCompute(static_cast<FpOp>(op_in_out & 0xff),
                                static_cast<FpFmt>((op_in_out >> 8) & 0xff),
                                static_cast<FpFmt>((op_in_out >> 16) & 0xff), a, b, c, &cpu->fcsr, &r);
  return r;
}
uint32_t FpCompare(CpuState* cpu, uint32_t cond_fmt, uint64_t a, uint64_t b) {
  bool r = false;
  cpu->fp_trapped = !FpuCompare(cond_fmt & 0xf, static_cast<FpFmt>((cond_fmt >> 8) & 0xff), a, b,
                                &cpu->fcsr, &r);
  return r;
}

uint32_t FcsrTraps(CpuState* cpu) { return Interp<false>(*cpu, kNoInsn).FcsrTraps(); }

}  // namespace

const TranslatorHelpers& Helpers() {
  static const TranslatorHelpers helpers = {
      &LoadLinked, &StoreConditional, &ReadFcr, &WriteFcr, &FpCompute, &FpCompare, &FcsrTraps,
  };
  return helpers;
}

}  // namespace mipsrun
