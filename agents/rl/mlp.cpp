#include "agents/rl/mlp.hpp"

#include <Eigen/Core>
#include <cmath>
#include <stdexcept>

namespace expanse::agents {

FlatParameters::FlatParameters(std::int64_t count)
    : values(torch::zeros({count})), grads(torch::zeros({count})) {}

Mlp::Mlp(std::vector<int> widths, Activation activation) : widths_(std::move(widths)), activation_(activation) {
  if (widths_.size() < 2) throw std::invalid_argument("an MLP needs an input and an output width");
}

std::int64_t Mlp::parameter_count(const std::vector<int>& widths) {
  std::int64_t n = 0;
  for (std::size_t l = 0; l + 1 < widths.size(); ++l) n += std::int64_t{widths[l]} * widths[l + 1] + widths[l + 1];
  return n;
}

void Mlp::bind(FlatParameters& pool, std::int64_t offset) {
  weights_.clear();
  biases_.clear();
  auto take = [&](std::vector<std::int64_t> shape) {
    std::int64_t n = 1;
    for (auto s : shape) n *= s;
    torch::Tensor value = pool.values.narrow(0, offset, n).view(shape);
    torch::Tensor grad = pool.grads.narrow(0, offset, n).view(shape);
    offset += n;
    // A view of a buffer that does not require grad becomes a leaf of its own; its gradient is
    // accumulated in place into the pool's gradient buffer.
    value.requires_grad_(true);
    value.mutable_grad() = grad;
    return value;
  };
  for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
    weights_.push_back(take({widths_[l + 1], widths_[l]}));
    biases_.push_back(take({widths_[l + 1]}));
  }
}

std::vector<int> layer_widths(int inputs, const std::vector<int>& hidden, int outputs) {
  std::vector<int> w{inputs};
  w.insert(w.end(), hidden.begin(), hidden.end());
  w.push_back(outputs);
  return w;
}

torch::Tensor normal_tensor(std::vector<std::int64_t> shape, Rng& rng) {
  torch::Tensor t = torch::empty(shape);
  float* p = t.data_ptr<float>();
  for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<float>(rng.normal());
  return t;
}

void Mlp::init_orthogonal(double output_gain, Rng& rng) {
  torch::NoGradGuard no_grad;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    const double gain = l + 1 == weights_.size() ? output_gain : std::sqrt(2.0);
    const std::int64_t rows = weights_[l].size(0), cols = weights_[l].size(1);
    // As torch.nn.init.orthogonal_: QR of a Gaussian matrix, signs fixed by R's diagonal.
    torch::Tensor a = normal_tensor({std::max(rows, cols), std::min(rows, cols)}, rng);
    auto [q, r] = torch::linalg_qr(a);
    q = q * torch::sign(torch::diagonal(r));
    if (rows < cols) q = q.t();
    weights_[l].copy_(q * gain);
    biases_[l].zero_();
  }
}

void Mlp::init_uniform_fan_in(Rng& rng) {
  torch::NoGradGuard no_grad;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(weights_[l].size(1)));
    for (torch::Tensor* t : {&weights_[l], &biases_[l]}) {
      torch::Tensor values = torch::empty(t->sizes());
      float* p = values.data_ptr<float>();
      for (std::int64_t i = 0; i < values.numel(); ++i) p[i] = static_cast<float>(rng.uniform(-bound, bound));
      t->copy_(values);
    }
  }
}

torch::Tensor Mlp::run(const torch::Tensor& x, bool frozen) const {
  torch::Tensor h = x;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    const torch::Tensor& w = frozen ? weights_[l].detach() : weights_[l];
    const torch::Tensor& b = frozen ? biases_[l].detach() : biases_[l];
    h = torch::addmm(b, h, w.t());
    if (l + 1 < weights_.size()) h = activation_ == Activation::kTanh ? torch::tanh(h) : torch::relu(h);
  }
  return h;
}

void Mlp::forward_fast(const float* x, int rows, std::vector<float>& out) const {
  using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Vector = Eigen::Matrix<float, 1, Eigen::Dynamic>;
  const float* input = x;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    const int in = widths_[l], n = widths_[l + 1];
    const bool last = l + 1 == weights_.size();
    std::vector<float>& target = last ? out : (l % 2 == 0 ? hidden_a_ : hidden_b_);
    target.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(n));
    const Eigen::Map<const RowMatrix> X(input, rows, in);
    const Eigen::Map<const RowMatrix> W(weights_[l].data_ptr<float>(), n, in);
    const Eigen::Map<const Vector> b(biases_[l].data_ptr<float>(), n);
    Eigen::Map<RowMatrix> Y(target.data(), rows, n);
    Y.noalias() = X * W.transpose();
    Y.rowwise() += b;
    if (!last) {
      if (activation_ == Activation::kTanh)
        Y = Y.array().tanh().matrix();
      else
        Y = Y.cwiseMax(0.0f);
    }
    input = target.data();
  }
}

torch::Tensor Mlp::forward(const torch::Tensor& x) const { return run(x, false); }
torch::Tensor Mlp::forward_frozen(const torch::Tensor& x) const { return run(x, true); }

}  // namespace expanse::agents
