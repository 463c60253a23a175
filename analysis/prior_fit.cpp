#include "analysis/prior_fit.hpp"

#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

#include "analysis/bass_fit.hpp"
#include "analysis/collaborative_filtering.hpp"
#include "analysis/kmeans.hpp"
#include "analysis/linear_regression.hpp"
#include "analysis/silhouette.hpp"
#include "common/user_error.hpp"
#include "env/market/market_env.hpp"

namespace expanse {
namespace {

Eigen::MatrixXd standardise(const Eigen::MatrixXd& X) {
  const Eigen::RowVectorXd mean = X.colwise().mean();
  Eigen::MatrixXd Z = X.rowwise() - mean;
  for (Eigen::Index c = 0; c < Z.cols(); ++c) {
    const double sd = std::sqrt(Z.col(c).squaredNorm() / std::max<double>(1.0, static_cast<double>(Z.rows() - 1)));
    if (sd > 0) Z.col(c) /= sd;
  }
  return Z;
}

Mode mode_of(const std::string& name) {
  return name == "pilot" ? Mode::kPilot : name == "partner" ? Mode::kPartner : Mode::kSubsidiary;
}

// The effective market the model expects per quarter and product at the prior medians (multiplier
// 1), for an entry like this one: what turns adopters into a potential multiplier.
std::vector<std::vector<double>> base_effective_market(const MarketSpec& spec, const HistoricalEntry& entry,
                                                       int quarters) {
  Scenario one = spec.scenario();
  one.regions = {spec.scenario().regions[entry.region]};
  one.regions[0].fixed.potential_multiplier = 1.0;
  one.partners.clear();
  int partner_action = -1;
  if (entry.partner >= 0) {
    one.partners = {spec.scenario().partners[static_cast<std::size_t>(entry.partner)]};
    partner_action = 1 + kRegionOpCount;
  }
  one.priors.clear();
  one.events.clear();  // the expectation is the model's, without a stress test's scripted events
  one.model.prior_spread = one.model.demand_noise = one.model.observation_noise = one.model.shock_hazard = 0;
  one.model.fx = false;
  one.company.initial_cash = 1e9;
  MarketEnv env(std::make_shared<const MarketSpec>(one), ActionView::kDiscrete);
  env.reset(0);
  const Mode mode = mode_of(entry.mode);
  const std::int32_t action = mode == Mode::kPilot ? 2 : mode == Mode::kSubsidiary ? 3 : partner_action;
  std::vector<std::vector<double>> market(spec.product_count(),
                                          std::vector<double>(static_cast<std::size_t>(quarters)));
  for (int t = 0; t < quarters; ++t) {
    env.step(t == 0 ? action : 0);
    for (std::size_t k = 0; k < market.size(); ++k) market[k][static_cast<std::size_t>(t)] = env.effective_market(0, k);
  }
  return market;
}

struct RegionEstimates {
  std::vector<double> sum, sum_squares;
  std::vector<int> count;
  explicit RegionEstimates(std::size_t regions) : sum(regions), sum_squares(regions), count(regions) {}
  void add(std::size_t r, double value) {
    sum[r] += value;
    sum_squares[r] += value * value;
    ++count[r];
  }
};

// One log-parameter across regions: ridge regression on features, partial pooling of the
// residuals inside segments, and each region's own estimate where it has one.
ParameterFit pool(const std::string& name, const RegionEstimates& data, const Eigen::MatrixXd& Z,
                  const std::vector<int>& segment, int segments, const std::vector<LogNormalPrior>& fallback,
                  std::vector<LogNormalPrior>& out, Rng& rng) {
  const auto R = static_cast<std::size_t>(Z.rows());
  ParameterFit fit;
  fit.name = name;
  std::vector<int> observed;
  double within = 0;
  int within_dof = 0;
  for (std::size_t r = 0; r < R; ++r) {
    if (data.count[r] == 0) continue;
    observed.push_back(static_cast<int>(r));
    const double mean = data.sum[r] / data.count[r];
    within += data.sum_squares[r] - data.count[r] * mean * mean;
    within_dof += data.count[r] - 1;
  }
  fit.regions_with_data = static_cast<int>(observed.size());
  const double entry_variance = std::max(0.01, within_dof > 0 ? within / within_dof : 0.09);
  out = fallback;
  if (observed.empty()) return fit;
  Eigen::VectorXd y(static_cast<Eigen::Index>(observed.size()));
  for (std::size_t i = 0; i < observed.size(); ++i)
    y(static_cast<Eigen::Index>(i)) =
        data.sum[static_cast<std::size_t>(observed[i])] / data.count[static_cast<std::size_t>(observed[i])];
  Eigen::VectorXd prediction = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(R), y.mean());
  double residual_sd = std::max(0.05, std::sqrt((y.array() - y.mean()).square().mean()));
  if (observed.size() >= 5) {
    const RidgeCrossValidation cv = ridge_cv(Z(observed, Eigen::all), y, {0.1, 1.0, 10.0, 100.0},
                                             std::min<int>(5, static_cast<int>(observed.size())), rng);
    prediction = cv.model.predict(Z);
    fit.r2 = cv.model.r2;
    fit.alpha = cv.best_alpha;
    fit.cv_rmse = std::sqrt(*std::min_element(cv.mean_squared_errors.begin(), cv.mean_squared_errors.end()));
    residual_sd = std::max(0.05, fit.cv_rmse);
  }
  // Partial pooling: a segment's mean residual, shrunk towards zero by its number of regions.
  std::vector<double> residual_sum(static_cast<std::size_t>(segments), 0.0),
      members(static_cast<std::size_t>(segments), 0.0);
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const auto r = static_cast<std::size_t>(observed[i]);
    residual_sum[static_cast<std::size_t>(segment[r])] +=
        y(static_cast<Eigen::Index>(i)) - prediction(static_cast<Eigen::Index>(r));
    members[static_cast<std::size_t>(segment[r])] += 1;
  }
  for (std::size_t r = 0; r < R; ++r) {
    const auto s = static_cast<std::size_t>(segment[r]);
    const double pooled = prediction(static_cast<Eigen::Index>(r)) + residual_sum[s] / (members[s] + 2.0);
    double mean = pooled, variance = residual_sd * residual_sd;
    if (data.count[r] > 0) {  // the region's own entries, precision-weighted with the pooled estimate
      const double own = data.sum[r] / data.count[r], own_variance = entry_variance / data.count[r];
      mean = (own / own_variance + pooled / variance) / (1 / own_variance + 1 / variance);
      variance = 1 / (1 / own_variance + 1 / variance);
    }
    out[r] = {std::exp(mean), std::sqrt(variance)};
  }
  return fit;
}

}  // namespace

