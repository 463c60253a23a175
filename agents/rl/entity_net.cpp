#include "agents/rl/entity_net.hpp"

#include <Eigen/Core>
#include <cmath>
#include <stdexcept>
#include <string>

namespace expanse::agents {
namespace {

// Eigen's vectorised tanh, as the MLP's layers use: std::tanh one value at a time cost more than
// the network's matrix products.
void activate(std::vector<float>& v, Activation activation) {
  Eigen::Map<Eigen::ArrayXf> a(v.data(), static_cast<Eigen::Index>(v.size()));
  if (activation == Activation::kTanh)
    a = a.tanh();
  else
    a = a.max(0.0f);
}

// grad ⊙ act'(pre-activation), written from the activation's output y.
void activation_backward(std::vector<float>& grad, const std::vector<float>& y, Activation activation) {
  if (activation == Activation::kTanh)
    for (std::size_t i = 0; i < grad.size(); ++i) grad[i] *= 1.0f - y[i] * y[i];
  else
    for (std::size_t i = 0; i < grad.size(); ++i) grad[i] *= y[i] > 0.0f ? 1.0f : 0.0f;
}

torch::Tensor activate(const torch::Tensor& x, Activation activation) {
  return activation == Activation::kTanh ? torch::tanh(x) : torch::relu(x);
}

}  // namespace

EntityNet::EntityNet(const EntityLayout& layout, int width, Activation activation)
    : layout_(layout),
      activation_(activation),
      inputs_(layout.block_offset + layout.entities * layout.block_size),
      width_(static_cast<std::size_t>(width)),
      region_outputs_(static_cast<std::size_t>(layout.entity_outputs)),
      global_outputs_(static_cast<std::size_t>(layout.global_outputs)),
      encoder_({static_cast<int>(layout.block_size), width}, activation),
      self_({width, width}, activation),
      from_context_({width + static_cast<int>(layout.global_count), width}, activation),
      out_({width, layout.entity_outputs}, activation),
      global_head_({width + static_cast<int>(layout.global_count), width, layout.global_outputs}, activation) {
  if (layout.entities == 0) throw std::invalid_argument("an entity network needs an env with entities (regions)");
  if (layout.output_entity.size() != layout.output_slot.size())
    throw std::invalid_argument("entity layout: one entity and one slot per output");
  const std::size_t R = layout.entities;
  std::vector<std::int64_t> index;
  for (std::size_t i = 0; i < layout.output_entity.size(); ++i) {
    const std::int32_t entity = layout.output_entity[i], slot = layout.output_slot[i];
    const bool global = entity == EntityLayout::kGlobal;
    if (slot < 0 || static_cast<std::size_t>(slot) >= (global ? global_outputs_ : region_outputs_) ||
        (!global && (entity < 0 || static_cast<std::size_t>(entity) >= R)))
      throw std::invalid_argument("entity layout: output " + std::to_string(i) + " has no place");
    source_.push_back(global ? R * region_outputs_ + static_cast<std::size_t>(slot)
                             : static_cast<std::size_t>(entity) * region_outputs_ + static_cast<std::size_t>(slot));
    index.push_back(static_cast<std::int64_t>(source_.back()));
  }
  source_index_ = torch::tensor(index, torch::kInt64);
  if (!layout.output_prior.empty() && layout.output_prior.size() != source_.size())
    throw std::invalid_argument("entity layout: one prior per output");
  if (!layout.output_prior.empty()) prior_tensor_ = torch::tensor(layout.output_prior);
  // The parts in use: the region head only with region outputs, the global head only with global
  // outputs (a critic has no region head, a MultiDiscrete actor no global one).
  parts_.push_back(&encoder_);
  if (region_outputs_ > 0) parts_.insert(parts_.end(), {&self_, &from_context_, &out_});
  if (global_outputs_ > 0) parts_.push_back(&global_head_);
}

std::int64_t EntityNet::parameter_count() const {
  std::int64_t n = 0;
  for (const Mlp* part : parts_) n += part->parameter_count();
  return n;
}

void EntityNet::bind(FlatParameters& pool, std::int64_t offset) {
  for (Mlp* part : parts_) {
    part->bind(pool, offset);
    offset += part->parameter_count();
  }
}

void EntityNet::init_orthogonal(double output_gain, Rng& rng) {
  const double hidden = std::sqrt(2.0);  // the gain of a layer followed by an activation
  for (Mlp* part : parts_) part->init_orthogonal(part == &out_ || part == &global_head_ ? output_gain : hidden, rng);
}

void EntityNet::init_uniform_fan_in(Rng& rng) {
  for (Mlp* part : parts_) part->init_uniform_fan_in(rng);
}

torch::Tensor EntityNet::forward(const torch::Tensor& x) const {
  const std::int64_t B = x.size(0), R = static_cast<std::int64_t>(layout_.entities);
  const auto W = static_cast<std::int64_t>(width_), G = static_cast<std::int64_t>(layout_.global_count);
  const torch::Tensor blocks =
      x.narrow(1, static_cast<std::int64_t>(layout_.block_offset), R * static_cast<std::int64_t>(layout_.block_size))
          .reshape({B * R, static_cast<std::int64_t>(layout_.block_size)});
  const torch::Tensor encoded = activate(encoder_.forward(blocks), activation_);  // (B·R, W)
  const torch::Tensor context = torch::cat({encoded.view({B, R, W}).mean(1), x.narrow(1, 0, G)}, 1);
  std::vector<torch::Tensor> scores;
  if (region_outputs_ > 0) {
    const torch::Tensor pre = self_.forward(encoded).view({B, R, W}) + from_context_.forward(context).unsqueeze(1);
    const torch::Tensor hidden = activate(pre, activation_).view({B * R, W});
    scores.push_back(out_.forward(hidden).view({B, R * static_cast<std::int64_t>(region_outputs_)}));
  }
  if (global_outputs_ > 0) scores.push_back(global_head_.forward(context));
  const torch::Tensor out = torch::cat(scores, 1).index_select(1, source_index_);
  return layout_.output_prior.empty() ? out : out + prior_tensor_;
}

void EntityNet::run(const float* x, int rows, std::vector<std::vector<float>>& buffers,
                    std::vector<Trace>& parts) const {
  const std::size_t B = static_cast<std::size_t>(rows), R = layout_.entities, D = inputs_, W = width_;
  const std::size_t G = layout_.global_count, S = layout_.block_size, C = W + G;
  const int region_rows = rows * static_cast<int>(R);
  buffers.resize(kBuffers);
  parts.resize(kParts);

  std::vector<float>& blocks = buffers[kBlocks];
  blocks.resize(B * R * S);
  for (std::size_t b = 0; b < B; ++b) std::copy_n(x + b * D + layout_.block_offset, R * S, blocks.data() + b * R * S);
  // A single layer's backward reads its input, not its output: the activations are applied in place
  // of the layers' outputs in their traces.
  encoder_.forward_trace(blocks.data(), region_rows, parts[kEncoder]);
  std::vector<float>& e = parts[kEncoder].layers.back();
  activate(e, activation_);

  std::vector<float>& context = buffers[kContext];  // [c, g] per row
  context.assign(B * C, 0.f);
  const float inverse = 1.f / static_cast<float>(R);
  for (std::size_t b = 0; b < B; ++b) {
    float* c = context.data() + b * C;
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t w = 0; w < W; ++w) c[w] += e[(b * R + r) * W + w];
    for (std::size_t w = 0; w < W; ++w) c[w] *= inverse;
    std::copy_n(x + b * D, G, c + W);
  }

