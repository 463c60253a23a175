#pragma once
// What the training driver (training.cpp) asks of an algorithm. Internal to agents/: LibTorch.
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "agents/rl/agent_config.hpp"
#include "agents/rl/metrics_log.hpp"
#include "agents/rl/replay_buffer.hpp"
#include "common/rng.hpp"
#include "env/policy.hpp"
#include "env/vector_env.hpp"

namespace expanse::agents {

// The shape of the actions an algorithm must produce, read from the env's action space.
struct ActionShape {
  explicit ActionShape(const Space& space);
  bool box = false;
  std::vector<std::int32_t> nvec;  // Discrete: {n}; MultiDiscrete: nvec
  std::vector<float> low, high;    // Box
  std::size_t index_size() const { return box ? 0 : nvec.size(); }
  std::size_t value_size() const { return box ? low.size() : 0; }
  std::int32_t total_choices() const;  // Σ nvec
};

// The driver's state that an algorithm steps and logs through.
struct RunContext {
  VectorEnv& envs;
  VectorBuffers& buffers;
  Rng& rng;  // every random draw of training (exploration, sampling, minibatches, noise)
  MetricsLog* metrics = nullptr;
  std::int64_t global_step = 0;
  int episodes = 0;
  std::vector<double> recent_returns;  // of the last 100 episodes

  // Called after each vector step: logs the episodes that just ended.
  void after_step();
  // Logs one finished episode (after_step's, or one a learner played itself).
  void record_episode(double episodic_return, int episodic_length);
  double recent_mean() const;  // NaN before the first episode
};

// Thrown when a loss is NaN or infinite: training stops, the last checkpoint stays the last good one.
struct NonFiniteLoss : std::runtime_error {
  NonFiniteLoss(std::int64_t step, const std::string& name)
      : std::runtime_error("non-finite " + name + " at global step " + std::to_string(step)), global_step(step) {}
  std::int64_t global_step;
};
// Throws NonFiniteLoss unless `value` is finite.
void check_finite(double value, const char* name, std::int64_t global_step);

// A learner is a policy too: act() is its learned policy, deterministic (greedy / mean action).
class Learner : public Policy {
 public:
  // CleanRL's names of the logged losses (metrics.csv columns after the episode columns).
  virtual std::vector<std::string> loss_names() const = 0;
  // One unit of training: DQN and SAC one vector step (and its update), PPO one rollout and its
  // update. Advances ctx.global_step.
  virtual void iterate(RunContext& ctx) = 0;
  virtual void save(torch::serialize::OutputArchive& archive) const = 0;
  virtual void load(torch::serialize::InputArchive& archive) = 0;
  // The networks alone from a checkpoint (of this algorithm, maybe of another scenario with the
  // same blocks), the rest of the training state left fresh: a start for transfer, or a policy to
  // act with. Throws std::runtime_error when a network's size differs.
  virtual void load_weights(torch::serialize::InputArchive& archive) = 0;
};

std::unique_ptr<Learner> make_learner(const AgentConfig& config, const Env& prototype, std::int64_t total_steps,
                                      std::uint64_t seed);

// The rows a replay buffer needs: `buffer_size`, or fewer when the run stores fewer transitions
// (at most total_steps + num_envs − 1). The ring then never wraps either way, so results are the
// same, but a 30k-step SAC run on world no longer holds a 1M-row (8 GB) buffer.
std::size_t replay_capacity(int buffer_size, std::int64_t total_steps, int num_envs);

// Tensor views of plain arrays (no copy; the arrays must outlive the tensor's use).
torch::Tensor as_tensor(std::vector<float>& values, std::vector<std::int64_t> shape);
torch::Tensor as_tensor(std::span<const float> values, std::vector<std::int64_t> shape);
// A (rows, n) uint8 mask tensor from masks, or an undefined tensor when n = 0.
torch::Tensor mask_tensor(std::span<const std::uint8_t> masks, std::int64_t rows, std::int64_t n);

// Saving the raw arrays of buffers and RNGs into archives (T: float, double, int32, int64, uint8).
// Writes the first `count` elements (all by default).
template <typename T>
void write_array(torch::serialize::OutputArchive& archive, const std::string& key, const std::vector<T>& v,
                 std::size_t count = static_cast<std::size_t>(-1)) {
  const auto n = static_cast<std::int64_t>(std::min(count, v.size()));
  archive.write(key, torch::from_blob(const_cast<T*>(v.data()), {n}, torch::CppTypeToScalarType<T>::value).clone());
}
// `t` (read under `key`) into v.
template <typename T>
void tensor_to_array(torch::Tensor t, const std::string& key, std::vector<T>& v) {
  t = t.contiguous();
  if (t.scalar_type() != torch::CppTypeToScalarType<T>::value) throw std::runtime_error("checkpoint: " + key + " has the wrong type");
  v.assign(t.data_ptr<T>(), t.data_ptr<T>() + t.numel());
}
template <typename T>
void read_array(torch::serialize::InputArchive& archive, const std::string& key, std::vector<T>& v) {
  torch::Tensor t;
  archive.read(key, t);
  tensor_to_array(t, key, v);
}
// Like write_array, without the copy: the archive refers to v, which must not change before the
// archive is saved. For the replay buffer, the largest array a checkpoint holds.
template <typename T>
void write_array_in_place(torch::serialize::OutputArchive& archive, const std::string& key, const std::vector<T>& v,
                          std::size_t count) {
  const auto n = static_cast<std::int64_t>(std::min(count, v.size()));
  archive.write(key, torch::from_blob(const_cast<T*>(v.data()), {n}, torch::CppTypeToScalarType<T>::value));
}
// A replay buffer's filled part (a 1M-transition buffer early in training is mostly empty), written
// in place: the buffer outlives the archive.
void write_replay(torch::serialize::OutputArchive& archive, ReplayBuffer& replay);
void read_replay(torch::serialize::InputArchive& archive, ReplayBuffer& replay);
// Copies the parameters stored under `key` into `values`, which must have as many.
void read_weights(torch::serialize::InputArchive& archive, const std::string& key, torch::Tensor& values);
void write_int(torch::serialize::OutputArchive& archive, const std::string& key, std::int64_t value);
std::int64_t read_int(torch::serialize::InputArchive& archive, const std::string& key);
void write_rng(torch::serialize::OutputArchive& archive, const std::string& key, const Rng& rng);
void read_rng(torch::serialize::InputArchive& archive, const std::string& key, Rng& rng);

}  // namespace expanse::agents
