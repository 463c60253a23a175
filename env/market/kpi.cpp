#include "env/market/kpi.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace expanse {

void KpiTracker::begin(const MarketEnv& env) {
  k_ = EpisodeKpis{};
  k_.lowest_cash = env.cash();
  discount_ = 1;
  gamma_ = env.spec().scenario().discount;
  was_negative_ = false;
  invalid_ = 0;
}

void KpiTracker::record(const MarketEnv& env, const StepResult& result) {
  const QuarterReport& q = env.last_quarter();
  k_.discounted_return += discount_ * (result.reward - result.shaping);  // the true return
  k_.npv += discount_ * q.profit;
  discount_ *= gamma_;
  k_.revenue += q.revenue;
  k_.profit += q.profit;
  k_.lowest_cash = std::min(k_.lowest_cash, q.cash);
  ++k_.quarters;
  invalid_ += result.invalid_action;
  if (k_.profit < 0) {
    was_negative_ = true;
    k_.payback_quarter = -1;
  } else if (was_negative_ && k_.payback_quarter == -1) {
    k_.payback_quarter = k_.quarters;
  }
  k_.bankrupt = k_.bankrupt || (result.events & kEventBankruptcy);
}

EpisodeKpis KpiTracker::finish(const MarketEnv& env) {
  const MarketSpec& spec = env.spec();
  double adopters = 0, potential = 0;
  for (std::size_t r = 0; r < spec.region_count(); ++r) {
    for (std::size_t m = 1; m < kModeCount; ++m) k_.regions_by_mode[m] += (env.modes_used(r) >> m) & 1u;
    for (std::size_t k = 0; k < spec.product_count(); ++k) {
      adopters += env.adopters(r, k);
      potential += env.potential(r, k);
    }
  }
  k_.market_share = potential > 0 ? adopters / potential : 0.0;
  k_.invalid_action_rate = k_.quarters > 0 ? static_cast<double>(invalid_) / k_.quarters : 0.0;
  return k_;
}

Statistic summarise(std::vector<double> values) {
  Statistic s;
  if (values.empty()) return s;
  const double n = static_cast<double>(values.size());
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double ss = 0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = values.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  std::sort(values.begin(), values.end());
  s.min = values.front();
  s.max = values.back();
  const std::size_t tail = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(0.05 * n)));
  s.cvar5 = std::accumulate(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(tail), 0.0) /
            static_cast<double>(tail);
  return s;
}

std::string format_kpi_summary(const std::vector<EpisodeKpis>& episodes) {
  auto column = [&](auto get) {
    std::vector<double> v;
    for (const auto& e : episodes) v.push_back(static_cast<double>(get(e)));
    return summarise(v);
  };
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%-28s %12s %12s %12s %12s %12s\n", "KPI (per episode)", "mean", "sd", "min", "max",
                "CVaR 5%");
  out += line;
  auto row = [&](const char* name, const Statistic& s) {
    std::snprintf(line, sizeof line, "%-28s %12.3f %12.3f %12.3f %12.3f %12.3f\n", name, s.mean, s.sd, s.min, s.max,
                  s.cvar5);
    out += line;
  };
  row("return (discounted)", column([](const EpisodeKpis& e) { return e.discounted_return; }));
  row("NPV (US$ m)", column([](const EpisodeKpis& e) { return e.npv; }));
  row("revenue (US$ m)", column([](const EpisodeKpis& e) { return e.revenue; }));
  row("profit (US$ m)", column([](const EpisodeKpis& e) { return e.profit; }));
  row("lowest cash (US$ m)", column([](const EpisodeKpis& e) { return e.lowest_cash; }));
  row("market share at end", column([](const EpisodeKpis& e) { return e.market_share; }));
  row("regions piloted", column([](const EpisodeKpis& e) { return e.regions_by_mode[1]; }));
  row("regions via partner", column([](const EpisodeKpis& e) { return e.regions_by_mode[2]; }));
  row("regions with subsidiary", column([](const EpisodeKpis& e) { return e.regions_by_mode[3]; }));
  row("quarters", column([](const EpisodeKpis& e) { return e.quarters; }));
  row("invalid-action rate", column([](const EpisodeKpis& e) { return e.invalid_action_rate; }));
  const auto bankrupt =
      std::count_if(episodes.begin(), episodes.end(), [](const EpisodeKpis& e) { return e.bankrupt; });
  std::vector<int> paybacks;
  for (const auto& e : episodes)
    if (e.payback_quarter > 0) paybacks.push_back(e.payback_quarter);
  std::snprintf(line, sizeof line, "bankruptcy rate: %.3f (%ld of %zu episodes)\n",
                episodes.empty() ? 0.0 : static_cast<double>(bankrupt) / static_cast<double>(episodes.size()),
                static_cast<long>(bankrupt), episodes.size());
  out += line;
  if (paybacks.empty()) {
    out += "payback quarter: none of the episodes that lost money earned it back\n";
  } else {
    std::sort(paybacks.begin(), paybacks.end());
    std::snprintf(line, sizeof line, "payback quarter (median of %zu episodes that paid back): %d\n", paybacks.size(),
                  paybacks[paybacks.size() / 2]);
    out += line;
  }
  return out;
}

}  // namespace expanse
