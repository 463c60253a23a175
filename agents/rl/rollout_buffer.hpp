#pragma once
// PPO's on-policy storage: num_steps × num_envs transitions, and generalised advantage estimation
// (Schulman et al. 2016) exactly as CleanRL's ppo.py computes it: dones[t] marks that the
// observation at t began a new episode, so step t−1's successor is not bootstrapped.
#include <cstdint>
#include <vector>

namespace expanse::agents {

struct RolloutBuffer {
  RolloutBuffer(int num_steps, int num_envs, std::size_t obs_size, std::size_t index_size, std::size_t value_size,
                std::size_t mask_size);

  int num_steps, num_envs;
  std::size_t obs_size, index_size, value_size, mask_size;
  std::vector<float> observations;       // (step, env, obs)
  std::vector<std::int64_t> indices;     // (step, env, index)
  std::vector<float> values_actions;     // (step, env, value) — Box actions, unclipped
  std::vector<std::uint8_t> masks;       // (step, env, mask)
  std::vector<float> log_probs;          // (step, env)
  std::vector<float> rewards;
  std::vector<float> dones;
  std::vector<float> values;             // critic's estimates
  std::vector<float> advantages;
  std::vector<float> returns;

  // Fills advantages and returns from the stored rewards, dones and values, and the critic's value
  // of the observation after the last step with its done flag.
  void compute_gae(const std::vector<float>& next_values, const std::vector<float>& next_dones, double gamma,
                   double lambda);
};

}  // namespace expanse::agents
