#include "agents/rl/n_step_window.hpp"

#include <algorithm>

namespace expanse::agents {

NStepWindow::NStepWindow(std::size_t n, std::size_t obs_size, std::size_t index_size, double gamma)
    : observations(n * obs_size), actions(n * index_size), rewards(n), obs_size_(obs_size), index_size_(index_size),
      gamma_(gamma) {}

void NStepWindow::step(std::span<const float> observation, std::span<const std::int32_t> action, double reward,
                       std::span<const float> next, bool terminated, bool truncated,
                       std::span<const std::uint8_t> next_mask, ReplayBuffer& replay) {
  const std::size_t slot = (start + count) % n();
  std::copy_n(observation.begin(), obs_size_, observations.begin() + static_cast<std::ptrdiff_t>(slot * obs_size_));
  std::copy_n(action.begin(), index_size_, actions.begin() + static_cast<std::ptrdiff_t>(slot * index_size_));
  rewards[slot] = reward;
  ++count;
  if (terminated || truncated) {
    while (count > 0) emit_oldest(next, terminated, truncated, next_mask, replay);
  } else if (count == n()) {
    emit_oldest(next, false, false, next_mask, replay);
  }
}

void NStepWindow::emit_oldest(std::span<const float> next, bool terminated, bool truncated,
                              std::span<const std::uint8_t> next_mask, ReplayBuffer& replay) {
  double sum = 0, discount = 1;
  for (std::size_t k = 0; k < count; ++k) {
    sum += discount * rewards[(start + k) % n()];
    discount *= gamma_;
  }
  replay.add(std::span<const float>(observations).subspan(start * obs_size_, obs_size_), next,
             std::span<const std::int32_t>(actions).subspan(start * index_size_, index_size_), {}, sum, terminated,
             truncated, next_mask, static_cast<std::uint8_t>(count));
  start = (start + 1) % n();
  --count;
}

}  // namespace expanse::agents
