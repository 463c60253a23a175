#pragma once
// Episodes of a market scenario under any policy — a baseline, a trained agent, an entry plan: the
// one loop that `expanse sim`, `expanse eval` and the experiment runner share, so that they score a
// policy the same way. Episode n starts from env.reset(derive_seed(seeds.env, n)); a stochastic
// policy is reseeded first with derive_seed(seeds.policy, n).
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "env/market/kpi.hpp"
#include "env/market/market_env.hpp"

namespace expanse {

// Writes the next action in env's view; `observation` and `mask` are what an agent sees.
using MarketActor = std::function<void(const MarketEnv& env, std::span<const float> observation,
                                       std::span<const std::uint8_t> mask, std::span<std::int32_t> indices,
                                       std::span<float> values)>;
// Called after every quarter with the episode, the quarter just stepped and its result; the env
// holds the state after it.
using QuarterObserver = std::function<void(int episode, int quarter, const StepResult& result)>;

struct EpisodeSeeds {
  std::uint64_t env = 0, policy = 0;
};

// The KPIs of every episode. reset_policy and after_quarter may be empty.
std::vector<EpisodeKpis> run_market_episodes(MarketEnv& env, const MarketActor& act,
                                             const std::function<void(std::uint64_t)>& reset_policy, int episodes,
                                             EpisodeSeeds seeds, const QuarterObserver& after_quarter = {});

// `expanse sim` and `expanse eval`: the episodes' KPIs and, when asked, one CSV row per quarter
// (actions, cash, money, events, modes and adopters per region). Seeds: the episodes' from `seed`,
// the policy's from seed ^ 0x9011C7.
struct SimulatedEpisodes {
  std::vector<EpisodeKpis> kpis;
  std::string trajectory_csv;  // empty unless asked for
};
SimulatedEpisodes simulate_episodes(MarketEnv& env, const MarketActor& act,
                                    const std::function<void(std::uint64_t)>& reset_policy, int episodes,
                                    std::uint64_t seed, bool trajectory);

}  // namespace expanse
