#include "analysis/student_t.hpp"

#include <cmath>
#include <stdexcept>

namespace expanse {
namespace {

// The continued fraction of I_x(a, b) (evaluated with the modified Lentz method), valid and fast
// for x < (a + 1) / (a + b + 2); the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) covers the rest.
double beta_continued_fraction(double x, double a, double b) {
  constexpr double tiny = 1e-300, epsilon = 1e-16;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::abs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    // Even step.
    double coefficient = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1.0 + coefficient * d;
    if (std::abs(d) < tiny) d = tiny;
    c = 1.0 + coefficient / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    // Odd step.
    coefficient = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1.0 + coefficient * d;
    if (std::abs(d) < tiny) d = tiny;
    c = 1.0 + coefficient / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < epsilon) break;
  }
  return h;
}

}  // namespace

// I_x(a, b) given both x and y = 1 − x, so that callers who know y exactly keep its precision.
static double incomplete_beta(double x, double y, double a, double b) {
  if (x <= 0) return 0.0;
  if (y <= 0) return 1.0;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log(y);
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * beta_continued_fraction(x, a, b) / a;
  return 1.0 - std::exp(log_front) * beta_continued_fraction(y, b, a) / b;
}

double regularized_incomplete_beta(double x, double a, double b) {
  return incomplete_beta(x, 1.0 - x, a, b);
}

double student_t_cdf(double t, double dof) {
  // P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2); both ν/(ν+t²) and t²/(ν+t²) computed directly.
  const double denominator = dof + t * t;
  const double tail = 0.5 * incomplete_beta(dof / denominator, t * t / denominator, dof / 2, 0.5);
  return t >= 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double dof) {
  if (!(p > 0 && p < 1) || !(dof > 0)) throw std::invalid_argument("t quantile: need 0 < p < 1 and dof > 0");
  double lo = -1.0, hi = 1.0;
  while (student_t_cdf(lo, dof) > p) lo *= 2;
  while (student_t_cdf(hi, dof) < p) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * std::max(1.0, std::abs(hi)); ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_cdf(mid, dof) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace expanse
