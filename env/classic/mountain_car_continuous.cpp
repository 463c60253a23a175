#include "env/classic/mountain_car_continuous.hpp"

#include <algorithm>
#include <cmath>

namespace expanse {
namespace {
constexpr double kMinPosition = -1.2;
constexpr double kMaxPosition = 0.6;
constexpr double kMaxSpeed = 0.07;
constexpr double kGoalPosition = 0.45;
constexpr double kGoalVelocity = 0.0;
constexpr double kPower = 0.0015;

float f32(double x) {
  return static_cast<float>(x);
}  // Gymnasium stores the state as float32
}  // namespace

void MountainCarContinuous::start() {
  state_ = {rng_.uniform(-0.6, -0.4), 0.0};
}

StepResult MountainCarContinuous::advance(const Action& action) {
  StepResult result;
  const float a = single_value(action, result);

  double position = state_[0], velocity = state_[1];
  const double force = std::min(std::max(static_cast<double>(a), -1.0), 1.0);
  const double gravity = 0.0025 * std::cos(3.0 * position);
  velocity += force * kPower - gravity;
  if (velocity > kMaxSpeed) velocity = kMaxSpeed;
  if (velocity < -kMaxSpeed) velocity = -kMaxSpeed;
  position += velocity;
  if (position > kMaxPosition) position = kMaxPosition;
  if (position < kMinPosition) position = kMinPosition;
  if (position == kMinPosition && velocity < 0) velocity = 0;

  result.terminated = position >= kGoalPosition && velocity >= kGoalVelocity;
  result.reward = (result.terminated ? 100.0 : 0.0) - std::pow(static_cast<double>(a), 2) * 0.1;
  state_ = {f32(position), f32(velocity)};
  return result;
}

void MountainCarContinuous::write_observation(std::span<float> observation) const {
  observation[0] = f32(state_[0]);
  observation[1] = f32(state_[1]);
}

}  // namespace expanse
