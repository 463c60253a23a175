#include "agents/baselines/exhaustive_plan.hpp"

#include <stdexcept>
#include <string>

namespace expanse {

double plan_return(const MarketSpec& spec, const std::vector<EntryPlan::Entry>& plan, std::uint64_t seed) {
  static thread_local std::vector<std::int32_t> action;
  // A non-owning pointer (the aliasing constructor with no owner): the caller's spec outlives the env.
  MarketEnv env(std::shared_ptr<const MarketSpec>(std::shared_ptr<const MarketSpec>(), &spec), ActionView::kMultiDiscrete);
  env.reset(seed);
  action.assign(2 * spec.region_count(), 0);
  double total = 0, discount = 1;
  for (int t = 0;; ++t) {
    for (std::size_t r = 0; r < spec.region_count(); ++r) {
      const bool now = plan[r].quarter == t;
      action[2 * r] = static_cast<std::int32_t>(now ? plan[r].mode : ModeTarget::kKeep);
      action[2 * r + 1] = plan[r].quarter >= 0 && t >= plan[r].quarter ? 1 : 0;
    }
    const StepResult s = env.step(Action{action, {}}).result;
    total += discount * (s.reward - s.shaping);
    discount *= spec.scenario().discount;
    if (s.terminated || s.truncated) return total;
  }
}

EntryPlan exhaustive_entry_plan(const Scenario& scenario, std::uint64_t seed, std::uint64_t max_plans) {
  const MarketSpec spec(scenario);
  const std::size_t R = spec.region_count();
  const int H = scenario.horizon;
  // Options per region: never, or (quarter, mode) for each mode the region allows.
  std::vector<std::vector<EntryPlan::Entry>> options(R);
  std::uint64_t plans = 1;
  for (std::size_t r = 0; r < R; ++r) {
    options[r].push_back({});
    for (int t = 0; t < H; ++t)
      for (ModeTarget m : {ModeTarget::kPilot, ModeTarget::kPartner, ModeTarget::kSubsidiary})
        if (m != ModeTarget::kPartner || !spec.partners_in(r).empty()) options[r].push_back({t, m});
    if (plans > max_plans / options[r].size())
      throw std::invalid_argument("exhaustive search: more than " + std::to_string(max_plans) +
                                  " plans; the scenario is too large for an exact optimum");
    plans *= options[r].size();
  }
  EntryPlan best;
  best.discounted_return = -1e300;
  std::vector<std::size_t> choice(R, 0);
  std::vector<EntryPlan::Entry> plan(R);
  for (std::uint64_t n = 0; n < plans; ++n) {
    for (std::size_t r = 0; r < R; ++r) plan[r] = options[r][choice[r]];
    const double value = plan_return(spec, plan, seed);
    if (value > best.discounted_return) {
      best.discounted_return = value;
      best.regions = plan;
    }
    for (std::size_t r = 0; r < R && ++choice[r] == options[r].size(); ++r) choice[r] = 0;  // odometer
  }
  best.plans_searched = plans;
  return best;
}

}  // namespace expanse
