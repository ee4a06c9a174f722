// What translated code calls for the stateful corners of the semantics. Each helper is
// the interpreter's own emitter, or the frontend's function it calls, doing the work,
// so no rule is stated twice.
#include <xmmintrin.h>

#include <cstdio>
#include <string>

#include "frontend/fpu.h"
#include "frontend/fpu_control.h"
#include "runtime/interp_emitter.h"
#include "runtime/lazy_fpu.h"
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

// The helpers that read FCSR find it exact (runtime/lazy_fpu.h): the code committed its
// record of the last operation, and reloads FCSR afterwards. `settled`: no FPU
// operation since the last of these helpers, so there is nothing to settle.
uint32_t ReadFcr(CpuState* cpu, uint32_t r, uint32_t settled) {
  if (!settled) SettleFpu(*cpu);
  return ReadFpuControl(cpu->fcsr, r);
}
void WriteFcr(CpuState* cpu, uint32_t r, uint32_t v, uint32_t settled) {
  if (!settled) SettleFpu(*cpu);
  cpu->fcsr = WriteFpuControl(cpu->fcsr, r, v);
}

// The slow paths of FPU operations, on the code's own FCSR (`fcsr`, its Cause about to
// be overwritten, so a recorded operation does not matter): the result, with FCSR after
// the operation in cpu->fp_helper_fcsr and the trap flag in cpu->fp_trapped for the
// code's FpTrapped(). They change nothing else, so the code commits nothing for them:
// the flags that it gathered stay in MXCSR, and the helper's own do not get there.
// `code` is FpPendingCode's (runtime/lazy_fpu.h).
class KeepHostFpFlags {
 public:
  KeepHostFpFlags() : saved_(_mm_getcsr()) {}
  ~KeepHostFpFlags() { _mm_setcsr(saved_); }

 private:
  uint32_t saved_;
};
uint64_t FpCompute(CpuState* cpu, uint32_t code, uint64_t a, uint64_t b, uint64_t c,
                   uint32_t fcsr) {
  KeepHostFpFlags keep;
  uint64_t r = 0;
  cpu->fp_trapped = !FpuComputeCode(code, a, b, c, &fcsr, &r);
  cpu->fp_helper_fcsr = fcsr;
  return r;
}
uint32_t FpCompare(CpuState* cpu, uint32_t cond_fmt, uint64_t a, uint64_t b, uint32_t fcsr) {
  KeepHostFpFlags keep;
  bool r = false;
  cpu->fp_trapped = !FpuCompare(cond_fmt & 0xf, static_cast<FpFmt>((cond_fmt >> 8) & 0xff), a, b,
                                &fcsr, &r);
  cpu->fp_helper_fcsr = fcsr;
  return r;
}

uint32_t FcsrTraps(CpuState* cpu, uint32_t settled) {
  if (!settled) SettleFpu(*cpu);
  return FcsrTrapsOnWrite(cpu->fcsr);
}

}  // namespace

std::string SymbolFor(const char* prefix, uint32_t pc) {
  char hex[9];
  snprintf(hex, sizeof hex, "%08x", pc);
  return std::string(prefix) + hex;
}

const TranslatorHelpers& Helpers() {
  static const TranslatorHelpers helpers = {
      &LoadLinked, &StoreConditional, &ReadFcr, &WriteFcr, &FpCompute, &FpCompare, &FcsrTraps,
  };
  return helpers;
}

}  // namespace mipsrun
