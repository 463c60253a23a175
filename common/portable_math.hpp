#pragma once
// e^x and ln x for the market model and the random number generator, written here rather than taken
// from libm: libm's results differ between C libraries (and versions of one), so the same seed would
// not give the same bits everywhere, and inlined they are cheaper than libm's calls in the env's
// inner loop. Plain IEEE arithmetic only (the build turns off FMA contraction), so every platform
// computes the same value. Relative error below 5e-16 (tested against libm).
//
// exp: x = (32n + j)·ln2/32 + r with |r| ≤ ln2/64, e^x = 2^n · 2^(j/32) · e^r, the 32 values
// 2^(j/32) correctly rounded below (computed with 60-digit decimals), e^r by its Taylor series to r^6.
#include <bit>
#include <cstdint>
#include <limits>

namespace expanse {

// The 32 values 2^(j/32) and the constants of the reduction, shared by both forms of exp below.
struct ExpTables {
  static constexpr double two_to_j_over_32[32] = {
      0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0, 0x1.172b83c7d517bp+0,
      0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0, 0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0,
      0x1.3dea64c123422p+0, 0x1.44e086061892dp+0, 0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0,
      0x1.6247eb03a5585p+0, 0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
      0x1.8ace5422aa0dbp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255dp+0, 0x1.ae89f995ad3adp+0,
      0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0, 0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0,
      0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0};
  static constexpr double kInvLn2Over32 = 0x1.71547652b82fep+5;
  // ln2/32 split so that k·kLn2Hi is exact for every |k| < 2^21 (kLn2Hi keeps 31 fraction bits).
  static constexpr double kLn2Hi = 0x1.62e42fee00000p-6, kLn2Lo = 0x1.a39ef35793c76p-38;
  static constexpr double kRoundShift = 0x1.8p52;  // adding it rounds to an integer held in the low bits
  // 2^(k >> 5) built in the exponent field: k >> 5 lies in [−1022, 1023] for x in (−708, 709].
  static double scale(std::int32_t k) {
    return std::bit_cast<double>(static_cast<std::uint64_t>((k >> 5) + 1023) << 52);
  }
};

// e^r for |r| ≤ ln2/64, of a double or of each lane of a pair (the same operations either way). The
// polynomial in Estrin's form rather than Horner's: shorter dependency chains, same accuracy.
template <typename V>
V exp_near_zero(V r) {
  const V r2 = r * r;
  return (1.0 + r) + r2 * ((1.0 / 2 + r * (1.0 / 6)) + r2 * ((1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720)));
}

inline double portable_exp(double x) {
  using T = ExpTables;
  if (!(x > -708.0)) return x != x ? x : 0.0;  // NaN stays NaN; below −708 the result is (sub)normal ≈ 0
  if (x > 709.0) return std::numeric_limits<double>::infinity();
  const double shifted = x * T::kInvLn2Over32 + T::kRoundShift;
  const auto k = static_cast<std::int32_t>(std::bit_cast<std::uint64_t>(shifted));
  const double kd = shifted - T::kRoundShift;
  const double r = (x - kd * T::kLn2Hi) - kd * T::kLn2Lo;
  return T::two_to_j_over_32[k & 31] * exp_near_zero(r) * T::scale(k);
}

// Two doubles side by side (GCC's vector extension): each lane does the scalar code's operations in
// the same order, so the results are the scalar ones, bit for bit, at about half the instructions.
using DoublePair = double __attribute__((vector_size(16)));

// portable_exp of both lanes, bit for bit; lanes outside (−708, 709] (or NaN) take the scalar path.
inline DoublePair portable_exp(DoublePair x) {
  using T = ExpTables;
  if (!(x[0] > -708.0 && x[0] <= 709.0 && x[1] > -708.0 && x[1] <= 709.0))
    return DoublePair{portable_exp(x[0]), portable_exp(x[1])};
  const DoublePair shifted = x * T::kInvLn2Over32 + T::kRoundShift;
  const auto k0 = static_cast<std::int32_t>(std::bit_cast<std::uint64_t>(shifted[0]));
  const auto k1 = static_cast<std::int32_t>(std::bit_cast<std::uint64_t>(shifted[1]));
  const DoublePair kd = shifted - T::kRoundShift;
  const DoublePair r = (x - kd * T::kLn2Hi) - kd * T::kLn2Lo;
  return DoublePair{T::two_to_j_over_32[k0 & 31], T::two_to_j_over_32[k1 & 31]} * exp_near_zero(r) *
         DoublePair{T::scale(k0), T::scale(k1)};
}

// ln: x = 2^e · m with m in (√½, √2], ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| < 0.172, by its
// series to s^21 (the next term is below 1e-17 of the result).
inline double portable_log(double x) {
  if (!(x > 0)) return x == 0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  if (x == std::numeric_limits<double>::infinity()) return x;
  int e = 0;
  if (x < 0x1p-1022) {  // subnormal: scale into the normal range first
    x *= 0x1p54;
    e = -54;
  }
  const auto bits = std::bit_cast<std::uint64_t>(x);
  e += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);  // [1, 2)
  if (m > 0x1.6a09e667f3bcdp+0) {
    m *= 0.5;
    ++e;
  }
  const double s = (m - 1) / (m + 1), z = s * s;
  double series = 1.0 / 21;
  for (int n = 9; n >= 0; --n) series = 1.0 / (2 * n + 1) + z * series;
  // ln 2 split so that e·kLn2Hi is exact for every exponent (kLn2Hi keeps 20 fraction bits).
  constexpr double kLn2Hi = 0x1.62e4200000000p-1, kLn2Lo = 0x1.fdf473de6af28p-22;
  const double de = e;
  return de * kLn2Hi + (de * kLn2Lo + 2 * s * series);
}

}  // namespace expanse
