#pragma once
// The action distributions of the agents, as functions of network outputs. Sampling draws from
// the project's Rng (on the CPU values), so that a checkpoint's four words of RNG state are all
// it takes to resume the exact same stream.
#include <torch/torch.h>

#include <cstdint>
#include <span>
#include <vector>

#include "common/rng.hpp"

namespace expanse::agents {

// Logits with invalid actions (mask 0) pushed to −1e8, as CleanRL's invalid-action masking:
// their probability is exactly 0 in float32. `mask` is (batch, n) uint8, or undefined for none.
torch::Tensor masked_logits(const torch::Tensor& logits, const torch::Tensor& mask);

// A categorical distribution per row of logits (batch, n).
struct Categorical {
  explicit Categorical(const torch::Tensor& logits);
  torch::Tensor log_prob(const torch::Tensor& actions) const;  // actions (batch) int64 → (batch)
  torch::Tensor entropy() const;                               // (batch)
  torch::Tensor probs() const { return log_probs.exp(); }
  torch::Tensor log_probs;  // normalised, (batch, n)
};

// Samples one index per row (and per block) from probabilities by inversion of the CDF.
void sample_categorical(const torch::Tensor& probs, Rng& rng, std::span<std::int64_t> out);
void argmax_rows(const torch::Tensor& values, std::span<std::int64_t> out);

// The same distributions on plain arrays, for acting without LibTorch (see Mlp::forward_fast).
// A categorical over `n` logits, invalid actions (mask 0; mask may be null) excluded: draws an
// index and adds its log-probability to `log_prob`.
std::int32_t sample_logits(const float* logits, const std::uint8_t* mask, int n, Rng& rng, double& log_prob);
// The index of the largest valid value (0 when none is valid).
std::int32_t argmax_valid(const float* values, const std::uint8_t* mask, int n);
// argmax_valid for every component of a (Multi)Discrete action: `values` and `mask` (null: all
// valid) hold Σ nvec entries, component after component.
void argmax_components(const float* values, const std::uint8_t* mask, std::span<const std::int32_t> nvec,
                       std::span<std::int32_t> indices);

// The policy terms of PPO's update, which runs on plain arrays without autograd (see Mlp::backward).
// Each function returns log π(action) and the entropy H and, given `grad`, adds
// w_log_prob·∂log π/∂input + w_entropy·∂H/∂input into it.
struct PolicyTerms {
  double log_prob = 0, entropy = 0;
};
// A categorical over n logits; masked entries (mask 0; mask may be null) have probability 0 and
// receive no gradient.
PolicyTerms categorical_terms(const float* logits, const std::uint8_t* mask, int n, int action, double w_log_prob = 0,
                              double w_entropy = 0, float* grad = nullptr);
// A Gaussian with diagonal covariance over `dims` values (PPO's continuous actions); gradients go
// to the mean and the log-std.
PolicyTerms gaussian_terms(const float* mean, const float* log_std, const float* x, int dims, double w_log_prob = 0,
                           double w_entropy = 0, float* grad_mean = nullptr, float* grad_log_std = nullptr);

// SAC's squashed Gaussian (CleanRL's Actor.get_action) on plain arrays. The actor outputs, per row,
// `dims` means and then `dims` raw log-stds, squashed into [kLogStdMin, kLogStdMax] by tanh;
// u ~ N(mean, std), action = tanh(u)·scale + bias, and the log-density includes the change of
// variables (Haarnoja et al. 2018, appendix C; +1e-6 as CleanRL). The noise comes from `rng`, row
// by row.
inline constexpr double kLogStdMin = -5, kLogStdMax = 2;
struct TanhGaussianSample {
  std::vector<float> action;     // rows × dims
  std::vector<float> noise;      // rows × dims, (u − mean)/std
  std::vector<float> squashed;   // rows × dims, tanh(u)
  std::vector<float> slope;      // rows × dims, 1 − tanh²(u), computed before rounding (it can be ~1e-6)
  std::vector<float> log_std;    // rows × dims, after squashing
  std::vector<float> raw_tanh;   // rows × dims, tanh(raw log-std), for the gradient
  std::vector<double> log_prob;  // rows
};
void sample_tanh_gaussian(const float* out, int rows, int dims, const float* scale, const float* bias, Rng& rng,
                          TanhGaussianSample& sample);
// Reparameterised gradient: given ∂loss/∂action (rows × dims) and ∂loss/∂log_prob (the same for
// every row), writes ∂loss/∂out (rows × 2·dims) through the sample's fixed noise.
void tanh_gaussian_gradient(const TanhGaussianSample& sample, int rows, int dims, const float* scale,
                            const float* grad_action, double grad_log_prob, float* grad_out);
// The deterministic action tanh(mean)·scale + bias of one row.
void tanh_gaussian_mean_action(const float* out, int dims, const float* scale, const float* bias, float* action);

}  // namespace expanse::agents
