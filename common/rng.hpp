#pragma once
// The project's one random number generator. Hand-written (xoshiro256** seeded by splitmix64,
// normals by inverse CDF, logarithms from portable_math.hpp) rather than <random> because the
// standard distributions are implementation-defined: the same seed must give the same bits on every
// compiler and libc.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "common/portable_math.hpp"

namespace expanse {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A seed for stream `index` derived from `seed`: episode seeds, per-env seeds, policy seeds.
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t s = seed ^ (0xD1B54A32D192ED03ULL * (index + 1));
  splitmix64(s);
  return splitmix64(s);
}

// The tails of inverse_normal_cdf (p < 0.02425 or p > 0.97575), out of line: 5 % of the draws.
[[gnu::noinline]] inline double inverse_normal_cdf_tail(double p) {
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  const bool low = p < 0.5;
  const double q = std::sqrt(-2 * portable_log(low ? p : 1 - p));
  const double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                   ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  return low ? x : -x;
}

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9):
// one uniform in, one normal out, no cached state, no transcendental call in the central 95 %.
inline double inverse_normal_cdf(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  constexpr double p_low = 0.02425;
  if (p < p_low || p > 1 - p_low) return inverse_normal_cdf_tail(p);
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    std::uint64_t s = seed;
    for (auto& word : state_) word = splitmix64(s);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1): safe for logarithms and quantile functions.
  double uniform_open() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal() { return inverse_normal_cdf(uniform_open()); }
  bool bernoulli(double p) { return uniform() < p; }
  // Whole periods before an event of probability p per period first happens (0: in this one),
  // given log_keep = ln(1 − p): the geometric law, one draw instead of a Bernoulli every period.
  // Never (the int32 maximum) when p = 0; capped there for tiny p.
  std::int32_t waiting_time(double log_keep) {
    constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();
    if (!(log_keep < 0)) return kNever;
    const double periods = std::floor(portable_log(uniform_open()) / log_keep);
    return periods < kNever ? static_cast<std::int32_t>(periods) : kNever;
  }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for our n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }

  friend bool operator==(const Rng&, const Rng&) = default;

  // The generator's complete state, for checkpoints.
  std::array<std::uint64_t, 4> state() const { return {state_[0], state_[1], state_[2], state_[3]}; }
  void set_state(const std::array<std::uint64_t, 4>& state) {
    for (int i = 0; i < 4; ++i) state_[i] = state[i];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4]{};
};

}  // namespace expanse
