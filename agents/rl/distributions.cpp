#include "agents/rl/distributions.hpp"

#include <cmath>

#include "agents/rl/mlp.hpp"

namespace expanse::agents {

torch::Tensor masked_logits(const torch::Tensor& logits, const torch::Tensor& mask) {
  if (!mask.defined()) return logits;
  return torch::where(mask.to(torch::kBool), logits, torch::full({}, -1e8f));
}

Categorical::Categorical(const torch::Tensor& logits) : log_probs(torch::log_softmax(logits, -1)) {}

torch::Tensor Categorical::log_prob(const torch::Tensor& actions) const {
  return log_probs.gather(1, actions.unsqueeze(1)).squeeze(1);
}

torch::Tensor Categorical::entropy() const {
  // p·log p is 0·(−1e8) = 0 for masked actions, not NaN.
  return -(log_probs.exp() * log_probs).sum(-1);
}

void sample_categorical(const torch::Tensor& probs, Rng& rng, std::span<std::int64_t> out) {
  const torch::Tensor p = probs.contiguous();
  const std::int64_t rows = p.size(0), n = p.size(1);
  const float* data = p.data_ptr<float>();
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* row = data + i * n;
    double total = 0;
    for (std::int64_t a = 0; a < n; ++a) total += row[a];
    const double u = rng.uniform() * total;
    double cumulative = 0;
    std::int64_t chosen = -1;
    for (std::int64_t a = 0; a < n; ++a) {
      if (row[a] <= 0) continue;  // never pick a masked action, even at u = 0
      chosen = a;
      cumulative += row[a];
      if (u < cumulative) break;
    }
    out[static_cast<std::size_t>(i)] = chosen < 0 ? 0 : chosen;
  }
}

void argmax_rows(const torch::Tensor& values, std::span<std::int64_t> out) {
  const torch::Tensor v = values.contiguous();
  const std::int64_t rows = v.size(0), n = v.size(1);
  const float* data = v.data_ptr<float>();
  for (std::int64_t i = 0; i < rows; ++i) {
    std::int64_t best = 0;
    for (std::int64_t a = 1; a < n; ++a)
      if (data[i * n + a] > data[i * n + best]) best = a;
    out[static_cast<std::size_t>(i)] = best;
  }
}

std::int32_t sample_logits(const float* logits, const std::uint8_t* mask, int n, Rng& rng, double& log_prob) {
  double top = -INFINITY;
  for (int a = 0; a < n; ++a)
    if (!mask || mask[a]) top = std::max(top, static_cast<double>(logits[a]));
  if (top == -INFINITY) return 0;  // nothing valid: the env treats the action as a no-op
  double total = 0;
  for (int a = 0; a < n; ++a)
    if (!mask || mask[a]) total += std::exp(logits[a] - top);
  const double u = rng.uniform() * total;
  double cumulative = 0;
  int chosen = -1;
  for (int a = 0; a < n; ++a) {
    if (mask && !mask[a]) continue;
    chosen = a;
    cumulative += std::exp(logits[a] - top);
    if (u < cumulative) break;
  }
  log_prob += logits[chosen] - top - std::log(total);
  return chosen;
}

std::int32_t argmax_valid(const float* values, const std::uint8_t* mask, int n) {
  int best = -1;
  for (int a = 0; a < n; ++a)
    if ((!mask || mask[a]) && (best < 0 || values[a] > values[best])) best = a;
  return best < 0 ? 0 : best;
}

void argmax_components(const float* values, const std::uint8_t* mask, std::span<const std::int32_t> nvec,
                       std::span<std::int32_t> indices) {
  std::int32_t offset = 0;
  for (std::size_t b = 0; b < nvec.size(); ++b) {
    indices[b] = argmax_valid(values + offset, mask ? mask + offset : nullptr, nvec[b]);
    offset += nvec[b];
  }
}

PolicyTerms categorical_terms(const float* logits, const std::uint8_t* mask, int n, int action, double w_log_prob,
                              double w_entropy, float* grad) {
  double top = -INFINITY;
  for (int a = 0; a < n; ++a)
    if (!mask || mask[a]) top = std::max(top, static_cast<double>(logits[a]));
  if (top == -INFINITY) return {};
  double total = 0;
  for (int a = 0; a < n; ++a)
    if (!mask || mask[a]) total += std::exp(logits[a] - top);
  const double log_normaliser = top + std::log(total);
  PolicyTerms terms{logits[action] - log_normaliser, 0};
  for (int a = 0; a < n; ++a) {
    if (mask && !mask[a]) continue;
    const double log_p = logits[a] - log_normaliser;
    terms.entropy -= std::exp(log_p) * log_p;
  }
  if (!grad) return terms;
  // ∂log π(k)/∂z_a = [a = k] − p_a;  ∂H/∂z_a = −p_a·(log p_a + H).
  for (int a = 0; a < n; ++a) {
    if (mask && !mask[a]) continue;
    const double log_p = logits[a] - log_normaliser, p = std::exp(log_p);
    grad[a] += static_cast<float>(w_log_prob * ((a == action ? 1.0 : 0.0) - p) - w_entropy * p * (log_p + terms.entropy));
  }
  return terms;
}

