#pragma once
// Acrobot-v1 with Gymnasium 1.x's exact dynamics ("book" equations, one RK4 step of 0.2 s,
// 500-step limit).
#include <array>

#include "common/rng.hpp"
#include "env/env.hpp"

namespace expanse {

class Acrobot final : public Env {
 public:
  using State = std::array<double, 4>;  // theta1, theta2, dtheta1, dtheta2
  static constexpr int kMaxSteps = 500;

  Acrobot();
  std::string name() const override { return "Acrobot-v1"; }
  const Box& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  void reset(std::uint64_t seed, std::span<float> observation) override;
  StepResult step(const Action& action, std::span<float> observation) override;
  std::unique_ptr<Env> clone() const override { return std::make_unique<Acrobot>(*this); }
  using Env::reset;
  using Env::step;

  void set_state(const State& state, int elapsed_steps = 0);
  const State& state() const { return state_; }

 private:
  void write_observation(std::span<float> observation) const;

  Box observation_space_;
  Space action_space_ = Discrete{3};
  State state_{};
  int elapsed_ = 0;
  Rng rng_;
};

}  // namespace expanse
