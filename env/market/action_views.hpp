#pragma once
// The market env's three action views, one small decoder each (docs/model.md, "What the agent
// does"): its action space, which of its outputs act on which region (for entity networks), what an
// action asks the company to do, and the action in words. A view only decodes: it acts through
// MarketEnv's operations (research, enter, exit_region, set_marketing), which are the model's and
// keep the mask and observation up to date. Part of MarketEnv's implementation (its friends).
#include <string>

#include "env/entity_layout.hpp"
#include "env/market/market_env.hpp"

namespace expanse::market_views {

// One action a step: hold, one of six operations in one region (1 + 6·region + op), or signing
// one partner (after the region operations). Invalid actions are masked.
struct DiscreteView {
  static Space space(const MarketSpec& spec);
  static void outputs(const MarketSpec& spec, EntityLayout& layout);
  static bool apply(MarketEnv& env, const Action& action);
  static std::string describe(const MarketEnv& env, const Action& action);
};

// Two components per region: a target (keep, research, pilot, partner, subsidiary, exit) and a
// marketing level (0–3). Invalid targets are masked; the levels are always valid.
struct MultiDiscreteView {
  static Space space(const MarketSpec& spec);
  static void outputs(const MarketSpec& spec, EntityLayout& layout);
  static bool apply(MarketEnv& env, const Action& action);
  static std::string describe(const MarketEnv& env, const Action& action);

 private:
  static bool apply_target(MarketEnv& env, std::size_t r, ModeTarget target);
};

// Two values in [−1, 1] per region: a commitment, turned into a target by thresholds, and a
// marketing level. Nothing is masked.
struct BoxView {
  static Space space(const MarketSpec& spec);
  static void outputs(const MarketSpec& spec, EntityLayout& layout);
  static bool apply(MarketEnv& env, const Action& action);
  static std::string describe(const MarketEnv& env, const Action& action);
};

// f(the view's decoder), for the env's one dispatch per use.
template <typename F>
decltype(auto) with_view(ActionView view, F&& f) {
  switch (view) {
    case ActionView::kDiscrete: return f(DiscreteView{});
    case ActionView::kMultiDiscrete: return f(MultiDiscreteView{});
    case ActionView::kBox: break;
  }
  return f(BoxView{});
}

}  // namespace expanse::market_views
