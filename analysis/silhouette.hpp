#pragma once
// Silhouette score (Rousseeuw 1987) and the choice of k it supports (`k: auto`).
#include <Eigen/Dense>
#include <vector>

#include "analysis/kmeans.hpp"

namespace expanse {

// Mean over points of (b − a) / max(a, b), a = mean distance within the own cluster, b = the
// smallest mean distance to another cluster; points alone in their cluster count 0 (as
// scikit-learn). Exact pairwise distances: O(n²·d), meant for segmentation-sized data.
double silhouette_score(const Eigen::MatrixXd& X, const std::vector<int>& labels);

struct KSelection {
  int k = 0;
  std::vector<double> silhouettes;  // for k_min, k_min + 1, …, k_max
  KMeansResult clustering;          // of the chosen k
};

// k in [k_min, k_max] (k_min ≥ 2) with the highest silhouette.
KSelection choose_k_by_silhouette(const Eigen::MatrixXd& X, int k_min, int k_max, KMeansOptions options, Rng& rng);

}  // namespace expanse
