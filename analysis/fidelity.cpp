#include "analysis/fidelity.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "analysis/statistics.hpp"
#include "env/market/kpi.hpp"
#include "env/market/market_env.hpp"

namespace expanse {
namespace {

// The scenario with every source of randomness off, the world at its prior medians, and cash that
// never binds: what is left is the model's deterministic response.
Scenario quiet(Scenario s) {
  ModelParams& m = s.model;
  m.demand_noise = m.observation_noise = m.prior_spread = m.shock_hazard = 0.0;
  m.fx = false;
  for (auto& r : s.regions) {
    r.fixed.shock_hazard.reset();
    r.fixed.fx_drift = 0.0;
  }
  s.company.initial_cash = 1e9;
  s.partners.clear();
  s.events.clear();  // scripted shocks and devaluations are not the model's own response
  s.priors.clear();  // a priors file names the partners just removed; quiet worlds use prior medians anyway
  return s;
}

// A subset of the regions (a priors file of the whole scenario no longer applies: the default prior does).
Scenario with_regions(Scenario s, const std::vector<std::size_t>& keep) {
  s.priors.clear();
  std::vector<RegionSpec> regions;
  for (std::size_t r : keep) regions.push_back(s.regions[r]);
  s.regions = std::move(regions);
  s.partners.clear();
  s.events.clear();  // they may name the regions left out
  return s;
}

// Drives the MultiDiscrete view: a target per region for the next quarter, marketing levels that stay.
class Driver {
 public:
  Driver(const Scenario& scenario, std::uint64_t seed)
      : env_(std::make_shared<const MarketSpec>(scenario), ActionView::kMultiDiscrete),
        action_(2 * scenario.regions.size(), 0) {
    env_.reset(seed);
  }
  void order(std::size_t r, ModeTarget target, int level) {
    action_[2 * r] = static_cast<std::int32_t>(target);
    action_[2 * r + 1] = level;
  }
  StepResult step() {
    const StepResult result = env_.step(Action{action_, {}}).result;
    for (std::size_t r = 0; 2 * r < action_.size(); ++r) action_[2 * r] = 0;
    return result;
  }
  MarketEnv& env() { return env_; }
  const MarketEnv& env() const { return env_; }
  double adopters(std::size_t r) const { return sum_products(r, &MarketEnv::adopters); }
  double effective_market(std::size_t r) const { return sum_products(r, &MarketEnv::effective_market); }

