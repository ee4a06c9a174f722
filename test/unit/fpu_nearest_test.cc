// frontend/fpu_nearest.cc against the MXCSR path of frontend/fpu.cc: the same result
// bits and FCSR for every operation it covers, on edge values and on random operands
// over the whole exponent range; and it covers the common case.
#include "frontend/fpu_nearest.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "frontend/fpu.h"
#include "gtest/gtest.h"

namespace mipsrun {
namespace {

uint64_t D(double d) { return std::bit_cast<uint64_t>(d); }
uint64_t S(float f) { return std::bit_cast<uint32_t>(f); }

// Edge values of a format, both signs: zeros, subnormals, the smallest normals, both
// sides of the bound where fpu_nearest.h's error terms stop being exact, ordinary
// values, the largest finite numbers, infinities.
std::vector<uint64_t> EdgeValues(FpFmt f) {
  std::vector<uint64_t> v;
  auto add = [&](double x) {
    for (double s : {x, -x}) v.push_back(f == FpFmt::kD ? D(s) : S(static_cast<float>(s)));
  };
  bool d = f == FpFmt::kD;
  double bound = d ? 0x1p-916 : 0x1p-78;
  for (double x : {0.0, 1.0, 3.0, 0.1, 1.5, 1e10, 7e-3, bound, bound * 0.75, bound * 1.5,
                   bound * 0x1p26, bound * 0x1p53}) {
    add(x);
  }
  add(d ? std::numeric_limits<double>::denorm_min() : std::numeric_limits<float>::denorm_min());
  add(d ? std::numeric_limits<double>::min() : std::numeric_limits<float>::min());
  add(d ? std::numeric_limits<double>::max() : std::numeric_limits<float>::max());
  add(d ? 0x1p1000 : 0x1p120);
  add(INFINITY);
  return v;
}

// Random operands: any sign, any exponent (subnormals, zeros and infinities included;
// NaNs are not fpu_nearest's business), any fraction.
uint64_t RandomOperand(std::mt19937_64& rng, FpFmt f) {
  uint64_t x = rng();
  if (f == FpFmt::kD) {
    bool nan_or_inf = (x & 0x7ff0000000000000ull) == 0x7ff0000000000000ull;
    return nan_or_inf ? x & 0xfff0000000000000ull : x;  // an infinity, not a NaN
  }
  uint32_t w = static_cast<uint32_t>(x);
  if ((w & 0x7f800000u) == 0x7f800000u) w &= 0xff800000u;
  return w;
}

// Operands near each other, so that sums cancel and quotients are near 1.
uint64_t Near(std::mt19937_64& rng, FpFmt f, uint64_t x) {
  int64_t step = static_cast<int64_t>(rng() % 64) - 32;
  uint64_t y = x + static_cast<uint64_t>(step);
  if (f == FpFmt::kS) y &= 0xffffffffu;
  return y;
}

constexpr FpOp kOps[] = {FpOp::kAdd,  FpOp::kSub,  FpOp::kMul,   FpOp::kDiv,  FpOp::kSqrt,
                         FpOp::kMadd, FpOp::kMsub, FpOp::kNmadd, FpOp::kNmsub};

// One computation both ways, with FCSR starting at `fcsr`.
void ExpectSameBothWays(FpOp op, FpFmt f, uint64_t a, uint64_t b, uint64_t c, uint32_t fcsr) {
  uint32_t fcsr_nearest = fcsr, fcsr_host = fcsr;
  uint64_t r_nearest = 1, r_host = 2;
  UseArithNearest(true);
  bool ok_nearest = FpuCompute(op, f, f, a, b, c, &fcsr_nearest, &r_nearest);
  UseArithNearest(false);
  bool ok_host = FpuCompute(op, f, f, a, b, c, &fcsr_host, &r_host);
  UseArithNearest(true);
  ASSERT_EQ(ok_nearest, ok_host) << "op " << static_cast<int>(op) << " a " << std::hex << a
                                 << " b " << b << " c " << c;
  ASSERT_EQ(fcsr_nearest, fcsr_host) << "op " << static_cast<int>(op) << " a " << std::hex
                                     << a << " b " << b << " c " << c;
  if (ok_host) {
    ASSERT_EQ(r_nearest, r_host) << "op " << static_cast<int>(op) << " a " << std::hex << a
                                 << " b " << b << " c " << c;
  }
}

TEST(FpuNearestTest, EdgeValuesGiveTheMxcsrPathsResultsAndFlags) {
  for (FpFmt f : {FpFmt::kS, FpFmt::kD}) {
    std::vector<uint64_t> v = EdgeValues(f);
    for (FpOp op : kOps) {
      for (uint64_t a : v) {
        for (uint64_t b : v) {
          ExpectSameBothWays(op, f, a, b, v[2], 0);
          ExpectSameBothWays(op, f, a, b, b, kFpInexact << kFcsrEnablesShift);
        }
      }
    }
  }
}

TEST(FpuNearestTest, RandomOperandsGiveTheMxcsrPathsResultsAndFlags) {
  std::mt19937_64 rng(20261204);
  for (FpFmt f : {FpFmt::kS, FpFmt::kD}) {
    for (FpOp op : kOps) {
      for (int i = 0; i < 20000; ++i) {
        uint64_t a = RandomOperand(rng, f);
        uint64_t b = i % 2 ? Near(rng, f, a) : RandomOperand(rng, f);
        uint64_t c = i % 3 ? RandomOperand(rng, f) : Near(rng, f, a);
        ExpectSameBothWays(op, f, a, b, c, (i % 4) << kFcsrFlagsShift);
      }
    }
  }
}

// What the interpreter meets most: operands of ordinary size, results exact or not.
TEST(FpuNearestTest, CoversOrdinaryOperands) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dist(-1e6, 1e6);
  bool fma = __builtin_cpu_supports("fma");
  for (FpFmt f : {FpFmt::kS, FpFmt::kD}) {
    for (FpOp op : {FpOp::kAdd, FpOp::kSub, FpOp::kMul, FpOp::kDiv, FpOp::kSqrt}) {
      int covered = 0;
      for (int i = 0; i < 1000; ++i) {
        double x = dist(rng), y = dist(rng);
        if (op == FpOp::kSqrt) x = std::fabs(x);
        uint64_t a = f == FpFmt::kD ? D(x) : S(static_cast<float>(x));
        uint64_t b = f == FpFmt::kD ? D(y) : S(static_cast<float>(y));
        uint64_t r;
        uint32_t flags = 0;
        covered += ArithNearest(op, f, a, b, &r, &flags);
      }
      bool needs_fma = op != FpOp::kAdd && op != FpOp::kSub;
      if (needs_fma && !fma) {
        EXPECT_EQ(covered, 0) << "op " << static_cast<int>(op);
      } else {
        EXPECT_GE(covered, 990) << "op " << static_cast<int>(op);
      }
    }
  }
}

TEST(FpuNearestTest, InexactOnlyWhereTheResultIsRounded) {
  uint64_t r;
  uint32_t flags = 0;
  ASSERT_TRUE(ArithNearest(FpOp::kAdd, FpFmt::kD, D(1.0), D(0x1p-53), &r, &flags));
  EXPECT_EQ(r, D(1.0));
  EXPECT_EQ(flags, kFpInexact);
  flags = 0;
  ASSERT_TRUE(ArithNearest(FpOp::kSub, FpFmt::kD, D(1.0), D(1.0), &r, &flags));
  EXPECT_EQ(r, D(0.0));
  EXPECT_EQ(flags, 0u);
  ASSERT_TRUE(ArithNearest(FpOp::kAdd, FpFmt::kS, S(1.5f), S(2.25f), &r, &flags));
  EXPECT_EQ(r, S(3.75f));
  EXPECT_EQ(flags, 0u);
  if (!__builtin_cpu_supports("fma")) GTEST_SKIP() << "no FMA: mul, div and sqrt use MXCSR";
  ASSERT_TRUE(ArithNearest(FpOp::kDiv, FpFmt::kD, D(1.0), D(3.0), &r, &flags));
  EXPECT_EQ(r, D(1.0 / 3.0));
  EXPECT_EQ(flags, kFpInexact);
  flags = 0;
  ASSERT_TRUE(ArithNearest(FpOp::kSqrt, FpFmt::kS, S(6.25f), 0, &r, &flags));
  EXPECT_EQ(r, S(2.5f));
  EXPECT_EQ(flags, 0u);
  ASSERT_TRUE(ArithNearest(FpOp::kMul, FpFmt::kD, D(3.0), D(0.1), &r, &flags));
  EXPECT_EQ(flags, kFpInexact);
  // Below the bound the flags are left to MXCSR (Underflow may come into it).
  EXPECT_FALSE(ArithNearest(FpOp::kMul, FpFmt::kD, D(0x1p-500), D(0x1p-500), &r, &flags));
}

}  // namespace
}  // namespace mipsrun
