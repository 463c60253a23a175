#include "env/market/market_spec.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

#include "common/portable_math.hpp"

namespace expanse {
namespace {

constexpr double kEarthRadiusKm = 6371.0;
constexpr double kHalfCircumferenceKm = M_PI * kEarthRadiusKm;

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool share_any(const std::vector<int>& a, const std::vector<int>& b) {
  for (int x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  return false;
}

struct Cage {
  double cultural, administrative, geographic, economic;
};

// Ghemawat's CAGE distance of `to` as seen from `from`, each component roughly in [0, 1].
Cage cage_distance(const CountryFeatures& from, const std::vector<int>& from_languages, const CountryFeatures& to,
                   const std::vector<int>& to_languages) {
  Cage d{};
  const bool same_subregion = from.subregion == to.subregion;
  d.cultural =
      std::clamp(1.0 - (share_any(from_languages, to_languages) ? 0.5 : 0.0) - (same_subregion ? 0.3 : 0.0), 0.0, 1.0);
  const bool same_bloc = from.rcep_member && to.rcep_member;
  const bool border = contains(from.borders, to.id) || contains(to.borders, from.id);
  d.administrative =
      0.5 * std::min(to.days_to_start_business / 40.0, 1.0) + (same_bloc ? 0.0 : 0.3) + (border ? 0.0 : 0.2);
  d.geographic = great_circle_km(from.lat, from.lng, to.lat, to.lng) / kHalfCircumferenceKm;
  d.economic = std::abs(std::log(to.gdp_per_capita_usd) - std::log(from.gdp_per_capita_usd)) / std::log(10.0);
  return d;
}

double weighted(const Cage& c, const ModelParams& m) {
  return m.cage_cultural * c.cultural + m.cage_administrative * c.administrative + m.cage_geographic * c.geographic +
         m.cage_economic * c.economic;
}

}  // namespace

double great_circle_km(double lat1, double lng1, double lat2, double lng2) {
  const double to_rad = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * to_rad, dlng = (lng2 - lng1) * to_rad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * to_rad) * std::cos(lat2 * to_rad) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::kNone: return "none";
    case Mode::kPilot: return "pilot";
    case Mode::kPartner: return "partner";
    case Mode::kSubsidiary: return "subsidiary";
  }
  return "?";
}

MarketSpec::MarketSpec(Scenario scenario) : scenario_(std::move(scenario)) {
  modes_ = {&none_mode_, &scenario_.model.pilot, &scenario_.model.partner, &scenario_.model.subsidiary};
  derive_regions();
  derive_products_and_growth();
  find_neighbours();
  index_partners_and_events();
  derive_step_constants();
}

