#pragma once
// Key performance indicators of an episode and their summary across episodes (docs/model.md, "KPIs of an episode").
#include <array>
#include <string>
#include <vector>

#include "env/market/market_env.hpp"

namespace expanse {

struct EpisodeKpis {
  double discounted_return = 0;  // Σ γ^t reward_t
  double npv = 0;                // Σ γ^t profit_t, US$ m
  double revenue = 0;            // cumulative, US$ m
  double profit = 0;             // cumulative, US$ m
  double lowest_cash = 0;        // peak cash burn: the lowest cash balance reached
  int payback_quarter = 0;       // first quarter cumulative profit is back at ≥ 0 (0: never below; -1: never back)
  std::array<int, kModeCount> regions_by_mode{};  // regions that were ever in each mode (index = Mode)
  double market_share = 0;                        // adopters / potential over all region-products at the end
  bool bankrupt = false;
  double invalid_action_rate = 0;
  int quarters = 0;
};

// Feed it every step of one episode.
class KpiTracker {
 public:
  void begin(const MarketEnv& env);
  void record(const MarketEnv& env, const StepResult& result);
  EpisodeKpis finish(const MarketEnv& env);

 private:
  EpisodeKpis k_;
  double discount_ = 1;
  double gamma_ = 1;
  bool was_negative_ = false;
  int invalid_ = 0;
};

struct Statistic {
  double mean = 0, sd = 0, min = 0, max = 0;
  double cvar5 = 0;  // mean of the worst 5 % (at least one value)
};
Statistic summarise(std::vector<double> values);

// A printable table of the across-episode summary.
std::string format_kpi_summary(const std::vector<EpisodeKpis>& episodes);

}  // namespace expanse
