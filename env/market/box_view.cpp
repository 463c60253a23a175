// The Box view: a commitment and a marketing value per region (market_views::BoxView,
// action_views.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "env/market/action_views.hpp"
#include "env/market/market_operations.hpp"

namespace expanse::market_views {

Space BoxView::space(const MarketSpec& spec) {
  const std::size_t n = 2 * spec.region_count();
  return Box{std::vector<float>(n, -1.f), std::vector<float>(n, 1.f)};
}

void BoxView::outputs(const MarketSpec& spec, EntityLayout& layout) {
  layout.entity_outputs = 2;
  for (std::size_t r = 0; r < spec.region_count(); ++r)
    for (int c = 0; c < 2; ++c) layout.add_output(r, c);
}

// An action with a NaN does nothing and is invalid; any other is valid (values are clamped).
bool BoxView::apply(MarketEnv& env, const Action& action) {
  if (action.values.size() != 2 * env.R_) return false;
  for (float v : action.values)
    if (std::isnan(v)) return false;
  // Thresholds on the commitment value (docs/model.md): a target at or below the current
  // commitment keeps it; exits need a clearly negative value.
  for (std::size_t r = 0; r < env.R_; ++r) {
    const double v = std::clamp(static_cast<double>(action.values[2 * r]), -1.0, 1.0);
    const double w = std::clamp(static_cast<double>(action.values[2 * r + 1]), -1.0, 1.0);
    if (v < -0.5)
      env.exit_region(r);
    else if (v < 0.0) {
    } else if (v < 0.25)
      env.research(r);
    else if (v < 0.5)
      env.enter(r, Mode::kPilot, -1);
    else if (v < 0.75)
      env.enter(r, Mode::kPartner, env.best_available_partner(r));
    else
      env.enter(r, Mode::kSubsidiary, -1);
    if (env.mode_[r] != Mode::kNone) env.set_marketing(r, std::min(3, static_cast<int>((w + 1.0) / 2.0 * 4.0)));
  }
  return true;
}

std::string BoxView::describe(const MarketEnv& env, const Action& action) {
  const auto& regions = env.spec().scenario().regions;
  std::string out;
  for (std::size_t r = 0; r < env.R_ && 2 * r + 1 < action.values.size(); ++r) {
    if (!out.empty()) out += ' ';
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.2f/%.2f", action.values[2 * r], action.values[2 * r + 1]);
    out += regions[r].country.id + ":" + buf;
  }
  return out;
}

}  // namespace expanse::market_views
