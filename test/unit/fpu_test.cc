// The FPU rules of frontend/fpu.cc on bit patterns: what a MIPS32r2 FPU gives, NaN
// encodings and propagation in both modes, conversions out of range, FCSR bits.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "frontend/fpu.h"
#include "gtest/gtest.h"

namespace mipsrun {
namespace {

constexpr uint64_t kOne = 0x3ff0000000000000ull;        // 1.0
constexpr uint64_t kTwoPow53 = 0x3ca0000000000000ull;   // 2^-53
constexpr uint64_t kZero = 0;
constexpr uint64_t kLegacyDefaultNanD = 0x7ff7ffffffffffffull;
constexpr uint64_t kLegacyDefaultNanS = 0x7fbfffffull;
constexpr uint32_t kRoundUp = 2;  // FCSR.RM = RP
constexpr uint32_t kEnableInvalid = kFpInvalid << kFcsrEnablesShift;

uint64_t D(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}
uint64_t S(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}
uint32_t Cause(uint32_t fcsr) { return (fcsr >> kFcsrCauseShift) & 0x3f; }
uint32_t Flags(uint32_t fcsr) { return (fcsr >> kFcsrFlagsShift) & 0x1f; }

uint64_t Compute(FpOp op, FpFmt in, FpFmt out, uint64_t a, uint64_t b, uint32_t* fcsr,
                 uint64_t c = 0) {
  uint64_t r = 0xdeadbeef;
  EXPECT_TRUE(FpuCompute(op, in, out, a, b, c, fcsr, &r));
  return r;
}

TEST(FpuTest, RoundingModesAndInexact) {
  uint32_t fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kAdd, FpFmt::kD, FpFmt::kD, kOne, kTwoPow53, &fcsr), kOne);
  EXPECT_EQ(Cause(fcsr), kFpInexact);
  EXPECT_EQ(Flags(fcsr), kFpInexact);
  fcsr = kRoundUp;
  EXPECT_EQ(Compute(FpOp::kAdd, FpFmt::kD, FpFmt::kD, kOne, kTwoPow53, &fcsr), kOne + 1);
  // An exact operation clears Cause; Flags stay.
  EXPECT_EQ(Compute(FpOp::kAdd, FpFmt::kD, FpFmt::kD, kOne, kOne, &fcsr), D(2.0));
  EXPECT_EQ(Cause(fcsr), 0u);
  EXPECT_EQ(Flags(fcsr), kFpInexact);
}

TEST(FpuTest, InvalidOperationsGiveTheModesDefaultNan) {
  uint32_t fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kDiv, FpFmt::kD, FpFmt::kD, kZero, kZero, &fcsr), kLegacyDefaultNanD);
  EXPECT_EQ(Cause(fcsr), kFpInvalid);
  EXPECT_EQ(Compute(FpOp::kSqrt, FpFmt::kS, FpFmt::kS, S(-1.0f), 0, &fcsr), kLegacyDefaultNanS);
  fcsr = kFcsrNan2008;
  EXPECT_EQ(Compute(FpOp::kDiv, FpFmt::kD, FpFmt::kD, kZero, kZero, &fcsr), 0x7ff8000000000000ull);
  EXPECT_EQ(Compute(FpOp::kSqrt, FpFmt::kS, FpFmt::kS, S(-1.0f), 0, &fcsr), 0x7fc00000ull);
  fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kDiv, FpFmt::kD, FpFmt::kD, kOne, kZero, &fcsr), D(INFINITY));
  EXPECT_EQ(Cause(fcsr), kFpDivZero);
}

