// Comparison statistics: values computed by hand on small arrays, and the coverage of the bootstrap
// intervals on synthetic data.
#include "analysis/statistics.hpp"

#include <catch2/catch.hpp>

using namespace expanse;

TEST_CASE("Point estimates by hand", "[analysis][statistics]") {
  CHECK(interquartile_mean({8, 1, 7, 2, 6, 3, 5, 4}) == Approx(4.5));          // 3, 4, 5, 6 kept
  CHECK(interquartile_mean({1, 2, 3, 4, 5, 6, 7, 8, 9, 100}) == Approx(5.5));  // int(2.5) = 2 cut each end
  CHECK(interquartile_mean({3, 1, 2}) == Approx(2.0));                         // nothing cut below 4 values
  CHECK(median_of({5, 1, 3}) == 3.0);
  CHECK(median_of({4, 1, 3, 2}) == 2.5);
  CHECK(mean_of({1, 2, 6}) == 3.0);
}

TEST_CASE("Probability of improvement by hand", "[analysis][statistics]") {
  // x = 3 beats each y = 2 (3 wins), x = 2 ties each (3 halves), x = 1 loses: (3 + 1.5) / 9.
  CHECK(probability_of_improvement({1, 2, 3}, {2, 2, 2}) == Approx(0.5));
  CHECK(probability_of_improvement({5, 6}, {1, 2}) == 1.0);
  CHECK(probability_of_improvement({1, 2}, {5, 6}) == 0.0);
  CHECK(probability_of_improvement({1, 4}, {2, 3}) == Approx(0.5));
}

TEST_CASE("Performance profiles count runs above each threshold", "[analysis][statistics]") {
  const auto profile = performance_profile({{1, 2, 3}, {4, 5}}, {0, 2.5, 4, 10});
  CHECK(profile == std::vector<double>{1.0, 0.6, 0.2, 0.0});
}

TEST_CASE("Bootstrap intervals cover the truth at about their level", "[analysis][statistics]") {
  // 300 experiments of 2 tasks × 25 runs of N(μ_task, 1): the 95 % interval of the mean should cover
  // the true mean about 95 % of the time (the percentile bootstrap runs a little narrow at this size).
  Rng rng(17);
  int covered = 0, iqm_covered = 0;
  const int experiments = 300;
  for (int e = 0; e < experiments; ++e) {
    TaskScores scores(2, std::vector<double>(25));
    for (int t = 0; t < 2; ++t)
      for (double& v : scores[static_cast<std::size_t>(t)]) v = 3.0 * t + rng.normal();
    const Estimate m = bootstrap_estimate(scores, mean_of, 500, 0.95, rng);
    covered += m.low <= 1.5 && 1.5 <= m.high;
    const Estimate iqm = bootstrap_estimate(scores, interquartile_mean, 500, 0.95, rng);
    CHECK(iqm.low <= iqm.value);
    CHECK(iqm.value <= iqm.high);
    iqm_covered += iqm.low <= 1.5 && 1.5 <= iqm.high;  // symmetric mixture: the IQM's target is 1.5 too
  }
  const double coverage = static_cast<double>(covered) / experiments;
  CHECK(coverage >= 0.90);
  CHECK(coverage <= 0.99);
  CHECK(static_cast<double>(iqm_covered) / experiments >= 0.88);
}

TEST_CASE("Probability of improvement comes with an interval that separates clear differences",
          "[analysis][statistics]") {
  Rng rng(3);
  TaskScores better(2, std::vector<double>(20)), worse(2, std::vector<double>(20));
  for (int t = 0; t < 2; ++t)
    for (int i = 0; i < 20; ++i) {
      better[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)] = 1.0 + rng.normal();
      worse[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)] = rng.normal();
    }
  const Estimate p = probability_of_improvement_estimate(better, worse, 1000, 0.95, rng);
  CHECK(p.value > 0.65);
  CHECK(p.low > 0.5);
  CHECK(p.high <= 1.0);
  Rng a(9), b(9);
  const Estimate again = probability_of_improvement_estimate(better, worse, 200, 0.95, a);
  CHECK(again.low == probability_of_improvement_estimate(better, worse, 200, 0.95, b).low);  // seeded
}

TEST_CASE("Statistics refuse empty input", "[analysis][statistics]") {
  Rng rng(1);
  CHECK_THROWS_AS(interquartile_mean({}), std::invalid_argument);
  CHECK_THROWS_AS(bootstrap_estimate({{1.0}, {}}, mean_of, 10, 0.95, rng), std::invalid_argument);
  CHECK_THROWS_AS(bootstrap_estimate({{1.0}}, mean_of, 10, 1.5, rng), std::invalid_argument);
}
