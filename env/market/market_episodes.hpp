#pragma once
// Market episodes scored as the experiment runner, `expanse sim` and `expanse eval` report them:
// each episode's KPIs, and for `sim` and `eval` one CSV row per quarter. They play through
// run_episodes (env/episodes.hpp), so a policy is scored the same way everywhere.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "env/episodes.hpp"
#include "env/market/kpi.hpp"
#include "env/market/market_env.hpp"

namespace expanse {

// Called after every quarter with the episode, the quarter just stepped and its result; the env
// holds the state after it.
using QuarterObserver = std::function<void(int episode, int quarter, const StepResult& result)>;

// The KPIs of every episode. after_quarter may be empty.
std::vector<EpisodeKpis> run_market_episodes(MarketEnv& env, Policy& policy, int episodes, EpisodeSeeds seeds,
                                             const QuarterObserver& after_quarter = {});

// `expanse sim` and `expanse eval`: the episodes' KPIs and, when asked, one CSV row per quarter
// (actions, cash, money, events, modes and adopters per region). Seeds: the episodes' from `seed`,
// the policy's from seed ^ 0x9011C7.
struct SimulatedEpisodes {
  std::vector<EpisodeKpis> kpis;
  std::string trajectory_csv;  // empty unless asked for
};
SimulatedEpisodes simulate_episodes(MarketEnv& env, Policy& policy, int episodes, std::uint64_t seed, bool trajectory);

}  // namespace expanse
