// MIPS32 Release 2 floating point on bit patterns: the one statement of what each FPU
// computation gives and which FCSR bits it sets (the interpreter calls these directly;
// translated code calls them as helpers, or inlines the host operation and comes here
// when a NaN or a flag is involved).
//
// Values travel as uint64_t bit patterns (S and W in the low 32 bits). The arithmetic
// runs on the host's SSE unit under the guest's rounding mode, which is bit-exact for
// IEEE operations; what MIPS does differently is done here in software:
//  - NaN encodings: legacy MIPS NaNs are quiet when the top fraction bit is CLEAR (the
//    opposite of x86 and of IEEE 754-2008); FCSR.NAN2008 (from EF_MIPS_NAN2008)
//    selects the 2008 encoding. Default NaNs: 0x7fbfffff / 0x7ff7ffffffffffff (legacy),
//    0x7fc00000 / 0x7ff8000000000000 (2008).
//  - NaN propagation: a signalling NaN operand raises Invalid and gives the default
//    NaN (legacy) or that NaN made quiet (2008); otherwise the first quiet NaN operand
//    (fs before ft before fr) is the result.
//  - Conversions to integer that are out of range or NaN: 2^31-1 (2^63-1) with Invalid
//    in legacy mode; in 2008 mode 0 for NaN, and saturation.
//  - FCSR: Cause is set by every computation; Flags accumulate unless the exception is
//    enabled, in which case the result is not written and the guest gets SIGFPE.
#ifndef MIPSRUN_FRONTEND_FPU_H_
#define MIPSRUN_FRONTEND_FPU_H_

#include <cstdint>

namespace mipsrun {

enum class FpFmt : uint8_t { kS, kD, kW, kL };

enum class FpOp : uint8_t {
  kAdd, kSub, kMul, kDiv,              // fs op ft
  kSqrt, kAbs, kNeg, kRecip, kRsqrt,   // op fs
  kMadd, kMsub, kNmadd, kNmsub,        // fs * ft +- fr, rounded twice (not fused)
  kCvt,                                // fs converted from the source to the result format
  kRound, kTrunc, kCeil, kFloor,       // fs to an integer format with a fixed rounding
};

// FCSR fields (MIPS32 volume I-A, 5.8.5).
inline constexpr uint32_t kFcsrRoundingMask = 3;
inline constexpr unsigned kFcsrFlagsShift = 2;
inline constexpr unsigned kFcsrEnablesShift = 7;
inline constexpr unsigned kFcsrCauseShift = 12;
inline constexpr uint32_t kFcsrCauseMask = 0x3f << kFcsrCauseShift;  // with E (bit 17)
inline constexpr uint32_t kFcsrNan2008 = 1u << 18;
inline constexpr uint32_t kFcsrAbs2008 = 1u << 19;
inline constexpr uint32_t kFcsrFlushToZero = 1u << 24;
// The five IEEE exceptions in FCSR's bit order: Inexact, Underflow, Overflow,
// Divide-by-zero, inValid.
inline constexpr uint32_t kFpInexact = 1, kFpUnderflow = 2, kFpOverflow = 4,
                          kFpDivZero = 8, kFpInvalid = 16;

// mipsrun's own MXCSR: the x86-64 ABI's initial value (every exception masked, round to
// nearest, no flags), which nothing in mipsrun changes for long.
inline constexpr uint32_t kHostMxcsr = 0x1f80;
// The IEEE flags an MXCSR shows (x86: IE 0x01, DE 0x02, ZE 0x04, OE 0x08, UE 0x10,
// PE 0x20), in FCSR's order (kFpInexact...); Denormal has no MIPS flag.
inline uint32_t FpFlagsOfMxcsr(uint32_t m) {
  return ((m & 0x20) ? kFpInexact : 0) | ((m & 0x10) ? kFpUnderflow : 0) |
         ((m & 0x08) ? kFpOverflow : 0) | ((m & 0x04) ? kFpDivZero : 0) |
         ((m & 0x01) ? kFpInvalid : 0);
}

// The condition codes: FCC0 is FCSR bit 23, FCC1..7 are bits 25..31.
inline constexpr unsigned FccBit(unsigned cc) { return cc == 0 ? 23 : 24 + cc; }

// Computes `op` on a (fs), b (ft) and c (fr, for the multiply-adds) in format `in`,
// giving format `out` (equal to `in` except for conversions). Updates *fcsr's Cause
// and Flags. Returns false when an enabled exception was raised: then *fcsr has the
// Cause, the result must not be written, and the guest takes SIGFPE.
bool FpuCompute(FpOp op, FpFmt in, FpFmt out, uint64_t a, uint64_t b, uint64_t c,
                uint32_t* fcsr, uint64_t* result);

// c.cond.fmt: cond is the 4-bit condition field (bit 3: signal on unordered). Returns
// false when an enabled Invalid exception was raised; else *result is the condition.
bool FpuCompare(unsigned cond, FpFmt fmt, uint64_t a, uint64_t b, uint32_t* fcsr,
                bool* result);

// Whether writing `fcsr` with ctc1 itself raises an exception: a Cause bit whose Enable
// is set, or the Unimplemented Operation cause (which is always enabled).
inline bool FcsrTrapsOnWrite(uint32_t fcsr) {
  uint32_t cause = (fcsr >> kFcsrCauseShift) & 0x3f;
  uint32_t enables = ((fcsr >> kFcsrEnablesShift) & 0x1f) | 0x20;
  return (cause & enables) != 0;
}

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_FPU_H_
