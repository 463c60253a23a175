#include "analysis/dbscan.hpp"

#include <stdexcept>

namespace expanse {

std::vector<int> dbscan(const Eigen::MatrixXd& X, double eps, int min_samples) {
  if (!(eps > 0) || min_samples < 1) throw std::invalid_argument("DBSCAN: need eps > 0 and min_samples ≥ 1");
  if (!X.allFinite()) throw std::invalid_argument("DBSCAN: the data contain NaN or infinite values");
  const Eigen::Index n = X.rows();
  const double eps2 = eps * eps;
  std::vector<std::vector<Eigen::Index>> neighbours(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      if ((X.row(i) - X.row(j)).squaredNorm() <= eps2) neighbours[static_cast<std::size_t>(i)].push_back(j);
  auto core = [&](Eigen::Index i) {
    return static_cast<int>(neighbours[static_cast<std::size_t>(i)].size()) >= min_samples;
  };
  std::vector<int> labels(static_cast<std::size_t>(n), -1);
  int cluster = 0;
  std::vector<Eigen::Index> stack;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (labels[static_cast<std::size_t>(i)] != -1 || !core(i)) continue;
    stack.assign(1, i);
    labels[static_cast<std::size_t>(i)] = cluster;
    while (!stack.empty()) {
      const Eigen::Index p = stack.back();
      stack.pop_back();
      if (!core(p)) continue;  // border points join but do not extend the cluster
      for (Eigen::Index q : neighbours[static_cast<std::size_t>(p)]) {
        if (labels[static_cast<std::size_t>(q)] != -1) continue;
        labels[static_cast<std::size_t>(q)] = cluster;
        stack.push_back(q);
      }
    }
    ++cluster;
  }
  return labels;
}

}  // namespace expanse
