#include "env/classic/pendulum.hpp"

#include <algorithm>
#include <cmath>

namespace expanse {
namespace {
constexpr double kMaxSpeed = 8.0;
constexpr float kMaxTorque = 2.0f;
constexpr double kDt = 0.05;
constexpr double kG = 10.0;

// NumPy's floored remainder: the result takes the divisor's sign.
double floored_mod(double a, double b) {
  double r = std::fmod(a, b);
  if (r != 0.0) {
    if ((b < 0) != (r < 0)) r += b;
  } else {
    r = std::copysign(0.0, b);
  }
  return r;
}

double angle_normalize(double x) {
  return floored_mod(x + M_PI, 2 * M_PI) - M_PI;
}
}  // namespace

Pendulum::Pendulum() : ClassicEnv(Box{{-1.f, -1.f, -8.f}, {1.f, 1.f, 8.f}}, Box{{-2.f}, {2.f}}) {}

void Pendulum::start() {
  state_ = {rng_.uniform(-M_PI, M_PI), rng_.uniform(-1.0, 1.0)};
}

StepResult Pendulum::advance(const Action& action) {
  StepResult result;
  const float u = std::clamp(single_value(action, result), -kMaxTorque, kMaxTorque);

  const auto [th, thdot] = state_;
  const double torque = u;
  const double costs = angle_normalize(th) * angle_normalize(th) + 0.1 * (thdot * thdot) + 0.001 * (torque * torque);
  double newthdot = thdot + (3 * kG / (2 * 1.0) * std::sin(th) + 3.0 / 1.0 * torque) * kDt;
  newthdot = std::clamp(newthdot, -kMaxSpeed, kMaxSpeed);
  const double newth = th + newthdot * kDt;
  state_ = {newth, newthdot};

  result.reward = -costs;
  return result;
}

void Pendulum::write_observation(std::span<float> observation) const {
  observation[0] = static_cast<float>(std::cos(state_[0]));
  observation[1] = static_cast<float>(std::sin(state_[0]));
  observation[2] = static_cast<float>(state_[1]);
}

}  // namespace expanse