// Each region's model from its country data: digital readiness, CAGE distance, costs, growth,
// currency, shocks, and its products' market potential.
void MarketSpec::derive_regions() {
  const ModelParams& m = scenario_.model;
  const std::size_t R = scenario_.regions.size(), K = scenario_.products.size();
  // Base languages ("zh-CN" → "zh"), interned so that pairwise distances compare integers.
  std::map<std::string, int> interned;
  auto intern_languages = [&](const CountryFeatures& c) {
    std::vector<int> ids;
    for (const auto& tag : c.languages) {
      std::string base = tag.substr(0, tag.find('-'));
      std::transform(base.begin(), base.end(), base.begin(), [](unsigned char ch) { return std::tolower(ch); });
      ids.push_back(interned.emplace(base, static_cast<int>(interned.size())).first->second);
    }
    return ids;
  };
  for (const auto& r : scenario_.regions) languages_.push_back(intern_languages(r.country));
  const std::vector<int> home_languages = intern_languages(scenario_.company.home);

  regions_.resize(R);
  potential_median_.resize(R * K);
  for (std::size_t r = 0; r < R; ++r) {
    const CountryFeatures& c = scenario_.regions[r].country;
    const RegionOverrides& fixed = scenario_.regions[r].fixed;
    RegionModel& rm = regions_[r];
    rm.digital = std::clamp(
        std::sqrt(c.broadband_per100 / 35.0) * std::sqrt(std::log10(1 + c.secure_servers_per_million) / 4.0), 0.1, 2.0);
    const Cage cage = cage_distance(scenario_.company.home, home_languages, c, languages_[r]);
    rm.cultural = cage.cultural;
    rm.administrative = cage.administrative;
    rm.geographic = cage.geographic;
    rm.economic = cage.economic;
    rm.distance = weighted(cage, m);
    const CountryFeatures& home = scenario_.company.home;
    rm.distance_km = great_circle_km(home.lat, home.lng, c.lat, c.lng);
    rm.geographic_friction = m.beta_geography * std::log1p(rm.distance_km / 1000.0);
    rm.cost_level = std::clamp(std::pow(c.gdp_per_capita_usd / 40000.0, 0.4), 0.3, 1.5);
    rm.growth_factor = std::pow(1 + c.gdp_growth_pct / 100.0, 0.25);
    rm.fx_sigma = m.fx ? c.fx_volatility / 2.0 : 0.0;  // annual σ → quarterly: σ/√4
    rm.fx_drift = m.fx ? fixed.fx_drift / 4.0 : 0.0;
    // Institutions: slow business registration and high inflation raise the hazard of a
    // regulatory shock (documented default; a scenario may fix it per region).
    rm.shock_hazard = fixed.shock_hazard.value_or(m.shock_hazard * (1 + rm.administrative) *
                                                  (1 + std::min(std::max(c.inflation_pct, 0.0) / 10.0, 2.0)));
    rm.shock_severity = fixed.shock_severity.value_or(m.shock_severity);
    rm.subsidiary_setup = m.subsidiary.setup * (1 + rm.administrative + rm.geographic);
    for (std::size_t k = 0; k < K; ++k) {
      const double potential =
          scenario_.products[k].market_scale * std::pow(c.gdp_usd / 1e9, m.gdp_elasticity) * rm.digital;
      potential_median_[r * K + k] = potential;
      rm.potential_total += potential;
    }
  }
}

void MarketSpec::derive_products_and_growth() {
  const ModelParams& m = scenario_.model;
  const std::size_t R = scenario_.regions.size(), K = scenario_.products.size();
  product_attraction_.resize(K);
  for (std::size_t k = 0; k < K; ++k) {
    const ProductSpec& p = scenario_.products[k];
    product_attraction_[k] =
        std::exp(m.beta_quality * p.quality - m.beta_price * std::log(p.price / p.reference_price));
  }
  for (std::size_t i = 0; i < 4; ++i) ln1p_marketing_[i] = std::log1p(m.marketing_levels[i]);
  growth_stride_ = static_cast<std::size_t>(std::max(scenario_.horizon, 0)) + 1;
  growth_power_.resize(R * growth_stride_);
  for (std::size_t r = 0; r < R; ++r) {
    double power = 1;
    for (std::size_t t = 0; t < growth_stride_; ++t, power *= regions_[r].growth_factor)
      growth_power_[r * growth_stride_ + t] = power;
  }
}

void MarketSpec::find_neighbours() {
  const ModelParams& m = scenario_.model;
  const std::size_t R = scenario_.regions.size();
  // Cross-country influence decays as exp(−κ·D): only the nearest regions matter, so each region
  // keeps its `neighbours` closest, which keeps a step linear in regions × products.
  neighbours_per_region_ = std::min<std::size_t>(static_cast<std::size_t>(m.neighbours), R > 0 ? R - 1 : 0);
  if (m.cross_country <= 0) neighbours_per_region_ = 0;
  neighbour_index_.assign(R * neighbours_per_region_, 0);
  neighbour_weight_.assign(R * neighbours_per_region_, 0.0);
  std::vector<std::pair<double, std::int32_t>> candidates;
  for (std::size_t r = 0; r < R && neighbours_per_region_ > 0; ++r) {
    candidates.clear();
    for (std::size_t o = 0; o < R; ++o)
      if (o != r) candidates.emplace_back(pair_distance(r, o), static_cast<std::int32_t>(o));
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(neighbours_per_region_),
                      candidates.end());
    for (std::size_t n = 0; n < neighbours_per_region_; ++n) {
      neighbour_index_[r * neighbours_per_region_ + n] = candidates[n].second;
      neighbour_weight_[r * neighbours_per_region_ + n] =
          m.cross_country * std::exp(-m.distance_decay * candidates[n].first);
    }
  }
  listener_begin_.assign(R + 1, 0);
  for (std::int32_t n : neighbour_index_) ++listener_begin_[static_cast<std::size_t>(n) + 1];
  for (std::size_t n = 0; n < R; ++n) listener_begin_[n + 1] += listener_begin_[n];
  listeners_.resize(neighbour_index_.size());
  std::vector<std::size_t> filled(listener_begin_.begin(), listener_begin_.end() - 1);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t slot = 0; slot < neighbours_per_region_; ++slot) {
      const auto n = static_cast<std::size_t>(neighbour_index_[r * neighbours_per_region_ + slot]);
      listeners_[filled[n]++] = {static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(slot)};
    }
}

