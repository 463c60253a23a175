#pragma once
// Action branching for DQN (BDQ: Tavakoli, Pardo & Kormushev 2018, "Action branching architectures
// for deep reinforcement learning"): Q values for each component of a MultiDiscrete action, read
// from one network row. One component (a Discrete space) is CleanRL's DQN: the row is the Q values.
// Several use the dueling form, row = [V, A_1 (n_1 values), …, A_D (n_D values)] and
// Q_d(s, a) = V(s) + A_d(s, a) − mean A_d(s, ·): the heads share the state's value and each learns
// only what its own choice adds to it.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace expanse::agents {

class ActionBranches {
 public:
  explicit ActionBranches(std::vector<std::int32_t> sizes);

  std::size_t count() const { return sizes_.size(); }
  int size(std::size_t d) const { return sizes_[d]; }
  // Where branch d's Q values (and its part of an action mask) start in a row of total() values.
  std::size_t offset(std::size_t d) const { return offsets_[d]; }
  std::size_t total() const { return total_; }    // Q values per row: Σ n_d
  std::size_t width() const { return width_; }    // network outputs per row: total(), + 1 for V
  bool dueling() const { return width_ != total_; }

  // Q values (rows × total()) from network outputs (rows × width()). Without dueling the outputs
  // are the Q values: returns `outputs` and leaves q alone; otherwise fills q and returns it.
  const float* q_values(const float* outputs, std::size_t rows, std::vector<float>& q) const;
  // Adds g = ∂loss/∂Q_d(a) to the gradient of one row of network outputs (width() values).
  void add_gradient(float* output_grad, std::size_t d, std::size_t a, float g) const;

 private:
  std::vector<std::int32_t> sizes_;
  std::vector<std::size_t> offsets_;
  std::size_t total_ = 0, width_ = 0;
};

}  // namespace expanse::agents
