#pragma once
// What an algorithm asks of a network, whatever its shape: the flat MLP (mlp.hpp) or the network
// that treats regions as entities (entity_net.hpp). Parameters live in a FlatParameters pool shared
// by every network one optimiser trains; training runs without autograd (forward_trace/backward),
// acting through forward_fast, and forward() builds the same function in LibTorch (discrete SAC's
// updates, the tests' autograd reference).
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "agents/rl/config_fields.hpp"
#include "common/rng.hpp"
#include "env/entity_layout.hpp"

namespace expanse::agents {

// Parameters and their gradients, 1-D and of equal size. Networks bind to slices of them.
struct FlatParameters {
  explicit FlatParameters(std::int64_t count);
  torch::Tensor values;
  torch::Tensor grads;
};

enum class Activation { kTanh, kRelu };

class Network {
 public:
  // What forward_trace keeps for backward: an MLP's layer outputs and scratch; a composite
  // network's own buffers in `layers` and its parts' traces in `parts`.
  struct Trace {
    std::vector<std::vector<float>> layers;
    std::vector<float> delta, delta_next;
    std::vector<Trace> parts;
  };

  virtual ~Network() = default;
  virtual std::int64_t parameter_count() const = 0;
  // Makes this network's weights views of `pool` starting at `offset`.
  virtual void bind(FlatParameters& pool, std::int64_t offset) = 0;
  // CleanRL's layer_init: orthogonal weights (gain √2 for hidden layers, `output_gain` for the
  // outputs), zero biases. The random matrices come from `rng`, not from torch's global generator.
  virtual void init_orthogonal(double output_gain, Rng& rng) = 0;
  // PyTorch's nn.Linear default: weights and biases uniform in ±1/√fan_in.
  virtual void init_uniform_fan_in(Rng& rng) = 0;

  // Through LibTorch, recording gradients.
  virtual torch::Tensor forward(const torch::Tensor& x) const = 0;
  // The same function without LibTorch: `rows` inputs (row-major) → `out` (rows × outputs()).
  virtual void forward_fast(const float* x, int rows, std::vector<float>& out) const = 0;
  // forward_fast keeping what backward needs in `trace`; returns the output.
  virtual const std::vector<float>& forward_trace(const float* x, int rows, Trace& trace) const = 0;
  // Takes ∂loss/∂output (rows × outputs) and adds ∂loss/∂parameters into the pool's gradient buffer
  // (unless `parameter_grads` is false) and, given `grad_input`, writes ∂loss/∂x there (rows ×
  // inputs). `x` must be the input the trace was made from.
  virtual void backward(const float* x, int rows, Trace& trace, const float* grad_output,
                        std::vector<float>* grad_input = nullptr, bool parameter_grads = true) const = 0;

  virtual int inputs() const = 0;
  virtual int outputs() const = 0;
};

// The network `net` asks for, with `outputs` placed as `layout` says (the entity network) or as a
// flat MLP of `hidden` over `inputs`. Throws std::invalid_argument for an entity network on an env
// without entities, or a layout whose outputs are not `outputs`.
std::unique_ptr<Network> make_network(const NetworkConfig& net, const std::vector<int>& hidden,
                                      const EntityLayout& layout, int inputs, int outputs, Activation activation);

}  // namespace expanse::agents
