#include "agents/rl/flat_adam.hpp"

#include <Eigen/Core>
#include <cmath>

namespace expanse::agents {

FlatAdam::FlatAdam(FlatParameters& parameters, double learning_rate, double eps, double beta1, double beta2)
    : parameters_(&parameters),
      learning_rate_(learning_rate),
      eps_(eps),
      beta1_(beta1),
      beta2_(beta2),
      first_moment_(torch::zeros_like(parameters.values)),
      second_moment_(torch::zeros_like(parameters.values)) {}

// Plain loops over the flat buffers: for the parameter counts of these agents (10k–140k) eight
// LibTorch element-wise operators cost several times the arithmetic.
double FlatAdam::clip_grad_norm(double max_norm) {
  float* g = parameters_->grads.data_ptr<float>();
  const std::int64_t n = parameters_->grads.numel();
  double sum = 0;
  for (std::int64_t i = 0; i < n; ++i) sum += double{g[i]} * g[i];
  const double norm = std::sqrt(sum);
  if (max_norm > 0) {
    const double scale = max_norm / (norm + 1e-6);
    if (scale < 1)
      for (std::int64_t i = 0; i < n; ++i) g[i] = static_cast<float>(g[i] * scale);
  }
  return norm;
}

void FlatAdam::step() {
  ++steps_;
  using Array = Eigen::Map<Eigen::ArrayXf>;
  const std::int64_t n = parameters_->values.numel();
  const Eigen::Map<const Eigen::ArrayXf> g(parameters_->grads.data_ptr<float>(), n);
  Array p(parameters_->values.data_ptr<float>(), n);
  Array m(first_moment_.data_ptr<float>(), n);
  Array v(second_moment_.data_ptr<float>(), n);
  const auto b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
  const auto root_bias2 = static_cast<float>(std::sqrt(1 - std::pow(beta2_, static_cast<double>(steps_))));
  const auto step_size = static_cast<float>(learning_rate_ / (1 - std::pow(beta1_, static_cast<double>(steps_))));
  m = m * b1 + g * (1 - b1);
  v = v * b2 + g * g * (1 - b2);
  // Eigen's array square root is vectorised (std::sqrt in a loop is not: it may set errno).
  p -= step_size * m / (v.sqrt() / root_bias2 + static_cast<float>(eps_));
}

void FlatAdam::save(torch::serialize::OutputArchive& archive, const std::string& prefix) const {
  archive.write(prefix + ".m", first_moment_);
  archive.write(prefix + ".v", second_moment_);
  archive.write(prefix + ".steps", torch::tensor(steps_, torch::kInt64));
  archive.write(prefix + ".lr", torch::tensor(learning_rate_, torch::kFloat64));
}

void FlatAdam::load(torch::serialize::InputArchive& archive, const std::string& prefix) {
  torch::Tensor m, v, steps, lr;
  archive.read(prefix + ".m", m);
  archive.read(prefix + ".v", v);
  archive.read(prefix + ".steps", steps);
  archive.read(prefix + ".lr", lr);
  first_moment_.copy_(m);
  second_moment_.copy_(v);
  steps_ = steps.item<std::int64_t>();
  learning_rate_ = lr.item<double>();
}

}  // namespace expanse::agents
