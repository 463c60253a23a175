// Speed of the analysis module (issue 3): k-means on 100,000 × 16, ALS on a 10,000 × 10,000 matrix
// with 1 % observed, and `fit` on the world scenario with its synthetic history. One core.
//   build/release/bench/analysis_throughput        (from the repository root)
#include <chrono>
#include <cstdio>

#include "analysis/collaborative_filtering.hpp"
#include "analysis/history.hpp"
#include "analysis/kmeans.hpp"
#include "analysis/prior_fit.hpp"
#include "env/market/scenario_loader.hpp"

using namespace expanse;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main() {
  Rng rng(1);
  {
    Eigen::MatrixXd X(100000, 16);
    for (Eigen::Index i = 0; i < X.rows(); ++i)
      for (Eigen::Index d = 0; d < X.cols(); ++d) X(i, d) = 3.0 * static_cast<double>(i % 8 == d % 8) + rng.normal();
    const auto start = Clock::now();
    const KMeansResult r = kmeans(X, {8, 1, 300, 1e-4}, rng);
    const double t = seconds_since(start);
    std::printf("| k-means, 100,000 × 16, k = 8, one k-means++ start | %.2f s | %d Lloyd iterations, %.1f ms each |\n",
                t, r.iterations, 1000 * t / r.iterations);
  }
  {
    std::vector<Rating> ratings;
    ratings.reserve(1000000);
    for (int r = 0; r < 10000; ++r)
      for (int c = 0; c < 10000; ++c)
        if (rng.uniform() < 0.01) ratings.push_back({r, c, rng.uniform()});
    const RatingMatrix matrix(10000, 10000, std::move(ratings));
    const auto start = Clock::now();
    const AlsOptions options{10, 0.1, 10};
    const AlsModel model(matrix, options, rng);
    const double t = seconds_since(start);
    std::printf("| ALS, 10,000 × 10,000, %zu ratings (1 %%), 10 factors | %.2f s | 10 iterations, %.2f s each |\n",
                matrix.ratings().size(), t, t / options.iterations);
  }
  {
    const Scenario world = load_scenario_file("scenarios/world.yaml");
    const MarketSpec spec(world);
    auto start = Clock::now();
    const History h = generate_history(world, 1);
    const double generate = seconds_since(start);
    start = Clock::now();
    const PriorFit fit = fit_priors(spec, h, 1);
    std::printf("| fit, world (41 markets, %d entries, %d partner scores) | %.3f s | history generated in %.3f s |\n",
                fit.entries, fit.partner_scores, seconds_since(start), generate);
  }
  return 0;
}
