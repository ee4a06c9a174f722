// The host operations that give a MIPS FPU's arithmetic results and comparisons: one
// statement for frontend/fpu.cc's exact path (under the guest's MXCSR, NaN operands
// handled before) and for the lazy paths that run them under mipsrun's own MXCSR
// (runtime/lazy_fpu.h; translator/fp_fast.cc builds the same operations in LLVM IR,
// the multiply-adds from MaddSum and MaddNegates).
#ifndef MIPSRUN_FRONTEND_FPU_HOST_H_
#define MIPSRUN_FRONTEND_FPU_HOST_H_

#include <cmath>

#include "frontend/fpu.h"

namespace mipsrun {

// The arithmetic that reads fs only (the others read ft too, the multiply-adds fr).
inline constexpr bool IsUnaryArith(FpOp op) {
  return op == FpOp::kSqrt || op == FpOp::kRecip || op == FpOp::kRsqrt;
}
inline constexpr bool IsMadd(FpOp op) {
  return op == FpOp::kMadd || op == FpOp::kMsub || op == FpOp::kNmadd || op == FpOp::kNmsub;
}
// Release 2 multiply-adds are not fused: fs * ft is rounded, then fr is added to it
// (kAdd) or subtracted from it (kSub) and the sum rounded; the nm forms negate that.
inline constexpr FpOp MaddSum(FpOp op) {
  return op == FpOp::kMadd || op == FpOp::kNmadd ? FpOp::kAdd : FpOp::kSub;
}
inline constexpr bool MaddNegates(FpOp op) { return op == FpOp::kNmadd || op == FpOp::kNmsub; }

// `op` on a (fs), b (ft) and c (fr) as host float or double arithmetic, rounded by
// MXCSR, raising the IEEE flags the MIPS operation raises. For operands that are not
// NaNs, a result that is not a NaN is the MIPS result; a NaN result is not (the host's
// NaN is x86's). False for the operations that are not host arithmetic (sign
// operations, conversions).
template <class T>
[[gnu::always_inline]] inline bool HostFpOp(FpOp op, T a, T b, T c, T* r) {
  switch (op) {
    case FpOp::kAdd: *r = a + b; return true;
    case FpOp::kSub: *r = a - b; return true;
    case FpOp::kMul: *r = a * b; return true;
    case FpOp::kDiv: *r = a / b; return true;
    case FpOp::kSqrt: *r = std::sqrt(a); return true;
    case FpOp::kRecip: *r = T(1) / a; return true;
    // Two roundings, as QEMU and the Release 2 FPUs it models give.
    case FpOp::kRsqrt: *r = T(1) / std::sqrt(a); return true;
    case FpOp::kMadd: case FpOp::kMsub: case FpOp::kNmadd: case FpOp::kNmsub: {
      T p = a * b;
      T s = MaddSum(op) == FpOp::kAdd ? p + c : p - c;
      *r = MaddNegates(op) ? -s : s;
      return true;
    }
    default:
      return false;
  }
}

// c.cond.fmt's condition on a (fs) and b (ft) when neither is a NaN (cond bit 2: less
// than, bit 1: equal; bit 0, unordered, and bit 3, signal on unordered, do not matter
// then), which raises no exception. False, and nothing set, when either is a NaN.
template <class T>
[[gnu::always_inline]] inline bool HostFpCompareOrdered(unsigned cond, T a, T b, bool* r) {
  if (a != a || b != b) return false;
  *r = ((cond & 4) && a < b) || ((cond & 2) && a == b);
  return true;
}

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_FPU_HOST_H_
