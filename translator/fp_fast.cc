#include "translator/fp_fast.h"

#include <cmath>

#include "frontend/fpu_host.h"
#include "llvm/IR/Intrinsics.h"
#include "runtime/lazy_fpu.h"

namespace mipsrun {
namespace {

// FCSR fields that must be clear for the fast path: those of the lazy operations
// (runtime/lazy_fpu.h, which the interpreter's fast path uses too), and for the
// conversions that round their own way, all but the rounding mode.
constexpr uint32_t kRoundedCtl = kLazyFpControlMask;
constexpr uint32_t kFixedRoundingCtl = kLazyFpControlMask & ~kFcsrRoundingMask;

// An intrinsic of one operand, as its constrained form when the builder is in strict
// floating-point mode (translated code is: see translator.cc).
llvm::Value* Unary(llvm::IRBuilder<>& b, llvm::Intrinsic::ID id, llvm::Value* x) {
  if (!b.getIsFPConstrained()) return b.CreateUnaryIntrinsic(id, x);
  llvm::Intrinsic::ID strict;
  switch (id) {
    case llvm::Intrinsic::sqrt: strict = llvm::Intrinsic::experimental_constrained_sqrt; break;
    case llvm::Intrinsic::roundeven: strict = llvm::Intrinsic::experimental_constrained_roundeven; break;
    case llvm::Intrinsic::trunc: strict = llvm::Intrinsic::experimental_constrained_trunc; break;
    case llvm::Intrinsic::ceil: strict = llvm::Intrinsic::experimental_constrained_ceil; break;
    case llvm::Intrinsic::floor: strict = llvm::Intrinsic::experimental_constrained_floor; break;
    default: return b.CreateUnaryIntrinsic(id, x);  // fabs: no exception
  }
  llvm::Module* m = b.GetInsertBlock()->getModule();
  return b.CreateConstrainedFPCall(llvm::Intrinsic::getDeclaration(m, strict, {x->getType()}), {x});
}

class Fast {
 public:
  Fast(llvm::IRBuilder<>& b, FpFmt fmt) : b_(b), fmt_(fmt) {}

  llvm::Type* Ty() const { return fmt_ == FpFmt::kD ? b_.getDoubleTy() : b_.getFloatTy(); }
  llvm::Value* C(double v) { return llvm::ConstantFP::get(Ty(), v); }

  llvm::Value* FromBits(llvm::Value* bits) {
    if (fmt_ == FpFmt::kD) return b_.CreateBitCast(bits, b_.getDoubleTy());
    return b_.CreateBitCast(b_.CreateTrunc(bits, b_.getInt32Ty()), b_.getFloatTy());
  }
  llvm::Value* ToBits(llvm::Value* v) {
    if (fmt_ == FpFmt::kD) return b_.CreateBitCast(v, b_.getInt64Ty());
    return b_.CreateZExt(b_.CreateBitCast(v, b_.getInt32Ty()), b_.getInt64Ty());
  }

  // min < |v| < infinity (false for NaN).
  llvm::Value* Normal(llvm::Value* v) {
    llvm::Value* m = Unary(b_, llvm::Intrinsic::fabs, v);
    double min = std::ldexp(1.0, fmt_ == FpFmt::kD ? -1022 : -126);
    return b_.CreateAnd(b_.CreateFCmpOGT(m, C(min)), b_.CreateFCmpOLT(m, C(INFINITY)));
  }