PolicyTerms gaussian_terms(const float* mean, const float* log_std, const float* x, int dims, double w_log_prob,
                           double w_entropy, float* grad_mean, float* grad_log_std) {
  static const double half_log_two_pi = 0.5 * std::log(2 * M_PI);
  PolicyTerms terms;
  for (int d = 0; d < dims; ++d) {
    const double z = (double{x[d]} - mean[d]) * std::exp(-double{log_std[d]});
    terms.log_prob += -0.5 * z * z - log_std[d] - half_log_two_pi;
    terms.entropy += 0.5 + half_log_two_pi + log_std[d];
    if (!grad_mean) continue;
    // ∂log p/∂μ = z/σ;  ∂log p/∂log σ = z² − 1;  ∂H/∂log σ = 1.
    grad_mean[d] += static_cast<float>(w_log_prob * z * std::exp(-double{log_std[d]}));
    grad_log_std[d] += static_cast<float>(w_log_prob * (z * z - 1) + w_entropy);
  }
  return terms;
}

void sample_tanh_gaussian(const float* out, int rows, int dims, const float* scale, const float* bias, Rng& rng,
                          TanhGaussianSample& sample) {
  static const double half_log_two_pi = 0.5 * std::log(2 * M_PI);
  const auto n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(dims);
  sample.action.resize(n);
  sample.noise.resize(n);
  sample.squashed.resize(n);
  sample.slope.resize(n);
  sample.log_std.resize(n);
  sample.raw_tanh.resize(n);
  sample.log_prob.assign(static_cast<std::size_t>(rows), 0.0);
  for (int i = 0; i < rows; ++i) {
    const float* mean = out + static_cast<std::ptrdiff_t>(i) * 2 * dims;
    const float* raw = mean + dims;
    for (int d = 0; d < dims; ++d) {
      const std::size_t e = static_cast<std::size_t>(i) * static_cast<std::size_t>(dims) + static_cast<std::size_t>(d);
      const double t = std::tanh(double{raw[d]});
      const double log_std = kLogStdMin + 0.5 * (kLogStdMax - kLogStdMin) * (t + 1);
      const double z = rng.normal();
      const double y = std::tanh(mean[d] + std::exp(log_std) * z);
      sample.noise[e] = static_cast<float>(z);
      sample.squashed[e] = static_cast<float>(y);
      sample.slope[e] = static_cast<float>(1 - y * y);
      sample.log_std[e] = static_cast<float>(log_std);
      sample.raw_tanh[e] = static_cast<float>(t);
      sample.action[e] = static_cast<float>(y * scale[d] + bias[d]);
      // N(u; mean, std) with (u − mean)/std = z, then the Jacobian of tanh and the scale.
      sample.log_prob[static_cast<std::size_t>(i)] +=
          -0.5 * z * z - log_std - half_log_two_pi - std::log(scale[d] * (1 - y * y) + 1e-6);
    }
  }
}

void tanh_gaussian_gradient(const TanhGaussianSample& sample, int rows, int dims, const float* scale,
                            const float* grad_action, double grad_log_prob, float* grad_out) {
  for (int i = 0; i < rows; ++i) {
    float* g_mean = grad_out + static_cast<std::ptrdiff_t>(i) * 2 * dims;
    float* g_raw = g_mean + dims;
    for (int d = 0; d < dims; ++d) {
      const std::size_t e = static_cast<std::size_t>(i) * static_cast<std::size_t>(dims) + static_cast<std::size_t>(d);
      const double y = sample.squashed[e], slope = sample.slope[e], log_std = sample.log_std[e];
      // log_prob depends on u only through −log(scale·(1 − y²) + 1e-6), and directly on log_std (−1);
      // the Gaussian's own term is −z²/2, fixed by the noise.
      const double jacobian = scale[d] * slope;
      const double d_y = grad_action[e] * scale[d] + grad_log_prob * 2 * scale[d] * y / (jacobian + 1e-6);
      const double d_u = d_y * slope;
      const double d_log_std = d_u * std::exp(log_std) * sample.noise[e] - grad_log_prob;
      // log_std = min + ½(max − min)(tanh(raw) + 1)  ⇒  ∂log_std/∂raw = ½(max − min)(1 − tanh²(raw)).
      const double t = sample.raw_tanh[e];
      g_mean[d] = static_cast<float>(d_u);
      g_raw[d] = static_cast<float>(d_log_std * 0.5 * (kLogStdMax - kLogStdMin) * (1 - t * t));
    }
  }
}

void tanh_gaussian_mean_action(const float* out, int dims, const float* scale, const float* bias, float* action) {
  for (int d = 0; d < dims; ++d) action[d] = static_cast<float>(std::tanh(double{out[d]}) * scale[d] + bias[d]);
}

}  // namespace expanse::agents
