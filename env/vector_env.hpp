#pragma once
// E environments stepped together into caller-owned contiguous buffers, with same-step
// autoreset: when an episode ends, its last observation goes to `final_observations` (for
// bootstrapping on truncation) and `observations` already holds the next episode's first one.
// The step path performs no allocation.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "env/env.hpp"

namespace expanse {

class VectorEnv;

// What it takes to rebuild a VectorEnv mid-episode: every env is deterministic given its episode
// seed and the actions since that episode began, so the state is the seeds plus those actions.
// Saved by training checkpoints; replayed by VectorEnv::restore.
struct VectorEnvState {
  std::vector<std::uint64_t> env_seeds;
  std::vector<std::uint64_t> episodes_started;
  std::vector<std::vector<std::int32_t>> indices;  // per env, the episode's actions so far (row after row)
  std::vector<std::vector<float>> values;
};

// Caller-owned buffers, sized once for a VectorEnv. Row i of every array belongs to env i.
struct VectorBuffers {
  explicit VectorBuffers(const VectorEnv& envs);

  std::vector<float> observations;        // E × obs_size
  std::vector<float> final_observations;  // E × obs_size, meaningful where terminated|truncated
  std::vector<double> rewards;
  std::vector<std::uint8_t> terminated;
  std::vector<std::uint8_t> truncated;
  std::vector<std::uint8_t> invalid_actions;
  std::vector<std::uint32_t> events;
  std::vector<std::uint8_t> action_masks;  // E × mask_size (empty for Box actions)
  std::vector<double> episode_returns;     // undiscounted return of the episode that just ended
  std::vector<std::int32_t> episode_lengths;

  std::span<float> observation(std::size_t i);
  std::span<float> final_observation(std::size_t i);
};

class VectorEnv {
 public:
  // Makes `num_envs` copies of `prototype` (via clone()).
  VectorEnv(const Env& prototype, std::size_t num_envs);

  std::size_t size() const { return envs_.size(); }
  std::size_t observation_size() const { return observation_size_; }
  std::size_t action_size() const { return action_size_; }  // numbers per env in an action row
  std::size_t mask_size() const { return mask_size_; }
  const Env& env(std::size_t i) const { return *envs_[i]; }

  // Env i's episode n is seeded with derive_seed(derive_seed(seed, i), n).
  void reset(std::uint64_t seed, VectorBuffers& out);
  // Discrete/MultiDiscrete views read `indices` (E × action_size), Box reads `values`.
  void step(std::span<const std::int32_t> indices, std::span<const float> values, VectorBuffers& out);

  // Keeping the actions of the running episodes makes state() possible; off by default. The journal
  // reuses its memory from one episode to the next.
  void record_actions(bool on) { recording_ = on; }
  VectorEnvState state() const;
  // Rebuilds the envs (and `out`'s observations and masks) from a state saved by state().
  void restore(const VectorEnvState& state, VectorBuffers& out);

 private:
  void start_episode(std::size_t i, VectorBuffers& out);
  std::span<float> observation_row(std::vector<float>& buffer, std::size_t i) const;

  std::vector<std::unique_ptr<Env>> envs_;
  std::vector<std::uint64_t> env_seeds_;
  std::vector<std::uint64_t> episodes_started_;
  std::vector<double> running_returns_;
  std::vector<std::int32_t> running_lengths_;
  std::size_t observation_size_ = 0;
  std::size_t action_size_ = 0;
  std::size_t mask_size_ = 0;
  bool box_actions_ = false;
  bool recording_ = false;
  std::vector<std::vector<std::int32_t>> journal_indices_;
  std::vector<std::vector<float>> journal_values_;
};

}  // namespace expanse
