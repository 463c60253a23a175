#pragma once
// The plug between analysis and env (docs/analysis.md): for every quantity a scenario leaves open, a
// distribution the env draws from at reset (one world per episode). Until fitted priors exist,
// default_world_prior() derives them from the country data alone (docs/model.md, "Default prior").
// A fitted priors file (analysis, a later issue) produces the same struct.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "common/portable_math.hpp"
#include "common/rng.hpp"
#include "env/market/market_spec.hpp"

namespace expanse {

// x = median · exp(sigma · z), z ~ N(0, 1); sigma = 0 is a known value. A draw is one uniform
// (none when sigma = 0) and its transform, apart so that the env can draw the uniform at reset and
// transform it only if the episode needs the value.
struct LogNormalPrior {
  double median = 1.0;
  double sigma = 0.0;
  double uniform_for(Rng& rng) const { return sigma > 0 ? rng.uniform_open() : 0.5; }
  double value_at(double uniform) const {
    return sigma > 0 ? median * portable_exp(sigma * inverse_normal_cdf(uniform)) : median;
  }
};

struct RegionPrior {
  LogNormalPrior potential_multiplier;  // × MarketSpec::potential_median
  LogNormalPrior bass_p;                // annual
  LogNormalPrior bass_q;                // annual
  LogNormalPrior incumbent_attraction;
  double value_estimate = 0;     // expected NPV of a subsidiary entered now, per US$ of setup
  double value_uncertainty = 0;  // its spread (same units)
  // The four drawn at reset, in the order they are drawn.
  std::array<const LogNormalPrior*, 4> draws() const {
    return {&potential_multiplier, &bass_p, &bass_q, &incumbent_attraction};
  }
};

struct PartnerPrior {
  std::vector<double> effectiveness_mean;  // per product, [0,1]
  double effectiveness_sd = 0;             // true effectiveness ~ clip(N(mean, sd), 0, 1)
  double score = 0;                        // mean over products: what a recommender would rank by
  // Like LogNormalPrior: the uniform of a draw for product k, and the effectiveness it gives.
  double uniform_for(Rng& rng) const { return effectiveness_sd > 0 ? rng.uniform_open() : 0.5; }
  double effectiveness_at(std::size_t k, double uniform) const {
    const double e =
        effectiveness_mean[k] + (effectiveness_sd > 0 ? effectiveness_sd * inverse_normal_cdf(uniform) : 0.0);
    return std::clamp(e, 0.0, 1.0);
  }
};

struct WorldPrior {
  std::string source;  // "default (country data)" or the priors file
  std::vector<RegionPrior> regions;
  std::vector<PartnerPrior> partners;
};

WorldPrior default_world_prior(const MarketSpec& spec);
// The value estimate and its uncertainty of region r from the prior's medians and spreads.
void set_value_estimate(const MarketSpec& spec, std::size_t r, RegionPrior& prior);

}  // namespace expanse
