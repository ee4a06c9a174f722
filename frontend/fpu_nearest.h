// The common case of frontend/fpu.cc's arithmetic without the MXCSR: round to nearest,
// no flush to zero, operands that are not NaNs. The host operation gives the IEEE
// result; its flags come from an error term computed in software instead of MXCSR,
// whose read must wait for the operation to finish (most of what a guest FPU
// operation cost the interpreter).
//
// The error terms are exact where the result's magnitude is at least 2^(emin + 2p)
// (2^-916 for D, 2^-78 for S) and finite, which rules out Overflow, Underflow,
// Divide-by-zero and Invalid; there the only possible flag is Inexact, raised when the
// error is not 0:
//  - add, sub: the rounding error by Knuth's two-sum;
//  - mul: fma(a, b, -r);  div: the remainder fma(-r, b, a);  sqrt: fma(-r, r, a)
//    (for these two the operand a is held to the same bound). Without FMA on the host
//    these are left to the MXCSR.
// A zero result is exact, without flags, for add and sub (a sum of finite numbers is 0
// only when they cancel), for a product with a zero operand, a quotient with a zero
// dividend and a non-zero divisor, and the square root of a zero. Everything else is
// left to the MXCSR path.
#ifndef MIPSRUN_FRONTEND_FPU_NEAREST_H_
#define MIPSRUN_FRONTEND_FPU_NEAREST_H_

#include <cstdint>

#include "frontend/fpu.h"

namespace mipsrun {

// `op` (add, sub, mul, div, sqrt) on the bit patterns a and b (S in the low 32 bits)
// in format `f` (S or D), neither a NaN. Returns false where the rules above do not
// know the flags; else the result in *r, and kFpInexact or'ed into *flags if raised.
bool ArithNearest(FpOp op, FpFmt f, uint64_t a, uint64_t b, uint64_t* r, uint32_t* flags);

// Whether fpu.cc tries ArithNearest first (it does unless told otherwise): for tests,
// which check its results and flags against the MXCSR path's.
void UseArithNearest(bool use);
inline bool use_arith_nearest = true;

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_FPU_NEAREST_H_
