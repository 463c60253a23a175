#pragma once
// CartPole-v1 with Gymnasium 1.x's exact dynamics (Euler integration, 500-step limit).
#include "env/classic/classic_env.hpp"

namespace expanse {

class CartPole final : public ClassicEnv<CartPole, 4> {  // state: x, x_dot, theta, theta_dot
 public:
  static constexpr int kMaxSteps = 500;

  CartPole();
  std::string name() const override { return "CartPole-v1"; }

  // For replaying reference trajectories; also forgets an earlier termination.
  void set_state(const State& state, int elapsed_steps = 0);

 private:
  friend ClassicEnv;
  void start();                              // draws the initial state from rng_
  StepResult advance(const Action& action);  // the dynamics of one step
  void write_observation(std::span<float> observation) const;

  bool terminated_before_ = false;
};

}  // namespace expanse
