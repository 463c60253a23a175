#include "env/classic/acrobot.hpp"

#include <algorithm>
#include <cmath>

namespace expanse {
namespace {
constexpr double kDt = 0.2;
constexpr double kMaxVel1 = 4 * M_PI;
constexpr double kMaxVel2 = 9 * M_PI;

using Vec = std::array<double, 4>;

// Equations of motion (Sutton & Barto's book version), in Gymnasium's operation order so that
// results agree to the last bits.
Vec derivatives(const Vec& s, double torque) {
  constexpr double m1 = 1.0, m2 = 1.0, l1 = 1.0, lc1 = 0.5, lc2 = 0.5, I1 = 1.0, I2 = 1.0, g = 9.8;
  const double theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
  const double d1 = m1 * (lc1 * lc1) + m2 * ((l1 * l1) + (lc2 * lc2) + 2 * l1 * lc2 * std::cos(theta2)) + I1 + I2;
  const double d2 = m2 * ((lc2 * lc2) + l1 * lc2 * std::cos(theta2)) + I2;
  const double phi2 = m2 * lc2 * g * std::cos(theta1 + theta2 - M_PI / 2.0);
  const double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * std::sin(theta2) -
                      2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * std::sin(theta2) +
                      (m1 * lc1 + m2 * l1) * g * std::cos(theta1 - M_PI / 2) + phi2;
  const double ddtheta2 = (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * std::sin(theta2) - phi2) /
                          (m2 * (lc2 * lc2) + I2 - (d2 * d2) / d1);
  const double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return {dtheta1, dtheta2, ddtheta1, ddtheta2};
}

Vec axpy(const Vec& y, double h, const Vec& k) {
  return {y[0] + h * k[0], y[1] + h * k[1], y[2] + h * k[2], y[3] + h * k[3]};
}

double wrap(double x, double lo, double hi) {
  const double diff = hi - lo;
  while (x > hi) x = x - diff;
  while (x < lo) x = x + diff;
  return x;
}
}  // namespace

Acrobot::Acrobot() : ClassicEnv(Box{}, Discrete{3}) {
  const float v1 = static_cast<float>(kMaxVel1), v2 = static_cast<float>(kMaxVel2);
  observation_space_ = Box{{-1.f, -1.f, -1.f, -1.f, -v1, -v2}, {1.f, 1.f, 1.f, 1.f, v1, v2}};
}

void Acrobot::start() {
  for (double& v : state_) v = static_cast<float>(rng_.uniform(-0.1, 0.1));  // Gymnasium casts to float32
}

StepResult Acrobot::advance(const Action& action) {
  StepResult result;
  const std::int32_t a = action.indices.empty() ? -1 : action.indices[0];
  if (a < 0 || a > 2) result.invalid_action = true;
  const double torque = (a >= 0 && a <= 2) ? static_cast<double>(a - 1) : 0.0;

  constexpr double dt = kDt - 0.0, dt2 = dt / 2.0;
  const Vec& y0 = state_;
  const Vec k1 = derivatives(y0, torque);
  const Vec k2 = derivatives(axpy(y0, dt2, k1), torque);
  const Vec k3 = derivatives(axpy(y0, dt2, k2), torque);
  const Vec k4 = derivatives(axpy(y0, dt, k3), torque);
  Vec ns;
  for (std::size_t i = 0; i < 4; ++i) ns[i] = y0[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);

  ns[0] = wrap(ns[0], -M_PI, M_PI);
  ns[1] = wrap(ns[1], -M_PI, M_PI);
  ns[2] = std::min(std::max(ns[2], -kMaxVel1), kMaxVel1);
  ns[3] = std::min(std::max(ns[3], -kMaxVel2), kMaxVel2);
  state_ = ns;

  result.terminated = -std::cos(ns[0]) - std::cos(ns[1] + ns[0]) > 1.0;
  result.reward = result.terminated ? 0.0 : -1.0;
  return result;
}

void Acrobot::write_observation(std::span<float> observation) const {
  const double values[] = {std::cos(state_[0]), std::sin(state_[0]), std::cos(state_[1]),
                           std::sin(state_[1]), state_[2],           state_[3]};
  for (std::size_t i = 0; i < 6; ++i) observation[i] = static_cast<float>(values[i]);
}

}  // namespace expanse
