#include "env/market/market_episodes.hpp"

#include <sstream>

namespace expanse {

std::vector<EpisodeKpis> run_market_episodes(MarketEnv& env, Policy& policy, int episodes, EpisodeSeeds seeds,
                                             const QuarterObserver& after_quarter) {
  std::vector<EpisodeKpis> kpis;
  KpiTracker tracker;
  EpisodeHooks hooks;
  hooks.after_reset = [&](int) { tracker.begin(env); };
  hooks.after_step = [&](int episode, int quarter, const StepResult& r) {
    tracker.record(env, r);
    if (after_quarter) after_quarter(episode, quarter, r);
    if (r.terminated || r.truncated) kpis.push_back(tracker.finish(env));
  };
  run_episodes(env, policy, episodes, seeds, hooks);
  return kpis;
}

namespace {
// Passes the actions of `policy` through, describing each before the env steps it.
class DescribedPolicy final : public Policy {
 public:
  explicit DescribedPolicy(Policy& policy) : policy_(policy) {}
  void reset(std::uint64_t seed) override { policy_.reset(seed); }
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    policy_.act(input, indices, values);
    described = input.market->describe_action(Action{indices, values});
  }
  std::string described;

 private:
  Policy& policy_;
};
}  // namespace

SimulatedEpisodes simulate_episodes(MarketEnv& env, Policy& policy, int episodes, std::uint64_t seed, bool trajectory) {
  const EpisodeSeeds seeds{seed, seed ^ 0x9011C7ULL};
  SimulatedEpisodes out;
  if (!trajectory) {
    out.kpis = run_market_episodes(env, policy, episodes, seeds);
    return out;
  }
  const MarketSpec& spec = env.spec();
  std::ostringstream csv;
  csv.precision(10);
  csv << "episode,t,action,invalid,reward,cash,revenue,costs,profit,events";
  for (const auto& r : spec.scenario().regions) csv << ",mode_" << r.country.id;
  for (const auto& r : spec.scenario().regions) csv << ",adopters_" << r.country.id;
  csv << "\n";
  DescribedPolicy described(policy);
  const auto row = [&](int episode, int quarter, const StepResult& r) {
    const QuarterReport& q = env.last_quarter();
    csv << episode << ',' << quarter << ',' << described.described << ',' << r.invalid_action << ',' << r.reward << ','
        << q.cash << ',' << q.revenue << ',' << q.costs << ',' << q.profit << ',' << describe_events(r.events);
    for (std::size_t i = 0; i < spec.region_count(); ++i) csv << ',' << to_string(env.mode(i));
    for (std::size_t i = 0; i < spec.region_count(); ++i) {
      double n = 0;
      for (std::size_t k = 0; k < spec.product_count(); ++k) n += env.adopters(i, k);
      csv << ',' << n;
    }
    csv << '\n';
  };
  out.kpis = run_market_episodes(env, described, episodes, seeds, row);
  out.trajectory_csv = csv.str();
  return out;
}

}  // namespace expanse
