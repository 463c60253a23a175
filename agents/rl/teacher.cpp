#include "agents/rl/teacher.hpp"

#include <stdexcept>

namespace expanse::agents {

Teacher::Teacher(const std::string& name, const Env& prototype, std::size_t envs) {
  if (name == "none") return;
  const auto* market = dynamic_cast<const MarketEnv*>(&prototype);
  if (!market || market->view() == ActionView::kBox)
    throw std::invalid_argument("teacher: " + name + " acts on market scenarios in the discrete or multidiscrete view");
  for (std::size_t i = 0; i < envs; ++i) {
    policies_.push_back(make_baseline(name));
    if (!policies_.back()) throw std::invalid_argument("teacher: unknown baseline " + name);
  }
}

void Teacher::act(const VectorEnv& envs, std::size_t i, std::span<std::int32_t> indices) {
  // The teachers have no memory (agent_config's choices): no reset between episodes is needed.
  PolicyInput input;  // they read the env, not the observation
  input.market = &static_cast<const MarketEnv&>(envs.env(i));
  policies_[i]->act(input, indices, {});
}

}  // namespace expanse::agents
