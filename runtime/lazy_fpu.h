// The two parts of FCSR that translated code keeps lazily, and how the runtime makes
// FCSR exact again wherever it is read.
//
// Translated code runs most FPU arithmetic as the bare host instruction
// (translator/fp_fast.h). Under round-to-nearest with no flush-to-zero and no enabled
// exception, and for a result that is not a NaN, the host's IEEE result is the MIPS one;
// what is left is FCSR:
//  - Flags: the host's MXCSR accumulates the same IEEE flags (inexact, underflow,
//    overflow, divide-by-zero) while translated code runs. MXCSR's flags are cleared
//    before translated code is entered and folded into FCSR.Flags when it comes back
//    (and in the helpers it calls, and from the signal context when it faults).
//    Invalid never comes this way: an invalid operation gives a NaN, and a NaN result
//    is recomputed by the helper, which sets FCSR itself.
//  - Cause: the exceptions of the last operation only. Translated code records that
//    operation (CpuState::fp_pending and its operands) and SettleFpu() computes its
//    Cause with frontend/fpu.h when FCSR is next read by the runtime.
#ifndef MIPSRUN_RUNTIME_LAZY_FPU_H_
#define MIPSRUN_RUNTIME_LAZY_FPU_H_

#include <ucontext.h>
#include <xmmintrin.h>

#include <cstdint>

#include "frontend/fpu.h"
#include "runtime/cpu_state.h"

namespace mipsrun {

// CpuState::fp_pending and the FPU helpers' operation code: FpOp | in << 8 | out << 16,
// with kFpPendingValid so that a record is never 0.
inline constexpr uint32_t kFpPendingValid = 1u << 24;
inline constexpr uint32_t FpPendingCode(FpOp op, FpFmt in, FpFmt out) {
  return static_cast<uint32_t>(op) | static_cast<uint32_t>(in) << 8 |
         static_cast<uint32_t>(out) << 16 | kFpPendingValid;
}
// FpuCompute of an operation given by such a code.
inline bool FpuComputeCode(uint32_t code, uint64_t a, uint64_t b, uint64_t c, uint32_t* fcsr,
                           uint64_t* result) {
  return FpuCompute(static_cast<FpOp>(code & 0xff), static_cast<FpFmt>((code >> 8) & 0xff),
                    static_cast<FpFmt>((code >> 16) & 0xff), a, b, c, fcsr, result);
}

// FCSR.Flags bits from MXCSR's flags. Invalid is left out (see above).
inline uint32_t FcsrFlagsOfMxcsr(uint32_t m) {
  return (FpFlagsOfMxcsr(m) & ~kFpInvalid) << kFcsrFlagsShift;
}

// Before translated code runs: no flag of mipsrun's own or of the interpreter's.
inline void ClearHostFpFlags() {
  if (_mm_getcsr() != kHostMxcsr) _mm_setcsr(kHostMxcsr);
}

// A host fault handler that interrupted translated code: the flags it had gathered are
// in the interrupted context's MXCSR (the handler runs with a fresh one). The guest gets
// them before the interpreter runs the code again from the last commit (runtime/
// executor.h), as it does those of code that hands back kRunAgain (SettleFpu): every
// access to FCSR in translated code settles it and commits after itself, so the
// operations that gathered them lie between that and the exit, and those after cpu.pc,
// which run again, only raise the same flags again.
inline uint32_t FaultFcsrFlags(const void* ucontext) {
  const auto* uc = static_cast<const ucontext_t*>(ucontext);
  return uc && uc->uc_mcontext.fpregs ? FcsrFlagsOfMxcsr(uc->uc_mcontext.fpregs->mxcsr) : 0;
}

// Makes cpu.fcsr exact: MXCSR's flags folded in (and cleared), the recorded operation's
// Cause computed. After translated code returns, and in helpers that read FCSR.
inline void SettleFpu(CpuState& cpu) {
  uint32_t m = _mm_getcsr();
  if (m != kHostMxcsr) {
    cpu.fcsr |= FcsrFlagsOfMxcsr(m);
    _mm_setcsr(kHostMxcsr);
  }
  if (uint32_t code = cpu.fp_pending) {
    cpu.fp_pending = 0;
    // Recorded only where nothing can trap (no enable set), so the recomputation
    // gives the operation's Cause and the Flags it already raised.
    uint64_t ignored;
    FpuComputeCode(code, cpu.fp_pending_ops[0], cpu.fp_pending_ops[1], cpu.fp_pending_ops[2],
                   &cpu.fcsr, &ignored);
    _mm_setcsr(kHostMxcsr);
  }
}

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_LAZY_FPU_H_