RegionFeatures region_features(const MarketSpec& spec) {
  RegionFeatures f;
  f.names = {"ln_gdp_usd",
             "ln_gdp_per_capita_usd",
             "gdp_growth_pct",
             "broadband_per100",
             "ln_secure_servers_per_million",
             "days_to_start_business",
             "fx_volatility",
             "cage_distance"};
  f.values.resize(static_cast<Eigen::Index>(spec.region_count()), static_cast<Eigen::Index>(f.names.size()));
  for (std::size_t r = 0; r < spec.region_count(); ++r) {
    const CountryFeatures& c = spec.scenario().regions[r].country;
    f.values.row(static_cast<Eigen::Index>(r)) << std::log(c.gdp_usd), std::log(c.gdp_per_capita_usd), c.gdp_growth_pct,
        c.broadband_per100, std::log1p(c.secure_servers_per_million), c.days_to_start_business, c.fx_volatility,
        spec.region(r).distance;
  }
  return f;
}

Segmentation segment_regions(const MarketSpec& spec, std::uint64_t seed, int k) {
  Segmentation s;
  const auto R = static_cast<int>(spec.region_count());
  s.labels.assign(static_cast<std::size_t>(R), 0);
  Rng rng(derive_seed(seed, 0x5E9));
  if (k > 0) {
    if (k > R)
      throw std::invalid_argument("k = " + std::to_string(k) + " segments is more than the " + std::to_string(R) +
                                  " markets of the scenario");
    const Eigen::MatrixXd Z = standardise(region_features(spec).values);
    const KMeansResult r = kmeans(Z, {k}, rng);
    s.k = k;
    s.labels = r.labels;
    s.silhouette = k >= 2 && k < R ? silhouette_score(Z, r.labels) : 0.0;
    return s;
  }
  if (R < 4) return s;
  const KSelection chosen =
      choose_k_by_silhouette(standardise(region_features(spec).values), 2, std::min(8, R - 1), {}, rng);
  s.k = chosen.k;
  s.silhouette = chosen.silhouettes[static_cast<std::size_t>(chosen.k - 2)];
  s.labels = chosen.clustering.labels;
  return s;
}

