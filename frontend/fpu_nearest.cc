// Built with fpu.cc's options (see CMakeLists.txt): no contraction, no reassociation,
// so each operation below rounds once, as the error terms need.
#include "frontend/fpu_nearest.h"

#include <bit>
#include <cmath>
#include <limits>

namespace mipsrun {
namespace {

bool HostHasFma() {
  static const bool fma = __builtin_cpu_supports("fma");
  return fma;
}

template <class T>
struct Bits;
template <>
struct Bits<double> {
  using U = uint64_t;
  static constexpr double kExactFrom = 0x1p-916;  // 2^(emin + 2p)
};
template <>
struct Bits<float> {
  using U = uint32_t;
  static constexpr float kExactFrom = 0x1p-78f;
};

template <class T>
[[gnu::target("fma")]] T Fma(T a, T b, T c) {
  if constexpr (sizeof(T) == 4) {
    return __builtin_fmaf(a, b, c);
  } else {
    return __builtin_fma(a, b, c);
  }
}

// Within the range where the error terms are exact (false for NaN and infinity).
template <class T>
bool InExactRange(T v) {
  T m = std::fabs(v);
  return m >= Bits<T>::kExactFrom && m <= std::numeric_limits<T>::max();
}

template <class T>
[[gnu::target("fma")]] bool Nearest(FpOp op, T a, T b, T* out, uint32_t* flags) {
  T r, err;
  switch (op) {
    case FpOp::kAdd: case FpOp::kSub: {
      T addend = op == FpOp::kAdd ? b : -b;
      r = a + addend;
      if (r == 0) {
        *out = r;
        return true;
      }
      T a1 = r - addend;  // two-sum: r + err == a + addend exactly
      T b1 = r - a1;
      err = (a - a1) + (addend - b1);
      if (!std::isfinite(err)) return false;
      break;
    }
    case FpOp::kMul:
      r = a * b;
      if (r == 0 && (a == 0 || b == 0)) {
        *out = r;
        return true;
      }
      if (!HostHasFma()) return false;
      err = Fma(a, b, -r);
      break;
    case FpOp::kDiv:
      r = a / b;
      if (a == 0 && b != 0) {
        *out = r;
        return true;
      }
      if (!HostHasFma() || !InExactRange(a)) return false;
      err = Fma(-r, b, a);
      break;
    case FpOp::kSqrt:
      r = std::sqrt(a);
      if (a == 0) {
        *out = r;
        return true;
      }
      if (!HostHasFma() || !InExactRange(a)) return false;
      err = Fma(-r, r, a);
      break;
    default:
      return false;
  }
  if (!InExactRange(r)) return false;
  if (err != 0) *flags |= kFpInexact;
  *out = r;
  return true;
}

template <class T>
[[gnu::target("fma")]] bool NearestOnBits(FpOp op, uint64_t a, uint64_t b, uint64_t* r, uint32_t* flags) {
  using U = typename Bits<T>::U;
  T out;
  if (!Nearest(op, std::bit_cast<T>(static_cast<U>(a)), std::bit_cast<T>(static_cast<U>(b)),
               &out, flags)) {
    return false;
  }
  *r = std::bit_cast<U>(out);
  return true;
}

}  // namespace

[[gnu::target("fma")]] bool ArithNearest(FpOp op, FpFmt f, uint64_t a, uint64_t b, uint64_t* r,
                                         uint32_t* flags) {
  return f == FpFmt::kD ? NearestOnBits<double>(op, a, b, r, flags)
                        : NearestOnBits<float>(op, a, b, r, flags);
}

void UseArithNearest(bool use) { use_arith_nearest = use; }

}  // namespace mipsrun
