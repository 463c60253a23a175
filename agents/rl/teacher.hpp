#pragma once
// A baseline whose actions guide a learner at the start of training (kickstarting: Schmitt et al.
// 2018, "Kickstarting deep reinforcement learning"): PPO adds a decaying imitation term to its loss,
// DQN and SAC take some of their exploratory actions from it. The learner must then improve on the
// teacher by its own return, not merely copy it (docs/agents.md, "Kickstarting").
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "agents/baselines/market_policy.hpp"
#include "env/vector_env.hpp"

namespace expanse::agents {

class Teacher {
 public:
  // `name`: "none" (no teacher: active() is false) or a baseline of agent_config's teacher choices,
  // one copy per env. Throws std::invalid_argument unless `prototype` is a market env in the
  // discrete or multidiscrete view.
  Teacher(const std::string& name, const Env& prototype, std::size_t envs);
  bool active() const { return !policies_.empty(); }
  // The teacher's action for env i of `envs` in its current state.
  void act(const VectorEnv& envs, std::size_t i, std::span<std::int32_t> indices);

 private:
  std::vector<std::unique_ptr<Policy>> policies_;
};

}  // namespace expanse::agents
