#pragma once
// The one loop in which a policy plays whole episodes of an env: training's final evaluation,
// `expanse eval` and `sim`, and the experiment runner all score a policy through it, on the same
// seeds. Episode n starts from env.reset(derive_seed(seeds.env, n)); the policy is reset first with
// derive_seed(seeds.policy, n).
#include <cstdint>
#include <functional>
#include <vector>

#include "env/env.hpp"
#include "env/policy.hpp"

namespace expanse {

struct EpisodeSeeds {
  std::uint64_t env = 0, policy = 0;
};

// What a caller watches: each episode's start (the env reset) and each step (its index in the
// episode and its result; the env holds the state after it). Either may be empty.
struct EpisodeHooks {
  std::function<void(int episode)> after_reset;
  std::function<void(int episode, int step, const StepResult& result)> after_step;
};

// Each episode's return: the sum of its rewards, without any reward shaping.
std::vector<double> run_episodes(Env& env, Policy& policy, int episodes, EpisodeSeeds seeds,
                                 const EpisodeHooks& hooks = {});
// The same on a market env, which the policy may read (PolicyInput::market).
std::vector<double> run_episodes(MarketEnv& env, Policy& policy, int episodes, EpisodeSeeds seeds,
                                 const EpisodeHooks& hooks = {});

}  // namespace expanse
