#include "analysis/ward.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace expanse {
namespace {

struct Merge {
  double height;
  int a, b;
};

int find(std::vector<int>& parent, int i) {
  while (parent[static_cast<std::size_t>(i)] != i)
    i = parent[static_cast<std::size_t>(i)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(i)])];
  return i;
}

}  // namespace

std::vector<int> ward_clustering(const Eigen::MatrixXd& X, int clusters) {
  const auto n = static_cast<int>(X.rows());
  if (clusters < 1 || clusters > n)
    throw std::invalid_argument("Ward clustering: " + std::to_string(clusters) + " clusters need between 1 and " +
                                std::to_string(n) + " points");
  if (!X.allFinite()) throw std::invalid_argument("Ward clustering: the data contain NaN or infinite values");
  // d(i, j): Ward's merge cost in the Lance–Williams form, starting from squared distances.
  Eigen::MatrixXd d(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) d(i, j) = (X.row(i) - X.row(j)).squaredNorm();
  std::vector<double> size(static_cast<std::size_t>(n), 1.0);
  std::vector<char> active(static_cast<std::size_t>(n), 1);
  std::vector<Merge> merges;
  std::vector<int> chain;
  for (int remaining = n; remaining > 1;) {
    if (chain.empty())
      for (int i = 0; i < n; ++i)
        if (active[static_cast<std::size_t>(i)]) {
          chain.push_back(i);
          break;
        }
    const int top = chain.back();
    // The nearest active cluster of `top`, preferring the previous chain element on ties (that is
    // what guarantees the chain ends in a reciprocal pair).
    int nearest = chain.size() > 1 ? chain[chain.size() - 2] : -1;
    double best = nearest >= 0 ? d(top, nearest) : std::numeric_limits<double>::infinity();
    for (int j = 0; j < n; ++j)
      if (j != top && active[static_cast<std::size_t>(j)] && d(top, j) < best) {
        best = d(top, j);
        nearest = j;
      }
    if (chain.size() > 1 && nearest == chain[chain.size() - 2]) {
      chain.pop_back();
      chain.pop_back();
      const int a = std::min(top, nearest), b = std::max(top, nearest);
      merges.push_back({best, a, b});
      const double na = size[static_cast<std::size_t>(a)], nb = size[static_cast<std::size_t>(b)];
      for (int k = 0; k < n; ++k) {
        if (!active[static_cast<std::size_t>(k)] || k == a || k == b) continue;
        const double nk = size[static_cast<std::size_t>(k)];
        d(a, k) = d(k, a) = ((na + nk) * d(a, k) + (nb + nk) * d(b, k) - nk * d(a, b)) / (na + nb + nk);
      }
      size[static_cast<std::size_t>(a)] = na + nb;
      active[static_cast<std::size_t>(b)] = 0;
      --remaining;
    } else {
      chain.push_back(nearest);
    }
  }
  // Cutting the tree at `clusters`: apply the n − clusters lowest merges.
  std::stable_sort(merges.begin(), merges.end(), [](const Merge& x, const Merge& y) { return x.height < y.height; });
  std::vector<int> parent(static_cast<std::size_t>(n));
  std::iota(parent.begin(), parent.end(), 0);
  for (int m = 0; m < n - clusters; ++m)
    parent[static_cast<std::size_t>(find(parent, merges[static_cast<std::size_t>(m)].b))] =
        find(parent, merges[static_cast<std::size_t>(m)].a);
  std::vector<int> labels(static_cast<std::size_t>(n)), label_of_root(static_cast<std::size_t>(n), -1);
  int next = 0;
  for (int i = 0; i < n; ++i) {
    int& label = label_of_root[static_cast<std::size_t>(find(parent, i))];
    if (label < 0) label = next++;
    labels[static_cast<std::size_t>(i)] = label;
  }
  return labels;
}

}  // namespace expanse
