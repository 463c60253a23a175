#pragma once
// MountainCarContinuous-v0 with Gymnasium 1.x's exact dynamics (999-step limit). Gymnasium stores
// the state as float32 after every step (its reset state is float64); this class reproduces
// those roundings, so trajectories agree to the bit.
#include <array>

#include "common/rng.hpp"
#include "env/env.hpp"

namespace expanse {

class MountainCarContinuous final : public Env {
 public:
  using State = std::array<double, 2>;  // position, velocity
  static constexpr int kMaxSteps = 999;

  MountainCarContinuous() = default;
  std::string name() const override { return "MountainCarContinuous-v0"; }
  const Box& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  void reset(std::uint64_t seed, std::span<float> observation) override;
  StepResult step(const Action& action, std::span<float> observation) override;
  std::unique_ptr<Env> clone() const override { return std::make_unique<MountainCarContinuous>(*this); }
  using Env::reset;
  using Env::step;

  void set_state(const State& state, int elapsed_steps = 0);
  const State& state() const { return state_; }

 private:
  void write_observation(std::span<float> observation) const;

  Box observation_space_{{-1.2f, -0.07f}, {0.6f, 0.07f}};
  Space action_space_ = Box{{-1.f}, {1.f}};
  State state_{};
  int elapsed_ = 0;
  Rng rng_;
};

}  // namespace expanse