TEST(FpuTest, LegacyNanPropagation) {
  // Legacy encoding: quiet bit CLEAR is quiet, set is signalling.
  const uint64_t q = 0x7ff0000000000123ull, s = 0x7ff8000000000123ull;
  uint32_t fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kAdd, FpFmt::kD, FpFmt::kD, q, kOne, &fcsr), q);
  EXPECT_EQ(Cause(fcsr), 0u);
  EXPECT_EQ(Compute(FpOp::kMul, FpFmt::kD, FpFmt::kD, kOne, q, &fcsr), q);
  EXPECT_EQ(Compute(FpOp::kAdd, FpFmt::kD, FpFmt::kD, s, kOne, &fcsr), kLegacyDefaultNanD);
  EXPECT_EQ(Cause(fcsr), kFpInvalid);
  // A signalling NaN wins over a quiet one in either position.
  EXPECT_EQ(Compute(FpOp::kAdd, FpFmt::kD, FpFmt::kD, q, s, &fcsr), kLegacyDefaultNanD);
  EXPECT_EQ(Cause(fcsr), kFpInvalid);
}

TEST(FpuTest, Nan2008Propagation) {
  const uint64_t q = 0x7fc00123ull, s = 0x7f800123ull;
  uint32_t fcsr = kFcsrNan2008;
  EXPECT_EQ(Compute(FpOp::kSub, FpFmt::kS, FpFmt::kS, q, S(1.0f), &fcsr), q);
  EXPECT_EQ(Cause(fcsr), 0u);
  EXPECT_EQ(Compute(FpOp::kSub, FpFmt::kS, FpFmt::kS, S(1.0f), s, &fcsr), s | 0x00400000u);
  EXPECT_EQ(Cause(fcsr), kFpInvalid);
}

TEST(FpuTest, ConversionsToIntegerOutOfRange) {
  uint32_t fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kD, FpFmt::kW, D(3e9), 0, &fcsr), 0x7fffffffu);
  EXPECT_EQ(Cause(fcsr), kFpInvalid);
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kD, FpFmt::kW, D(-3e9), 0, &fcsr), 0x7fffffffu);
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kD, FpFmt::kW, kLegacyDefaultNanD, 0, &fcsr), 0x7fffffffu);
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kD, FpFmt::kL, D(1e19), 0, &fcsr), 0x7fffffffffffffffull);
  // -2^31 itself is in range.
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kD, FpFmt::kW, D(-2147483648.0), 0, &fcsr), 0x80000000u);
  EXPECT_EQ(Cause(fcsr), 0u);
  fcsr = kFcsrNan2008;  // 2008: saturate, and NaN gives 0
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kD, FpFmt::kW, D(-3e9), 0, &fcsr), 0x80000000u);
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kD, FpFmt::kW, D(3e9), 0, &fcsr), 0x7fffffffu);
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kD, FpFmt::kW, 0x7ff8000000000000ull, 0, &fcsr), 0u);
}

TEST(FpuTest, FixedRoundingConversions) {
  uint32_t fcsr = kRoundUp;  // the fixed-rounding forms ignore FCSR.RM
  EXPECT_EQ(Compute(FpOp::kRound, FpFmt::kD, FpFmt::kW, D(2.5), 0, &fcsr), 2u);
  EXPECT_EQ(Compute(FpOp::kRound, FpFmt::kD, FpFmt::kW, D(3.5), 0, &fcsr), 4u);
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kS, FpFmt::kW, S(-2.7f), 0, &fcsr), static_cast<uint32_t>(-2));
  EXPECT_EQ(Compute(FpOp::kCeil, FpFmt::kD, FpFmt::kW, D(-2.7), 0, &fcsr), static_cast<uint32_t>(-2));
  EXPECT_EQ(Compute(FpOp::kFloor, FpFmt::kD, FpFmt::kL, D(-2.7), 0, &fcsr), static_cast<uint64_t>(-3));
  EXPECT_EQ(Cause(fcsr), kFpInexact);
  // Beyond 32 bits but within 64: only Inexact (found by the differential tester: the
  // 32-bit conversion, computed as well, raised Invalid).
  EXPECT_EQ(Compute(FpOp::kFloor, FpFmt::kD, FpFmt::kL, D(-3384489957.78125), 0, &fcsr),
            static_cast<uint64_t>(-3384489958LL));
  EXPECT_EQ(Cause(fcsr), kFpInexact);
  EXPECT_EQ(Compute(FpOp::kTrunc, FpFmt::kS, FpFmt::kL, S(6e9f), 0, &fcsr), 6000000000ull);
  EXPECT_EQ(Cause(fcsr), 0u);
  // cvt.w uses FCSR.RM: round up.
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kD, FpFmt::kW, D(2.1), 0, &fcsr), 3u);
}

