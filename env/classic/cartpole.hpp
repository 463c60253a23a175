#pragma once
// CartPole-v1 with Gymnasium 1.x's exact dynamics (Euler integration, 500-step limit).
#include <array>

#include "common/rng.hpp"
#include "env/env.hpp"

namespace expanse {

class CartPole final : public Env {
 public:
  using State = std::array<double, 4>;  // x, x_dot, theta, theta_dot
  static constexpr int kMaxSteps = 500;

  CartPole();
  std::string name() const override { return "CartPole-v1"; }
  const Box& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  void reset(std::uint64_t seed, std::span<float> observation) override;
  StepResult step(const Action& action, std::span<float> observation) override;
  std::unique_ptr<Env> clone() const override { return std::make_unique<CartPole>(*this); }
  using Env::reset;
  using Env::step;

  // For replaying reference trajectories.
  void set_state(const State& state, int elapsed_steps = 0);
  const State& state() const { return state_; }

 private:
  void write_observation(std::span<float> observation) const;

  Box observation_space_;
  Space action_space_ = Discrete{2};
  State state_{};
  int elapsed_ = 0;
  bool terminated_before_ = false;
  Rng rng_;
};

}  // namespace expanse
