#pragma once
// Pendulum-v1 with Gymnasium 1.x's exact dynamics (g = 10, 200-step limit).
#include "env/classic/classic_env.hpp"

namespace expanse {

class Pendulum final : public ClassicEnv<Pendulum, 2> {  // state: theta, theta_dot
 public:
  static constexpr int kMaxSteps = 200;

  Pendulum();
  std::string name() const override { return "Pendulum-v1"; }

 private:
  friend ClassicEnv;
  void start();                              // draws the initial state from rng_
  StepResult advance(const Action& action);  // the dynamics of one step
  void write_observation(std::span<float> observation) const;
};

}  // namespace expanse