TEST(FpuTest, FormatConversions) {
  uint32_t fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kS, FpFmt::kD, S(1.1f), 0, &fcsr), D(static_cast<double>(1.1f)));
  EXPECT_EQ(Cause(fcsr), 0u);
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kD, FpFmt::kS, D(0.1), 0, &fcsr), S(0.1f));
  EXPECT_EQ(Cause(fcsr), kFpInexact);
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kD, FpFmt::kS, D(1e300), 0, &fcsr), S(INFINITY));
  EXPECT_EQ(Cause(fcsr), kFpOverflow | kFpInexact);
  // A quiet NaN keeps the top of its payload: the legacy default NaNs correspond.
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kD, FpFmt::kS, kLegacyDefaultNanD, 0, &fcsr), kLegacyDefaultNanS);
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kS, FpFmt::kD, kLegacyDefaultNanS, 0, &fcsr),
            0x7ff7ffffe0000000ull);
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kW, FpFmt::kS, 16777217, 0, &fcsr), S(16777216.0f));
  EXPECT_EQ(Cause(fcsr), kFpInexact);
  EXPECT_EQ(Compute(FpOp::kCvt, FpFmt::kL, FpFmt::kD, static_cast<uint64_t>(-5), 0, &fcsr), D(-5.0));
}

TEST(FpuTest, MultiplyAddRoundsTwice) {
  // (1 + 2^-30)(1 - 2^-30) = 1 - 2^-60 rounds to 1.0; minus 1.0 is then 0, where a
  // fused multiply-add would give -2^-60.
  uint32_t fcsr = 0;
  uint64_t a = D(1.0 + 0x1p-30), b = D(1.0 - 0x1p-30);
  EXPECT_EQ(Compute(FpOp::kMsub, FpFmt::kD, FpFmt::kD, a, b, &fcsr, kOne), kZero);
  EXPECT_EQ(Compute(FpOp::kMadd, FpFmt::kD, FpFmt::kD, D(2.0), D(3.0), &fcsr, kOne), D(7.0));
  EXPECT_EQ(Compute(FpOp::kNmadd, FpFmt::kD, FpFmt::kD, D(2.0), D(3.0), &fcsr, kOne), D(-7.0));
  EXPECT_EQ(Compute(FpOp::kNmsub, FpFmt::kS, FpFmt::kS, S(2.0f), S(3.0f), &fcsr, S(1.0f)), S(-5.0f));
}

// rsqrt is 1 / sqrt(fs) with both steps rounded: for 1 + 2^-23, sqrt rounds to 1.0
// and so does the quotient, where the exact reciprocal square root rounds below 1.
TEST(FpuTest, RsqrtRoundsTwiceAndRecipOnce) {
  uint32_t fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kRsqrt, FpFmt::kS, FpFmt::kS, 0x3f800001u, 0, &fcsr), S(1.0f));
  EXPECT_EQ(Cause(fcsr), kFpInexact);
  fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kRsqrt, FpFmt::kD, FpFmt::kD, D(4.0), 0, &fcsr), D(0.5));
  EXPECT_EQ(fcsr, 0u);
  EXPECT_EQ(Compute(FpOp::kRecip, FpFmt::kD, FpFmt::kD, D(3.0), 0, &fcsr), 0x3fd5555555555555ull);
  EXPECT_EQ(Cause(fcsr), kFpInexact);
  EXPECT_EQ(Flags(fcsr), kFpInexact);
}

