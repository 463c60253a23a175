#pragma once
// A scenario as loaded from YAML: the company, its products, the foreign regions with their
// country features, partners and the model's calibration. Plain data; every number has a
// documented default (docs/scenarios.md) and lives here once.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace expanse {

// Where a value came from in its file, for located errors raised after parsing.
struct SourceMark {
  int line = 0;    // 1-based; 0 when the value did not come from a file (generated)
  int column = 0;  // 1-based
};

struct CountryFeatures {
  std::string id;  // ISO 3166-1 alpha-3
  std::string name;
  std::string subregion;
  std::vector<std::string> languages;  // IETF tags, e.g. "zh-CN", "en"
  std::vector<std::string> borders;    // ISO3 of neighbouring countries
  bool rcep_member = false;
  double lat = 0, lng = 0;
  double gdp_usd = 0;
  double gdp_per_capita_usd = 0;
  double population = 0;
  double gdp_growth_pct = 2.5;
  double broadband_per100 = 20;
  double secure_servers_per_million = 1000;
  double days_to_start_business = 10;
  double inflation_pct = 3;
  double fx_volatility = 0.05;  // annual std of log FX changes (0 for USD-pegged currencies)
};

// Quantities a scenario may fix for a region. Unset ones are drawn from the prior at reset.
struct RegionOverrides {
  std::optional<double> potential_multiplier;  // × the gravity-model market potential
  std::optional<double> bass_p;                // annual
  std::optional<double> bass_q;                // annual
  std::optional<double> incumbent_attraction;
  std::optional<double> shock_hazard;    // per quarter
  std::optional<double> shock_severity;  // share of market access lost while a shock lasts
  double fx_drift = 0.0;                 // annual drift of the log FX rate (currency crisis)
};

struct RegionSpec {
  CountryFeatures country;
  RegionOverrides fixed;
  SourceMark mark;
};

struct ProductSpec {
  std::string id;
  std::string name;
  double price = 20;            // k$ per customer-quarter
  double reference_price = 0;   // competitors' price, k$; 0 = same as price
  double unit_cost = 6;         // k$ per customer-quarter
  double quality = 0.7;         // [0,1]
  double market_scale = 0.003;  // s_k: thousand customers per (GDP in US$ bn)^α
};

enum class PartnerKind { kReseller, kIntegrator, kCloudMarketplace };
const char* to_string(PartnerKind kind);

struct PartnerSpec {
  std::string id;
  std::string region;  // region id
  PartnerKind kind = PartnerKind::kReseller;
  double fee = 0.25;                  // revenue share kept by the partner
  double failure_rate = 0.01;         // per quarter
  std::vector<double> effectiveness;  // prior mean per product, in [0,1]
  bool synthetic = false;
  SourceMark mark;
};

// An event the scenario schedules, on top of the random shocks, failures and currency moves: what a
// stress test replays (a crackdown, a partner's collapse, a devaluation) at a known quarter.
enum class ScriptedKind { kShock, kPartnerFailure, kDevaluation };
const char* to_string(ScriptedKind kind);

struct ScriptedEvent {
  int quarter = 0;  // 0 = the episode's first quarter
  ScriptedKind kind = ScriptedKind::kShock;
  std::string region;   // shock, devaluation: a region id
  std::string partner;  // partner_failure: a partner id
  int quarters = 0;     // shock: how long it lasts; 0 = the model's shock_duration
  double percent = 0;   // devaluation: how much the local currency loses against the US$, in %
  SourceMark mark;
};

struct ModeParams {
  double setup = 0;     // US$ m, once
  double fixed = 0;     // US$ m per quarter, × local cost level
  double reach = 0;     // share of the market the mode can serve
  double learning = 0;  // knowledge gain λ per quarter
  double churn = 0;     // share of adopters lost per quarter
  double utility = 0;   // β_mode in the attraction model
};

// Calibration of the market model (docs/model.md): defaults are the documented central values.
struct ModelParams {
  double gdp_elasticity = 0.9;  // α
  double cage_cultural = 0.3, cage_administrative = 0.2, cage_geographic = 0.3, cage_economic = 0.2;
  double bass_p = 0.03, bass_q = 0.38;  // annual central values (Sultan–Farley–Lehmann 1990)
  double beta_quality = 2.0, beta_price = 2.6, beta_marketing = 0.2, theta_distance = 2.0, beta_partner = 1.0;
  double beta_geography = 1.0;  // persistent friction of physical distance: attraction ∝ (1 + km/1000)^−β
  double incumbent_attraction = 6.0, outside_attraction = 1.0;
  double advertising = 0.2;     // β_adv in x = 1 + β_adv·ln(1+spend)
  double cross_country = 0.02;  // δ_0 per quarter
  double distance_decay = 3.0;  // κ
  int neighbours = 8;           // cross-country influence from the nearest regions only
  ModeParams pilot{2.0, 0.4, 0.15, 0.15, 0.05, -0.5};
  ModeParams partner{2.5, 0.3, 0.6, 0.10, 0.03, 0.0};
  ModeParams subsidiary{20.0, 4.0, 1.0, 0.20, 0.02, 0.5};
  double research_cost = 0.5, research_learning = 0.25;
  double exit_cost_fraction = 0.25;                            // × the current mode's setup cost
  std::array<double, 4> marketing_levels{0.0, 0.5, 1.5, 4.0};  // US$ m per quarter
  double shock_hazard = 0.01, shock_severity = 0.5;
  int shock_duration = 4;
  bool fx = true;
  double demand_noise = 0.10;       // σ of the lognormal demand shock
  double observation_noise = 0.30;  // σ of survey error at zero knowledge
  double prior_spread = 1.0;        // × every prior's spread (0: the world is known)
  double reward_scale = 10.0;
  double loss_penalty = 0.0;             // extra weight on losses in the reward (risk aversion)
  double terminal_value_quarters = 0.0;  // quarters of final operating profit added at truncation
  bool shaping = false;  // potential-based shaping γΦ(s') − Φ(s), Φ = the prior's value of the footprint
};

struct CompanySpec {
  std::string name = "Company";
  CountryFeatures home;
  double initial_cash = 200;
  double credit_line = 50;
  double overhead = 1.0;  // US$ m per quarter of international head office
  double bankruptcy_penalty = 100;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source;  // file it was loaded from ("<embedded>" for the built-in default)
  int horizon = 40;
  double discount = 0.99;
  std::uint64_t seed = 1;  // for synthetic partners and generated regions (not episodes)
  std::string priors;      // a priors file (`expanse fit`), resolved against the scenario's folder; "" = default
  CompanySpec company;
  std::vector<ProductSpec> products;
  std::vector<RegionSpec> regions;
  std::vector<PartnerSpec> partners;
  std::vector<ScriptedEvent> events;
  ModelParams model;
};

}  // namespace expanse
