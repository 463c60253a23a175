#include "env/classic/cartpole.hpp"

#include <cmath>
#include <limits>

namespace expanse {
namespace {
constexpr double kGravity = 9.8;
constexpr double kMassCart = 1.0;
constexpr double kMassPole = 0.1;
constexpr double kTotalMass = kMassPole + kMassCart;
constexpr double kLength = 0.5;  // half the pole's length
constexpr double kPoleMassLength = kMassPole * kLength;
constexpr double kForceMag = 10.0;
constexpr double kTau = 0.02;
const double kThetaThreshold = 12 * 2 * M_PI / 360;
constexpr double kXThreshold = 2.4;
}  // namespace

CartPole::CartPole() : ClassicEnv(Box{}, Discrete{2}) {
  const float inf = std::numeric_limits<float>::max();
  const float x = static_cast<float>(kXThreshold * 2), th = static_cast<float>(kThetaThreshold * 2);
  observation_space_ = Box{{-x, -inf, -th, -inf}, {x, inf, th, inf}};
}

void CartPole::start() {
  for (double& v : state_) v = rng_.uniform(-0.05, 0.05);
  terminated_before_ = false;
}

void CartPole::set_state(const State& state, int elapsed_steps) {
  state_ = state;
  elapsed_ = elapsed_steps;
  terminated_before_ = false;
}

StepResult CartPole::advance(const Action& action) {
  StepResult result;
  const std::int32_t a = action.indices.empty() ? -1 : action.indices[0];
  if (a != 0 && a != 1) result.invalid_action = true;  // Gymnasium asserts; we push left

  auto& [x, x_dot, theta, theta_dot] = state_;
  const double force = a == 1 ? kForceMag : -kForceMag;
  const double costheta = std::cos(theta);
  const double sintheta = std::sin(theta);
  const double temp = (force + kPoleMassLength * (theta_dot * theta_dot) * sintheta) / kTotalMass;
  const double thetaacc = (kGravity * sintheta - costheta * temp) /
                          (kLength * (4.0 / 3.0 - kMassPole * (costheta * costheta) / kTotalMass));
  const double xacc = temp - kPoleMassLength * thetaacc * costheta / kTotalMass;
  x = x + kTau * x_dot;
  x_dot = x_dot + kTau * xacc;
  theta = theta + kTau * theta_dot;
  theta_dot = theta_dot + kTau * thetaacc;

  result.terminated = x < -kXThreshold || x > kXThreshold || theta < -kThetaThreshold || theta > kThetaThreshold;
  // Gymnasium pays 1 for every step, the terminating one included (and 0 past it).
  result.reward = (terminated_before_) ? 0.0 : 1.0;
  terminated_before_ = terminated_before_ || result.terminated;
  return result;
}

void CartPole::write_observation(std::span<float> observation) const {
  for (std::size_t i = 0; i < 4; ++i) observation[i] = static_cast<float>(state_[i]);
}

}  // namespace expanse
