#pragma once
// The loss formulas of PPO and SAC as free functions, so that tests can check them against values
// computed by hand.
#include <torch/torch.h>

namespace expanse::agents {

struct PpoLoss {
  torch::Tensor policy;  // clipped surrogate, to minimise
  torch::Tensor value;   // ½ · (clipped) squared error
};
// log_ratio = log π_new(a|s) − log π_old(a|s); advantages normalised per minibatch when norm_adv.
PpoLoss ppo_loss(const torch::Tensor& log_ratio, torch::Tensor advantages, const torch::Tensor& new_values,
                 const torch::Tensor& returns, const torch::Tensor& old_values, double clip_coef, bool clip_vloss,
                 bool norm_adv);

// SAC's soft TD target r + γ·(1 − terminated)·(min(Q1', Q2') − α·log π(a'|s')), continuous actions
// (q: (batch, 1), next_log_prob: (batch, 1)) → (batch).
torch::Tensor sac_target(const torch::Tensor& rewards, const torch::Tensor& not_terminated, double gamma,
                         const torch::Tensor& q1_next, const torch::Tensor& q2_next, double alpha,
                         const torch::Tensor& next_log_prob);
// The discrete variant: the expectation over the policy, Σ_a π(a|s')·(min(Q1', Q2')(a) − α·log π(a|s')),
// replaces the sample (q: (batch, actions)).
torch::Tensor sac_discrete_target(const torch::Tensor& rewards, const torch::Tensor& not_terminated, double gamma,
                                  const torch::Tensor& q1_next, const torch::Tensor& q2_next, double alpha,
                                  const torch::Tensor& next_probs, const torch::Tensor& next_log_probs);

}  // namespace expanse::agents
