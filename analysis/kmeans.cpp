#include "analysis/kmeans.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace expanse {
namespace {

// Nearest centroid of every point; squared distances through one matrix product
// (‖x‖² − 2x·c + ‖c‖²), which is what makes 100,000-point problems cheap.
double assign(const Eigen::MatrixXd& X, const Eigen::VectorXd& point_norms, const Eigen::MatrixXd& C,
              std::vector<int>& labels, Eigen::VectorXd& distances) {
  const Eigen::MatrixXd cross = X * C.transpose();
  const Eigen::RowVectorXd centre_norms = C.rowwise().squaredNorm().transpose();
  double total = 0;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    Eigen::Index best = 0;
    const double d = (centre_norms - 2.0 * cross.row(i)).minCoeff(&best) + point_norms(i);
    labels[static_cast<std::size_t>(i)] = static_cast<int>(best);
    distances(i) = std::max(d, 0.0);
    total += distances(i);
  }
  return total;
}

// The exact inertia (summed squared differences), free of the cancellation of the fast formula.
double exact_inertia(const Eigen::MatrixXd& X, const Eigen::MatrixXd& C, const std::vector<int>& labels) {
  double total = 0;
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    total += (X.row(i) - C.row(labels[static_cast<std::size_t>(i)])).squaredNorm();
  return total;
}

KMeansResult lloyd(const Eigen::MatrixXd& X, Eigen::MatrixXd C, const KMeansOptions& options, double tolerance) {
  const Eigen::Index n = X.rows(), k = C.rows();
  const Eigen::VectorXd point_norms = X.rowwise().squaredNorm();
  KMeansResult r;
  r.labels.assign(static_cast<std::size_t>(n), 0);
  Eigen::VectorXd distances(n);
  for (r.iterations = 1; r.iterations <= options.max_iterations; ++r.iterations) {
    assign(X, point_norms, C, r.labels, distances);
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, X.cols());
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(k);
    for (Eigen::Index i = 0; i < n; ++i) {
      sums.row(r.labels[static_cast<std::size_t>(i)]) += X.row(i);
      counts(r.labels[static_cast<std::size_t>(i)]) += 1;
    }
    Eigen::MatrixXd next = C;
    for (Eigen::Index c = 0; c < k; ++c) {
      if (counts(c) > 0) {
        next.row(c) = sums.row(c) / counts(c);
      } else {
        // An empty cluster takes the point worst served by its centre.
        Eigen::Index far = 0;
        distances.maxCoeff(&far);
        next.row(c) = X.row(far);
        distances(far) = 0;
      }
    }
    const double shift = (next - C).squaredNorm();
    C = next;
    if (shift <= tolerance) break;
  }
  r.iterations = std::min(r.iterations, options.max_iterations);
  assign(X, point_norms, C, r.labels, distances);
  r.centroids = C;
  r.inertia = exact_inertia(X, C, r.labels);
  return r;
}

}  // namespace

Eigen::MatrixXd kmeans_plus_plus_init(const Eigen::MatrixXd& X, int k, Rng& rng) {
  const Eigen::Index n = X.rows();
  Eigen::MatrixXd C(k, X.cols());
  C.row(0) = X.row(rng.below(static_cast<std::uint32_t>(n)));
  Eigen::VectorXd nearest = (X.rowwise() - C.row(0)).rowwise().squaredNorm();
  for (int c = 1; c < k; ++c) {
    const double total = nearest.sum();
    Eigen::Index pick = 0;
    if (total <= 0) {
      pick = rng.below(static_cast<std::uint32_t>(n));  // every point is already a centre
    } else {
      double target = rng.uniform() * total;
      for (pick = 0; pick < n - 1; ++pick) {
        target -= nearest(pick);
        if (target < 0) break;
      }
    }
    C.row(c) = X.row(pick);
    nearest = nearest.cwiseMin((X.rowwise() - C.row(c)).rowwise().squaredNorm());
  }
  return C;
}

KMeansResult kmeans(const Eigen::MatrixXd& X, const KMeansOptions& options, Rng& rng) {
  if (options.k < 1 || options.k > X.rows())
    throw std::invalid_argument("k-means: k = " + std::to_string(options.k) + " needs between 1 and " +
                                std::to_string(X.rows()) + " clusters (the number of points)");
  if (!X.allFinite()) throw std::invalid_argument("k-means: the data contain NaN or infinite values");
  // sklearn's convention: the tolerance is relative to the data's mean feature variance.
  const Eigen::RowVectorXd mean = X.colwise().mean();
  const double variance = (X.rowwise() - mean).array().square().colwise().sum().mean() / static_cast<double>(X.rows());
  KMeansResult best;
  best.inertia = std::numeric_limits<double>::infinity();
  for (int restart = 0; restart < std::max(1, options.restarts); ++restart) {
    KMeansResult r = lloyd(X, kmeans_plus_plus_init(X, options.k, rng), options, options.tolerance * variance);
    if (r.inertia < best.inertia) best = std::move(r);
  }
  return best;
}

}  // namespace expanse