void MarketSpec::index_partners_and_events() {
  const std::size_t R = scenario_.regions.size();
  std::map<std::string, std::size_t> region_index;
  for (std::size_t r = 0; r < R; ++r) region_index.emplace(scenario_.regions[r].country.id, r);
  partners_in_.resize(R);
  for (std::size_t j = 0; j < scenario_.partners.size(); ++j) {
    const std::size_t r = region_index.at(scenario_.partners[j].region);
    partner_region_.push_back(r);
    partners_in_[r].push_back(j);
  }

  // Scripted events by quarter. The loader reports bad references in files; a scenario built in code
  // (a subset of the regions, say) must drop the events it no longer has the ids for.
  std::map<std::string, std::size_t> partner_index;
  for (std::size_t j = 0; j < scenario_.partners.size(); ++j) partner_index.emplace(scenario_.partners[j].id, j);
  const auto index_of = [](const std::map<std::string, std::size_t>& index, const std::string& id, const char* what) {
    const auto it = index.find(id);
    if (it == index.end())
      throw std::invalid_argument(std::string("MarketSpec: a scripted event names ") + what + " \"" + id +
                                  "\", which the scenario does not have");
    return it->second;
  };
  for (const ScriptedEvent& e : scenario_.events) {
    if (e.kind == ScriptedKind::kPartnerFailure) {
      if (scripted_failure_.empty()) scripted_failure_.assign(scenario_.partners.size(), kNever);
      int& quarter = scripted_failure_[index_of(partner_index, e.partner, "partner")];
      quarter = std::min(quarter, e.quarter);
      continue;
    }
    ScriptedChange change{e.quarter, e.kind, static_cast<std::uint32_t>(index_of(region_index, e.region, "region")),
                          0, 0.0};
    if (e.kind == ScriptedKind::kShock) change.quarters = e.quarters > 0 ? e.quarters : scenario_.model.shock_duration;
    if (e.kind == ScriptedKind::kDevaluation) change.log_fx_change = std::log1p(-e.percent / 100.0);
    scripted_changes_.push_back(change);
  }
  std::stable_sort(scripted_changes_.begin(), scripted_changes_.end(),
                   [](const ScriptedChange& a, const ScriptedChange& b) { return a.quarter < b.quarter; });
}

void MarketSpec::derive_step_constants() {
  const std::size_t K = scenario_.products.size();
  for (const RegionModel& rm : regions_) shock_log_keep_.push_back(portable_log(1 - rm.shock_hazard));
  revenue_kept_.push_back(1.0);
  for (const PartnerSpec& partner : scenario_.partners) {
    failure_log_keep_.push_back(portable_log(1 - partner.failure_rate));
    revenue_kept_.push_back(1 - partner.fee);
  }
  for (std::size_t m = 0; m < kModeCount; ++m) learning_rate_[m] = mode(static_cast<Mode>(m)).learning;
  learning_rate_[kModeCount] = scenario_.model.research_learning;
  for (std::size_t m = 0; m < kModeCount; ++m)
    mode_reach_.insert(mode_reach_.end(), K, mode(static_cast<Mode>(m)).reach);
}

double MarketSpec::pair_distance(std::size_t a, std::size_t b) const {
  const auto& ca = scenario_.regions[a].country;
  const auto& cb = scenario_.regions[b].country;
  return weighted(cage_distance(ca, languages_[a], cb, languages_[b]), scenario_.model);
}

double MarketSpec::setup_cost(Mode m, std::size_t r) const {
  return m == Mode::kSubsidiary ? regions_[r].subsidiary_setup : mode(m).setup;
}

double MarketSpec::exit_cost(Mode m, std::size_t r) const {
  return scenario_.model.exit_cost_fraction * setup_cost(m, r);
}

}  // namespace expanse