  const std::size_t sources = R * region_outputs_ + global_outputs_;
  all_scores_.resize(B * sources);
  if (region_outputs_ > 0) {
    self_.forward_trace(e.data(), region_rows, parts[kSelf]);
    std::vector<float>& hidden = parts[kSelf].layers.back();
    const std::vector<float>& q = from_context_.forward_trace(context.data(), rows, parts[kFromContext]);
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t w = 0; w < W; ++w) hidden[(b * R + r) * W + w] += q[b * W + w];
    activate(hidden, activation_);
    const std::vector<float>& s = out_.forward_trace(hidden.data(), region_rows, parts[kOut]);
    for (std::size_t b = 0; b < B; ++b)
      std::copy_n(s.data() + b * R * region_outputs_, R * region_outputs_, all_scores_.data() + b * sources);
  }
  if (global_outputs_ > 0) {
    const std::vector<float>& s = global_head_.forward_trace(context.data(), rows, parts[kGlobalHead]);
    for (std::size_t b = 0; b < B; ++b)
      std::copy_n(s.data() + b * global_outputs_, global_outputs_,
                  all_scores_.data() + b * sources + R * region_outputs_);
  }
  const std::size_t O = source_.size();
  std::vector<float>& output = buffers[kOutput];
  output.resize(B * O);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t i = 0; i < O; ++i) output[b * O + i] = all_scores_[b * sources + source_[i]];
  if (!layout_.output_prior.empty())
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t i = 0; i < O; ++i) output[b * O + i] += layout_.output_prior[i];
}

