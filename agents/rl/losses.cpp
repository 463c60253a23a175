#include "agents/rl/losses.hpp"

#include <algorithm>
#include <cmath>

namespace expanse::agents {

PpoLoss ppo_loss(std::span<const double> log_ratio, std::span<const float> advantages,
                 std::span<const float> new_values, std::span<const float> returns, std::span<const float> old_values,
                 double clip_coef, bool clip_vloss, bool norm_adv, std::span<double> grad_log_prob,
                 std::span<double> grad_value) {
  const std::size_t n = log_ratio.size();
  const double c = clip_coef, inv_n = 1.0 / static_cast<double>(n);
  double adv_mean = 0, adv_scale = 1;
  if (norm_adv) {  // (A − mean) / (sample std + 1e-8), as CleanRL
    for (float a : advantages) adv_mean += a;
    adv_mean *= inv_n;
    double squares = 0;
    for (float a : advantages) squares += (a - adv_mean) * (a - adv_mean);
    adv_scale = 1 / (std::sqrt(squares / static_cast<double>(n - 1)) + 1e-8);
  }
  PpoLoss loss;
  for (std::size_t i = 0; i < n; ++i) {
    const double advantage = (advantages[i] - adv_mean) * adv_scale;
    const double ratio = std::exp(log_ratio[i]);
    const double unclipped = -advantage * ratio, clipped = -advantage * std::clamp(ratio, 1 - c, 1 + c);
    loss.policy += std::max(unclipped, clipped) * inv_n;
    // The maximum takes the unclipped term's gradient (−A·r) whenever it is the larger; when the
    // clipped term is larger the ratio is outside [1−c, 1+c] and its gradient is 0.
    grad_log_prob[i] = unclipped >= clipped ? -advantage * ratio * inv_n : 0.0;
    loss.old_approx_kl -= log_ratio[i] * inv_n;
    loss.approx_kl += (ratio - 1 - log_ratio[i]) * inv_n;
    loss.clipfrac += (std::abs(ratio - 1) > c ? 1.0 : 0.0) * inv_n;

    const double error = double{new_values[i]} - returns[i];
    if (!clip_vloss) {
      loss.value += 0.5 * error * error * inv_n;
      grad_value[i] = error * inv_n;
      continue;
    }
    const double step = double{new_values[i]} - old_values[i];
    const double clipped_error = old_values[i] + std::clamp(step, -c, c) - returns[i];
    const double u = error * error, v = clipped_error * clipped_error;
    loss.value += 0.5 * std::max(u, v) * inv_n;
    const double grad_unclipped = error, grad_clipped = std::abs(step) <= c ? clipped_error : 0.0;
    // On a tie the maximum's gradient is split evenly, as PyTorch's.
    grad_value[i] = (u > v ? grad_unclipped : u < v ? grad_clipped : 0.5 * (grad_unclipped + grad_clipped)) * inv_n;
  }
  return loss;
}

torch::Tensor sac_discrete_target(const torch::Tensor& rewards, const torch::Tensor& not_terminated, double gamma,
                                  const torch::Tensor& q1_next, const torch::Tensor& q2_next, double alpha,
                                  const torch::Tensor& next_probs, const torch::Tensor& next_log_probs) {
  const torch::Tensor expected = (next_probs * (torch::min(q1_next, q2_next) - alpha * next_log_probs)).sum(1);
  return rewards + not_terminated * gamma * expected;
}

}  // namespace expanse::agents
