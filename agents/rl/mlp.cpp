#include "agents/rl/mlp.hpp"

#include <Eigen/Core>
#include <cmath>
#include <stdexcept>

namespace expanse::agents {

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
  values_ = pool.values.data_ptr<float>() + offset;
  grads_ = pool.grads.data_ptr<float>() + offset;
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

namespace {
// A tensor of the given shape filled with standard normals from `rng` (reproducible, resumable).
torch::Tensor normal_tensor(std::vector<std::int64_t> shape, Rng& rng) {
  torch::Tensor t = torch::empty(shape);
  float* p = t.data_ptr<float>();
  for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<float>(rng.normal());
  return t;
}
}  // namespace

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

torch::Tensor Mlp::forward(const torch::Tensor& x) const {
  torch::Tensor h = x;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    h = torch::addmm(biases_[l], h, weights_[l].t());
    if (l + 1 < weights_.size()) h = activation_ == Activation::kTanh ? torch::tanh(h) : torch::relu(h);
  }
  return h;
}

namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;
// The reference BLAS interface (Fortran, column-major). A row-major r×c matrix is a column-major
// c×r one, so every product below is written for the transposes.
extern "C" void sgemm_(const char* trans_a, const char* trans_b, const int* m, const int* n, const int* k,
                       const float* alpha, const float* a, const int* lda, const float* b, const int* ldb,
                       const float* beta, float* c, const int* ldc);

// C (m×n) = α·op(A)·op(B) + β·C, column-major.
void gemm(char trans_a, char trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
          float beta, float* c, int ldc) {
  sgemm_(&trans_a, &trans_b, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}
}  // namespace

// Layer l (its parameters at `params`): output = activation(input·Wᵀ + b), rows × widths_[l+1].
// Products go to BLAS (see agents/CMakeLists.txt): through Eigen, compiled for baseline x86-64,
// they took 58 % of a DQN run.
void Mlp::layer(std::size_t l, const float* params, const float* input, int rows, float* output) const {
  const int in = widths_[l], n = widths_[l + 1];
  const float* bias = params + std::ptrdiff_t{n} * in;
  Eigen::Map<RowMatrix> Y(output, rows, n);
  Y.rowwise() = Eigen::Map<const RowVector>(bias, n);
  gemm('T', 'N', n, rows, in, 1.0f, params, in, input, in, 1.0f, output, n);  // Yᵀ += W·Xᵀ
  if (l + 2 == widths_.size()) return;  // no activation after the last layer
  if (activation_ == Activation::kTanh)
    Y = Y.array().tanh().matrix();
  else
    Y = Y.cwiseMax(0.0f);
}

void Mlp::forward_fast(const float* x, int rows, std::vector<float>& out) const {
  const float* input = x;
  const float* params = values_;
  for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
    const bool last = l + 2 == widths_.size();
    std::vector<float>& target = last ? out : (l % 2 == 0 ? hidden_a_ : hidden_b_);
    target.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(widths_[l + 1]));
    layer(l, params, input, rows, target.data());
    params += std::ptrdiff_t{widths_[l + 1]} * widths_[l] + widths_[l + 1];
    input = target.data();
  }
}

const std::vector<float>& Mlp::forward_trace(const float* x, int rows, Trace& trace) const {
  trace.layers.resize(widths_.size() - 1);
  const float* input = x;
  const float* params = values_;
  for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
    trace.layers[l].resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(widths_[l + 1]));
    layer(l, params, input, rows, trace.layers[l].data());
    params += std::ptrdiff_t{widths_[l + 1]} * widths_[l] + widths_[l + 1];
    input = trace.layers[l].data();
  }
  return trace.layers.back();
}

void Mlp::backward(const float* x, int rows, Trace& trace, const float* grad_output, std::vector<float>* grad_input,
                   bool parameter_grads) const {
  const std::size_t layers = widths_.size() - 1;
  std::ptrdiff_t start = parameter_count();  // walks back over the layers' parameter blocks
  trace.delta.assign(grad_output, grad_output + static_cast<std::ptrdiff_t>(rows) * widths_.back());
  for (std::size_t l = layers; l-- > 0;) {
    const int in = widths_[l], n = widths_[l + 1];
    start -= std::ptrdiff_t{n} * in + n;
    const float* input = l == 0 ? x : trace.layers[l - 1].data();
    const Eigen::Map<const RowMatrix> X(input, rows, in);
    const Eigen::Map<const RowMatrix> G(trace.delta.data(), rows, n);  // ∂loss/∂(pre-activation)
    if (parameter_grads) {
      Eigen::Map<RowMatrix> dW(grads_ + start, n, in);
      Eigen::Map<RowVector> db(grads_ + start + std::ptrdiff_t{n} * in, n);
      gemm('N', 'T', in, n, rows, 1.0f, X.data(), in, G.data(), n, 1.0f, dW.data(), in);  // dW += Gᵀ·X
      db += G.colwise().sum();
    }
    if (l == 0 && !grad_input) break;
    // ∂loss/∂(layer input) = G·W; before a hidden layer's output, ⊙ the activation's derivative,
    // written from the stored outputs.
    std::vector<float>& target = l == 0 ? *grad_input : trace.delta_next;
    target.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(in));
    Eigen::Map<RowMatrix> P(target.data(), rows, in);
    gemm('N', 'N', in, rows, n, 1.0f, values_ + start, in, G.data(), n, 0.0f, P.data(), in);  // P = G·W
    if (l == 0) break;
    if (activation_ == Activation::kTanh)
      P.array() *= 1.0f - X.array().square();
    else
      P.array() *= (X.array() > 0.0f).cast<float>();
    std::swap(trace.delta, trace.delta_next);
  }
}


}  // namespace expanse::agents
