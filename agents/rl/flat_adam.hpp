#pragma once
// Adam (Kingma & Ba 2015, PyTorch's formulation with bias correction) over one flat parameter
// buffer, with optional global-norm gradient clipping — the optimiser every agent uses.
#include <cstdint>

#include <torch/torch.h>

#include "agents/rl/mlp.hpp"

namespace expanse::agents {

class FlatAdam {
 public:
  FlatAdam(FlatParameters& parameters, double learning_rate, double eps = 1e-8, double beta1 = 0.9,
           double beta2 = 0.999);

  void zero_grad() { parameters_->grads.zero_(); }
  // Scales the gradient so that its global L2 norm is at most max_norm (as clip_grad_norm_,
  // including its 1e-6); returns the norm before clipping. max_norm ≤ 0 only measures.
  double clip_grad_norm(double max_norm);
  void step();

  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double learning_rate) { learning_rate_ = learning_rate; }

  void save(torch::serialize::OutputArchive& archive, const std::string& prefix) const;
  void load(torch::serialize::InputArchive& archive, const std::string& prefix);

 private:
  FlatParameters* parameters_;
  double learning_rate_, eps_, beta1_, beta2_;
  std::int64_t steps_ = 0;
  torch::Tensor first_moment_, second_moment_;
};

}  // namespace expanse::agents
