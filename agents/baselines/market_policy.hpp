#pragma once
// Baseline policies for the market env (docs/baselines.md): the yardsticks a learning agent must
// beat. A baseline reads the env itself (PolicyInput::market), not only the observation — the
// planner looks ahead with clone(), the heuristics read the prior's estimates — and acts in
// whichever action view the env has. No LibTorch here.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/rng.hpp"
#include "env/market/market_env.hpp"
#include "env/policy.hpp"

namespace expanse {

// "random", "hold", "greedy-roi", "uppsala", "partner-greedy", "planner" (docs/baselines.md).
std::vector<std::string> baseline_names();
// nullptr for an unknown name. The policy acts on market envs only (PolicyInput::market set).
std::unique_ptr<Policy> make_baseline(const std::string& name);

// One decision about one region; the heuristics issue a few per quarter, most important first.
struct RegionOrder {
  std::size_t region = 0;
  ModeTarget target = ModeTarget::kKeep;
  int marketing = -1;  // the level to set, −1 = unchanged
};

// Orders → an action of env's view. MultiDiscrete and Box carry every order; Discrete, one action a
// quarter, carries the first order that is valid now.
void encode_orders(const MarketEnv& env, const std::vector<RegionOrder>& orders, std::span<std::int32_t> indices,
                   std::span<float> values);

}  // namespace expanse
