#pragma once
// What the four reference envs share (Gymnasium's classic control): a state of a few doubles, a
// step count for the time limit, an RNG seeded at reset, fixed spaces, and set_state() for
// replaying reference trajectories. Each env adds its dynamics: name(), kMaxSteps, start() (the
// initial state), advance() (one step) and write_observation().
#include <array>
#include <cmath>
#include <cstddef>
#include <memory>

#include "common/rng.hpp"
#include "env/env.hpp"

namespace expanse {

template <typename Derived, std::size_t kStateSize>
class ClassicEnv : public Env {
 public:
  using State = std::array<double, kStateSize>;

  // The RNG is seeded from `seed` alone; the env's start() draws the initial state.
  void reset(std::uint64_t seed, std::span<float> observation) final {
    rng_.reseed(seed);
    self().start();
    elapsed_ = 0;
    self().write_observation(observation);
  }
  // The env's dynamics (advance: reward, termination, an invalid action), then Gymnasium's
  // TimeLimit: truncation, which may coincide with termination.
  StepResult step(const Action& action, std::span<float> observation) final {
    StepResult result = self().advance(action);
    result.truncated = ++elapsed_ >= Derived::kMaxSteps;
    self().write_observation(observation);
    return result;
  }
  using Env::reset;
  using Env::step;

  const Box& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  std::unique_ptr<Env> clone() const override { return std::make_unique<Derived>(static_cast<const Derived&>(*this)); }

  void set_state(const State& state, int elapsed_steps = 0) {
    state_ = state;
    elapsed_ = elapsed_steps;
  }
  const State& state() const { return state_; }

 protected:
  Derived& self() { return static_cast<Derived&>(*this); }
  ClassicEnv(Box observation_space, Space action_space)
      : observation_space_(std::move(observation_space)), action_space_(std::move(action_space)) {}

  // A one-dimensional Box action's value; 0, and the result marked invalid, when it has none or NaN.
  static float single_value(const Action& action, StepResult& result) {
    if (action.values.size() == 1 && !std::isnan(action.values[0])) return action.values[0];
    result.invalid_action = true;
    return 0.f;
  }

  Box observation_space_;
  Space action_space_;
  State state_{};
  int elapsed_ = 0;
  Rng rng_;
};

}  // namespace expanse