namespace {

// Log estimates of each region's Bass p, q (annual) and potential multiplier, one per fitted entry.
struct BassEstimates {
  RegionEstimates log_p, log_q, log_multiplier;
  explicit BassEstimates(std::size_t regions) : log_p(regions), log_q(regions), log_multiplier(regions) {}
};

// Bass fits of every entry group (one region, mode and partner: its products share p, q and the
// potential multiplier). Counts the entries and those fitted into `fit`.
BassEstimates fit_entry_groups(const MarketSpec& spec, const History& history, PriorFit& fit) {
  BassEstimates estimates(spec.region_count());
  RegionEstimates &log_p = estimates.log_p, &log_q = estimates.log_q, &log_multiplier = estimates.log_multiplier;
  std::map<std::tuple<std::size_t, std::string, int>, std::vector<const HistoricalEntry*>> groups;
  for (const HistoricalEntry& entry : history.entries) {
    ++fit.entries;
    if (!entry.quarters.empty()) groups[{entry.region, entry.mode, entry.partner}].push_back(&entry);
  }
  for (const auto& [key, entries] : groups) {
    int span = 0;
    for (const HistoricalEntry* e : entries) span = std::max(span, e->quarters.back().quarter + 1);
    const auto base = base_effective_market(spec, *entries.front(), span);
    std::vector<EntrySeries> series;
    for (const HistoricalEntry* e : entries) series.push_back({e->quarters, base[e->product]});
    const RegionPrior& prior = fit.prior.regions[std::get<0>(key)];
    const BassGuess guess{prior.bass_p.median / 4,
                          prior.bass_q.median / 4,
                          prior.potential_multiplier.median,
                          std::max(0.05, prior.bass_p.sigma),
                          std::max(0.05, prior.bass_q.sigma),
                          std::max(0.1, prior.potential_multiplier.sigma)};
    const BassEstimate e = fit_bass(series, spec.mode(mode_of(std::get<1>(key))).churn, guess);
    if (!e.ok) continue;
    fit.entries_fitted += static_cast<int>(entries.size());
    log_p.add(std::get<0>(key), std::log(4 * e.p));
    log_q.add(std::get<0>(key), std::log(4 * e.q));
    log_multiplier.add(std::get<0>(key), std::log(e.multiplier));
  }
  return estimates;
}

// Each region's p, q and multiplier priors pooled from its estimates and its segment's
// (partial pooling over the clusters of standardised features Z).
void pool_region_priors(const MarketSpec& spec, BassEstimates& estimates, const Eigen::MatrixXd& Z, PriorFit& fit,
                        Rng& rng) {
  const std::size_t R = spec.region_count();
  RegionEstimates &log_p = estimates.log_p, &log_q = estimates.log_q, &log_multiplier = estimates.log_multiplier;
  auto fallback = [&](LogNormalPrior RegionPrior::*field) {
    std::vector<LogNormalPrior> v;
    for (const auto& rp : fit.prior.regions) v.push_back(rp.*field);
    return v;
  };
  const std::pair<const char*, std::pair<RegionEstimates*, LogNormalPrior RegionPrior::*>> parameters[] = {
      {"log_bass_p", {&log_p, &RegionPrior::bass_p}},
      {"log_bass_q", {&log_q, &RegionPrior::bass_q}},
      {"log_potential_multiplier", {&log_multiplier, &RegionPrior::potential_multiplier}}};
  for (const auto& [name, target] : parameters) {
    std::vector<LogNormalPrior> pooled;
    fit.parameters.push_back(
        pool(name, *target.first, Z, fit.segments.labels, fit.segments.k, fallback(target.second), pooled, rng));
    for (std::size_t r = 0; r < R; ++r) fit.prior.regions[r].*(target.second) = pooled[r];
  }
  for (std::size_t r = 0; r < R; ++r) set_value_estimate(spec, r, fit.prior.regions[r]);
}

// Partner performance: collaborative filtering over partners × products, kept only when it predicts
// held-out scores better than their mean.
void fit_partner_scores(const MarketSpec& spec, const History& history, PriorFit& fit, Rng& rng) {
  // Partner performance: collaborative filtering over partners × products.
  std::map<std::pair<std::size_t, std::size_t>, std::pair<double, int>> scores;
  for (const auto& s : history.partner_scores) {
    auto& cell = scores[{s.partner, s.product}];
    cell.first += s.score;
    cell.second += 1;
  }
  fit.partner_scores = static_cast<int>(history.partner_scores.size());
  if (scores.size() >= 10 && spec.partner_count() > 1) {
    std::vector<Rating> all, train, test;
    for (const auto& [key, cell] : scores)
      all.push_back({static_cast<int>(key.first), static_cast<int>(key.second), cell.first / cell.second});
    for (const Rating& r : all) (rng.bernoulli(0.2) ? test : train).push_back(r);
    if (test.empty()) test.push_back(train.back()), train.pop_back();
    const int P = static_cast<int>(spec.partner_count()), K = static_cast<int>(spec.product_count());
    const RatingMatrix held(P, K, train);
    fit.cf_baseline_rmse = rmse(MeanModel(held), test);
    Rng als_rng = rng;
    const double als_rmse = rmse(AlsModel(held, {2, 0.05, 20}, als_rng), test);
    const double knn_rmse = rmse(NeighbourhoodModel(held, 10, Similarity::kPearson), test);
    fit.cf_method = als_rmse <= knn_rmse ? "als" : "user-knn";
    fit.cf_rmse = std::min(als_rmse, knn_rmse);
    if (fit.cf_rmse >= fit.cf_baseline_rmse) {
      fit.cf_method = "none (no better than the mean; the scenario's partner prior is kept)";
      return;
    }
    const RatingMatrix full(P, K, all);
    std::unique_ptr<RatingModel> model;
    if (fit.cf_method == "als")
      model = std::make_unique<AlsModel>(full, AlsOptions{2, 0.05, 20}, rng);
    else
      model = std::make_unique<NeighbourhoodModel>(full, 10, Similarity::kPearson);
    for (int j = 0; j < P; ++j) {
      if (full.in_row(j).empty()) continue;  // never observed: the scenario's own prior stays
      PartnerPrior& pp = fit.prior.partners[static_cast<std::size_t>(j)];
      double sum = 0;
      for (int k = 0; k < K; ++k) {
        const auto it = scores.find({static_cast<std::size_t>(j), static_cast<std::size_t>(k)});
        pp.effectiveness_mean[static_cast<std::size_t>(k)] =
            std::clamp(it != scores.end() ? it->second.first / it->second.second : model->predict(j, k), 0.0, 1.0);
        sum += pp.effectiveness_mean[static_cast<std::size_t>(k)];
      }
      pp.effectiveness_sd = fit.cf_rmse;
      pp.score = sum / K;
    }
  }
}

}  // namespace

