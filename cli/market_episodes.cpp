#include "cli/market_episodes.hpp"

#include <sstream>

#include "env/util/rng.hpp"

namespace expanse::cli {

MarketEpisodes run_market_episodes(MarketEnv& env, const MarketActor& act,
                                   const std::function<void(std::uint64_t)>& reset_policy, int episodes,
                                   std::uint64_t seed, bool trajectory) {
  const MarketSpec& spec = env.spec();
  std::vector<float> obs(env.observation_size());
  std::vector<std::uint8_t> mask(mask_size(env.action_space()));
  std::vector<std::int32_t> indices(is_box(env.action_space()) ? 0 : flat_size(env.action_space()));
  std::vector<float> values(is_box(env.action_space()) ? flat_size(env.action_space()) : 0);
  std::ostringstream csv;
  csv.precision(10);
  if (trajectory) {
    csv << "episode,t,action,invalid,reward,cash,revenue,costs,profit,events";
    for (const auto& r : spec.scenario().regions) csv << ",mode_" << r.country.id;
    for (const auto& r : spec.scenario().regions) csv << ",adopters_" << r.country.id;
    csv << "\n";
  }
  MarketEpisodes out;
  for (int e = 0; e < episodes; ++e) {
    if (reset_policy) reset_policy(derive_seed(seed ^ 0x9011C7ULL, static_cast<std::uint64_t>(e)));
    env.reset(derive_seed(seed, static_cast<std::uint64_t>(e)), obs);
    KpiTracker tracker;
    tracker.begin(env);
    bool done = false;
    while (!done) {
      if (!mask.empty()) env.action_mask(mask);
      act(env, obs, mask, indices, values);
      const Action action{indices, values};
      const std::string described = trajectory ? env.describe_action(action) : std::string();
      const StepResult r = env.step(action, obs);
      tracker.record(env, r);
      done = r.terminated || r.truncated;
      if (!trajectory) continue;
      const QuarterReport& q = env.last_quarter();
      csv << e << ',' << q.quarter << ',' << described << ',' << r.invalid_action << ',' << r.reward << ',' << q.cash
          << ',' << q.revenue << ',' << q.costs << ',' << q.profit << ',' << describe_events(r.events);
      for (std::size_t i = 0; i < spec.region_count(); ++i) csv << ',' << to_string(env.mode(i));
      for (std::size_t i = 0; i < spec.region_count(); ++i) {
        double n = 0;
        for (std::size_t k = 0; k < spec.product_count(); ++k) n += env.adopters(i, k);
        csv << ',' << n;
      }
      csv << '\n';
    }
    out.kpis.push_back(tracker.finish(env));
  }
  out.trajectory_csv = csv.str();
  return out;
}

}  // namespace expanse::cli
