// The project's own exp, log and random draws: accurate against libm, exact where the law says so.
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "common/portable_math.hpp"
#include "common/rng.hpp"
#include "common/ziggurat.hpp"

using namespace expanse;

TEST_CASE("portable_exp agrees with libm to 5e-16 over the whole double range", "[env][math]") {
  Rng rng(1);
  double worst = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    const double x = i % 2 ? rng.uniform(-700, 700) : rng.uniform(-5, 5);
    const double expected = std::exp(x);
    worst = std::max(worst, std::abs(portable_exp(x) - expected) / expected);
  }
  INFO("worst relative error " << worst);
  CHECK(worst < 5e-16);
  CHECK(portable_exp(0) == 1);
  CHECK(portable_exp(-800) == 0);
  CHECK(portable_exp(710) == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(portable_exp(std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("portable_exp of a pair gives each lane's scalar result, bit for bit", "[env][math]") {
  const auto same_bits = [](double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
  };
  Rng rng(3);
  const double edges[] = {0.0,
                          -0.0,
                          -708.0,
                          -707.9999,
                          709.0,
                          709.0001,
                          -800.0,
                          800.0,
                          std::numeric_limits<double>::quiet_NaN(),
                          std::numeric_limits<double>::infinity()};
  for (int i = 0; i < 200'000; ++i) {
    // Mostly ordinary arguments, sometimes an edge in either lane (the pair falls back to scalars).
    const double a = i % 97 == 0 ? edges[i % 10] : rng.uniform(-40, 40);
    const double b = i % 89 == 0 ? edges[(i / 89) % 10] : rng.uniform(-700, 700);
    const DoublePair e = portable_exp(DoublePair{a, b});
    REQUIRE(same_bits(e[0], portable_exp(a)));
    REQUIRE(same_bits(e[1], portable_exp(b)));
  }
}

TEST_CASE("portable_log agrees with libm to 5e-16, subnormals and edges included", "[env][math]") {
  Rng rng(2);
  double worst = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    const double x = i % 3 == 0   ? rng.uniform_open()
                     : i % 3 == 1 ? std::exp(rng.uniform(-700, 700))
                                  : 1 + (rng.uniform() - 0.5) * 1e-3;  // near 1, where ln x → 0
    const double expected = std::log(x);
    if (expected != 0) worst = std::max(worst, std::abs(portable_log(x) - expected) / std::abs(expected));
  }
  INFO("worst relative error " << worst);
  CHECK(worst < 5e-16);
  CHECK(portable_log(1) == 0);
  CHECK(std::abs(portable_log(0x1p-1074) - std::log(0x1p-1074)) < 1e-12);
  CHECK(portable_log(0) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(portable_log(-1)));
}

TEST_CASE("Waiting times follow the geometric law of a per-period probability", "[env][math]") {
  // P(wait = w) = (1 − p)^w · p: mean (1 − p)/p, and P(wait = 0) = p.
  for (const double p : {0.01, 0.2, 0.9}) {
    Rng rng(3);
    const int draws = 400'000;
    double sum = 0;
    int zero = 0, negative = 0;
    for (int i = 0; i < draws; ++i) {
      const std::int32_t w = rng.waiting_time(portable_log(1 - p));
      negative += w < 0;
      sum += w;
      zero += w == 0;
    }
    CHECK(negative == 0);
    const double mean = (1 - p) / p, sd = std::sqrt(1 - p) / p;
    INFO("p = " << p << ": mean " << sum / draws << ", expected " << mean);
    CHECK(std::abs(sum / draws - mean) < 5 * sd / std::sqrt(draws));
    CHECK(std::abs(static_cast<double>(zero) / draws - p) < 5 * std::sqrt(p * (1 - p) / draws));
  }
  Rng rng(4);
  CHECK(rng.waiting_time(0.0) == std::numeric_limits<std::int32_t>::max());  // p = 0: never
  CHECK(rng.waiting_time(portable_log(0.0)) == 0);                           // p = 1: at once
}

TEST_CASE("Ziggurat normals follow the standard normal law", "[env][math]") {
  // The tables close: the top layer has the area of every other (to the precision of V's digits).
  const ZigguratTables& t = kZiggurat;
  CHECK(std::abs(t.x[255] * (1 - t.f[255]) - ZigguratTables::kLayerArea) < 1e-9);
  Rng rng(4);
  const int draws = 2'000'000;
  double sum = 0, sum_squares = 0;
  // The distribution function at a grid of points (Kolmogorov–Smirnov distance), and the far tail.
  constexpr int kGrid = 41;  // −4, −3.8, …, 4
  std::vector<int> below(kGrid, 0);
  int beyond_tail_start = 0;
  for (int i = 0; i < draws; ++i) {
    const double z = ziggurat_normal(rng);
    sum += z;
    sum_squares += z * z;
    for (int g = 0; g < kGrid; ++g) below[g] += z < -4 + 0.2 * g;
    beyond_tail_start += std::abs(z) > ZigguratTables::kTailStart;
  }
  const double mean = sum / draws, variance = sum_squares / draws - mean * mean;
  INFO("mean " << mean << ", variance " << variance);
  CHECK(std::abs(mean) < 5 / std::sqrt(draws));
  CHECK(std::abs(variance - 1) < 5 * std::sqrt(2.0 / draws));
  double worst = 0;
  for (int g = 0; g < kGrid; ++g) {
    const double x = -4 + 0.2 * g, expected = 0.5 * std::erfc(-x / std::sqrt(2.0));
    worst = std::max(worst, std::abs(static_cast<double>(below[g]) / draws - expected));
  }
  INFO("largest distance to the normal distribution function " << worst);
  CHECK(worst < 1.63 / std::sqrt(draws));  // Kolmogorov–Smirnov at 1 %
  // P(|z| > R) = erfc(R/√2) ≈ 2.6e-4: the tail layer's draws, 520 expected.
  const double expected_tail = std::erfc(ZigguratTables::kTailStart / std::sqrt(2.0)) * draws;
  INFO("beyond R: " << beyond_tail_start << ", expected " << expected_tail);
  CHECK(std::abs(beyond_tail_start - expected_tail) < 5 * std::sqrt(expected_tail));
}
