#pragma once
// Episodes of a market scenario under any policy — a baseline (`expanse sim`) or a trained agent
// (`expanse eval`): the KPIs of every episode and, when asked, one CSV row per quarter.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "env/market/kpi.hpp"
#include "env/market/market_env.hpp"

namespace expanse::cli {

// Writes the next action in env's view; `observation` and `mask` are what an agent sees.
using MarketActor = std::function<void(const MarketEnv& env, std::span<const float> observation,
                                       std::span<const std::uint8_t> mask, std::span<std::int32_t> indices,
                                       std::span<float> values)>;

struct MarketEpisodes {
  std::vector<EpisodeKpis> kpis;
  std::string trajectory_csv;  // empty unless asked for
};

// Episode e starts from env.reset(derive_seed(seed, e)); a stochastic policy is reseeded first
// through reset_policy(derive_seed(seed ^ 0x9011C7, e)) when given.
MarketEpisodes run_market_episodes(MarketEnv& env, const MarketActor& act,
                                   const std::function<void(std::uint64_t)>& reset_policy, int episodes,
                                   std::uint64_t seed, bool trajectory);

}  // namespace expanse::cli
