#include "agents/rl/replay_buffer.hpp"

#include <algorithm>
#include <stdexcept>

namespace expanse::agents {

ReplayBuffer::ReplayBuffer(std::size_t capacity, std::size_t obs_size, std::size_t index_size, std::size_t value_size,
                           std::size_t mask_size)
    : capacity_(capacity),
      obs_size_(obs_size),
      index_size_(index_size),
      value_size_(value_size),
      mask_size_(mask_size),
      observations_(capacity * obs_size),
      next_observations_(capacity * obs_size),
      indices_(capacity * index_size),
      values_(capacity * value_size),
      rewards_(capacity),
      terminated_(capacity),
      truncated_(capacity),
      steps_(capacity, 1),
      next_masks_(capacity * mask_size) {
  if (capacity == 0) throw std::invalid_argument("a replay buffer needs a capacity of at least 1");
}

void ReplayBuffer::add(std::span<const float> observation, std::span<const float> next_observation,
                       std::span<const std::int32_t> indices, std::span<const float> values, double reward,
                       bool terminated, bool truncated, std::span<const std::uint8_t> next_mask, std::uint8_t steps) {
  const std::size_t i = position_;
  std::copy_n(observation.begin(), obs_size_, observations_.begin() + i * obs_size_);
  std::copy_n(next_observation.begin(), obs_size_, next_observations_.begin() + i * obs_size_);
  std::copy_n(indices.begin(), index_size_, indices_.begin() + i * index_size_);
  std::copy_n(values.begin(), value_size_, values_.begin() + i * value_size_);
  std::copy_n(next_mask.begin(), mask_size_, next_masks_.begin() + i * mask_size_);
  rewards_[i] = static_cast<float>(reward);
  terminated_[i] = terminated;
  truncated_[i] = truncated;
  steps_[i] = steps;
  if (++position_ == capacity_) {
    position_ = 0;
    full_ = true;
  }
}

void ReplayBuffer::sample(std::size_t batch_size, Rng& rng, ReplayBatch& batch) const {
  const std::size_t n = size();
  if (n == 0) throw std::logic_error("sampling an empty replay buffer");
  batch.observations.resize(batch_size * obs_size_);
  batch.next_observations.resize(batch_size * obs_size_);
  batch.indices.resize(batch_size * index_size_);
  batch.values.resize(batch_size * value_size_);
  batch.rewards.resize(batch_size);
  batch.terminated.resize(batch_size);
  batch.truncated.resize(batch_size);
  batch.steps.resize(batch_size);
  batch.next_masks.resize(batch_size * mask_size_);
  for (std::size_t b = 0; b < batch_size; ++b) {
    const std::size_t i = static_cast<std::size_t>(rng.below(static_cast<std::uint32_t>(n)));
    std::copy_n(observations_.begin() + i * obs_size_, obs_size_, batch.observations.begin() + b * obs_size_);
    std::copy_n(next_observations_.begin() + i * obs_size_, obs_size_, batch.next_observations.begin() + b * obs_size_);
    std::copy_n(indices_.begin() + i * index_size_, index_size_, batch.indices.begin() + b * index_size_);
    std::copy_n(values_.begin() + i * value_size_, value_size_, batch.values.begin() + b * value_size_);
    std::copy_n(next_masks_.begin() + i * mask_size_, mask_size_, batch.next_masks.begin() + b * mask_size_);
    batch.rewards[b] = rewards_[i];
    batch.terminated[b] = terminated_[i];
    batch.truncated[b] = truncated_[i];
    batch.steps[b] = steps_[i];
  }
}

std::size_t ReplayBuffer::bytes() const {
  return (observations_.size() + next_observations_.size() + values_.size() + rewards_.size()) * sizeof(float) +
         indices_.size() * sizeof(std::int32_t) + terminated_.size() + truncated_.size() + steps_.size() +
         next_masks_.size();
}

ReplayBuffer::Arrays ReplayBuffer::arrays() {
  return {observations_, next_observations_, indices_, values_, rewards_, terminated_, truncated_, steps_, next_masks_};
}

}  // namespace expanse::agents
