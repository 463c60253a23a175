#pragma once
// Acrobot-v1 with Gymnasium 1.x's exact dynamics ("book" equations, one RK4 step of 0.2 s,
// 500-step limit).
#include "env/classic/classic_env.hpp"

namespace expanse {

class Acrobot final : public ClassicEnv<Acrobot, 4> {  // state: theta1, theta2, dtheta1, dtheta2
 public:
  static constexpr int kMaxSteps = 500;

  Acrobot();
  std::string name() const override { return "Acrobot-v1"; }

 private:
  friend ClassicEnv;
  void start();                              // draws the initial state from rng_
  StepResult advance(const Action& action);  // the dynamics of one step
  void write_observation(std::span<float> observation) const;
};

}  // namespace expanse
