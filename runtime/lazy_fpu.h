// The two parts of FCSR that guest code keeps lazily, and how the runtime makes FCSR
// exact again wherever it is read.
//
// Both tiers run most FPU arithmetic as the bare host instruction: translated code
// inline (translator/fp_fast.h), the interpreter through LazyFpCompute below. Under
// round-to-nearest with no flush-to-zero and no enabled exception (kLazyFpControlMask
// clear), and for a result that is not a NaN, the host's IEEE result is the MIPS one;
// what is left is FCSR:
//  - Flags: the host's MXCSR accumulates the same IEEE flags (inexact, underflow,
//    overflow, divide-by-zero) while guest code runs. MXCSR's flags are cleared before
//    guest code is entered and folded into FCSR.Flags when it comes back (and in the
//    FCSR accesses and helpers on the way, and from the signal context when it
//    faults). Invalid never comes this way: an invalid operation gives a NaN, and a
//    NaN result is recomputed by frontend/fpu.h, which sets FCSR itself.
//  - Cause: the exceptions of the last operation only. The code records that
//    operation (CpuState::fp_pending and its operands) and SettleFpu() computes its
//    Cause with frontend/fpu.h when FCSR is next read. An operation that sets Cause
//    itself (frontend/fpu.h's, a comparison) drops the record first.
#ifndef MIPSRUN_RUNTIME_LAZY_FPU_H_
#define MIPSRUN_RUNTIME_LAZY_FPU_H_

#include <ucontext.h>
#include <xmmintrin.h>

#include <bit>
#include <cstdint>

#include "frontend/fpu.h"
#include "frontend/fpu_host.h"
#include "runtime/cpu_state.h"

