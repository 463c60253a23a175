#include "analysis/silhouette.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace expanse {

double silhouette_score(const Eigen::MatrixXd& X, const std::vector<int>& labels) {
  const Eigen::Index n = X.rows();
  if (static_cast<Eigen::Index>(labels.size()) != n) throw std::invalid_argument("silhouette: one label per point");
  const int k = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
  if (k < 2) throw std::invalid_argument("silhouette: needs at least 2 clusters");
  std::vector<double> sizes(static_cast<std::size_t>(k), 0.0);
  for (int l : labels) sizes[static_cast<std::size_t>(l)] += 1;
  double total = 0;
  std::vector<double> sum_to(static_cast<std::size_t>(k));
  for (Eigen::Index i = 0; i < n; ++i) {
    std::fill(sum_to.begin(), sum_to.end(), 0.0);
    for (Eigen::Index j = 0; j < n; ++j)
      sum_to[static_cast<std::size_t>(labels[static_cast<std::size_t>(j)])] += (X.row(i) - X.row(j)).norm();
    const auto own = static_cast<std::size_t>(labels[static_cast<std::size_t>(i)]);
    if (sizes[own] <= 1) continue;  // a singleton's silhouette is 0
    const double a = sum_to[own] / (sizes[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < sum_to.size(); ++c)
      if (c != own && sizes[c] > 0) b = std::min(b, sum_to[c] / sizes[c]);
    total += (b - a) / std::max(a, b);
  }
  return total / static_cast<double>(n);
}

KSelection choose_k_by_silhouette(const Eigen::MatrixXd& X, int k_min, int k_max, KMeansOptions options, Rng& rng) {
  if (k_min < 2 || k_max < k_min || k_max >= X.rows())
    throw std::invalid_argument("choosing k: need 2 ≤ k_min ≤ k_max < number of points (" + std::to_string(X.rows()) +
                                "), got [" + std::to_string(k_min) + ", " + std::to_string(k_max) + "]");
  KSelection best;
  double best_score = -std::numeric_limits<double>::infinity();
  for (int k = k_min; k <= k_max; ++k) {
    options.k = k;
    KMeansResult r = kmeans(X, options, rng);
    const double s = silhouette_score(X, r.labels);
    best.silhouettes.push_back(s);
    if (s > best_score) {
      best_score = s;
      best.k = k;
      best.clustering = std::move(r);
    }
  }
  return best;
}

}  // namespace expanse
