// Built with -frounding-math -fno-math-errno -ffp-contract=off (see CMakeLists.txt): the
// host operations must run under the MXCSR set here, one rounding each, with no errno.
#include "frontend/fpu.h"

#include <emmintrin.h>
#include <xmmintrin.h>

#include <cstring>
#include <initializer_list>

#include "frontend/fpu_host.h"
#include "frontend/fpu_nearest.h"

namespace mipsrun {
namespace {

bool Is64(FpFmt f) { return f == FpFmt::kD || f == FpFmt::kL; }

bool IsNan(FpFmt f, uint64_t x) {
  if (Is64(f)) return (x & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (x & 0xfffffffffffffull);
  uint32_t w = static_cast<uint32_t>(x);
  return (w & 0x7f800000u) == 0x7f800000u && (w & 0x7fffffu);
}

uint64_t QuietBit(FpFmt f) { return Is64(f) ? 0x0008000000000000ull : 0x00400000u; }

// Signalling in the mode's encoding: legacy MIPS has the quiet bit's sense inverted.
bool IsSignalling(FpFmt f, uint64_t x, bool nan2008) {
  return IsNan(f, x) && (((x & QuietBit(f)) != 0) != nan2008);
}

uint64_t DefaultNan(FpFmt f, bool nan2008) {
  if (Is64(f)) return nan2008 ? 0x7ff8000000000000ull : 0x7ff7ffffffffffffull;
  return nan2008 ? 0x7fc00000u : 0x7fbfffffu;
}

// The NaN that an operation with NaN operands gives (see fpu.h), in operand order.
uint64_t PropagateNan(FpFmt f, bool nan2008, std::initializer_list<uint64_t> ops,
                      uint32_t* flags) {
  for (uint64_t x : ops) {
    if (IsSignalling(f, x, nan2008)) {
      *flags |= kFpInvalid;
      return nan2008 ? (x | QuietBit(f)) : DefaultNan(f, nan2008);
    }
  }
  for (uint64_t x : ops) {
    if (IsNan(f, x)) return x;
  }
  return DefaultNan(f, nan2008);
}

// The MXCSR that runs a guest operation: every exception masked, flags clear, the
// rounding mode (MIPS RN, RZ, RP, RM -> x86 00, 11, 10, 01), and FS as FTZ+DAZ.
uint32_t Mxcsr(uint32_t fcsr, unsigned mips_rm) {
  static constexpr uint32_t kRc[4] = {0x0000, 0x6000, 0x4000, 0x2000};
  uint32_t m = 0x1f80 | kRc[mips_rm & 3];
  if (fcsr & kFcsrFlushToZero) m |= 0x8040;
  return m;
}

// Runs host arithmetic under the guest's MXCSR and collects the IEEE flags it raised.
// Under round-to-nearest without FS that MXCSR is mipsrun's own (but for the flags,
// which nothing else reads): then there is nothing to restore, which saves two of the
// four MXCSR accesses on the common path.
class HostFp {
 public:
  HostFp(uint32_t fcsr, unsigned mips_rm) {
    uint32_t m = Mxcsr(fcsr, mips_rm);
    if (m != kHostMxcsr) {
      saved_ = _mm_getcsr();
      restore_ = true;
    }
    _mm_setcsr(m);
  }
  ~HostFp() {
    if (restore_) _mm_setcsr(saved_);
  }
  HostFp(const HostFp&) = delete;
  HostFp& operator=(const HostFp&) = delete;

  // The flags so far, in FCSR order (x86: IE 0, DE 1, ZE 2, OE 3, UE 4, PE 5).
  uint32_t Flags() const { return FpFlagsOfMxcsr(_mm_getcsr()); }

 private:
  uint32_t saved_ = kHostMxcsr;
  bool restore_ = false;
};

template <class T>
T FromBits(uint64_t bits) {
  T v;
  if constexpr (sizeof(T) == 4) {
    uint32_t w = static_cast<uint32_t>(bits);
    memcpy(&v, &w, 4);
  } else {
    memcpy(&v, &bits, 8);
  }
  return v;
}

template <class T>
uint64_t ToBits(T v) {
  if constexpr (sizeof(T) == 4) {
    uint32_t w;
    memcpy(&w, &v, 4);
    return w;
  } else {
    uint64_t b;
    memcpy(&b, &v, 8);
    return b;
  }
}

// One host operation (HostFpOp). The volatile copies pin it between the MXCSR writes
// around it: the compiler may not move volatile accesses across them, nor the
// arithmetic across the accesses it depends on.
template <class T>
uint64_t HostArith(FpOp op, uint64_t a_bits, uint64_t b_bits) {
  volatile T va = FromBits<T>(a_bits), vb = FromBits<T>(b_bits);
  T r = T(0);
  HostFpOp<T>(op, va, vb, T(0), &r);
  volatile T vr = r;
  return ToBits<T>(vr);
}

// An IEEE operation of one or two operands in format f (S or D).
uint64_t Arith(FpOp op, FpFmt f, uint64_t a, uint64_t b, bool unary, uint32_t fcsr,
               uint32_t* flags) {
  bool nan2008 = fcsr & kFcsrNan2008;
  if (IsNan(f, a) || (!unary && IsNan(f, b))) {
    return unary ? PropagateNan(f, nan2008, {a}, flags) : PropagateNan(f, nan2008, {a, b}, flags);
  }
  uint64_t r;
  if ((fcsr & (kFcsrRoundingMask | kFcsrFlushToZero)) == 0 && use_arith_nearest &&
      ArithNearest(op, f, a, b, &r, flags)) {
    return r;
  }
  HostFp host(fcsr, fcsr & kFcsrRoundingMask);
  r = f == FpFmt::kD ? HostArith<double>(op, a, b) : HostArith<float>(op, a, b);
  *flags |= host.Flags();
  // From non-NaN operands a NaN only comes out of an invalid operation (inf - inf,
  // 0 * inf, sqrt(-1)): the host's NaN is x86's; the guest gets its default NaN.
  if (IsNan(f, r)) r = DefaultNan(f, nan2008);
  return r;
}

uint64_t SignOp(FpOp op, FpFmt f, uint64_t a) {
  uint64_t sign = Is64(f) ? 0x8000000000000000ull : 0x80000000u;
  return op == FpOp::kAbs ? (a & ~sign) : (a ^ sign);
}

// Between S and D. A NaN keeps its sign and the top of its payload; a signalling NaN
// raises Invalid first (legacy: the default NaN; 2008: made quiet).
uint64_t FloatToFloat(FpFmt in, FpFmt out, uint64_t a, uint32_t fcsr, uint32_t* flags) {
  bool nan2008 = fcsr & kFcsrNan2008;
  if (IsNan(in, a)) {
    if (IsSignalling(in, a, nan2008)) {
      *flags |= kFpInvalid;
      if (!nan2008) return DefaultNan(out, false);
      a |= QuietBit(in);
    }
    uint64_t r;
    if (in == FpFmt::kS) {
      uint64_t s = static_cast<uint32_t>(a);
      r = ((s & 0x80000000u) << 32) | 0x7ff0000000000000ull | ((s & 0x7fffffu) << 29);
    } else {
      r = ((a >> 32) & 0x80000000u) | 0x7f800000u | ((a >> 29) & 0x7fffffu);
    }
    return IsNan(out, r) ? r : DefaultNan(out, nan2008);  // the payload did not fit
  }
  HostFp host(fcsr, fcsr & kFcsrRoundingMask);
  uint64_t r;
  if (in == FpFmt::kS) {
    volatile float v = FromBits<float>(a);
    volatile double d = static_cast<double>(v);
    r = ToBits<double>(d);
  } else {
    volatile double v = FromBits<double>(a);
    volatile float s = static_cast<float>(v);
    r = ToBits<float>(s);
  }
  *flags |= host.Flags();
  return r;
}

// From W or L to S or D, rounded by the current mode.
uint64_t IntToFloat(FpFmt in, FpFmt out, uint64_t a, uint32_t fcsr, uint32_t* flags) {
  HostFp host(fcsr, fcsr & kFcsrRoundingMask);
  volatile int64_t v = in == FpFmt::kW ? static_cast<int32_t>(a) : static_cast<int64_t>(a);
  uint64_t r;
  if (out == FpFmt::kS) {
    volatile float f = static_cast<float>(v);  // cvtsi2ss: rounds by MXCSR
    r = ToBits<float>(f);
  } else {
    volatile double d = static_cast<double>(v);
    r = ToBits<double>(d);
  }
  *flags |= host.Flags();
  return r;
}

// cvtss2si / cvtsd2si under the current MXCSR, to 32 or 64 bits. Volatile asm rather
// than the intrinsics: the compiler treats those as pure and once computed both widths
// and picked one, and the other's Invalid (a value beyond 2^31 converted to 32 bits)
// stuck in the flags. Asm volatile runs exactly where it is written.
uint64_t HostToInt(bool single, bool wide, uint64_t bits) {
  __m128i x = _mm_cvtsi64_si128(static_cast<int64_t>(bits));
  uint64_t r;
  uint32_t w;
  if (single) {
    if (wide) {
      asm volatile("cvtss2si %1, %0" : "=r"(r) : "x"(x));
      return r;
    }
    asm volatile("cvtss2si %1, %0" : "=r"(w) : "x"(x));
    return w;
  }
  if (wide) {
    asm volatile("cvtsd2si %1, %0" : "=r"(r) : "x"(x));
    return r;
  }
  asm volatile("cvtsd2si %1, %0" : "=r"(w) : "x"(x));
  return w;
}

// From S or D to W or L with the MIPS rounding mode `rm`.
uint64_t FloatToInt(FpFmt in, FpFmt out, uint64_t a, unsigned rm, uint32_t fcsr,
                    uint32_t* flags) {
  bool nan2008 = fcsr & kFcsrNan2008;
  bool wide = out == FpFmt::kL;
  uint64_t max = wide ? 0x7fffffffffffffffull : 0x7fffffffu;
  uint64_t min = wide ? 0x8000000000000000ull : 0x80000000u;
  bool negative = Is64(in) ? (a >> 63) : ((a >> 31) & 1);
  if (IsNan(in, a)) {
    *flags |= kFpInvalid;
    return nan2008 ? 0 : max;
  }
  HostFp host(fcsr, rm);
  uint64_t r = HostToInt(in == FpFmt::kS, wide, a);
  uint32_t got = host.Flags();
  if (got & kFpInvalid) {
    // Out of range: x86 gives the "integer indefinite" (the minimum); MIPS gives the
    // maximum in legacy mode, and saturates in 2008 mode. Only Invalid is raised.
    *flags |= kFpInvalid;
    return (nan2008 && negative) ? min : max;
  }
  *flags |= got;
  return r;
}

// Sets Cause, and Flags unless the exception is enabled; false if it is.
bool Finish(uint32_t raised, uint32_t* fcsr) {
  *fcsr = (*fcsr & ~kFcsrCauseMask) | (raised << kFcsrCauseShift);
  uint32_t enables = (*fcsr >> kFcsrEnablesShift) & 0x1f;
  if (raised & enables) return false;
  *fcsr |= raised << kFcsrFlagsShift;
  return true;
}

}  // namespace

bool FpuCompute(FpOp op, FpFmt in, FpFmt out, uint64_t a, uint64_t b, uint64_t c,
                uint32_t* fcsr, uint64_t* result) {
  uint32_t flags = 0;
  uint64_t r = 0;
  bool nan2008 = *fcsr & kFcsrNan2008;
  switch (op) {
    case FpOp::kAdd: case FpOp::kSub: case FpOp::kMul: case FpOp::kDiv:
    case FpOp::kSqrt: case FpOp::kRecip: case FpOp::kRsqrt:
      r = Arith(op, in, a, IsUnaryArith(op) ? 0 : b, IsUnaryArith(op), *fcsr, &flags);
      break;
    case FpOp::kAbs: case FpOp::kNeg:
      // Without ABS2008 these are arithmetic: a NaN goes through the NaN rules.
      if (IsNan(in, a) && !(*fcsr & kFcsrAbs2008)) {
        r = PropagateNan(in, nan2008, {a}, &flags);
      } else {
        r = SignOp(op, in, a);
      }
      break;
    case FpOp::kMadd: case FpOp::kMsub: case FpOp::kNmadd: case FpOp::kNmsub: {
      // In two steps (fpu_host.h), each with the NaN rules.
      uint64_t product = Arith(FpOp::kMul, in, a, b, false, *fcsr, &flags);
      r = Arith(MaddSum(op), in, product, c, false, *fcsr, &flags);
      if (MaddNegates(op)) r = SignOp(FpOp::kNeg, in, r);
      break;
    }
    case FpOp::kCvt:
      if (in == FpFmt::kW || in == FpFmt::kL) {
        r = IntToFloat(in, out, a, *fcsr, &flags);
      } else if (out == FpFmt::kW || out == FpFmt::kL) {
        r = FloatToInt(in, out, a, *fcsr & kFcsrRoundingMask, *fcsr, &flags);
      } else {
        r = FloatToFloat(in, out, a, *fcsr, &flags);
      }
      break;
    case FpOp::kRound: r = FloatToInt(in, out, a, 0, *fcsr, &flags); break;
    case FpOp::kTrunc: r = FloatToInt(in, out, a, 1, *fcsr, &flags); break;
    case FpOp::kCeil: r = FloatToInt(in, out, a, 2, *fcsr, &flags); break;
    case FpOp::kFloor: r = FloatToInt(in, out, a, 3, *fcsr, &flags); break;
  }
  if (!Finish(flags, fcsr)) return false;
  *result = r;
  return true;
}

bool FpuCompare(unsigned cond, FpFmt fmt, uint64_t a, uint64_t b, uint32_t* fcsr,
                bool* result) {
  bool nan2008 = *fcsr & kFcsrNan2008;
  bool unordered = IsNan(fmt, a) || IsNan(fmt, b);
  uint32_t flags = 0;
  if (IsSignalling(fmt, a, nan2008) || IsSignalling(fmt, b, nan2008) ||
      (unordered && (cond & 8))) {
    flags |= kFpInvalid;
  }
  if (!Finish(flags, fcsr)) return false;
  if (unordered) {
    *result = cond & 1;
  } else if (fmt == FpFmt::kD) {
    HostFpCompareOrdered<double>(cond, FromBits<double>(a), FromBits<double>(b), result);
  } else {
    HostFpCompareOrdered<float>(cond, FromBits<float>(a), FromBits<float>(b), result);
  }
  return true;
}

}  // namespace mipsrun
