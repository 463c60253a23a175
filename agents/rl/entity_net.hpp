#pragma once
// A network that sees regions as entities (docs/agents.md, "Entity networks"), in the DeepSets
// form (Zaheer et al. 2017) with the pooled context fed back to every region. Every region's
// observation block goes through one shared encoder; the mean of the encodings is a
// permutation-invariant context of the whole market; each region's head reads its own encoding
// beside the context and the global values and scores that region's outputs; a global head reads
// the context and the global values and scores what belongs to no region (Discrete's hold, a
// critic's value, a dueling DQN's state value). The outputs are then placed where the env's action
// space has them (EntityLayout). No parameter depends on the number of regions, so one network acts
// in every scenario with the same blocks (the same products), and what it learns of one market
// applies to all.
//
//   e_r = act(W_enc · block_r + b)                                  the encoder, per region
//   c   = mean_r e_r                                                the context
//   h_r = act(W_self · e_r + W_ctx · [c, g] + b)                    the region head's hidden layer
//   region r's outputs = W_out · h_r + b
//   global outputs     = MLP{width}([c, g])                         the global head
//
// The region head's first layer is split so that its context part is computed once per
// observation, not once per region. Trained by hand-written gradients like the MLP (backward),
// checked against LibTorch's autograd of forward() by a test.
#include "agents/rl/mlp.hpp"
#include "env/entity_layout.hpp"

namespace expanse::agents {

class EntityNet final : public Network {
 public:
  // Outputs as `layout` places them (output_entity / output_slot).
  EntityNet(const EntityLayout& layout, int width, Activation activation);
  EntityNet(const EntityNet&) = delete;  // parts_ points into the object
  EntityNet& operator=(const EntityNet&) = delete;

  std::int64_t parameter_count() const override;
  void bind(FlatParameters& pool, std::int64_t offset) override;
  void init_orthogonal(double output_gain, Rng& rng) override;
  void init_uniform_fan_in(Rng& rng) override;
  torch::Tensor forward(const torch::Tensor& x) const override;
  void forward_fast(const float* x, int rows, std::vector<float>& out) const override;
  // trace.layers: the Buffer values below; trace.parts: the traces of the Part values below.
  const std::vector<float>& forward_trace(const float* x, int rows, Trace& trace) const override;
  // ∂loss/∂x is not computed (no algorithm feeds an entity network's input from another network).
  void backward(const float* x, int rows, Trace& trace, const float* grad_output,
                std::vector<float>* grad_input = nullptr, bool parameter_grads = true) const override;
  int inputs() const override { return static_cast<int>(inputs_); }
  int outputs() const override { return static_cast<int>(source_.size()); }

 private:
  // Runs the network on `rows` inputs, keeping its buffers and its parts' traces; the output is
  // buffers[kOutput].
  void run(const float* x, int rows, std::vector<std::vector<float>>& buffers, std::vector<Trace>& parts) const;
  // The encoder's input (the blocks), [c, g] and the output. (The encodings e and the region heads'
  // hidden h are the encoder's and self_'s outputs, activated in place.)
  enum Buffer : std::size_t { kBlocks, kContext, kOutput, kBuffers };
  enum Part : std::size_t { kEncoder, kSelf, kFromContext, kOut, kGlobalHead, kParts };

  EntityLayout layout_;
  Activation activation_;
  std::size_t inputs_, width_, region_outputs_, global_outputs_;
  // Single layers (no activation of their own) but the global head.
  Mlp encoder_, self_, from_context_, out_, global_head_;
  std::vector<Mlp*> parts_;  // those in use, in the order of the parameters
  // Output i is source_[i] of a row's [R × region outputs, global outputs] scores.
  std::vector<std::size_t> source_;
  torch::Tensor source_index_;  // the same, for forward()
  torch::Tensor prior_tensor_;  // layout_.output_prior, for forward()
  // Scratch: forward_fast's buffers and the parts' untraced outputs; backward's gradients.
  mutable std::vector<std::vector<float>> fast_buffers_;
  mutable std::vector<Trace> fast_parts_;
  mutable std::vector<float> all_scores_;
  mutable std::vector<float> grad_region_, grad_global_, grad_context_, grad_encoded_, grad_hidden_, grad_from_context_,
      grad_part_;
};

// The layout of a network with one global output and nothing per region (a critic's value).
EntityLayout value_layout(const EntityLayout& layout);
// `layout` with one more global output placed before all others (a dueling DQN's state value).
EntityLayout with_leading_global_output(const EntityLayout& layout);
// `layout` with a log-prior that makes each region's outputs 1/R as likely at the start as the
// global ones (Discrete's hold): with R regions, holding is then as likely as one region's move
// rather than one action in 6R + 1, whatever the scenario's size.
EntityLayout with_balanced_regions(const EntityLayout& layout);

}  // namespace expanse::agents
