#pragma once
// From history to priors (docs/analysis.md): Bass fits per historical entry, market segments by
// clustering, regression of each parameter on region features with partial pooling inside
// segments, collaborative filtering of partner performance. The result is the WorldPrior the env
// draws its worlds from, with the fit's metrics.
#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/history.hpp"
#include "env/market/market_spec.hpp"
#include "env/market/world_prior.hpp"

namespace expanse {

struct RegionFeatures {
  std::vector<std::string> names;  // e.g. "ln_gdp_usd"; ln_ columns are natural logs
  Eigen::MatrixXd values;          // regions × features, in the units of the names
};
RegionFeatures region_features(const MarketSpec& spec);

struct Segmentation {
  int k = 1;
  double silhouette = 0;    // 0 when k = 1
  std::vector<int> labels;  // per region
};
// k-means over standardised features. k = 0 ("auto"): chosen by silhouette in [2, min(8, regions − 1)],
// a single segment when there are fewer than 4 regions. Throws std::invalid_argument when a given k
// exceeds the number of regions.
Segmentation segment_regions(const MarketSpec& spec, std::uint64_t seed, int k = 0);

struct ParameterFit {
  std::string name;
  int regions_with_data = 0;
  double r2 = 0;       // in-sample, of the ridge regression on features
  double cv_rmse = 0;  // k-fold cross-validated, log scale
  double alpha = 0;    // the chosen ridge penalty
};

struct PriorFit {
  WorldPrior prior;
  Segmentation segments;
  RegionFeatures features;
  int entries = 0, entries_fitted = 0;
  std::vector<ParameterFit> parameters;
  int partner_scores = 0;
  std::string cf_method;  // "als", "user-knn", "" when there were too few scores, "none …" when CF lost to the mean
  double cf_rmse = 0, cf_baseline_rmse = 0;
  std::string history_source;

  // The `metrics:` and `segments:` sections of the priors file.
  std::string metrics_yaml(const MarketSpec& spec) const;
};

// Deterministic in `seed`. Throws UserError when the history has no usable entry.
PriorFit fit_priors(const MarketSpec& spec, const History& history, std::uint64_t seed, int segments = 0);

}  // namespace expanse