 private:
  double sum_products(std::size_t r, double (MarketEnv::*get)(std::size_t, std::size_t) const) const {
    double total = 0;
    for (std::size_t k = 0; k < env_.spec().product_count(); ++k) total += (env_.*get)(r, k);
    return total;
  }
  MarketEnv env_;
  std::vector<std::int32_t> action_;
};

double bass_closed_form(double p, double q, double years) {
  const double e = std::exp(-(p + q) * years);
  return (1 - e) / (1 + (q / p) * e);
}

// New adopters in region 0 over one quarter stepped from `driver`'s state with `level` (a copy).
double new_adopters_next_quarter(const Driver& driver, int level) {
  Driver copy = driver;
  copy.order(0, ModeTarget::kKeep, level);
  const MarketEnv& before = driver.env();
  copy.step();
  const double churn = before.spec().mode(before.mode(0)).churn;
  double added = 0;
  for (std::size_t k = 0; k < before.spec().product_count(); ++k)
    added += copy.env().adopters(0, k) - before.adopters(0, k) * (1 - churn);
  return added;
}

constexpr double kBump = 1.01;  // finite differences: +1 %

}  // namespace

std::string FidelityCheck::tolerance() const {
  char text[64];
  if (std::isinf(high))
    std::snprintf(text, sizeof text, "> %g", low);
  else if (std::isinf(low))
    std::snprintf(text, sizeof text, "< %g", high);
  else
    std::snprintf(text, sizeof text, "[%.3g, %.3g]", low, high);
  return text;
}

std::vector<FidelityCheck> check_bass_diffusion(const Scenario& scenario) {
  constexpr double p = 0.03, q = 0.38;
  Scenario s = quiet(with_regions(scenario, {0}));
  s.horizon = 80;
  s.regions[0].fixed.bass_p = p;
  s.regions[0].fixed.bass_q = q;
  s.regions[0].country.gdp_growth_pct = 0;  // nothing else acting: a fixed market,
  s.model.subsidiary.churn = 0;             // no churn,
  s.model.theta_distance = 0;               // a share that learning does not move,
  s.model.cross_country = 0;                // no other market
  Driver d(s, 1);
  d.order(0, ModeTarget::kSubsidiary, 0);
  double largest_gap = 0, best_rate = -1, peak_years = 0, adopted_at_peak = 0;
  for (int quarter = 0; quarter < s.horizon; ++quarter) {
    const double before = d.adopters(0);
    d.step();
    const double market = d.effective_market(0);
    const double share_before = before / market, share_after = d.adopters(0) / market;
    largest_gap = std::max(largest_gap, std::abs(share_after - bass_closed_form(p, q, (quarter + 1) / 4.0)));
    // Euler's step over [t, t + 1/4] adds at the rate of its start, t = quarter / 4.
    if (share_after - share_before > best_rate) {
      best_rate = share_after - share_before;
      peak_years = quarter / 4.0;
      adopted_at_peak = share_before;
    }
  }
  const double t_star = std::log(q / p) / (p + q), f_star = (1 - p / q) / 2;
  char published[160];
  std::snprintf(
      published, sizeof published,
      "%.2f years: t* = ln(q/p)/(p+q) with annual p = 0.03, q = 0.38 (Bass 1969; Sultan, Farley & Lehmann 1990)",
      t_star);
  FidelityCheck peak{"Bass: peak of adoption (years)", published, peak_years, t_star - 0.25, t_star + 0.25, ""};
  std::snprintf(published, sizeof published, "%.2f: F(t*) = (1 − p/q)/2 (Bass 1969)", f_star);
  FidelityCheck at_peak{
      "Bass: share adopted at the peak", published, adopted_at_peak, f_star - 0.03, f_star + 0.03, ""};
  FidelityCheck gap{"Bass: largest gap to the closed-form curve, quarterly steps (share of market)",
                    "0: the exact solution of the Bass equation",
                    largest_gap,
                    0.0,
                    0.02,
                    ""};
  return {peak, at_peak, gap};
}

FidelityCheck check_advertising_elasticity(const Scenario& scenario) {
  std::vector<double> elasticities;
  for (std::size_t r = 0; r < scenario.regions.size(); ++r) {
    Scenario s = quiet(with_regions(scenario, {r}));
    const double spend = s.model.marketing_levels[2];
    s.model.marketing_levels[3] = spend * kBump;  // level 3 becomes "level 2 plus 1 %"
    Driver d(s, 1);
    d.order(0, ModeTarget::kSubsidiary, 2);
    for (int quarter = 0; quarter < 8; ++quarter) d.step();
    const double base = new_adopters_next_quarter(d, 2), bumped = new_adopters_next_quarter(d, 3);
    if (base > 0 && bumped > 0) elasticities.push_back(std::log(bumped / base) / std::log(kBump));
  }
  char fact[160];
  std::snprintf(
      fact, sizeof fact,
      "Advertising: elasticity of new adopters to marketing spend (at US$ %gm a quarter, mean of %zu markets)",
      scenario.model.marketing_levels[2], elasticities.size());
  return {fact,
          "0.12 short-run, 0.24 long-run (Sethuraman, Tellis & Briesch 2011 meta-analysis)",
          elasticities.empty() ? NAN : mean_of(elasticities),
          0.05,
          0.30,
          ""};
}

FidelityCheck check_price_elasticity(const Scenario& scenario) {
  Scenario base = quiet(scenario);
  Scenario bumped = base;
  for (auto& p : bumped.products) {
    p.reference_price = p.reference_price > 0 ? p.reference_price : p.price;  // competitors keep their price
    p.price *= kBump;
  }
  auto shares_after_entry = [](const Scenario& s) {
    Driver d(s, 1);
    for (std::size_t r = 0; r < s.regions.size(); ++r) d.order(r, ModeTarget::kSubsidiary, 2);
    for (int quarter = 0; quarter < 8; ++quarter) d.step();
    std::vector<double> shares;
    for (std::size_t r = 0; r < s.regions.size(); ++r)
      for (std::size_t k = 0; k < s.products.size(); ++k) shares.push_back(d.env().attainable_share(r, k));
    return shares;
  };
  const std::vector<double> a = shares_after_entry(base), b = shares_after_entry(bumped);
  std::vector<double> elasticities;
  for (std::size_t i = 0; i < a.size(); ++i) elasticities.push_back(std::log(b[i] / a[i]) / std::log(kBump));
  return {"Price: elasticity of the attainable share to the company's price (mean over markets and products)",
          "−2.62 (Bijmolt, van Heerde & Pieters 2005 meta-analysis)",
          mean_of(elasticities),
          -4.0,
          -1.5,
          ""};
}

std::vector<FidelityCheck> check_gravity(const Scenario& scenario) {
  const std::size_t n = scenario.regions.size();
  const std::string gdp_fact = "Gravity: elasticity of a standard entry's revenue to GDP";
  const std::string distance_fact = "Gravity: elasticity of a standard entry's revenue to distance from home";
  const std::string gdp_source = "≈ 0.9, range 0.7–1.1 (Head & Mayer 2014 gravity meta-analysis)";
  const std::string distance_source = "≈ −0.9, range −1.5 to −0.5 (Head & Mayer 2014)";
  if (n < 10) {
    const std::string why = "needs at least 10 markets for a regression";
    return {{gdp_fact, gdp_source, NAN, 0.7, 1.1, why}, {distance_fact, distance_source, NAN, -1.5, -0.5, why}};
  }
  Eigen::MatrixXd X(static_cast<Eigen::Index>(n), 3);
  Eigen::VectorXd y(static_cast<Eigen::Index>(n));
  const CountryFeatures& home = scenario.company.home;
  for (std::size_t r = 0; r < n; ++r) {
    Driver d(quiet(with_regions(scenario, {r})), 1);
    d.order(0, ModeTarget::kSubsidiary, 1);  // the standard entry: same mode, spend and horizon everywhere
    double revenue = 0;
    for (int quarter = 0; quarter < scenario.horizon; ++quarter) {
      d.step();
      revenue += d.env().last_quarter().revenue;
    }
    const CountryFeatures& c = scenario.regions[r].country;
    const auto i = static_cast<Eigen::Index>(r);
    X(i, 0) = 1.0;
    X(i, 1) = std::log(c.gdp_usd);
    X(i, 2) = std::log(great_circle_km(home.lat, home.lng, c.lat, c.lng));
    y(i) = std::log(revenue);
  }
  const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(y);
  const std::string over = " (OLS of ln revenue on ln GDP and ln km over " + std::to_string(n) + " markets)";
  return {{gdp_fact + over, gdp_source, beta(1), 0.7, 1.1, ""},
          {distance_fact + over, distance_source, beta(2), -1.5, -0.5, ""}};
}

namespace {

constexpr int kUppsalaSeeds = 100;
constexpr int kUppsalaPilotQuarters = 4;

// NPVs of direct subsidiary entry and of "pilot first, then a subsidiary if the pilot does well,
// else exit", in each region of `group` alone, over worlds drawn from the prior (all the scenario's
// noise on). Common random numbers: both meet the same worlds (seeds), so the differences pair.
struct EntryOutcomes {
  std::vector<double> direct, staged;
};
EntryOutcomes direct_and_staged_entries(const Scenario& scenario, const std::vector<std::size_t>& group) {
  EntryOutcomes out;
  for (std::size_t r : group) {
    Scenario s = with_regions(scenario, {r});
    s.company.initial_cash = 1e9;
    // What a pilot earns in the median world: the yardstick of "does well".
    Driver median(quiet(s), 1);
    median.order(0, ModeTarget::kPilot, 1);
    for (int quarter = 0; quarter < kUppsalaPilotQuarters; ++quarter) median.step();
    const double yardstick = median.env().last_quarter().revenue;
    for (int seed = 0; seed < kUppsalaSeeds; ++seed) {
      for (bool staged : {false, true}) {
        Driver d(s, static_cast<std::uint64_t>(seed));
        d.order(0, staged ? ModeTarget::kPilot : ModeTarget::kSubsidiary, 1);
        KpiTracker kpi;
        kpi.begin(d.env());
        for (int quarter = 0; quarter < s.horizon; ++quarter) {
          if (staged && quarter == kUppsalaPilotQuarters)
            d.order(0, d.env().last_quarter().revenue >= 0.5 * yardstick ? ModeTarget::kSubsidiary : ModeTarget::kExit,
                    1);
          kpi.record(d.env(), d.step());
        }
        (staged ? out.staged : out.direct).push_back(kpi.finish(d.env()).npv);
      }
    }
  }
  return out;
}

// A group's mean paired gain of staging and its standard error (over all its worlds, regions
// pooled: an overstatement, as the regions are fixed strata), to show whether the worlds drawn are
// enough to tell the groups apart.
std::pair<double, double> staging_gain(const EntryOutcomes& o) {
  std::vector<double> g(o.direct.size());
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = o.staged[i] - o.direct[i];
  const Statistic s = summarise(g);
  return {s.mean, s.sd / std::sqrt(static_cast<double>(g.size()))};
}

}  // namespace

std::vector<FidelityCheck> check_uppsala(const Scenario& scenario) {
  if (scenario.regions.size() < 6) {
    const std::string why = "needs at least 6 markets (a closest and a most distant third)";
    return {{"Uppsala: pilot first minus direct subsidiary in distant markets, mean NPV (US$ m)", "> 0", NAN, 0.0,
             INFINITY, why},
            {"Uppsala: the same, CVaR 5 % of NPV (US$ m)", "> 0", NAN, 0.0, INFINITY, why},
            {"Uppsala: distant-market gain minus close-market gain", "> 0", NAN, 0.0, INFINITY, why}};
  }
  // Regions by CAGE distance from home: the closest and the most distant third.
  const MarketSpec spec(scenario);
  std::vector<std::size_t> order(spec.region_count());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return spec.region(a).distance < spec.region(b).distance; });
  const std::size_t third = std::max<std::size_t>(1, order.size() / 3);
  const std::vector<std::size_t> close(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(third));
  const std::vector<std::size_t> distant(order.end() - static_cast<std::ptrdiff_t>(third), order.end());

  // Common random numbers: both policies meet the same worlds (seeds), so the differences are paired.
  const EntryOutcomes far = direct_and_staged_entries(scenario, distant);
  const EntryOutcomes near = direct_and_staged_entries(scenario, close);
  const double far_cvar_gain = summarise(far.staged).cvar5 - summarise(far.direct).cvar5;
  const auto [far_gain, far_error] = staging_gain(far);
  const auto [near_gain, near_error] = staging_gain(near);
  const std::string source = "Johanson & Vahlne (1977, 2009); Anderson & Gatignon (1986)";
  char fact[260];
  std::snprintf(fact, sizeof fact,
                "Uppsala: pilot first (then a subsidiary if it does well) minus direct subsidiary, the %zu most "
                "distant markets, mean NPV (US$ m)",
                distant.size());
  FidelityCheck mean_gain{
      fact, "> 0: staged commitment pays where psychic distance is high (" + source + ")", far_gain, 0.0, INFINITY, ""};
  std::snprintf(fact, sizeof fact, "Uppsala: the same, CVaR 5 %% of NPV (US$ m)");
  FidelityCheck cvar_gain{
      fact, "> 0: smaller first commitments cut the downside (" + source + ")", far_cvar_gain, 0.0, INFINITY, ""};
  // Signed: where distance is low, committing at once is at least as good (Anderson & Gatignon's
  // high-control modes), so the gain of staging there may be negative — which supports the fact.
  std::snprintf(fact, sizeof fact,
                "Uppsala: the same gain in the %zu most distant markets minus that in the %zu closest (%.1f ± %.1f "
                "minus %.1f ± %.1f, standard errors over worlds)",
                distant.size(), close.size(), far_gain, far_error, near_gain, near_error);
  FidelityCheck close_vs_distant{fact,
                                 "> 0: staging pays more the greater the psychic distance (" + source + ")",
                                 far_gain - near_gain,
                                 0.0,
                                 INFINITY,
                                 ""};
  return {mean_gain, cvar_gain, close_vs_distant};
}

