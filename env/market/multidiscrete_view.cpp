// The MultiDiscrete view: a target and a marketing level per region
// (market_views::MultiDiscreteView, action_views.hpp).
#include "env/market/action_views.hpp"
#include "env/market/market_operations.hpp"

namespace expanse::market_views {

namespace {
constexpr int kMarketingLevels = 4;
}

bool MultiDiscreteView::apply_target(MarketEnv& env, std::size_t r, ModeTarget target) {
  switch (target) {
    case ModeTarget::kKeep: return true;
    case ModeTarget::kResearch: return env.research(r);
    case ModeTarget::kPilot: return env.enter(r, Mode::kPilot, -1);
    case ModeTarget::kPartner: return env.enter(r, Mode::kPartner, env.best_available_partner(r));
    case ModeTarget::kSubsidiary: return env.enter(r, Mode::kSubsidiary, -1);
    case ModeTarget::kExit: return env.exit_region(r);
  }
  return false;
}

Space MultiDiscreteView::space(const MarketSpec& spec) {
  MultiDiscrete md;
  for (std::size_t r = 0; r < spec.region_count(); ++r) {
    md.nvec.push_back(kModeTargetCount);
    md.nvec.push_back(kMarketingLevels);
  }
  return md;
}

// A region's outputs are its two components' choices: the targets, then the levels.
void MultiDiscreteView::outputs(const MarketSpec& spec, EntityLayout& layout) {
  layout.entity_outputs = kModeTargetCount + kMarketingLevels;
  for (std::size_t r = 0; r < spec.region_count(); ++r)
    for (int c = 0; c < layout.entity_outputs; ++c) layout.add_output(r, c);
}

// Returns false when any part was invalid; the valid parts apply.
bool MultiDiscreteView::apply(MarketEnv& env, const Action& action) {
  if (action.indices.size() != 2 * env.R_) return false;
  bool valid = true;
  for (std::size_t r = 0; r < env.R_; ++r) {
    const std::int32_t target = action.indices[2 * r], level = action.indices[2 * r + 1];
    if (target < 0 || target >= kModeTargetCount || level < 0 || level >= kMarketingLevels) {
      valid = false;
      continue;
    }
    valid &= apply_target(env, r, static_cast<ModeTarget>(target));
    if (env.mode_[r] != Mode::kNone) env.set_marketing(r, level);  // without presence, the level is moot
  }
  return valid;
}

// The regions whose target or level changes something.
std::string MultiDiscreteView::describe(const MarketEnv& env, const Action& action) {
  static const char* targets[] = {"keep", "research", "pilot", "partner", "subsidiary", "exit"};
  const auto& regions = env.spec().scenario().regions;
  std::string out;
  for (std::size_t r = 0; r < env.R_ && 2 * r + 1 < action.indices.size(); ++r) {
    const std::int32_t t = action.indices[2 * r], l = action.indices[2 * r + 1];
    if (t == 0 && l == env.marketing_[r]) continue;
    if (!out.empty()) out += ' ';
    out += regions[r].country.id + ":" + (t >= 0 && t < kModeTargetCount ? targets[t] : "?") + "/m" + std::to_string(l);
  }
  return out.empty() ? "hold" : out;
}

}  // namespace expanse::market_views