 private:
  llvm::IRBuilder<>& b_;
  FpFmt fmt_;
};

bool IsFloat(FpFmt f) { return f == FpFmt::kS || f == FpFmt::kD; }

// Conversions, with Inexact computed here. Float to integer rounds with `rounding`
// first, then checks the range (fptosi of an out-of-range value raises only the host's
// Invalid, which nothing reads, and then ok is false and the value unused).
FastFp Convert(llvm::IRBuilder<>& b, FpOp op, FpFmt in, FpFmt out, llvm::Value* a) {
  FastFp f;
  if (IsFloat(in) && IsFloat(out) && in != out) {
    Fast src(b, in), dst(b, out);
    llvm::Value* x = src.FromBits(a);
    if (out == FpFmt::kD) {  // widening is exact
      f.ok = b.CreateFCmpORD(x, x);
      f.result = dst.ToBits(b.CreateFPExt(x, b.getDoubleTy()));
      f.inexact = b.getFalse();
    } else {
      llvm::Value* r = b.CreateFPTrunc(x, b.getFloatTy());
      f.ok = b.CreateOr(dst.Normal(r), b.CreateFCmpOEQ(x, src.C(0)));
      f.result = dst.ToBits(r);
      f.inexact = b.CreateFCmpUNE(b.CreateFPExt(r, b.getDoubleTy()), x);
    }
    return f;
  }
  if (in == FpFmt::kW && IsFloat(out)) {
    llvm::Value* w = b.CreateTrunc(a, b.getInt32Ty());
    llvm::Value* d = b.CreateSIToFP(w, b.getDoubleTy());  // exact
    Fast dst(b, out);
    f.ok = b.getTrue();
    if (out == FpFmt::kD) {
      f.result = dst.ToBits(d);
      f.inexact = b.getFalse();
    } else {
      llvm::Value* r = b.CreateSIToFP(w, b.getFloatTy());
      f.result = dst.ToBits(r);
      f.inexact = b.CreateFCmpUNE(b.CreateFPExt(r, b.getDoubleTy()), d);
    }
    return f;
  }
  if (IsFloat(in) && (out == FpFmt::kW || out == FpFmt::kL)) {
    llvm::Intrinsic::ID rounding;
    switch (op) {
      case FpOp::kCvt: case FpOp::kRound: rounding = llvm::Intrinsic::roundeven; break;
      case FpOp::kTrunc: rounding = llvm::Intrinsic::trunc; break;
      case FpOp::kCeil: rounding = llvm::Intrinsic::ceil; break;
      default: rounding = llvm::Intrinsic::floor; break;
    }
    Fast src(b, in);
    llvm::Value* x = src.FromBits(a);
    llvm::Value* t = Unary(b, rounding, x);
    double limit = out == FpFmt::kW ? 2147483648.0 : 9223372036854775808.0;
    f.ok = b.CreateAnd(b.CreateFCmpOGE(t, src.C(-limit)), b.CreateFCmpOLT(t, src.C(limit)));
    llvm::Type* ity = out == FpFmt::kW ? b.getInt32Ty() : b.getInt64Ty();
    f.result = b.CreateZExt(b.CreateFPToSI(t, ity), b.getInt64Ty());
    f.inexact = b.CreateFCmpUNE(t, x);
    return f;
  }
  return f;  // L to float: the helper
}

bool IsConversion(FpOp op) {
  return op == FpOp::kCvt || op == FpOp::kRound || op == FpOp::kTrunc || op == FpOp::kCeil ||
         op == FpOp::kFloor;
}

}  // namespace

uint32_t FastFpControlMask(FpOp op, FpFmt in, FpFmt out) {
  if (op == FpOp::kAbs || op == FpOp::kNeg) return 0;
  if (IsConversion(op)) {
    if (in == FpFmt::kW && out == FpFmt::kD) return 0;  // exact: no flag at all
    if (op != FpOp::kCvt && IsFloat(in) && !IsFloat(out)) return kFixedRoundingCtl;
  }
  return kRoundedCtl;
}

FastFp EmitFastFpCompute(llvm::IRBuilder<>& b, FpOp op, FpFmt in, FpFmt out, llvm::Value* fcsr,
                         llvm::Value* a, llvm::Value* bv, llvm::Value* c) {
  if (IsConversion(op)) return Convert(b, op, in, out, a);
  FastFp f;
  if (!IsFloat(in)) return f;
  Fast m(b, in);
  if (op == FpOp::kAbs || op == FpOp::kNeg) {
    // A sign operation when the operand is not a NaN or ABS2008 says so: no flag.
    llvm::Value* x = m.FromBits(a);
    llvm::Value* abs2008 = b.CreateICmpNE(b.CreateAnd(fcsr, kFcsrAbs2008), b.getInt32(0));
    f.ok = b.CreateOr(b.CreateFCmpORD(x, x), abs2008);
    uint64_t sign = in == FpFmt::kD ? 0x8000000000000000ull : 0x80000000u;
    f.result = op == FpOp::kAbs ? b.CreateAnd(a, b.getInt64(~sign)) : b.CreateXor(a, b.getInt64(sign));
    f.inexact = b.getFalse();
    return f;
  }
  llvm::Value* x = m.FromBits(a);
  llvm::Value* y = m.FromBits(bv);
  llvm::Value* r;
  switch (op) {
    case FpOp::kAdd: r = b.CreateFAdd(x, y); break;
    case FpOp::kSub: r = b.CreateFSub(x, y); break;
    case FpOp::kMul: r = b.CreateFMul(x, y); break;
    case FpOp::kDiv: r = b.CreateFDiv(x, y); break;
    case FpOp::kSqrt: r = Unary(b, llvm::Intrinsic::sqrt, x); break;
    case FpOp::kMadd: case FpOp::kMsub: case FpOp::kNmadd: case FpOp::kNmsub: {
      // As frontend/fpu_host.h composes them.
      llvm::Value* p = b.CreateFMul(x, y);
      llvm::Value* z = m.FromBits(c);
      r = MaddSum(op) == FpOp::kAdd ? b.CreateFAdd(p, z) : b.CreateFSub(p, z);
      if (MaddNegates(op)) r = b.CreateFNeg(r);
      break;
    }
    default:
      return f;  // recip, rsqrt: the helper
  }
  // A NaN result (from a NaN operand or an invalid operation) is the one the host and
  // a MIPS FPU give differently; every other result is IEEE's, flags included.
  f.ok = b.CreateFCmpORD(r, r);
  f.result = m.ToBits(r);
  f.lazy = true;
  return f;
}

FastFp EmitFastFpCompare(llvm::IRBuilder<>& b, unsigned cond, FpFmt fmt, llvm::Value* a,
                         llvm::Value* bv) {
  Fast m(b, fmt);
  llvm::Value* x = m.FromBits(a);
  llvm::Value* y = m.FromBits(bv);
  FastFp f;
  f.ok = b.CreateFCmpORD(x, y);
  llvm::Value* r = b.getFalse();
  if (cond & 4) r = b.CreateOr(r, b.CreateFCmpOLT(x, y));
  if (cond & 2) r = b.CreateOr(r, b.CreateFCmpOEQ(x, y));
  f.result = b.CreateZExt(r, b.getInt32Ty());
  f.inexact = b.getFalse();
  return f;
}

llvm::Value* FcsrAfterFast(llvm::IRBuilder<>& b, llvm::Value* fcsr, llvm::Value* inexact) {
  constexpr uint32_t kInexactBits = (kFpInexact << kFcsrCauseShift) | (kFpInexact << kFcsrFlagsShift);
  llvm::Value* cleared = b.CreateAnd(fcsr, ~kFcsrCauseMask);
  return b.CreateOr(cleared, b.CreateSelect(inexact, b.getInt32(kInexactBits), b.getInt32(0)));
}

}  // namespace mipsrun
