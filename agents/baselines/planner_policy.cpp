// The planner: an upper reference that uses the true model. Each quarter it tries holding and every
// entry it could make (pilot, partner, subsidiary in each region without presence) on clones of the
// env — clones carry the env's random state, so the planner sees the very future it will meet — and
// takes the one whose discounted reward to the horizon, holding afterwards, is highest.
#include "agents/baselines/market_policy.hpp"

namespace expanse {
namespace {

class PlannerPolicy final : public Policy {
 public:
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    const MarketEnv& env = *input.market;
    std::vector<std::vector<RegionOrder>> candidates{{}};
    for (std::size_t r = 0; r < env.spec().region_count(); ++r) {
      if (env.mode(r) != Mode::kNone) continue;
      for (ModeTarget t : {ModeTarget::kPilot, ModeTarget::kPartner, ModeTarget::kSubsidiary}) {
        if (t == ModeTarget::kPartner && env.best_available_partner(r) < 0) continue;
        candidates.push_back({{r, t, 1}});
      }
    }
    double best = -1e300;
    std::vector<RegionOrder> chosen;
    std::vector<std::int32_t> a(indices.size());
    std::vector<float> v(values.size());
    for (const auto& candidate : candidates) {
      const std::unique_ptr<Env> copy = env.clone();
      const auto& future = static_cast<const MarketEnv&>(*copy);
      double total = 0, discount = 1;
      const double gamma = env.spec().scenario().discount;
      for (bool first = true;; first = false) {
        encode_orders(future, first ? candidate : std::vector<RegionOrder>{}, a, v);
        const StepResult r = copy->step(Action{a, v}).result;
        total += discount * (r.reward - r.shaping);
        discount *= gamma;
        if (r.terminated || r.truncated) break;
      }
      if (total > best) {
        best = total;
        chosen = candidate;
      }
    }
    encode_orders(env, chosen, indices, values);
  }
};

}  // namespace

std::unique_ptr<Policy> make_planner_policy() {
  return std::make_unique<PlannerPolicy>();
}

}  // namespace expanse
