#pragma once
// Multi-layer perceptrons whose parameters are views into one flat buffer shared by all networks
// trained by one optimiser. Why flat: LibTorch 1.13's per-tensor optimiser loop and gradient
// clipping cost more than the arithmetic for networks this small (a 64-64 update: 780 µs with
// torch::optim::Adam over separate tensors, 410 µs flat); a flat buffer makes Adam, clipping,
// Polyak averaging and checkpointing one operation each.
#include <cstdint>
#include <vector>

#include "agents/rl/network.hpp"

namespace expanse::agents {

class Mlp final : public Network {
 public:
  // widths = {inputs, hidden..., outputs}; the activation follows every layer but the last.
  Mlp(std::vector<int> widths, Activation activation);
  static std::int64_t parameter_count(const std::vector<int>& widths);
  std::int64_t parameter_count() const override { return parameter_count(widths_); }

  // Makes this network's weights views of `pool` starting at `offset`.
  void bind(FlatParameters& pool, std::int64_t offset) override;

  // CleanRL's layer_init: orthogonal weights (gain √2 for hidden layers, `output_gain` for the
  // last), zero biases. The random matrices come from `rng`, not from torch's global generator.
  void init_orthogonal(double output_gain, Rng& rng) override;
  // PyTorch's nn.Linear default: weights and biases uniform in ±1/√fan_in.
  void init_uniform_fan_in(Rng& rng) override;

  // Through LibTorch, recording gradients (discrete SAC's updates; the tests' autograd reference).
  torch::Tensor forward(const torch::Tensor& x) const override;

  // The same function without LibTorch, for acting: `rows` inputs (row-major) → `out`
  // (rows × outputs), computed with Eigen straight from the flat parameter buffer. Why: at the
  // batch sizes of acting (1–64 rows) LibTorch's per-operator dispatch costs ~15× the arithmetic
  // (a batch-1 forward of a 64-64 network: 17 µs through LibTorch). Never records gradients.
  // Matrix products go to the system BLAS (sgemm).
  void forward_fast(const float* x, int rows, std::vector<float>& out) const override;

  // Training without autograd (DQN, PPO, continuous SAC): for these small networks LibTorch's
  // per-operator and autograd bookkeeping cost more than the arithmetic (docs/agents.md, "Speed"). `forward_trace` is
  // forward_fast keeping every layer's output in `trace` (its last entry is the network's output); `backward` takes
  // ∂loss/∂output (rows × outputs) and adds ∂loss/∂parameters into the pool's gradient buffer
  // (unless `parameter_grads` is false) and, given `grad_input`, writes ∂loss/∂x there (rows ×
  // inputs; SAC's actor loss reaches the actor through the critics' inputs). `x` must be the input
  // the trace was made from.
  // (Network::Trace: `layers` holds the layer outputs, delta and delta_next are backward's scratch.)
  const std::vector<float>& forward_trace(const float* x, int rows, Trace& trace) const override;
  void backward(const float* x, int rows, Trace& trace, const float* grad_output,
                std::vector<float>* grad_input = nullptr, bool parameter_grads = true) const override;

  int inputs() const override { return widths_.front(); }
  int outputs() const override { return widths_.back(); }

 private:
  void layer(std::size_t l, const float* params, const float* input, int rows, float* output) const;

  std::vector<int> widths_;
  Activation activation_;
  std::vector<torch::Tensor> weights_;  // (out, in) views
  std::vector<torch::Tensor> biases_;
  const float* values_ = nullptr;  // this network's slice of the pool: per layer, weights then biases
  float* grads_ = nullptr;
  mutable std::vector<float> hidden_a_, hidden_b_;  // forward_fast's scratch
};

// {inputs, hidden..., outputs}
std::vector<int> layer_widths(int inputs, const std::vector<int>& hidden, int outputs);

}  // namespace expanse::agents
