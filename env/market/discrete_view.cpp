// The Discrete view: one action a step (market_views::DiscreteView, action_views.hpp).
#include <algorithm>

#include "env/market/action_views.hpp"
#include "env/market/market_operations.hpp"

namespace expanse::market_views {

Space DiscreteView::space(const MarketSpec& spec) {
  return Discrete{static_cast<std::int32_t>(1 + kRegionOpCount * spec.region_count() + spec.partner_count())};
}

// Hold is the one global output; a region has its six operations and its partners, by their order
// in the region, the later ones sharing the last of kPartnerSlots.
void DiscreteView::outputs(const MarketSpec& spec, EntityLayout& layout) {
  layout.entity_outputs = kRegionOpCount + MarketEnv::kPartnerSlots;
  layout.global_outputs = 1;
  layout.add_global_output(0);  // hold
  for (std::size_t r = 0; r < spec.region_count(); ++r)
    for (int op = 0; op < kRegionOpCount; ++op) layout.add_output(r, op);
  for (std::size_t j = 0; j < spec.partner_count(); ++j) {
    const std::size_t r = spec.partner_region(j);
    const auto& in_region = spec.partners_in(r);
    const auto rank = static_cast<int>(std::find(in_region.begin(), in_region.end(), j) - in_region.begin());
    layout.add_output(r, kRegionOpCount + std::min(rank, MarketEnv::kPartnerSlots - 1));
  }
}

bool DiscreteView::apply(MarketEnv& env, const Action& action) {
  if (action.indices.size() != 1) return false;
  const std::int32_t a = action.indices[0];
  if (!env.discrete_valid(a)) return false;
  if (a == 0) return true;
  const std::int32_t region_actions = static_cast<std::int32_t>(kRegionOpCount * env.R_);
  if (a > region_actions) {
    const std::size_t j = static_cast<std::size_t>(a - 1 - region_actions);
    return env.enter(env.spec_->partner_region(j), Mode::kPartner, static_cast<int>(j));
  }
  const std::size_t r = static_cast<std::size_t>((a - 1) / kRegionOpCount);
  switch (static_cast<RegionOp>((a - 1) % kRegionOpCount)) {
    case RegionOp::kResearch: return env.research(r);
    case RegionOp::kPilot: return env.enter(r, Mode::kPilot, -1);
    case RegionOp::kSubsidiary: return env.enter(r, Mode::kSubsidiary, -1);
    case RegionOp::kExit: return env.exit_region(r);
    case RegionOp::kMarketingUp: return env.set_marketing(r, env.marketing_[r] + 1);
    case RegionOp::kMarketingDown: return env.set_marketing(r, env.marketing_[r] - 1);
  }
  return false;
}

std::string DiscreteView::describe(const MarketEnv& env, const Action& action) {
  if (action.indices.size() != 1) return "malformed";
  const Scenario& scenario = env.spec().scenario();
  const std::int32_t a = action.indices[0];
  const std::int32_t region_actions = static_cast<std::int32_t>(kRegionOpCount * env.R_);
  if (a == 0) return "hold";
  if (a < 0 || a >= std::get<Discrete>(env.action_space()).n) return "out_of_range(" + std::to_string(a) + ")";
  if (a > region_actions) return "sign:" + scenario.partners[static_cast<std::size_t>(a - 1 - region_actions)].id;
  static const char* ops[] = {"research", "pilot", "subsidiary", "exit", "marketing_up", "marketing_down"};
  return std::string(ops[(a - 1) % kRegionOpCount]) + ":" +
         scenario.regions[static_cast<std::size_t>((a - 1) / kRegionOpCount)].country.id;
}

}  // namespace expanse::market_views
