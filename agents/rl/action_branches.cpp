#include "agents/rl/action_branches.hpp"

namespace expanse::agents {

ActionBranches::ActionBranches(std::vector<std::int32_t> sizes) : sizes_(std::move(sizes)) {
  for (std::int32_t n : sizes_) {
    offsets_.push_back(total_);
    total_ += static_cast<std::size_t>(n);
  }
  width_ = total_ + (sizes_.size() > 1 ? 1 : 0);
}

const float* ActionBranches::q_values(const float* outputs, std::size_t rows, std::vector<float>& q) const {
  if (!dueling()) return outputs;
  q.resize(rows * total_);
  for (std::size_t i = 0; i < rows; ++i) {
    const float* row = outputs + i * width_;
    const float value = row[0];
    for (std::size_t d = 0; d < sizes_.size(); ++d) {
      const float* advantage = row + 1 + offsets_[d];
      const auto n = static_cast<std::size_t>(sizes_[d]);
      float mean = 0;
      for (std::size_t a = 0; a < n; ++a) mean += advantage[a];
      mean /= static_cast<float>(n);
      float* out = &q[i * total_ + offsets_[d]];
      for (std::size_t a = 0; a < n; ++a) out[a] = value + (advantage[a] - mean);
    }
  }
  return q.data();
}

void ActionBranches::add_gradient(float* output_grad, std::size_t d, std::size_t a, float g) const {
  if (!dueling()) {
    output_grad[offsets_[d] + a] += g;
    return;
  }
  output_grad[0] += g;  // ∂Q_d(a)/∂V = 1
  float* advantage = output_grad + 1 + offsets_[d];
  const auto n = static_cast<std::size_t>(sizes_[d]);
  for (std::size_t b = 0; b < n; ++b) advantage[b] -= g / static_cast<float>(n);  // the mean's part
  advantage[a] += g;
}

}  // namespace expanse::agents
