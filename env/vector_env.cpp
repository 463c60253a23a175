#include "env/vector_env.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/rng.hpp"

namespace expanse {

VectorBuffers::VectorBuffers(const VectorEnv& envs)
    : observations(envs.size() * envs.observation_size()),
      final_observations(envs.size() * envs.observation_size()),
      rewards(envs.size()),
      terminated(envs.size()),
      truncated(envs.size()),
      invalid_actions(envs.size()),
      events(envs.size()),
      action_masks(envs.size() * envs.mask_size()),
      episode_returns(envs.size()),
      episode_lengths(envs.size()) {}

std::span<float> VectorBuffers::observation(std::size_t i) {
  const std::size_t d = observations.size() / rewards.size();
  return std::span<float>(observations).subspan(i * d, d);
}

std::span<float> VectorBuffers::final_observation(std::size_t i) {
  const std::size_t d = final_observations.size() / rewards.size();
  return std::span<float>(final_observations).subspan(i * d, d);
}

VectorEnv::VectorEnv(const Env& prototype, std::size_t num_envs)
    : env_seeds_(num_envs),
      episodes_started_(num_envs),
      running_returns_(num_envs),
      running_lengths_(num_envs),
      journal_indices_(num_envs),
      journal_values_(num_envs) {
  if (num_envs == 0) throw std::invalid_argument("VectorEnv needs at least one environment");
  envs_.reserve(num_envs);
  for (std::size_t i = 0; i < num_envs; ++i) envs_.push_back(prototype.clone());
  observation_size_ = prototype.observation_size();
  action_size_ = flat_size(prototype.action_space());
  mask_size_ = expanse::mask_size(prototype.action_space());
  box_actions_ = is_box(prototype.action_space());
}

// Env i's row of an E × observation_size buffer (without VectorBuffers::observation's division).
std::span<float> VectorEnv::observation_row(std::vector<float>& buffer, std::size_t i) const {
  return std::span<float>(buffer).subspan(i * observation_size_, observation_size_);
}

void VectorEnv::start_episode(std::size_t i, VectorBuffers& out) {
  envs_[i]->reset(derive_seed(env_seeds_[i], episodes_started_[i]++), observation_row(out.observations, i));
  running_returns_[i] = 0.0;
  running_lengths_[i] = 0;
  journal_indices_[i].clear();
  journal_values_[i].clear();
  if (mask_size_ > 0)
    envs_[i]->action_mask(std::span<std::uint8_t>(out.action_masks).subspan(i * mask_size_, mask_size_));
}

void VectorEnv::reset(std::uint64_t seed, VectorBuffers& out) {
  for (std::size_t i = 0; i < envs_.size(); ++i) {
    env_seeds_[i] = derive_seed(seed, i);
    episodes_started_[i] = 0;
    start_episode(i, out);
    out.rewards[i] = 0.0;
    out.terminated[i] = out.truncated[i] = out.invalid_actions[i] = 0;
    out.events[i] = 0;
  }
}

void VectorEnv::step(std::span<const std::int32_t> indices, std::span<const float> values, VectorBuffers& out) {
  const std::size_t needed = envs_.size() * action_size_;
  if ((box_actions_ ? values.size() : indices.size()) != needed)
    throw std::invalid_argument("VectorEnv::step: action buffer has the wrong size");
  for (std::size_t i = 0; i < envs_.size(); ++i) {
    Action action;
    if (box_actions_)
      action.values = values.subspan(i * action_size_, action_size_);
    else
      action.indices = indices.subspan(i * action_size_, action_size_);
    if (recording_) {
      journal_indices_[i].insert(journal_indices_[i].end(), action.indices.begin(), action.indices.end());
      journal_values_[i].insert(journal_values_[i].end(), action.values.begin(), action.values.end());
    }
    const StepResult r = envs_[i]->step(action, observation_row(out.observations, i));
    out.rewards[i] = r.reward;
    out.terminated[i] = r.terminated;
    out.truncated[i] = r.truncated;
    out.invalid_actions[i] = r.invalid_action;
    out.events[i] = r.events;
    running_returns_[i] += r.reward;
    ++running_lengths_[i];
    if (r.terminated || r.truncated) {
      const auto obs = observation_row(out.observations, i);
      std::copy(obs.begin(), obs.end(), observation_row(out.final_observations, i).begin());
      out.episode_returns[i] = running_returns_[i];
      out.episode_lengths[i] = running_lengths_[i];
      start_episode(i, out);
    } else if (mask_size_ > 0) {
      envs_[i]->action_mask(std::span<std::uint8_t>(out.action_masks).subspan(i * mask_size_, mask_size_));
    }
  }
}

VectorEnvState VectorEnv::state() const {
  if (!recording_) throw std::logic_error("VectorEnv::state needs record_actions(true) from the reset on");
  return {env_seeds_, episodes_started_, journal_indices_, journal_values_};
}

void VectorEnv::restore(const VectorEnvState& state, VectorBuffers& out) {
  const std::size_t n = envs_.size();
  if (state.env_seeds.size() != n || state.episodes_started.size() != n || state.indices.size() != n ||
      state.values.size() != n)
    throw std::invalid_argument("VectorEnv::restore: the state is for a different number of envs");
  const bool was_recording = recording_;
  recording_ = true;
  for (std::size_t i = 0; i < n; ++i) {
    if (state.episodes_started[i] == 0) throw std::invalid_argument("VectorEnv::restore: env was never reset");
    env_seeds_[i] = state.env_seeds[i];
    episodes_started_[i] = state.episodes_started[i] - 1;
    start_episode(i, out);
    const std::size_t per_step = action_size_;
    const auto& journal_length = box_actions_ ? state.values[i].size() : state.indices[i].size();
    if (per_step == 0 || journal_length % per_step != 0)
      throw std::invalid_argument("VectorEnv::restore: a journal does not hold whole actions");
    for (std::size_t t = 0; t < journal_length / per_step; ++t) {
      Action action;
      if (box_actions_)
        action.values = std::span<const float>(state.values[i]).subspan(t * per_step, per_step);
      else
        action.indices = std::span<const std::int32_t>(state.indices[i]).subspan(t * per_step, per_step);
      journal_indices_[i].insert(journal_indices_[i].end(), action.indices.begin(), action.indices.end());
      journal_values_[i].insert(journal_values_[i].end(), action.values.begin(), action.values.end());
      const StepResult r = envs_[i]->step(action, observation_row(out.observations, i));
      running_returns_[i] += r.reward;
      ++running_lengths_[i];
      if (r.terminated || r.truncated)
        throw std::invalid_argument("VectorEnv::restore: replaying the journal ended an episode (not this env's state)");
    }
    if (mask_size_ > 0)
      envs_[i]->action_mask(std::span<std::uint8_t>(out.action_masks).subspan(i * mask_size_, mask_size_));
    out.rewards[i] = 0.0;
    out.terminated[i] = out.truncated[i] = out.invalid_actions[i] = 0;
    out.events[i] = 0;
  }
  recording_ = was_recording;
}

}  // namespace expanse
