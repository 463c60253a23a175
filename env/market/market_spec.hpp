#pragma once
// Everything the market model derives once from a scenario (docs/model.md, "What is derived from the country data"): market potential from
// the gravity model, CAGE distances, cost levels, risk rates, cross-country neighbours, and the
// action layout. Immutable and shared by every env built from the same scenario.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "env/market/scenario.hpp"

namespace expanse {

enum class Mode : std::uint8_t { kNone = 0, kPilot = 1, kPartner = 2, kSubsidiary = 3 };
constexpr std::size_t kModeCount = 4;
const char* to_string(Mode mode);

// Great-circle distance between two centroids (haversine on a sphere of radius 6,371 km).
double great_circle_km(double lat1, double lng1, double lat2, double lng2);

struct RegionModel {
  double digital = 1;  // digital readiness: broadband and secure servers (1 ≈ Japan)
  double cultural = 0, administrative = 0, geographic = 0, economic = 0;
  double distance = 0;     // D_r: the CAGE components weighted by the scenario
  double distance_km = 0;  // great-circle km from home
  // β_G·ln(1 + km/1000): the part of distance that knowledge does not remove (gravity's distance decay).
  double geographic_friction = 0;
  double cost_level = 1;              // local cost level for fixed costs (GDP per capita relative to 40k US$)
  double growth_factor = 1;           // market growth per quarter, 1 + g_q
  double fx_sigma = 0, fx_drift = 0;  // per quarter, log FX rate
  double shock_hazard = 0, shock_severity = 0;
  double subsidiary_setup = 0;  // US$ m: the base setup × (1 + administrative + geographic)
  double potential_total = 0;   // Σ_k market potential at the prior median, thousand customers
};

class MarketSpec {
 public:
  explicit MarketSpec(Scenario scenario);

  const Scenario& scenario() const { return scenario_; }
  const ModelParams& model() const { return scenario_.model; }
  std::size_t region_count() const { return regions_.size(); }
  std::size_t product_count() const { return scenario_.products.size(); }
  std::size_t partner_count() const { return scenario_.partners.size(); }

  const RegionModel& region(std::size_t r) const { return regions_[r]; }
  // m_{r,k} at the prior median of the potential multiplier (thousand customers).
  double potential_median(std::size_t r, std::size_t k) const { return potential_median_[r * product_count() + k]; }
  // exp(β_Q·Q_k − β_P·ln(P_k / P_ref,k)): the product's part of the company's attraction.
  double product_attraction(std::size_t k) const { return product_attraction_[k]; }
  const double* product_attractions() const { return product_attraction_.data(); }
  const ModeParams& mode(Mode m) const { return *modes_[static_cast<std::size_t>(m)]; }
  double exit_cost(Mode m, std::size_t r) const;
  double setup_cost(Mode m, std::size_t r) const;

  // Cross-country influence: region r hears from neighbours [begin, end) with weights δ_{rr'}.
  std::size_t neighbours_per_region() const { return neighbours_per_region_; }
  const std::int32_t* neighbour_index(std::size_t r) const { return neighbour_index_.data() + r * neighbours_per_region_; }
  const double* neighbour_weight(std::size_t r) const { return neighbour_weight_.data() + r * neighbours_per_region_; }
  double pair_distance(std::size_t a, std::size_t b) const;  // D between two foreign regions
  // The other way round: the regions that hear region n, each with the slot n holds among their
  // neighbours.
  struct Listener {
    std::uint32_t region, slot;
  };
  std::span<const Listener> listeners(std::size_t n) const {
    return std::span<const Listener>(listeners_).subspan(listener_begin_[n], listener_begin_[n + 1] - listener_begin_[n]);
  }

  std::size_t partner_region(std::size_t j) const { return partner_region_[j]; }
  const std::vector<std::size_t>& partners_in(std::size_t r) const { return partners_in_[r]; }
  double ln1p_marketing(int level) const { return ln1p_marketing_[static_cast<std::size_t>(level)]; }
  // What the step reads every quarter, fixed for an env's life (derive_step_constants()):
  double shock_log_keep(std::size_t r) const { return shock_log_keep_[r]; }      // ln(1 − shock hazard)
  double failure_log_keep(std::size_t j) const { return failure_log_keep_[j]; }  // ln(1 − failure rate)
  const double* mode_reach(Mode m) const {
    return &mode_reach_[static_cast<std::size_t>(m) * scenario_.products.size()];
  }  // K: the mode's reach per product
  // Per mode, then research's (index kModeCount) (docs/model.md, "One quarter").
  double learning_rate(std::size_t mode_or_research) const { return learning_rate_[mode_or_research]; }
  double revenue_kept(std::int32_t partner) const {
    return revenue_kept_[static_cast<std::size_t>(partner + 1)];
  }  // -1: no partner
  // Region r's market growth from the start to quarter t: growth_factor^t, t capped at the horizon
  // (a table of products, so that every env of the scenario shares it).
  double growth_power(std::size_t r, int t) const {
    return growth_power_[r * growth_stride_ + static_cast<std::size_t>(std::min(t, scenario_.horizon))];
  }

  // The scenario's scripted events (scenario.hpp). Shocks and devaluations, ordered by quarter:
  struct ScriptedChange {
    int quarter;
    ScriptedKind kind;  // kShock or kDevaluation
    std::uint32_t region;
    int quarters;          // shock: how long it lasts
    double log_fx_change;  // devaluation: ln(1 − percent/100)
  };
  std::span<const ScriptedChange> scripted_changes() const { return scripted_changes_; }
  // Partner failures: the earliest quarter partner j is scripted to fail in (kNever if none).
  static constexpr int kNever = std::numeric_limits<std::int32_t>::max();
  bool has_scripted_failures() const { return !scripted_failure_.empty(); }
  int scripted_failure(std::size_t j) const { return scripted_failure_[j]; }

 private:
  // The constructor's steps, in this order.
  void derive_regions();
  void derive_products_and_growth();
  void find_neighbours();
  void index_partners_and_events();
  void derive_step_constants();

  Scenario scenario_;
  std::vector<RegionModel> regions_;
  std::vector<double> potential_median_;
  std::vector<double> product_attraction_;
  std::array<const ModeParams*, kModeCount> modes_{};
  ModeParams none_mode_{};
  std::size_t neighbours_per_region_ = 0;
  std::vector<std::int32_t> neighbour_index_;
  std::vector<double> neighbour_weight_;
  std::vector<Listener> listeners_;         // by the region heard
  std::vector<std::size_t> listener_begin_;  // R + 1: region n's listeners start at listener_begin_[n]
  std::vector<std::size_t> partner_region_;
  std::vector<std::vector<std::size_t>> partners_in_;
  std::array<double, 4> ln1p_marketing_{};
  std::vector<double> shock_log_keep_, failure_log_keep_;  // R, P
  std::vector<double> mode_reach_;                         // modes × K
  std::array<double, kModeCount + 1> learning_rate_{};
  std::vector<double> revenue_kept_;  // 1 + P, by partner + 1
  std::size_t growth_stride_ = 0;     // horizon + 1
  std::vector<double> growth_power_;  // R × (horizon + 1)
  std::vector<std::vector<int>> languages_;  // interned base languages per region, home last
  std::vector<ScriptedChange> scripted_changes_;
  std::vector<int> scripted_failure_;  // per partner; empty when no failure is scripted
};

}  // namespace expanse