TEST(FpuTest, AbsAndNeg) {
  uint32_t fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kAbs, FpFmt::kD, FpFmt::kD, D(-2.0), 0, &fcsr), D(2.0));
  EXPECT_EQ(Compute(FpOp::kNeg, FpFmt::kS, FpFmt::kS, S(0.0f), 0, &fcsr), S(-0.0f));
  // Legacy abs is arithmetic: a quiet NaN passes unchanged; with ABS2008 only the sign
  // bit changes.
  const uint64_t negative_qnan = 0xfff0000000000001ull;
  EXPECT_EQ(Compute(FpOp::kAbs, FpFmt::kD, FpFmt::kD, negative_qnan, 0, &fcsr), negative_qnan);
  fcsr = kFcsrNan2008 | kFcsrAbs2008;
  EXPECT_EQ(Compute(FpOp::kAbs, FpFmt::kD, FpFmt::kD, 0xfff8000000000001ull, 0, &fcsr),
            0x7ff8000000000001ull);
}

TEST(FpuTest, EnabledExceptionsTrapWithoutWriting) {
  uint32_t fcsr = kEnableInvalid;
  uint64_t r = 0x1234;
  EXPECT_FALSE(FpuCompute(FpOp::kDiv, FpFmt::kD, FpFmt::kD, kZero, kZero, 0, &fcsr, &r));
  EXPECT_EQ(r, 0x1234u);
  EXPECT_EQ(Cause(fcsr), kFpInvalid);
  EXPECT_EQ(Flags(fcsr), 0u);  // an exception that traps does not set its flag
  EXPECT_TRUE(FcsrTrapsOnWrite(fcsr));
  EXPECT_FALSE(FcsrTrapsOnWrite(kFpInvalid << kFcsrCauseShift));
}

TEST(FpuTest, Compares) {
  const uint64_t q = 0x7ff0000000000001ull;  // legacy quiet
  uint32_t fcsr = 0;
  bool r = true;
  EXPECT_TRUE(FpuCompare(4 /* olt */, FpFmt::kD, D(1.0), D(2.0), &fcsr, &r));
  EXPECT_TRUE(r);
  EXPECT_TRUE(FpuCompare(4 /* olt */, FpFmt::kD, q, D(2.0), &fcsr, &r));
  EXPECT_FALSE(r);
  EXPECT_EQ(Cause(fcsr), 0u);
  EXPECT_TRUE(FpuCompare(1 /* un */, FpFmt::kD, q, D(2.0), &fcsr, &r));
  EXPECT_TRUE(r);
  EXPECT_TRUE(FpuCompare(12 /* lt: signals on unordered */, FpFmt::kD, q, D(2.0), &fcsr, &r));
  EXPECT_FALSE(r);
  EXPECT_EQ(Cause(fcsr), kFpInvalid);
  EXPECT_TRUE(FpuCompare(2 /* eq */, FpFmt::kS, S(-0.0f), S(0.0f), &fcsr, &r));
  EXPECT_TRUE(r);
  EXPECT_TRUE(FpuCompare(7 /* ule */, FpFmt::kS, S(3.0f), S(2.0f), &fcsr, &r));
  EXPECT_FALSE(r);
}

TEST(FpuTest, FlushToZero) {
  uint32_t fcsr = kFcsrFlushToZero;
  uint64_t tiny = D(0x1p-1000);
  EXPECT_EQ(Compute(FpOp::kMul, FpFmt::kD, FpFmt::kD, tiny, tiny, &fcsr), kZero);
  fcsr = 0;
  EXPECT_EQ(Compute(FpOp::kMul, FpFmt::kD, FpFmt::kD, D(0x1p-537), D(0x1p-537), &fcsr), D(0x1p-1074));
  EXPECT_EQ(Cause(fcsr), 0u);  // exact, though subnormal: no underflow without inexact
}

}  // namespace
}  // namespace mipsrun
