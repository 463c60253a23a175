#pragma once
// n-step returns for an off-policy learner (Sutton 1988; one of Rainbow's components): one env's
// last n steps wait here until their n rewards are known, then enter the replay buffer as
// (s_t, a_t, Σ_k γ^k r_{t+k}, s_{t+n}) with steps = n; at an episode's end every waiting step enters
// with the rewards it has and bootstraps from the final observation (γ^steps, none on termination).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "agents/rl/replay_buffer.hpp"

namespace expanse::agents {

class NStepWindow {
 public:
  NStepWindow(std::size_t n, std::size_t obs_size, std::size_t index_size, double gamma);

  // One env step from `observation` with `action`: moves every transition that is now complete into
  // `replay`; `next` is the successor (the final observation when the episode ended) and `next_mask`
  // its action mask.
  void step(std::span<const float> observation, std::span<const std::int32_t> action, double reward,
            std::span<const float> next, bool terminated, bool truncated, std::span<const std::uint8_t> next_mask,
            ReplayBuffer& replay);

  std::size_t n() const { return rewards.size(); }

  // The state, a ring of n slots (public for checkpoints).
  std::vector<float> observations;    // n × obs_size
  std::vector<std::int32_t> actions;  // n × index_size
  std::vector<double> rewards;        // n
  std::size_t start = 0, count = 0;

 private:
  void emit_oldest(std::span<const float> next, bool terminated, bool truncated,
                   std::span<const std::uint8_t> next_mask, ReplayBuffer& replay);
  std::size_t obs_size_, index_size_;
  double gamma_;
};

}  // namespace expanse::agents
