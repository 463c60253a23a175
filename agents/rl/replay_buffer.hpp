#pragma once
// A ring buffer of transitions for the off-policy agents (DQN, SAC). Terminated and truncated are
// kept apart: only termination stops bootstrapping; a truncated transition stores the episode's
// real final observation as its next observation. Sampling is uniform with replacement (as
// Stable-Baselines3's buffer, which CleanRL uses) and fills reusable batch arrays. A transition may
// sum several rewards (n-step returns): `steps` says how many, so the bootstrap is discounted by γ^steps.
#include <cstdint>
#include <span>
#include <vector>

#include "common/rng.hpp"

namespace expanse::agents {

struct ReplayBatch {
  std::vector<float> observations;       // batch × obs_size
  std::vector<float> next_observations;  // batch × obs_size
  std::vector<std::int64_t> indices;     // batch × index_size (discrete actions)
  std::vector<float> values;             // batch × value_size (Box actions)
  std::vector<float> rewards;
  std::vector<float> terminated;  // 1.0 or 0.0, ready for (1 − terminated)
  std::vector<float> truncated;
  std::vector<std::uint8_t> steps;       // rewards summed in the transition (1 for one-step returns)
  std::vector<std::uint8_t> next_masks;  // batch × mask_size (empty without masks)
};

class ReplayBuffer {
 public:
  ReplayBuffer(std::size_t capacity, std::size_t obs_size, std::size_t index_size, std::size_t value_size,
               std::size_t mask_size);

  void add(std::span<const float> observation, std::span<const float> next_observation,
           std::span<const std::int32_t> indices, std::span<const float> values, double reward, bool terminated,
           bool truncated, std::span<const std::uint8_t> next_mask, std::uint8_t steps = 1);
  void sample(std::size_t batch_size, Rng& rng, ReplayBatch& batch) const;

  std::size_t size() const { return full_ ? capacity_ : position_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t bytes() const;  // of the stored arrays

  // The raw state, for checkpoints (only the filled part is meaningful).
  struct Arrays {
    std::vector<float>& observations;
    std::vector<float>& next_observations;
    std::vector<std::int32_t>& indices;
    std::vector<float>& values;
    std::vector<float>& rewards;
    std::vector<std::uint8_t>& terminated;
    std::vector<std::uint8_t>& truncated;
    std::vector<std::uint8_t>& steps;
    std::vector<std::uint8_t>& next_masks;
  };
  Arrays arrays();
  std::size_t position() const { return position_; }
  bool full() const { return full_; }
  void set_cursor(std::size_t position, bool full) { position_ = position; full_ = full; }

 private:
  std::size_t capacity_, obs_size_, index_size_, value_size_, mask_size_;
  std::size_t position_ = 0;
  bool full_ = false;
  std::vector<float> observations_, next_observations_;
  std::vector<std::int32_t> indices_;
  std::vector<float> values_;
  std::vector<float> rewards_;
  std::vector<std::uint8_t> terminated_, truncated_, steps_;
  std::vector<std::uint8_t> next_masks_;
};

}  // namespace expanse::agents
