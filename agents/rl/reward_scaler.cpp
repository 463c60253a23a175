#include "agents/rl/reward_scaler.hpp"

#include <cmath>
#include <stdexcept>

namespace expanse::agents {

void RewardScaler::scale(std::vector<double>& rewards, const std::vector<float>& ended) {
  for (std::size_t i = 0; i < returns_.size(); ++i) returns_[i] = returns_[i] * gamma_ + rewards[i];
  update(returns_);
  const double scale = 1.0 / std::sqrt(var_ + 1e-8);
  for (std::size_t i = 0; i < returns_.size(); ++i) {
    rewards[i] *= scale;
    if (ended[i] != 0.f) returns_[i] = 0.0;
  }
}

// Chan et al.'s parallel update of mean and variance by a batch (as RunningMeanStd).
void RewardScaler::update(const std::vector<double>& batch) {
  const auto n = static_cast<double>(batch.size());
  double batch_mean = 0, batch_var = 0;
  for (double x : batch) batch_mean += x;
  batch_mean /= n;
  for (double x : batch) batch_var += (x - batch_mean) * (x - batch_mean);
  batch_var /= n;
  const double delta = batch_mean - mean_, total = count_ + n;
  mean_ += delta * n / total;
  var_ = (var_ * count_ + batch_var * n + delta * delta * count_ * n / total) / total;
  count_ = total;
}

std::vector<double> RewardScaler::state() const {
  std::vector<double> s{count_, mean_, var_};
  s.insert(s.end(), returns_.begin(), returns_.end());
  return s;
}

void RewardScaler::set_state(const std::vector<double>& state) {
  if (state.size() != 3 + returns_.size()) throw std::runtime_error("checkpoint: reward_scaler has the wrong size");
  count_ = state[0];
  mean_ = state[1];
  var_ = state[2];
  returns_.assign(state.begin() + 3, state.end());
}

}  // namespace expanse::agents
