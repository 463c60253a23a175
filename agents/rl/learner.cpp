#include "agents/rl/learner.hpp"

#include <cmath>
#include <cstring>

namespace expanse::agents {

ActionShape::ActionShape(const Space& space) {
  if (const auto* d = std::get_if<Discrete>(&space)) {
    nvec = {d->n};
  } else if (const auto* m = std::get_if<MultiDiscrete>(&space)) {
    nvec = m->nvec;
  } else {
    const auto& b = std::get<Box>(space);
    box = true;
    low = b.low;
    high = b.high;
  }
}

std::int32_t ActionShape::total_choices() const {
  std::int32_t total = 0;
  for (auto n : nvec) total += n;
  return total;
}

void check_finite(double value, const char* name, std::int64_t global_step) {
  if (!std::isfinite(value)) throw NonFiniteLoss(global_step, name);
}

std::unique_ptr<Learner> make_learner(const AgentConfig& config, const Env& prototype, std::int64_t total_steps,
                                      std::uint64_t seed) {
  Rng init_rng(derive_seed(seed, 0x1417));  // network initialisation only
  // Each algorithm's make_learner overload, declared beside its config (NAME_config.hpp).
  return std::visit([&](const auto& c) { return make_learner(c, prototype, total_steps, init_rng); }, config.algorithm);
}

std::size_t replay_capacity(int buffer_size, std::int64_t total_steps, int num_envs) {
  return static_cast<std::size_t>(std::min<std::int64_t>(buffer_size, std::max<std::int64_t>(1, total_steps + num_envs)));
}

torch::Tensor as_tensor(std::vector<float>& values, std::vector<std::int64_t> shape) {
  return torch::from_blob(values.data(), shape, torch::kFloat32);
}

torch::Tensor as_tensor(std::span<const float> values, std::vector<std::int64_t> shape) {
  return torch::from_blob(const_cast<float*>(values.data()), shape, torch::kFloat32);
}

torch::Tensor mask_tensor(std::span<const std::uint8_t> masks, std::int64_t rows, std::int64_t n) {
  if (n == 0) return {};
  return torch::from_blob(const_cast<std::uint8_t*>(masks.data()), {rows, n}, torch::kUInt8);
}

void read_weights(torch::serialize::InputArchive& archive, const std::string& key, torch::Tensor& values) {
  torch::Tensor stored;
  archive.read(key, stored);
  if (stored.numel() != values.numel())
    throw std::runtime_error("its " + key + " network has " + std::to_string(stored.numel()) +
                             " parameters, this env's needs " + std::to_string(values.numel()) +
                             " (another network, or a scenario with other products or observation blocks)");
  torch::NoGradGuard no_grad;
  values.copy_(stored.view_as(values));
}

void write_int(torch::serialize::OutputArchive& archive, const std::string& key, std::int64_t value) {
  archive.write(key, torch::tensor(value, torch::kInt64));
}

std::int64_t read_int(torch::serialize::InputArchive& archive, const std::string& key) {
  torch::Tensor t;
  archive.read(key, t);
  return t.item<std::int64_t>();
}

void write_rng(torch::serialize::OutputArchive& archive, const std::string& key, const Rng& rng) {
  const auto state = rng.state();
  std::vector<std::int64_t> words(4);
  std::memcpy(words.data(), state.data(), sizeof(state));
  write_array(archive, key, words);
}

void read_rng(torch::serialize::InputArchive& archive, const std::string& key, Rng& rng) {
  std::vector<std::int64_t> words;
  read_array(archive, key, words);
  if (words.size() != 4) throw std::runtime_error("checkpoint: " + key + " is not an RNG state");
  std::array<std::uint64_t, 4> state;
  std::memcpy(state.data(), words.data(), sizeof(state));
  rng.set_state(state);
}

void write_replay(torch::serialize::OutputArchive& archive, ReplayBuffer& replay) {
  const std::size_t rows = replay.size(), capacity = replay.capacity();
  auto a = replay.arrays();
  auto part = [&](const auto& v) { return v.size() / capacity * rows; };
  write_array_in_place(archive, "replay.obs", a.observations, part(a.observations));
  write_array_in_place(archive, "replay.next_obs", a.next_observations, part(a.next_observations));
  write_array_in_place(archive, "replay.indices", a.indices, part(a.indices));
  write_array_in_place(archive, "replay.values", a.values, part(a.values));
  write_array_in_place(archive, "replay.rewards", a.rewards, rows);
  write_array_in_place(archive, "replay.terminated", a.terminated, rows);
  write_array_in_place(archive, "replay.truncated", a.truncated, rows);
  write_array_in_place(archive, "replay.steps", a.steps, rows);
  write_array_in_place(archive, "replay.next_masks", a.next_masks, part(a.next_masks));
  write_int(archive, "replay.position", static_cast<std::int64_t>(replay.position()));
  write_int(archive, "replay.full", replay.full());
}

void read_replay(torch::serialize::InputArchive& archive, ReplayBuffer& replay) {
  auto a = replay.arrays();
  // One array into the buffer's, which keeps its full size: the checkpoint holds the filled part.
  auto fill = [&](const char* key, const torch::Tensor& t, auto& v) {
    const std::size_t full_size = v.size();
    tensor_to_array(t, key, v);
    if (v.size() > full_size) throw std::runtime_error(std::string("checkpoint: ") + key + " is larger than the buffer");
    v.resize(full_size);
  };
  auto read = [&](const char* key, auto& v) {
    torch::Tensor t;
    archive.read(key, t);
    fill(key, t, v);
  };
  read("replay.obs", a.observations);
  read("replay.next_obs", a.next_observations);
  read("replay.indices", a.indices);
  read("replay.values", a.values);
  read("replay.rewards", a.rewards);
  read("replay.terminated", a.terminated);
  read("replay.truncated", a.truncated);
  // Checkpoints written before n-step returns existed have no step counts: every transition is one step.
  torch::Tensor steps;
  if (archive.try_read("replay.steps", steps)) fill("replay.steps", steps, a.steps);
  read("replay.next_masks", a.next_masks);
  replay.set_cursor(static_cast<std::size_t>(read_int(archive, "replay.position")), read_int(archive, "replay.full") != 0);
}

}  // namespace expanse::agents
