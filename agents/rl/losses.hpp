#pragma once
// The loss formulas of PPO and SAC as free functions, so that tests can check them against values
// computed by hand.
#include <algorithm>
#include <span>

#include <torch/torch.h>

namespace expanse::agents {

// PPO's loss terms on one minibatch of n rows, on plain arrays (the update runs without autograd).
struct PpoLoss {
  double policy = 0;  // clipped surrogate, to minimise
  double value = 0;   // ½ · (clipped) squared error
  double old_approx_kl = 0, approx_kl = 0, clipfrac = 0;  // diagnostics, as CleanRL logs them
};
// log_ratio = log π_new(a|s) − log π_old(a|s); advantages are normalised per minibatch when
// norm_adv. Writes ∂policy/∂log π_new into grad_log_prob and ∂value/∂new_value into grad_value
// (n each).
PpoLoss ppo_loss(std::span<const double> log_ratio, std::span<const float> advantages,
                 std::span<const float> new_values, std::span<const float> returns, std::span<const float> old_values,
                 double clip_coef, bool clip_vloss, bool norm_adv, std::span<double> grad_log_prob,
                 std::span<double> grad_value);

// SAC's soft TD target r + γ·(1 − terminated)·(min(Q1', Q2') − α·log π(a'|s')), continuous actions.
inline double sac_target(double reward, double not_terminated, double gamma, double q1_next, double q2_next,
                         double alpha, double next_log_prob) {
  return reward + not_terminated * gamma * (std::min(q1_next, q2_next) - alpha * next_log_prob);
}
// The discrete variant: the expectation over the policy, Σ_a π(a|s')·(min(Q1', Q2')(a) − α·log π(a|s')),
// replaces the sample (q: (batch, actions)).
torch::Tensor sac_discrete_target(const torch::Tensor& rewards, const torch::Tensor& not_terminated, double gamma,
                                  const torch::Tensor& q1_next, const torch::Tensor& q2_next, double alpha,
                                  const torch::Tensor& next_probs, const torch::Tensor& next_log_probs);

}  // namespace expanse::agents
