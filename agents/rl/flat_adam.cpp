#include "agents/rl/flat_adam.hpp"

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

double FlatAdam::clip_grad_norm(double max_norm) {
  torch::NoGradGuard no_grad;
  const double norm = parameters_->grads.norm().item<double>();
  if (max_norm > 0) {
    const double scale = max_norm / (norm + 1e-6);
    if (scale < 1) parameters_->grads.mul_(scale);
  }
  return norm;
}

void FlatAdam::step() {
  torch::NoGradGuard no_grad;
  ++steps_;
  const torch::Tensor& g = parameters_->grads;
  first_moment_.mul_(beta1_).add_(g, 1 - beta1_);
  second_moment_.mul_(beta2_).addcmul_(g, g, 1 - beta2_);
  const double bias1 = 1 - std::pow(beta1_, static_cast<double>(steps_));
  const double bias2 = 1 - std::pow(beta2_, static_cast<double>(steps_));
  const torch::Tensor denominator = (second_moment_.sqrt() / std::sqrt(bias2)).add_(eps_);
  parameters_->values.addcdiv_(first_moment_, denominator, -learning_rate_ / bias1);
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
