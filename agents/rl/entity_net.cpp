#include "agents/rl/entity_net.hpp"

#include <cmath>
#include <stdexcept>

namespace expanse::agents {

EntityNet::EntityNet(const EntityLayout& layout, int width, Activation activation)
    : layout_(layout),
      inputs_(layout.block_offset + layout.entities * layout.block_size),
      width_(static_cast<std::size_t>(width)),
      region_outputs_(static_cast<std::size_t>(layout.entity_outputs)),
      global_outputs_(static_cast<std::size_t>(layout.global_outputs)),
      encoder_({static_cast<int>(layout.block_size), width, width}, activation),
      region_head_({2 * width + static_cast<int>(layout.global_count), width, layout.entity_outputs}, activation),
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
}

std::int64_t EntityNet::parameter_count() const {
  return encoder_.parameter_count() + region_head_.parameter_count() + global_head_.parameter_count();
}

void EntityNet::bind(FlatParameters& pool, std::int64_t offset) {
  encoder_.bind(pool, offset);
  region_head_.bind(pool, offset + encoder_.parameter_count());
  global_head_.bind(pool, offset + encoder_.parameter_count() + region_head_.parameter_count());
}

void EntityNet::init_orthogonal(double output_gain, Rng& rng) {
  encoder_.init_orthogonal(std::sqrt(2.0), rng);  // its output is a hidden layer of the heads
  if (region_outputs_ > 0) region_head_.init_orthogonal(output_gain, rng);
  if (global_outputs_ > 0) global_head_.init_orthogonal(output_gain, rng);
}

void EntityNet::init_uniform_fan_in(Rng& rng) {
  encoder_.init_uniform_fan_in(rng);
  if (region_outputs_ > 0) region_head_.init_uniform_fan_in(rng);
  if (global_outputs_ > 0) global_head_.init_uniform_fan_in(rng);
}

torch::Tensor EntityNet::forward(const torch::Tensor& x) const {
  const std::int64_t B = x.size(0), R = static_cast<std::int64_t>(layout_.entities);
  const auto W = static_cast<std::int64_t>(width_), G = static_cast<std::int64_t>(layout_.global_count);
  const torch::Tensor globals = x.narrow(1, 0, G);
  const torch::Tensor blocks = x.narrow(1, static_cast<std::int64_t>(layout_.block_offset),
                                        R * static_cast<std::int64_t>(layout_.block_size))
                                   .reshape({B * R, static_cast<std::int64_t>(layout_.block_size)});
  const torch::Tensor encoded = encoder_.forward(blocks).view({B, R, W});
  const torch::Tensor context = encoded.mean(1);
  std::vector<torch::Tensor> scores;
  if (region_outputs_ > 0) {
    const torch::Tensor head_in =
        torch::cat({encoded, context.unsqueeze(1).expand({B, R, W}), globals.unsqueeze(1).expand({B, R, G})}, 2);
    scores.push_back(region_head_.forward(head_in.reshape({B * R, 2 * W + G}))
                         .view({B, R * static_cast<std::int64_t>(region_outputs_)}));
  }
  if (global_outputs_ > 0) scores.push_back(global_head_.forward(torch::cat({context, globals}, 1)));
  return torch::cat(scores, 1).index_select(1, source_index_);
}

void EntityNet::run(const float* x, int rows, std::vector<std::vector<float>>& buffers,
                    std::vector<Trace>* parts) const {
  const std::size_t B = static_cast<std::size_t>(rows), R = layout_.entities, D = inputs_, W = width_;
  const std::size_t G = layout_.global_count, S = layout_.block_size;
  const int region_rows = rows * static_cast<int>(R);
  buffers.resize(kBuffers);
  if (parts) parts->resize(3);

  std::vector<float>& encoder_in = buffers[kEncoderInput];
  encoder_in.resize(B * R * S);
  for (std::size_t b = 0; b < B; ++b)
    std::copy_n(x + b * D + layout_.block_offset, R * S, encoder_in.data() + b * R * S);
  const std::vector<float>& e =
      parts ? encoder_.forward_trace(encoder_in.data(), region_rows, (*parts)[0])
            : (encoder_.forward_fast(encoder_in.data(), region_rows, encoded_), encoded_);

  std::vector<float>& context = buffers[kContext];
  context.assign(B * W, 0.f);
  const float inverse = 1.f / static_cast<float>(R);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t w = 0; w < W; ++w) context[b * W + w] += e[(b * R + r) * W + w] * inverse;

  std::vector<float>& output = buffers[kOutput];
  const std::size_t O = source_.size(), sources = R * region_outputs_ + global_outputs_;
  std::vector<float>& all_scores = all_scores_;
  all_scores.resize(B * sources);
  if (region_outputs_ > 0) {
    const std::size_t I = 2 * W + G;
    std::vector<float>& head_in = buffers[kRegionInput];
    head_in.resize(B * R * I);
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t r = 0; r < R; ++r) {
        float* row = head_in.data() + (b * R + r) * I;
        std::copy_n(e.data() + (b * R + r) * W, W, row);
        std::copy_n(context.data() + b * W, W, row + W);
        std::copy_n(x + b * D, G, row + 2 * W);
      }
    const std::vector<float>& s =
        parts ? region_head_.forward_trace(head_in.data(), region_rows, (*parts)[1])
              : (region_head_.forward_fast(head_in.data(), region_rows, region_scores_), region_scores_);
    for (std::size_t b = 0; b < B; ++b)
      std::copy_n(s.data() + b * R * region_outputs_, R * region_outputs_, all_scores.data() + b * sources);
  }
  if (global_outputs_ > 0) {
    const std::size_t I = W + G;
    std::vector<float>& head_in = buffers[kGlobalInput];
    head_in.resize(B * I);
    for (std::size_t b = 0; b < B; ++b) {
      std::copy_n(context.data() + b * W, W, head_in.data() + b * I);
      std::copy_n(x + b * D, G, head_in.data() + b * I + W);
    }
    const std::vector<float>& s =
        parts ? global_head_.forward_trace(head_in.data(), rows, (*parts)[2])
              : (global_head_.forward_fast(head_in.data(), rows, global_scores_), global_scores_);
    for (std::size_t b = 0; b < B; ++b)
      std::copy_n(s.data() + b * global_outputs_, global_outputs_,
                  all_scores.data() + b * sources + R * region_outputs_);
  }
  output.resize(B * O);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t i = 0; i < O; ++i) output[b * O + i] = all_scores[b * sources + source_[i]];
}

