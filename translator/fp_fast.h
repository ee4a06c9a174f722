// Inline host arithmetic for the common case of the FPU computations of frontend/fpu.h.
//
// The rules of fpu.cc (NaN encodings and propagation, out-of-range conversions, flags,
// enabled exceptions) stay in one place: translated code calls them as a helper on the
// slow path. What is emitted here is only the case where plain IEEE arithmetic in the
// host's default environment already gives the MIPS result and where the only flag the
// operation can raise is Inexact:
//  - the guest's FCSR asks for round-to-nearest, no flush-to-zero and no enabled
//    exception (conversions with a fixed rounding only need the last two);
//  - no operand and no result is a NaN or an infinity, and the result is far enough
//    from the underflow range that no Underflow can occur and the exactness test below
//    is itself exact;
//  - Inexact is computed without the host's MXCSR: by the error of a TwoSum for
//    additions, by an FMA residual (or an exact product in double for single
//    precision) for multiplication, division and square root, and by converting back
//    for conversions.
// Everything else (about one operation in millions in ordinary code) takes the helper.
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
};

// `op` on a, b, c (i64 bit patterns as fpu.h takes them) under FCSR value `fcsr` (i32).
FastFp EmitFastFpCompute(llvm::IRBuilder<>& b, FpOp op, FpFmt in, FpFmt out, llvm::Value* fcsr,
                         llvm::Value* a, llvm::Value* bv, llvm::Value* c);

// c.cond.fmt on ordered operands (no flag is raised); result is i32 0 or 1.
FastFp EmitFastFpCompare(llvm::IRBuilder<>& b, unsigned cond, FpFmt fmt, llvm::Value* a,
                         llvm::Value* bv);

// FCSR after a fast operation: Cause is Inexact or nothing; the Inexact flag sticks.
llvm::Value* FcsrAfterFast(llvm::IRBuilder<>& b, llvm::Value* fcsr, llvm::Value* inexact);

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_FP_FAST_H_
