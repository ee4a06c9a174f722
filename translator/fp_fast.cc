#include "translator/fp_fast.h"

#include <cmath>

#include "llvm/IR/Intrinsics.h"

namespace mipsrun {
namespace {

// FCSR fields that must be clear for the fast path.
constexpr uint32_t kEnables = 0x1f << kFcsrEnablesShift;
constexpr uint32_t kRoundedCtl = kFcsrRoundingMask | kEnables | kFcsrFlushToZero;
constexpr uint32_t kFixedRoundingCtl = kEnables | kFcsrFlushToZero;

// Below this magnitude a double result leaves the fast path: an FMA residual of a
// product or quotient near the subnormal range could round to zero and hide Inexact.
// 2^-960 keeps 2^-104 * |result| (the residual's granularity) above 2^-1074.
const double kDoubleFloor = std::ldexp(1.0, -960);
const double kFloatMin = std::ldexp(1.0, -126);
const double kDoubleMin = std::ldexp(1.0, -1022);

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

  llvm::Value* Abs(llvm::Value* v) { return b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v); }
  // min < |v| < infinity (false for NaN).
  llvm::Value* Between(llvm::Value* v, double min) {
    llvm::Value* m = Abs(v);
    return b_.CreateAnd(b_.CreateFCmpOGT(m, C(min)), b_.CreateFCmpOLT(m, C(INFINITY)));
  }
  // No underflow possible and the exactness tests exact.
  llvm::Value* SafeProduct(llvm::Value* v) {
    return Between(v, fmt_ == FpFmt::kD ? kDoubleFloor : kFloatMin);
  }
  llvm::Value* Normal(llvm::Value* v) {
    return Between(v, fmt_ == FpFmt::kD ? kDoubleMin : kFloatMin);
  }
  llvm::Value* NonZero(llvm::Value* err) { return b_.CreateFCmpUNE(err, C(0)); }

  // a + b with its rounding error's being non-zero (Knuth's TwoSum: exact in
  // round-to-nearest without overflow, and a finite sum of finite operands has none).
  // A zero sum is exact, and a sum in the subnormal range is too.
  std::pair<llvm::Value*, llvm::Value*> Sum(llvm::Value* a, llvm::Value* x, llvm::Value** ok) {
    llvm::Value* s = b_.CreateFAdd(a, x);
    llvm::Value* bb = b_.CreateFSub(s, a);
    llvm::Value* err = b_.CreateFAdd(b_.CreateFSub(a, b_.CreateFSub(s, bb)), b_.CreateFSub(x, bb));
    *ok = b_.CreateOr(Normal(s), b_.CreateFCmpOEQ(s, C(0)));
    return {s, NonZero(err)};
  }
  // a * b and whether it was rounded.
  std::pair<llvm::Value*, llvm::Value*> Product(llvm::Value* a, llvm::Value* x, llvm::Value** ok) {
    llvm::Value* p = b_.CreateFMul(a, x);
    *ok = SafeProduct(p);
    if (fmt_ == FpFmt::kD) {
      llvm::Value* residual = Fma(a, x, b_.CreateFNeg(p));
      return {p, NonZero(residual)};
    }
    // Single: the product of two floats is exact in double.
    return {p, b_.CreateFCmpUNE(b_.CreateFMul(Ext(a), Ext(x)), Ext(p))};
  }
  std::pair<llvm::Value*, llvm::Value*> Quotient(llvm::Value* a, llvm::Value* x,
                                                 llvm::Value** ok) {
    llvm::Value* q = b_.CreateFDiv(a, x);
    *ok = SafeProduct(q);
    if (fmt_ == FpFmt::kD) {
      *ok = b_.CreateAnd(*ok, SafeProduct(a));
      llvm::Value* residual = Fma(b_.CreateFNeg(q), x, a);
      return {q, NonZero(residual)};
    }
    return {q, b_.CreateFCmpUNE(b_.CreateFMul(Ext(q), Ext(x)), Ext(a))};
  }
  std::pair<llvm::Value*, llvm::Value*> Root(llvm::Value* a, llvm::Value** ok) {
    llvm::Value* r = b_.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, a);
    *ok = b_.CreateAnd(b_.CreateFCmpOGT(a, C(fmt_ == FpFmt::kD ? kDoubleFloor : kFloatMin)),
                       b_.CreateFCmpOLT(a, C(INFINITY)));
    if (fmt_ == FpFmt::kD) return {r, NonZero(Fma(r, r, b_.CreateFNeg(a)))};
    return {r, b_.CreateFCmpUNE(b_.CreateFMul(Ext(r), Ext(r)), Ext(a))};
  }

 private:
  llvm::Value* Fma(llvm::Value* x, llvm::Value* y, llvm::Value* z) {
    return b_.CreateIntrinsic(llvm::Intrinsic::fma, {Ty()}, {x, y, z});
  }
  llvm::Value* Ext(llvm::Value* v) { return b_.CreateFPExt(v, b_.getDoubleTy()); }

  llvm::IRBuilder<>& b_;
  FpFmt fmt_;
};

llvm::Value* CtlClear(llvm::IRBuilder<>& b, llvm::Value* fcsr, uint32_t mask) {
  return b.CreateICmpEQ(b.CreateAnd(fcsr, mask), b.getInt32(0));
}

bool IsFloat(FpFmt f) { return f == FpFmt::kS || f == FpFmt::kD; }

