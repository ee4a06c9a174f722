// Inline host arithmetic for the common case of the FPU computations of frontend/fpu.h.
//
// The rules of fpu.cc (NaN encodings and propagation, out-of-range conversions, flags,
// enabled exceptions) stay in one place: translated code calls them as a helper on the
// slow path. What is emitted here is only the case where IEEE arithmetic in the host's
// environment already gives the MIPS result:
//  - the guest's FCSR has none of FastFpControlMask's bits: round-to-nearest (unless
//    the operation rounds its own way), no flush-to-zero, no enabled exception; the
//    code checks that before it runs any host operation, whose flags would count;
//  - arithmetic (add, sub, mul, div, sqrt, the multiply-adds) whose result is not a
//    NaN: the host instruction alone. Its flags gather in MXCSR and its Cause is left
//    to the runtime (`lazy`, runtime/lazy_fpu.h). The code runs in LLVM's strict
//    floating-point mode, so no operation is dropped, duplicated or moved where it
//    would raise a flag the guest did not;
//  - conversions and sign operations with no NaN, infinity or result out of range,
//    and comparisons of ordered operands: Inexact (the only flag these can raise) is
//    computed here, by converting back.
// Everything else (NaNs, and conversions out of range) takes the helper.
#ifndef MIPSRUN_TRANSLATOR_FP_FAST_H_
#define MIPSRUN_TRANSLATOR_FP_FAST_H_

#include "frontend/fpu.h"
#include "llvm/IR/IRBuilder.h"

namespace mipsrun {

struct FastFp {
  llvm::Value* ok = nullptr;       // i1: the fast result is the architecture's; null:
                                   // no fast path for this operation
  llvm::Value* result = nullptr;   // i64: bits in the output format (S, W in the low half)
  llvm::Value* inexact = nullptr;  // i1: the one flag (and cause) a fast result raises
  bool lazy = false;               // inexact is null: MXCSR has the flags, and Cause
                                   // is computed from the operands when it is read
};

// The FCSR bits that must be clear for `op`'s fast path.
uint32_t FastFpControlMask(FpOp op, FpFmt in, FpFmt out);

// `op` on a, b, c (i64 bit patterns as fpu.h takes them) under FCSR value `fcsr` (i32),
// emitted where FastFpControlMask's bits are clear.
FastFp EmitFastFpCompute(llvm::IRBuilder<>& b, FpOp op, FpFmt in, FpFmt out, llvm::Value* fcsr,
                         llvm::Value* a, llvm::Value* bv, llvm::Value* c);

// c.cond.fmt on ordered operands (no flag is raised); result is i32 0 or 1.
FastFp EmitFastFpCompare(llvm::IRBuilder<>& b, unsigned cond, FpFmt fmt, llvm::Value* a,
                         llvm::Value* bv);

// FCSR after a fast operation: Cause is Inexact or nothing; the Inexact flag sticks.
llvm::Value* FcsrAfterFast(llvm::IRBuilder<>& b, llvm::Value* fcsr, llvm::Value* inexact);

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_FP_FAST_H_
