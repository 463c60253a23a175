#include "env/market/market_episodes.hpp"

#include <sstream>

#include "env/util/rng.hpp"

namespace expanse {

std::vector<EpisodeKpis> run_market_episodes(MarketEnv& env, const MarketActor& act,
                                             const std::function<void(std::uint64_t)>& reset_policy, int episodes,
                                             EpisodeSeeds seeds, const QuarterObserver& after_quarter) {
  std::vector<float> obs(env.observation_size());
  std::vector<std::uint8_t> mask(mask_size(env.action_space()));
  std::vector<std::int32_t> indices(is_box(env.action_space()) ? 0 : flat_size(env.action_space()));
  std::vector<float> values(is_box(env.action_space()) ? flat_size(env.action_space()) : 0);
  std::vector<EpisodeKpis> kpis;
  for (int n = 0; n < episodes; ++n) {
    if (reset_policy) reset_policy(derive_seed(seeds.policy, static_cast<std::uint64_t>(n)));
    env.reset(derive_seed(seeds.env, static_cast<std::uint64_t>(n)), obs);
    KpiTracker tracker;
    tracker.begin(env);
    for (bool done = false; !done;) {
      if (!mask.empty()) env.action_mask(mask);
      act(env, obs, mask, indices, values);
      const int quarter = env.quarter();
      const StepResult r = env.step(Action{indices, values}, obs);
      tracker.record(env, r);
      done = r.terminated || r.truncated;
      if (after_quarter) after_quarter(n, quarter, r);
    }
    kpis.push_back(tracker.finish(env));
  }
  return kpis;
}

SimulatedEpisodes simulate_episodes(MarketEnv& env, const MarketActor& act,
                                    const std::function<void(std::uint64_t)>& reset_policy, int episodes,
                                    std::uint64_t seed, bool trajectory) {
  const MarketSpec& spec = env.spec();
  std::ostringstream csv;
  csv.precision(10);
  std::string described;  // the action, described before the env steps it
  MarketActor actor = act;
  QuarterObserver row;
  if (trajectory) {
    csv << "episode,t,action,invalid,reward,cash,revenue,costs,profit,events";
    for (const auto& r : spec.scenario().regions) csv << ",mode_" << r.country.id;
    for (const auto& r : spec.scenario().regions) csv << ",adopters_" << r.country.id;
    csv << "\n";
    actor = [&](const MarketEnv& e, std::span<const float> obs, std::span<const std::uint8_t> mask,
                std::span<std::int32_t> indices, std::span<float> values) {
      act(e, obs, mask, indices, values);
      described = e.describe_action(Action{indices, values});
    };
    row = [&](int episode, int quarter, const StepResult& r) {
      const QuarterReport& q = env.last_quarter();
      csv << episode << ',' << quarter << ',' << described << ',' << r.invalid_action << ',' << r.reward << ','
          << q.cash << ',' << q.revenue << ',' << q.costs << ',' << q.profit << ',' << describe_events(r.events);
      for (std::size_t i = 0; i < spec.region_count(); ++i) csv << ',' << to_string(env.mode(i));
      for (std::size_t i = 0; i < spec.region_count(); ++i) {
        double n = 0;
        for (std::size_t k = 0; k < spec.product_count(); ++k) n += env.adopters(i, k);
        csv << ',' << n;
      }
      csv << '\n';
    };
  }
  SimulatedEpisodes out;
  out.kpis = run_market_episodes(env, actor, reset_policy, episodes, {seed, seed ^ 0x9011C7ULL}, row);
  out.trajectory_csv = csv.str();
  return out;
}

}  // namespace expanse