namespace mipsrun {

// CpuState::fp_pending and the FPU helpers' operation code: FpOp | in << 8 | out << 16,
// with kFpPendingValid so that a record is never 0.
inline constexpr uint32_t kFpPendingValid = 1u << 24;
inline constexpr uint32_t FpPendingCode(FpOp op, FpFmt in, FpFmt out) {
  return static_cast<uint32_t>(op) | static_cast<uint32_t>(in) << 8 |
         static_cast<uint32_t>(out) << 16 | kFpPendingValid;
}
// FCSR bits that must be clear for an arithmetic operation to run lazily: the rounding
// mode (round-to-nearest is 0), the Enables, and FS (flush-to-zero).
inline constexpr uint32_t kLazyFpControlMask =
    kFcsrRoundingMask | (0x1fu << kFcsrEnablesShift) | kFcsrFlushToZero;

// FpuCompute of an operation given by such a code.
inline bool FpuComputeCode(uint32_t code, uint64_t a, uint64_t b, uint64_t c, uint32_t* fcsr,
                           uint64_t* result) {
  return FpuCompute(static_cast<FpOp>(code & 0xff), static_cast<FpFmt>((code >> 8) & 0xff),
                    static_cast<FpFmt>((code >> 16) & 0xff), a, b, c, fcsr, result);
}

namespace lazy_fpu_internal {
template <class T, class U>
[[gnu::always_inline]] inline bool HostArith(FpOp op, uint64_t a, uint64_t b, uint64_t c,
                                             uint64_t* out) {
  T r;
  if (!HostFpOp<T>(op, std::bit_cast<T>(static_cast<U>(a)), std::bit_cast<T>(static_cast<U>(b)),
                   std::bit_cast<T>(static_cast<U>(c)), &r) ||
      r != r) {  // a NaN: the host's and a MIPS FPU's differ
    return false;
  }
  *out = std::bit_cast<U>(r);
  return true;
}
}  // namespace lazy_fpu_internal

// The interpreter's fast path: `op` as the host operation, with its flags left in
// MXCSR and the operation recorded for Cause, where that is the architecture's result
// (arithmetic in S or D: translator/fp_fast.h's lazy operations, and recip and rsqrt,
// which translated code leaves to its helper). False where frontend/fpu.h must compute
// it; then nothing has changed but MXCSR's flags, which that computation raises too
// (Invalid aside, which is never folded).
inline bool LazyFpCompute(CpuState& cpu, FpOp op, FpFmt in, FpFmt out, uint64_t a, uint64_t b,
                          uint64_t c, uint64_t* result) {
  if ((cpu.fcsr & kLazyFpControlMask) != 0 || in != out) return false;
  bool ok = in == FpFmt::kD   ? lazy_fpu_internal::HostArith<double, uint64_t>(op, a, b, c, result)
            : in == FpFmt::kS ? lazy_fpu_internal::HostArith<float, uint32_t>(op, a, b, c, result)
                              : false;
  if (!ok) return false;
  cpu.fp_pending = FpPendingCode(op, in, out);
  cpu.fp_pending_ops[0] = a;  // the operands the operation reads (FpuCompute ignores the rest)
  if (!IsUnaryArith(op)) cpu.fp_pending_ops[1] = b;
  if (IsMadd(op)) cpu.fp_pending_ops[2] = c;
  return true;
}

// The interpreter's c.cond.fmt on operands that are not NaNs: the host's comparison,
// no exception, so Cause becomes 0 (replacing a recorded operation's) and nothing
// else in FCSR changes; MXCSR's gathered flags stay there. False for NaN operands,
// which frontend/fpu.h compares.
inline bool LazyFpCompare(CpuState& cpu, unsigned cond, FpFmt fmt, uint64_t a, uint64_t b,
                          bool* result) {
  bool ok = fmt == FpFmt::kD   ? HostFpCompareOrdered<double>(cond, std::bit_cast<double>(a),
                                                            std::bit_cast<double>(b), result)
            : fmt == FpFmt::kS ? HostFpCompareOrdered<float>(
                                     cond, std::bit_cast<float>(static_cast<uint32_t>(a)),
                                     std::bit_cast<float>(static_cast<uint32_t>(b)), result)
                               : false;
  if (!ok) return false;
  cpu.fp_pending = 0;
  cpu.fcsr &= ~kFcsrCauseMask;
  return true;
}

// FCSR.Flags bits from MXCSR's flags. Invalid is left out (see above).
inline uint32_t FcsrFlagsOfMxcsr(uint32_t m) {
  return (FpFlagsOfMxcsr(m) & ~kFpInvalid) << kFcsrFlagsShift;
}

// Before guest code runs (either tier): no flag of mipsrun's own.
inline void ClearHostFpFlags() {
  if (_mm_getcsr() != kHostMxcsr) _mm_setcsr(kHostMxcsr);
}

// MXCSR's flags folded into FCSR.Flags, and cleared.
inline void FoldHostFpFlags(CpuState& cpu) {
  uint32_t m = _mm_getcsr();
  if (m != kHostMxcsr) {
    cpu.fcsr |= FcsrFlagsOfMxcsr(m);
    _mm_setcsr(kHostMxcsr);
  }
}

// A host fault handler that interrupted guest code: the flags it had gathered are in
// the interrupted context's MXCSR (the handler runs with a fresh one). The guest gets
// them where the interpreter faulted (at that instruction, so they are all from before
// it), or before the interpreter runs translated code again from its last commit
// (runtime/executor.h), as it does those of code that hands back kRunAgain (SettleFpu):
// every access to FCSR in translated code settles it and commits after itself, so the
// operations that gathered them lie between that and the exit, and those after cpu.pc,
// which run again, only raise the same flags again.
inline uint32_t FaultFcsrFlags(const void* ucontext) {
  const auto* uc = static_cast<const ucontext_t*>(ucontext);
  return uc && uc->uc_mcontext.fpregs ? FcsrFlagsOfMxcsr(uc->uc_mcontext.fpregs->mxcsr) : 0;
}

// Makes cpu.fcsr exact: MXCSR's flags folded in (and cleared), the recorded operation's
// Cause computed. After guest code returns (RunBlock, the executor after translated
// code), and wherever guest code reads or writes FCSR.
inline void SettleFpu(CpuState& cpu) {
  FoldHostFpFlags(cpu);
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
