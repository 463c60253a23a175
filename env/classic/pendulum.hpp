#pragma once
// Pendulum-v1 with Gymnasium 1.x's exact dynamics (g = 10, 200-step limit).
#include <array>

#include "common/rng.hpp"
#include "env/env.hpp"

namespace expanse {

class Pendulum final : public Env {
 public:
  using State = std::array<double, 2>;  // theta, theta_dot
  static constexpr int kMaxSteps = 200;

  Pendulum();
  std::string name() const override { return "Pendulum-v1"; }
  const Box& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  void reset(std::uint64_t seed, std::span<float> observation) override;
  StepResult step(const Action& action, std::span<float> observation) override;
  std::unique_ptr<Env> clone() const override { return std::make_unique<Pendulum>(*this); }
  using Env::reset;
  using Env::step;

  void set_state(const State& state, int elapsed_steps = 0);
  const State& state() const { return state_; }

 private:
  void write_observation(std::span<float> observation) const;

  Box observation_space_{{-1.f, -1.f, -8.f}, {1.f, 1.f, 8.f}};
  Space action_space_ = Box{{-2.f}, {2.f}};
  State state_{};
  int elapsed_ = 0;
  Rng rng_;
};

}  // namespace expanse
