#pragma once
// Reward scaling as Gymnasium's NormalizeReward (which CleanRL's continuous-action scripts wrap
// their envs in): each reward is divided by the running standard deviation of the discounted
// return. Why: a market episode's return is in the hundreds, so without it the critic's error
// dominates the shared gradient norm that PPO clips, and the policy barely moves.
#include <cstddef>
#include <vector>

namespace expanse::agents {

class RewardScaler {
 public:
  RewardScaler(std::size_t envs, double gamma) : gamma_(gamma), returns_(envs, 0.0) {}

  // Scales one vector step's rewards in place: `rewards[i]` of env i, whose episode ended there
  // when `ended[i]` is non-zero. The statistics take the step's discounted returns first, as
  // NormalizeReward does.
  void scale(std::vector<double>& rewards, const std::vector<float>& ended);

  // count, mean, variance, then the per-env discounted returns (the checkpoint's array).
  std::vector<double> state() const;
  void set_state(const std::vector<double>& state);

 private:
  void update(const std::vector<double>& batch);

  double gamma_;
  std::vector<double> returns_;
  double count_ = 1e-4, mean_ = 0.0, var_ = 1.0;  // Gymnasium's RunningMeanStd starts here
};

}  // namespace expanse::agents