PriorFit fit_priors(const MarketSpec& spec, const History& history, std::uint64_t seed, int segments) {
  PriorFit fit;
  fit.history_source = history.source;
  fit.prior = default_world_prior(spec);
  fit.prior.source = "fitted by expanse fit from " + history.source;
  fit.features = region_features(spec);
  fit.segments = segment_regions(spec, seed, segments);
  const Eigen::MatrixXd Z = standardise(fit.features.values);

  BassEstimates estimates = fit_entry_groups(spec, history, fit);
  if (fit.entries_fitted == 0 && history.partner_scores.empty())
    throw UserError(Diagnostic{history.source, 0, 0, "",
                               "no entry of the history could be fitted (each needs 3 or more consecutive quarters)"});
  Rng rng(derive_seed(seed, 0xF17));
  pool_region_priors(spec, estimates, Z, fit, rng);
  fit_partner_scores(spec, history, fit, rng);
  return fit;
}

std::string PriorFit::metrics_yaml(const MarketSpec& spec) const {
  std::ostringstream out;
  out.precision(6);
  out << "history: \"" << history_source << "\"\n";
  out << "metrics:\n  entries: " << entries << "\n  entries_fitted: " << entries_fitted
      << "\n  segments: " << segments.k << "\n  silhouette: " << segments.silhouette << "\n  regressions:\n";
  for (const auto& p : parameters)
    out << "    " << p.name << ": {regions_with_data: " << p.regions_with_data << ", r2: " << p.r2
        << ", cv_rmse: " << p.cv_rmse << ", ridge_alpha: " << p.alpha << "}\n";
  out << "  partners: {scores: " << partner_scores << ", method: \"" << cf_method << "\", cf_rmse: " << cf_rmse
      << ", mean_baseline_rmse: " << cf_baseline_rmse << "}\n";
  out << "segments:\n";
  for (int s = 0; s < segments.k; ++s) {
    out << "  - {id: " << s << ", regions: [";
    bool first = true;
    for (std::size_t r = 0; r < spec.region_count(); ++r)
      if (segments.labels[r] == s) {
        out << (first ? "" : ", ") << spec.scenario().regions[r].country.id;
        first = false;
      }
    out << "]}\n";
  }
  return out.str();
}

}  // namespace expanse
