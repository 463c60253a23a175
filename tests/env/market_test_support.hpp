#pragma once
// Shared pieces of the market-env tests: scenarios by name and random valid actions.
#include <map>
#include <memory>
#include <string>

#include "env/market/market_env.hpp"
#include "env/market/scenario_loader.hpp"
#include "env/random_actions.hpp"

namespace expanse::test {

inline std::shared_ptr<const MarketSpec> scenario_spec(const std::string& name) {
  static std::map<std::string, std::shared_ptr<const MarketSpec>> cache;
  auto& spec = cache[name];
  if (!spec)
    spec = std::make_shared<const MarketSpec>(
        load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/" + name + ".yaml"));
  return spec;
}

// A random valid action for `env`'s current state, owning its buffers.
struct RandomActor {
  explicit RandomActor(const Env& env, std::uint64_t seed)
      : rng(seed),
        indices(is_box(env.action_space()) ? 0 : flat_size(env.action_space())),
        values(is_box(env.action_space()) ? flat_size(env.action_space()) : 0),
        mask(mask_size(env.action_space())) {}

  Action next(const Env& env) {
    env.action_mask(mask);
    sample_random_action(env.action_space(), mask, rng, indices, values);
    return Action{indices, values};
  }

  Rng rng;
  std::vector<std::int32_t> indices;
  std::vector<float> values;
  std::vector<std::uint8_t> mask;
};

}  // namespace expanse::test
