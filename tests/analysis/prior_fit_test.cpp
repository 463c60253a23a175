// From history to priors: the history format, the fit (reproducible, better than the prior it
// starts from), the priors file and the env reading it.
#include "analysis/prior_fit.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "analysis/history.hpp"
#include "common/atomic_file.hpp"
#include "common/user_error.hpp"
#include "env/market/market_env.hpp"
#include "env/market/scenario_loader.hpp"
#include "env/market/world_prior_file.hpp"

using namespace expanse;

namespace {

const Scenario& world() {
  static const Scenario s = load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/world.yaml");
  return s;
}

std::string scratch(const std::string& name) {
  return std::string(EXPANSE_BINARY_DIR) + "/" + name;
}

std::vector<std::string> errors_of_history(const std::string& text) {
  write_file_atomically(scratch("history_test.csv"), text);
  try {
    read_history_csv(scratch("history_test.csv"), world());
  } catch (const UserError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.str());
    return out;
  }
  return {};
}

// The world the history generator drew for region r (its first draws: multiplier, p, q).
struct Truth {
  double multiplier, p, q;
};
Truth true_world(const Scenario& scenario, std::size_t r, std::uint64_t seed) {
  Scenario one = scenario;
  one.regions = {scenario.regions[r]};
  one.partners.clear();
  const auto spec = std::make_shared<const MarketSpec>(one);
  MarketEnv env(spec, ActionView::kDiscrete);
  env.reset(derive_seed(seed ^ 0x4157, r));
  return {env.potential(0, 0) / spec->potential_median(0, 0), env.true_bass_p(0), env.true_bass_q(0)};
}

}  // namespace

TEST_CASE("A synthetic history survives the CSV format", "[analysis][history]") {
  const History h = generate_history(world(), 3);
  REQUIRE(h.entries.size() > 20);
  REQUIRE(h.partner_scores.size() > 20);
  write_file_atomically(scratch("history_roundtrip.csv"), history_to_csv(h, world()));
  const History back = read_history_csv(scratch("history_roundtrip.csv"), world());
  CHECK(back.synthetic);
  REQUIRE(back.entries.size() == h.entries.size());
  CHECK(back.partner_scores.size() == h.partner_scores.size());
  for (std::size_t e = 0; e < h.entries.size(); ++e) {
    REQUIRE(back.entries[e].quarters.size() == h.entries[e].quarters.size());
    CHECK(back.entries[e].mode == h.entries[e].mode);
    for (std::size_t q = 0; q < h.entries[e].quarters.size(); ++q)
      CHECK(back.entries[e].quarters[q].adopters == Approx(h.entries[e].quarters[q].adopters).epsilon(1e-9));
  }
}