FidelityCheck check_cross_country_influence(const Scenario& scenario) {
  const std::string source =
      "> 1: adoption in a country speeds adoption in its neighbours (Putsis et al. 1997; Kumar & Krishnan 2002)";
  if (scenario.regions.size() < 3)
    return {"Cross-country: penetration with a near vs a far market entered first (ratio)",
            source,
            NAN,
            1.05,
            INFINITY,
            "needs at least 3 markets"};
  Scenario s = quiet(scenario);
  for (auto& r : s.regions) {  // equal diffusion everywhere: only the neighbours differ
    r.fixed.bass_p = s.model.bass_p;
    r.fixed.bass_q = s.model.bass_q;
  }
  const MarketSpec spec(s);
  // The target: the region with the closest neighbour; anchors: that neighbour and the farthest region.
  std::size_t target = 0, near = 0, far = 0;
  double closest = INFINITY;
  for (std::size_t a = 0; a < spec.region_count(); ++a)
    for (std::size_t b = 0; b < spec.region_count(); ++b)
      if (a != b && spec.pair_distance(a, b) < closest) {
        closest = spec.pair_distance(a, b);
        target = a;
        near = b;
      }
  for (std::size_t b = 0; b < spec.region_count(); ++b)
    if (b != target && spec.pair_distance(target, b) > spec.pair_distance(target, far)) far = b;
  auto penetration_after = [&](std::size_t anchor) {
    Driver d(s, 1);
    d.order(anchor, ModeTarget::kSubsidiary, 1);
    for (int quarter = 0; quarter < 20; ++quarter) {
      if (quarter == 12) d.order(target, ModeTarget::kPilot, 1);
      d.step();
    }
    return d.adopters(target) / d.effective_market(target);
  };
  const double ratio = penetration_after(near) / penetration_after(far);
  const auto& regions = s.regions;
  char fact[200];
  std::snprintf(
      fact, sizeof fact,
      "Cross-country: penetration of %s 8 quarters after entry, with %s (near) vs %s (far) entered first (ratio)",
      regions[target].country.id.c_str(), regions[near].country.id.c_str(), regions[far].country.id.c_str());
  return {fact, source, ratio, 1.05, INFINITY, ""};
}

std::vector<FidelityCheck> run_fidelity_checks(const Scenario& scenario) {
  std::vector<FidelityCheck> checks = check_bass_diffusion(scenario);
  checks.push_back(check_advertising_elasticity(scenario));
  checks.push_back(check_price_elasticity(scenario));
  for (auto& c : check_gravity(scenario)) checks.push_back(c);
  for (auto& c : check_uppsala(scenario)) checks.push_back(c);
  checks.push_back(check_cross_country_influence(scenario));
  return checks;
}

}  // namespace expanse
