#include "agents/rl/rollout_buffer.hpp"

namespace expanse::agents {

RolloutBuffer::RolloutBuffer(int num_steps_, int num_envs_, std::size_t obs_size_, std::size_t index_size_,
                             std::size_t value_size_, std::size_t mask_size_)
    : num_steps(num_steps_),
      num_envs(num_envs_),
      obs_size(obs_size_),
      index_size(index_size_),
      value_size(value_size_),
      mask_size(mask_size_) {
  const std::size_t n = static_cast<std::size_t>(num_steps) * static_cast<std::size_t>(num_envs);
  observations.resize(n * obs_size);
  indices.resize(n * index_size);
  values_actions.resize(n * value_size);
  masks.resize(n * mask_size);
  log_probs.resize(n);
  rewards.resize(n);
  dones.resize(n);
  values.resize(n);
  advantages.resize(n);
  returns.resize(n);
}

void RolloutBuffer::compute_gae(const std::vector<float>& next_values, const std::vector<float>& next_dones,
                                double gamma, double lambda) {
  const std::size_t E = static_cast<std::size_t>(num_envs);
  for (std::size_t e = 0; e < E; ++e) {
    double last_gae = 0;
    for (int t = num_steps - 1; t >= 0; --t) {
      const std::size_t i = static_cast<std::size_t>(t) * E + e;
      const bool last = t == num_steps - 1;
      const double next_nonterminal = 1.0 - (last ? next_dones[e] : dones[i + E]);
      const double next_value = last ? next_values[e] : values[i + E];
      const double delta = rewards[i] + gamma * next_value * next_nonterminal - values[i];
      last_gae = delta + gamma * lambda * next_nonterminal * last_gae;
      advantages[i] = static_cast<float>(last_gae);
      returns[i] = static_cast<float>(last_gae + values[i]);
    }
  }
}

}  // namespace expanse::agents
