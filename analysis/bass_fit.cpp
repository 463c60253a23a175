#include "analysis/bass_fit.hpp"

#include <Eigen/Dense>
#include <cmath>

namespace expanse {

BassEstimate fit_bass(const std::vector<EntrySeries>& products, double churn, const BassGuess& guess) {
  BassEstimate out;
  struct Increment {
    double previous, added, base_market;
  };
  std::vector<Increment> data;
  for (const EntrySeries& s : products) {
    for (std::size_t i = 0; i < s.quarters.size(); ++i) {
      const auto t = static_cast<std::size_t>(s.quarters[i].quarter);
      if (t >= s.base_market.size() || !(s.base_market[t] > 0)) continue;
      double previous = -1;
      if (t == 0)
        previous = 0;
      else if (i > 0 && s.quarters[i - 1].quarter + 1 == s.quarters[i].quarter)
        previous = s.quarters[i - 1].adopters;
      if (previous < 0) continue;
      const double kept = (1 - churn) * previous;
      data.push_back({kept, s.quarters[i].adopters - kept, s.base_market[t]});
    }
  }
  out.observations = static_cast<int>(data.size());
  if (data.size() < 3) {
    out.why = "fewer than 3 usable quarters";
    return out;
  }
  const Eigen::Vector3d centre(std::log(guess.p), std::log(guess.q), std::log(guess.multiplier));
  const Eigen::Vector3d spread(guess.sigma_p, guess.sigma_q, guess.sigma_multiplier);
  auto residuals = [&](const Eigen::Vector3d& theta) {
    Eigen::VectorXd r(static_cast<Eigen::Index>(data.size() + 3));
    const double p = std::exp(theta(0)), q = std::exp(theta(1)), multiplier = std::exp(theta(2));
    for (std::size_t i = 0; i < data.size(); ++i) {
      const Increment& d = data[i];
      const double market = multiplier * d.base_market;
      const double predicted = (p + q * d.previous / market) * std::max(0.0, market - d.previous);
      const double noise = 0.1 * std::abs(predicted) + 0.07 * d.previous + 1e-9;
      r(static_cast<Eigen::Index>(i)) = (d.added - predicted) / noise;
    }
    r.tail(3) = (theta - centre).cwiseQuotient(spread);
    return r;
  };
  Eigen::Vector3d theta = centre;
  double lambda = 1e-3;
  Eigen::VectorXd r = residuals(theta);
  for (int it = 0; it < 300; ++it) {
    Eigen::MatrixXd J(r.size(), 3);
    for (int k = 0; k < 3; ++k) {
      Eigen::Vector3d step = theta;
      step(k) += 1e-6;
      J.col(k) = (residuals(step) - r) / 1e-6;
    }
    Eigen::Matrix3d A = J.transpose() * J;
    A.diagonal() *= 1 + lambda;
    const Eigen::Vector3d delta = A.ldlt().solve(-J.transpose() * r);
    const Eigen::VectorXd candidate = residuals(theta + delta);
    if (candidate.squaredNorm() < r.squaredNorm()) {
      const bool converged = r.squaredNorm() - candidate.squaredNorm() < 1e-12 * (1 + r.squaredNorm());
      theta += delta;
      r = candidate;
      lambda *= 0.3;
      if (converged) break;
    } else {
      lambda *= 10;
      if (lambda > 1e10) break;
    }
  }
  out.p = std::exp(theta(0));
  out.q = std::exp(theta(1));
  out.multiplier = std::exp(theta(2));
  out.ok = std::isfinite(out.p) && std::isfinite(out.q) && std::isfinite(out.multiplier);
  if (!out.ok) out.why = "the fit did not converge";
  return out;
}

}  // namespace expanse
