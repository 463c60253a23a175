#include "analysis/bass_fit.hpp"

#include <Eigen/Dense>
#include <cmath>

namespace expanse {

BassEstimate fit_bass(const std::vector<EntryQuarter>& series, double churn, const BassGuess& guess) {
  BassEstimate out;
  // Pairs (N_{t−1}, ΔN_t) from consecutive observed quarters; the first quarter starts from zero.
  std::vector<double> previous, added;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (series[i].quarter == 0) {
      previous.push_back(0.0);
      added.push_back(series[i].adopters);
    } else if (i > 0 && series[i - 1].quarter == series[i].quarter - 1) {
      previous.push_back(series[i - 1].adopters);
      added.push_back(series[i].adopters - (1 - churn) * series[i - 1].adopters);
    }
  }
  out.observations = static_cast<int>(added.size());
  if (added.size() < 3) {
    out.why = "fewer than 3 usable quarters";
    return out;
  }
  double scale = 0;
  for (double a : added) scale += std::abs(a);
  scale = 0.1 * scale / static_cast<double>(added.size());  // ≈ the demand noise of one quarter
  if (!(scale > 0)) {
    out.why = "no adoption recorded";
    return out;
  }
  const Eigen::Vector3d centre(std::log(guess.p), std::log(guess.q), std::log(guess.market));
  const Eigen::Vector3d spread(guess.sigma_p, guess.sigma_q, guess.sigma_market);
  const std::size_t n = added.size();
  // Residuals: the data (scaled by the noise) and the prior (scaled by its spread).
  auto residuals = [&](const Eigen::Vector3d& theta) {
    Eigen::VectorXd r(static_cast<Eigen::Index>(n + 3));
    const double p = std::exp(theta(0)), q = std::exp(theta(1)), m = std::exp(theta(2));
    for (std::size_t t = 0; t < n; ++t)
      r(static_cast<Eigen::Index>(t)) = (added[t] - (p + q * previous[t] / m) * (m - previous[t])) / scale;
    r.tail(3) = (theta - centre).cwiseQuotient(spread);
    return r;
  };
  Eigen::Vector3d theta = centre;
  double lambda = 1e-3;
  Eigen::VectorXd r = residuals(theta);
  for (int it = 0; it < 200; ++it) {
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
      theta += delta;
      const bool converged = r.squaredNorm() - candidate.squaredNorm() < 1e-12 * (1 + r.squaredNorm());
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
  out.market = std::exp(theta(2));
  out.ok = std::isfinite(out.p) && std::isfinite(out.q) && std::isfinite(out.market);
  if (!out.ok) out.why = "the fit did not converge";
  return out;
}

}  // namespace expanse
