#include "env/episodes.hpp"

#include "common/rng.hpp"
#include "env/market/market_env.hpp"

namespace expanse {
namespace {

std::vector<double> play(Env& env, const MarketEnv* market, Policy& policy, int episodes, EpisodeSeeds seeds,
                         const EpisodeHooks& hooks) {
  std::vector<float> observation(env.observation_size());
  std::vector<std::uint8_t> mask(mask_size(env.action_space()));
  std::vector<std::int32_t> indices(is_box(env.action_space()) ? 0 : flat_size(env.action_space()));
  std::vector<float> values(is_box(env.action_space()) ? flat_size(env.action_space()) : 0);
  const PolicyInput input{observation, mask, market};
  std::vector<double> returns;
  for (int n = 0; n < episodes; ++n) {
    policy.reset(derive_seed(seeds.policy, static_cast<std::uint64_t>(n)));
    env.reset(derive_seed(seeds.env, static_cast<std::uint64_t>(n)), observation);
    if (hooks.after_reset) hooks.after_reset(n);
    double total = 0;
    for (int step = 0;; ++step) {
      if (!mask.empty()) env.action_mask(mask);
      policy.act(input, indices, values);
      const StepResult r = env.step(Action{indices, values}, observation);
      total += r.reward - r.shaping;
      if (hooks.after_step) hooks.after_step(n, step, r);
      if (r.terminated || r.truncated) break;
    }
    returns.push_back(total);
  }
  return returns;
}

}  // namespace

std::vector<double> run_episodes(Env& env, Policy& policy, int episodes, EpisodeSeeds seeds,
                                 const EpisodeHooks& hooks) {
  return play(env, nullptr, policy, episodes, seeds, hooks);
}

std::vector<double> run_episodes(MarketEnv& env, Policy& policy, int episodes, EpisodeSeeds seeds,
                                 const EpisodeHooks& hooks) {
  return play(env, &env, policy, episodes, seeds, hooks);
}

}  // namespace expanse
