#pragma once
// k-means clustering (Lloyd's algorithm) with k-means++ seeding and restarts: the market
// segmentation of docs/analysis.md. Rows of X are points (standardise features first).
#include <Eigen/Dense>
#include <vector>

#include "common/rng.hpp"

namespace expanse {

struct KMeansOptions {
  int k = 3;
  int restarts = 10;  // independent k-means++ starts; the lowest inertia wins
  int max_iterations = 300;
  double tolerance = 1e-4;  // stop when centroids move less than this × the mean feature variance
};

struct KMeansResult {
  Eigen::MatrixXd centroids;  // k × d
  std::vector<int> labels;    // per point, in [0, k)
  double inertia = 0;         // sum of squared distances to the assigned centroid
  int iterations = 0;         // of the winning restart
};

// Arthur & Vassilvitskii (2007): each next centre drawn with probability ∝ squared distance to the
// nearest centre chosen so far.
Eigen::MatrixXd kmeans_plus_plus_init(const Eigen::MatrixXd& X, int k, Rng& rng);

// Throws std::invalid_argument when k < 1 or k exceeds the number of points.
KMeansResult kmeans(const Eigen::MatrixXd& X, const KMeansOptions& options, Rng& rng);

}  // namespace expanse