void EntityNet::forward_fast(const float* x, int rows, std::vector<float>& out) const {
  run(x, rows, fast_buffers_, nullptr);
  out.swap(fast_buffers_[kOutput]);
}

const std::vector<float>& EntityNet::forward_trace(const float* x, int rows, Trace& trace) const {
  run(x, rows, trace.layers, &trace.parts);
  return trace.layers[kOutput];
}

void EntityNet::backward(const float* x, int rows, Trace& trace, const float* grad_output,
                         std::vector<float>* grad_input, bool parameter_grads) const {
  (void)x;
  if (grad_input) throw std::logic_error("EntityNet::backward: the gradient of the input is not computed");
  const std::size_t B = static_cast<std::size_t>(rows), R = layout_.entities, W = width_, G = layout_.global_count;
  const std::size_t O = source_.size(), sources = R * region_outputs_ + global_outputs_;
  const int region_rows = rows * static_cast<int>(R);
  // The output's gradient back to the scores it was copied from (outputs sharing a slot add up).
  std::vector<float>& grad_scores = trace.delta;
  grad_scores.assign(B * sources, 0.f);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t i = 0; i < O; ++i) grad_scores[b * sources + source_[i]] += grad_output[b * O + i];

  std::vector<float>& grad_context = trace.delta_next;
  grad_context.assign(B * W, 0.f);
  std::vector<float>& grad_encoded = grad_encoded_;
  grad_encoded.assign(B * R * W, 0.f);
  if (global_outputs_ > 0) {
    std::vector<float>& g = grad_global_scores_;
    g.resize(B * global_outputs_);
    for (std::size_t b = 0; b < B; ++b)
      std::copy_n(grad_scores.data() + b * sources + R * region_outputs_, global_outputs_, g.data() + b * global_outputs_);
    global_head_.backward(trace.layers[kGlobalInput].data(), rows, trace.parts[2], g.data(), &grad_head_input_,
                          parameter_grads);
    const std::size_t I = W + G;
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t w = 0; w < W; ++w) grad_context[b * W + w] += grad_head_input_[b * I + w];
  }
  if (region_outputs_ > 0) {
    std::vector<float>& g = grad_region_scores_;
    g.resize(B * R * region_outputs_);
    for (std::size_t b = 0; b < B; ++b)
      std::copy_n(grad_scores.data() + b * sources, R * region_outputs_, g.data() + b * R * region_outputs_);
    region_head_.backward(trace.layers[kRegionInput].data(), region_rows, trace.parts[1], g.data(), &grad_head_input_,
                          parameter_grads);
    const std::size_t I = 2 * W + G;
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t r = 0; r < R; ++r) {
        const float* row = grad_head_input_.data() + (b * R + r) * I;
        for (std::size_t w = 0; w < W; ++w) {
          grad_encoded[(b * R + r) * W + w] += row[w];
          grad_context[b * W + w] += row[W + w];
        }
      }
  }
  // The context is the mean of the encodings: each gets 1/R of its gradient.
  const float inverse = 1.f / static_cast<float>(R);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t w = 0; w < W; ++w) grad_encoded[(b * R + r) * W + w] += grad_context[b * W + w] * inverse;
  encoder_.backward(trace.layers[kEncoderInput].data(), region_rows, trace.parts[0], grad_encoded.data(), nullptr,
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

}  // namespace expanse::agents