TEST_CASE("Bad history files get located errors", "[analysis][history]") {
  const std::string header = "entry,region,product,mode,partner,quarter,adopters,revenue,partner_score\n";
  CHECK(errors_of_history("") ==
        std::vector<std::string>{scratch("history_test.csv") + ": the history is empty (no header, no rows)"});
  CHECK(errors_of_history(header) ==
        std::vector<std::string>{scratch("history_test.csv") + ": the history has no entries"});
  auto e = errors_of_history("entry,region,product,mode,quarter\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == scratch("history_test.csv") + ":1:1: header: missing column \"adopters\"");
  e = errors_of_history(header + "e1,JPM,search,pilot,,0,0.1,,\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == scratch("history_test.csv") + ":2:4: region: unknown region \"JPM\" (did you mean \"JPN\"?)");
  e = errors_of_history(header + "e1,JPN,search,pilot,,0,lots,,\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == scratch("history_test.csv") + ":2:24: adopters: expected a number in [0, 1e+09], got \"lots\"");
  e = errors_of_history(header + "e1,JPN,search,pilot,,0,nan,,\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("adopters: expected a number") != std::string::npos);
}

TEST_CASE("Fitting priors is reproducible from its seed", "[analysis][fit]") {
  const MarketSpec spec(world());
  const History h = generate_history(world(), 1);
  const PriorFit a = fit_priors(spec, h, 1), b = fit_priors(spec, h, 1);
  CHECK(world_prior_to_yaml(a.prior, spec, a.metrics_yaml(spec)) ==
        world_prior_to_yaml(b.prior, spec, b.metrics_yaml(spec)));
}

TEST_CASE("A stress test's scripted events are neither in the history nor in the fit", "[analysis][fit]") {
  // stress-asian-crisis is asia-pacific with scripted events: the peers' history and the fitted
  // priors must be those of asia-pacific (and subsets of its regions must not trip on the events).
  const auto load = [](const char* name) {
    return load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
  };
  const Scenario plain = load("asia-pacific"), scripted = load("stress-asian-crisis");
  REQUIRE(!scripted.events.empty());
  const History a = generate_history(plain, 2), b = generate_history(scripted, 2);
  REQUIRE(!a.entries.empty());
  const auto body = [](const std::string& text) { return text.substr(text.find('\n')); };  // past the first line
  CHECK(body(history_to_csv(a, plain)) == body(history_to_csv(b, scripted)));
  const MarketSpec plain_spec(plain), scripted_spec(scripted);
  const PriorFit fa = fit_priors(plain_spec, a, 1), fb = fit_priors(scripted_spec, b, 1);
  CHECK(body(fa.metrics_yaml(plain_spec)) == body(fb.metrics_yaml(scripted_spec)));  // past the history's name
}

TEST_CASE("Fitted priors are closer to the true world than the prior they start from", "[analysis][fit]") {
  // Errors pooled over five synthetic histories: one history is one draw of the world, and a single
  // draw can favour either side (with seed 5 the collaborative filter loses to the baseline).
  const MarketSpec spec(world());
  const WorldPrior base = default_world_prior(spec);
  double fitted_error[3] = {0, 0, 0}, base_error[3] = {0, 0, 0}, cf_rmse = 0, cf_baseline_rmse = 0;
  int n = 0;
  for (std::uint64_t seed = 2; seed <= 6; ++seed) {
    const History h = generate_history(world(), seed);
    const PriorFit fit = fit_priors(spec, h, seed);
    std::vector<bool> has_history(spec.region_count(), false);
    for (const auto& e : h.entries) has_history[e.region] = true;
    for (std::size_t r = 0; r < spec.region_count(); ++r) {
      if (!has_history[r]) continue;
      const Truth t = true_world(world(), r, seed);
      const RegionPrior &f = fit.prior.regions[r], &b = base.regions[r];
      fitted_error[0] += std::abs(std::log(f.potential_multiplier.median / t.multiplier));
      base_error[0] += std::abs(std::log(b.potential_multiplier.median / t.multiplier));
      fitted_error[1] += std::abs(std::log(f.bass_p.median / t.p));
      base_error[1] += std::abs(std::log(b.bass_p.median / t.p));
      fitted_error[2] += std::abs(std::log(f.bass_q.median / t.q));
      base_error[2] += std::abs(std::log(b.bass_q.median / t.q));
      ++n;
    }
    CHECK(fit.entries_fitted >= fit.entries * 9 / 10);
    CHECK(fit.segments.k >= 2);
    cf_rmse += fit.cf_rmse;
    cf_baseline_rmse += fit.cf_baseline_rmse;
  }
  REQUIRE(n >= 50);
  INFO("mean |log error| fitted vs prior: potential " << fitted_error[0] / n << " vs " << base_error[0] / n << ", p "
                                                      << fitted_error[1] / n << " vs " << base_error[1] / n << ", q "
                                                      << fitted_error[2] / n << " vs " << base_error[2] / n);
  CHECK(fitted_error[0] < 0.7 * base_error[0]);
  CHECK(fitted_error[1] < base_error[1]);
  CHECK(cf_rmse < cf_baseline_rmse);
}

TEST_CASE("The priors file round-trips and the env reads it through the scenario", "[analysis][fit]") {
  const MarketSpec spec(world());
  const PriorFit fit = fit_priors(spec, generate_history(world(), 1), 1);
  const std::string path = scratch("world-priors.yaml");
  write_file_atomically(path, world_prior_to_yaml(fit.prior, spec, fit.metrics_yaml(spec)));
  const WorldPrior back = read_world_prior_file(path, spec);
  for (std::size_t r = 0; r < spec.region_count(); ++r) {
    CHECK(back.regions[r].potential_multiplier.median ==
          Approx(fit.prior.regions[r].potential_multiplier.median).epsilon(1e-8));
    CHECK(back.regions[r].bass_q.sigma == Approx(fit.prior.regions[r].bass_q.sigma).epsilon(1e-8));
    CHECK(back.regions[r].value_estimate == Approx(fit.prior.regions[r].value_estimate).epsilon(1e-8));
  }
  for (std::size_t j = 0; j < spec.partner_count(); ++j)
    CHECK(back.partners[j].effectiveness_mean[0] == Approx(fit.prior.partners[j].effectiveness_mean[0]).epsilon(1e-8));

  Scenario with_priors = world();
  with_priors.priors = path;
  const MarketEnv env(std::make_shared<const MarketSpec>(with_priors), ActionView::kDiscrete);
  CHECK(env.prior().source == path);
  CHECK(env.prior().regions[0].bass_p.median == Approx(fit.prior.regions[0].bass_p.median).epsilon(1e-8));
}

TEST_CASE("Bad priors files get located errors", "[analysis][fit]") {
  const MarketSpec spec(world());
  const PriorFit fit = fit_priors(spec, generate_history(world(), 1), 1);
  std::string text = world_prior_to_yaml(fit.prior, spec, "");
  const std::string path = scratch("bad-priors.yaml");
  auto first_error = [&](const std::string& t) {  // all the diagnostics, one per line
    write_file_atomically(path, t);
    try {
      read_world_prior_file(path, spec);
    } catch (const UserError& e) {
      std::string all;
      for (const auto& d : e.diagnostics()) all += d.str() + "\n";
      return all;
    }
    return std::string("no error");
  };
  std::string wrong_version = text;
  wrong_version.replace(wrong_version.find("version: 1"), 10, "version: 9");
  CHECK(first_error(wrong_version) == path + ":4:10: version: this build reads version 1, got 9\n");
  std::string unknown = text;
  unknown.replace(unknown.find("{id: USA"), 8, "{id: USB");
  CHECK(first_error(unknown).find("regions[0].id: \"USB\" is not in the scenario (did you mean \"USA\"?)") !=
        std::string::npos);
  CHECK(first_error("format: something\nversion: 1\n").find("format: expected \"expanse-priors\"") !=
        std::string::npos);
}

TEST_CASE("Markets are segmented; small scenarios form one segment", "[analysis][fit]") {
  const Segmentation s = segment_regions(MarketSpec(world()), 1);
  CHECK(s.k >= 2);
  CHECK(s.labels.size() == 41);
  CHECK(s.silhouette > 0.2);
  const Scenario tiny = load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/tiny.yaml");
  CHECK(segment_regions(MarketSpec(tiny), 1).k == 1);
}
