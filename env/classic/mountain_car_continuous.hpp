#pragma once
// MountainCarContinuous-v0 with Gymnasium 1.x's exact dynamics (999-step limit). Gymnasium stores
// the state as float32 after every step (its reset state is float64); this class reproduces
// those roundings, so trajectories agree to the bit.
#include "env/classic/classic_env.hpp"

namespace expanse {

class MountainCarContinuous final : public ClassicEnv<MountainCarContinuous, 2> {  // state: position, velocity
 public:
  static constexpr int kMaxSteps = 999;

  MountainCarContinuous() : ClassicEnv(Box{{-1.2f, -0.07f}, {0.6f, 0.07f}}, Box{{-1.f}, {1.f}}) {}
  std::string name() const override { return "MountainCarContinuous-v0"; }

 private:
  friend ClassicEnv;
  void start();                              // draws the initial state from rng_
  StepResult advance(const Action& action);  // the dynamics of one step
  void write_observation(std::span<float> observation) const;
};

}  // namespace expanse