void EntityNet::forward_fast(const float* x, int rows, std::vector<float>& out) const {
  run(x, rows, fast_buffers_, fast_parts_);
  out.swap(fast_buffers_[kOutput]);
}

const std::vector<float>& EntityNet::forward_trace(const float* x, int rows, Trace& trace) const {
  run(x, rows, trace.layers, trace.parts);
  return trace.layers[kOutput];
}

void EntityNet::backward(const float* /*x*/, int rows, Trace& trace, const float* grad_output,
                         std::vector<float>* grad_input, bool parameter_grads) const {
  if (grad_input) throw std::logic_error("EntityNet::backward: the gradient of the input is not computed");
  const std::size_t B = static_cast<std::size_t>(rows), R = layout_.entities, W = width_, G = layout_.global_count;
  const std::size_t C = W + G, O = source_.size(), RO = R * region_outputs_;
  const int region_rows = rows * static_cast<int>(R);
  std::vector<std::vector<float>>& buffers = trace.layers;
  std::vector<Trace>& parts = trace.parts;
  // The output's gradient back to the scores it was copied from (outputs sharing a slot add up).
  grad_region_.assign(B * RO, 0.f);
  grad_global_.assign(B * global_outputs_, 0.f);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t i = 0; i < O; ++i) {
      const std::size_t s = source_[i];
      const float g = grad_output[b * O + i];
      if (s < RO)
        grad_region_[b * RO + s] += g;
      else
        grad_global_[b * global_outputs_ + s - RO] += g;
    }

  grad_context_.assign(B * C, 0.f);
  grad_encoded_.assign(B * R * W, 0.f);
  if (global_outputs_ > 0) {
    global_head_.backward(buffers[kContext].data(), rows, parts[kGlobalHead], grad_global_.data(), &grad_part_,
                          parameter_grads);
    for (std::size_t i = 0; i < B * C; ++i) grad_context_[i] += grad_part_[i];
  }
  if (region_outputs_ > 0) {
    const std::vector<float>& hidden = parts[kSelf].layers.back();
    out_.backward(hidden.data(), region_rows, parts[kOut], grad_region_.data(), &grad_hidden_, parameter_grads);
    activation_backward(grad_hidden_, hidden, activation_);  // now ∂loss/∂(pre-activation)
    self_.backward(parts[kEncoder].layers.back().data(), region_rows, parts[kSelf], grad_hidden_.data(), &grad_part_,
                   parameter_grads);
    for (std::size_t i = 0; i < B * R * W; ++i) grad_encoded_[i] += grad_part_[i];
    // The context's part was added to every region: its gradient is the sum over regions.
    std::vector<float>& grad_q = grad_from_context_;
    grad_q.assign(B * W, 0.f);
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t w = 0; w < W; ++w) grad_q[b * W + w] += grad_hidden_[(b * R + r) * W + w];
    from_context_.backward(buffers[kContext].data(), rows, parts[kFromContext], grad_q.data(), &grad_part_,
                           parameter_grads);
    for (std::size_t i = 0; i < B * C; ++i) grad_context_[i] += grad_part_[i];
  }
  // c is the mean of the encodings: each gets 1/R of its gradient (g is an input: dropped).
  const float inverse = 1.f / static_cast<float>(R);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t w = 0; w < W; ++w) grad_encoded_[(b * R + r) * W + w] += grad_context_[b * C + w] * inverse;
  activation_backward(grad_encoded_, parts[kEncoder].layers.back(), activation_);
  encoder_.backward(buffers[kBlocks].data(), region_rows, parts[kEncoder], grad_encoded_.data(), nullptr,
                    parameter_grads);
}

EntityLayout value_layout(const EntityLayout& layout) {
  EntityLayout value = layout;
  value.output_entity = {EntityLayout::kGlobal};
  value.output_slot = {0};
  value.entity_outputs = 0;
  value.global_outputs = 1;
  return value;
}

EntityLayout with_leading_global_output(const EntityLayout& layout) {
  EntityLayout result = layout;
  result.output_entity.insert(result.output_entity.begin(), EntityLayout::kGlobal);
  result.output_slot.insert(result.output_slot.begin(), layout.global_outputs);
  ++result.global_outputs;
  return result;
}

EntityLayout with_balanced_regions(const EntityLayout& layout) {
  EntityLayout result = layout;
  const float log_regions = std::log(static_cast<float>(std::max<std::size_t>(1, layout.entities)));
  result.output_prior.clear();
  for (std::int32_t entity : layout.output_entity)
    result.output_prior.push_back(entity == EntityLayout::kGlobal ? 0.f : -log_regions);
  return result;
}

}  // namespace expanse::agents
