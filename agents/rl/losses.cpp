#include "agents/rl/losses.hpp"

namespace expanse::agents {

PpoLoss ppo_loss(const torch::Tensor& log_ratio, torch::Tensor advantages, const torch::Tensor& new_values,
                 const torch::Tensor& returns, const torch::Tensor& old_values, double clip_coef, bool clip_vloss,
                 bool norm_adv) {
  const double c = clip_coef;
  if (norm_adv) advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);
  const torch::Tensor ratio = log_ratio.exp();
  PpoLoss loss;
  loss.policy = torch::max(-advantages * ratio, -advantages * torch::clamp(ratio, 1 - c, 1 + c)).mean();
  if (clip_vloss) {
    const torch::Tensor unclipped = (new_values - returns).pow(2);
    const torch::Tensor clipped = (old_values + torch::clamp(new_values - old_values, -c, c) - returns).pow(2);
    loss.value = 0.5 * torch::max(unclipped, clipped).mean();
  } else {
    loss.value = 0.5 * (new_values - returns).pow(2).mean();
  }
  return loss;
}

torch::Tensor sac_target(const torch::Tensor& rewards, const torch::Tensor& not_terminated, double gamma,
                         const torch::Tensor& q1_next, const torch::Tensor& q2_next, double alpha,
                         const torch::Tensor& next_log_prob) {
  const torch::Tensor soft = torch::min(q1_next, q2_next) - alpha * next_log_prob;
  return rewards + not_terminated * gamma * soft.view({-1});
}

torch::Tensor sac_discrete_target(const torch::Tensor& rewards, const torch::Tensor& not_terminated, double gamma,
                                  const torch::Tensor& q1_next, const torch::Tensor& q2_next, double alpha,
                                  const torch::Tensor& next_probs, const torch::Tensor& next_log_probs) {
  const torch::Tensor expected = (next_probs * (torch::min(q1_next, q2_next) - alpha * next_log_probs)).sum(1);
  return rewards + not_terminated * gamma * expected;
}

}  // namespace expanse::agents