// Conversions. Float to integer rounds with `rounding` first, then checks the range
// (fptosi of an out-of-range value is poison, but then ok is false and the value unused).
FastFp Convert(llvm::IRBuilder<>& b, FpOp op, FpFmt in, FpFmt out, llvm::Value* fcsr,
               llvm::Value* a) {
  FastFp f;
  if (IsFloat(in) && IsFloat(out) && in != out) {
    Fast src(b, in), dst(b, out);
    llvm::Value* x = src.FromBits(a);
    llvm::Value* ctl = CtlClear(b, fcsr, kRoundedCtl);
    if (out == FpFmt::kD) {  // widening is exact
      f.ok = b.CreateAnd(ctl, b.CreateFCmpORD(x, x));
      f.result = dst.ToBits(b.CreateFPExt(x, b.getDoubleTy()));
      f.inexact = b.getFalse();
    } else {
      llvm::Value* r = b.CreateFPTrunc(x, b.getFloatTy());
      f.ok = b.CreateAnd(ctl, b.CreateOr(dst.Normal(r), b.CreateFCmpOEQ(x, src.C(0))));
      f.result = dst.ToBits(r);
      f.inexact = b.CreateFCmpUNE(b.CreateFPExt(r, b.getDoubleTy()), x);
    }
    return f;
  }
  if (in == FpFmt::kW && IsFloat(out)) {
    llvm::Value* w = b.CreateTrunc(a, b.getInt32Ty());
    llvm::Value* d = b.CreateSIToFP(w, b.getDoubleTy());  // exact
    Fast dst(b, out);
    if (out == FpFmt::kD) {
      f.ok = b.getTrue();
      f.result = dst.ToBits(d);
      f.inexact = b.getFalse();
    } else {
      llvm::Value* r = b.CreateSIToFP(w, b.getFloatTy());
      f.ok = CtlClear(b, fcsr, kRoundedCtl);
      f.result = dst.ToBits(r);
      f.inexact = b.CreateFCmpUNE(b.CreateFPExt(r, b.getDoubleTy()), d);
    }
    return f;
  }
  if (IsFloat(in) && (out == FpFmt::kW || out == FpFmt::kL)) {
    llvm::Intrinsic::ID rounding;
    uint32_t ctl_mask = kFixedRoundingCtl;
    switch (op) {
      case FpOp::kCvt: rounding = llvm::Intrinsic::roundeven; ctl_mask = kRoundedCtl; break;
      case FpOp::kRound: rounding = llvm::Intrinsic::roundeven; break;
      case FpOp::kTrunc: rounding = llvm::Intrinsic::trunc; break;
      case FpOp::kCeil: rounding = llvm::Intrinsic::ceil; break;
      default: rounding = llvm::Intrinsic::floor; break;
    }
    Fast src(b, in);
    llvm::Value* x = src.FromBits(a);
    llvm::Value* t = b.CreateUnaryIntrinsic(rounding, x);
    double limit = out == FpFmt::kW ? 2147483648.0 : 9223372036854775808.0;
    llvm::Value* in_range =
        b.CreateAnd(b.CreateFCmpOGE(t, src.C(-limit)), b.CreateFCmpOLT(t, src.C(limit)));
    f.ok = b.CreateAnd(CtlClear(b, fcsr, ctl_mask), in_range);
    llvm::Type* ity = out == FpFmt::kW ? b.getInt32Ty() : b.getInt64Ty();
    f.result = b.CreateZExt(b.CreateFPToSI(t, ity), b.getInt64Ty());
    f.inexact = b.CreateFCmpUNE(t, x);
    return f;
  }
  return f;  // L to float: the helper
}

}  // namespace

FastFp EmitFastFpCompute(llvm::IRBuilder<>& b, FpOp op, FpFmt in, FpFmt out, llvm::Value* fcsr,
                         llvm::Value* a, llvm::Value* bv, llvm::Value* c) {
  if (op == FpOp::kCvt || op == FpOp::kRound || op == FpOp::kTrunc || op == FpOp::kCeil ||
      op == FpOp::kFloor) {
    return Convert(b, op, in, out, fcsr, a);
  }
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
  llvm::Value* ok = nullptr;
  std::pair<llvm::Value*, llvm::Value*> r;
  switch (op) {
    case FpOp::kAdd: r = m.Sum(x, y, &ok); break;
    case FpOp::kSub: r = m.Sum(x, b.CreateFNeg(y), &ok); break;
    case FpOp::kMul: r = m.Product(x, y, &ok); break;
    case FpOp::kDiv: r = m.Quotient(x, y, &ok); break;
    case FpOp::kSqrt: r = m.Root(x, &ok); break;
    case FpOp::kMadd: case FpOp::kMsub: case FpOp::kNmadd: case FpOp::kNmsub: {
      // The product rounded, then the sum (Release 2 multiply-adds are not fused).
      llvm::Value* ok_p = nullptr;
      llvm::Value* ok_s = nullptr;
      auto p = m.Product(x, y, &ok_p);
      llvm::Value* z = m.FromBits(c);
      bool add = op == FpOp::kMadd || op == FpOp::kNmadd;
      auto s = m.Sum(p.first, add ? z : b.CreateFNeg(z), &ok_s);
      ok = b.CreateAnd(ok_p, ok_s);
      r = {s.first, b.CreateOr(p.second, s.second)};
      if (op == FpOp::kNmadd || op == FpOp::kNmsub) r.first = b.CreateFNeg(r.first);
      break;
    }
    default:
      return f;  // recip, rsqrt: the helper
  }
  f.ok = b.CreateAnd(CtlClear(b, fcsr, kRoundedCtl), ok);
  f.result = m.ToBits(r.first);
  f.inexact = r.second;
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
