#include "analysis/collaborative_filtering.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace expanse {

RatingMatrix::RatingMatrix(int rows, int cols, std::vector<Rating> ratings)
    : rows_(rows),
      cols_(cols),
      ratings_(std::move(ratings)),
      by_row_(static_cast<std::size_t>(rows)),
      by_col_(static_cast<std::size_t>(cols)) {
  if (rows < 1 || cols < 1) throw std::invalid_argument("ratings: the matrix needs at least one row and column");
  std::set<std::pair<int, int>> seen;
  double sum = 0;
  for (std::size_t i = 0; i < ratings_.size(); ++i) {
    const Rating& r = ratings_[i];
    if (r.row < 0 || r.row >= rows || r.col < 0 || r.col >= cols)
      throw std::invalid_argument("ratings: entry (" + std::to_string(r.row) + ", " + std::to_string(r.col) +
                                  ") is outside the " + std::to_string(rows) + " × " + std::to_string(cols) +
                                  " matrix");
    if (!std::isfinite(r.value)) throw std::invalid_argument("ratings: a value is NaN or infinite");
    if (!seen.emplace(r.row, r.col).second)
      throw std::invalid_argument("ratings: (" + std::to_string(r.row) + ", " + std::to_string(r.col) +
                                  ") is rated twice");
    by_row_[static_cast<std::size_t>(r.row)].push_back(static_cast<int>(i));
    by_col_[static_cast<std::size_t>(r.col)].push_back(static_cast<int>(i));
    sum += r.value;
  }
  if (ratings_.empty()) throw std::invalid_argument("ratings: there are no observed entries");
  mean_ = sum / static_cast<double>(ratings_.size());
}

RatingMatrix RatingMatrix::transposed() const {
  std::vector<Rating> t;
  t.reserve(ratings_.size());
  for (const Rating& r : ratings_) t.push_back({r.col, r.row, r.value});
  return RatingMatrix(cols_, rows_, std::move(t));
}

NeighbourhoodModel::NeighbourhoodModel(const RatingMatrix& matrix, int k, Similarity similarity, bool item_based)
    : matrix_(item_based ? matrix.transposed() : matrix), k_(k), item_based_(item_based) {
  if (k < 1) throw std::invalid_argument("kNN: k must be at least 1");
  const int n = matrix_.rows(), m = matrix_.cols();
  dense_ = Eigen::MatrixXd::Constant(n, m, std::nan(""));
  row_mean_ = Eigen::VectorXd::Constant(n, matrix_.mean());
  for (const Rating& r : matrix_.ratings()) dense_(r.row, r.col) = r.value;
  for (int u = 0; u < n; ++u) {
    double s = 0;
    for (int i : matrix_.in_row(u)) s += matrix_.ratings()[static_cast<std::size_t>(i)].value;
    if (!matrix_.in_row(u).empty()) row_mean_(u) = s / static_cast<double>(matrix_.in_row(u).size());
  }
  // Similarities over co-rated columns; Pearson centres each row on its mean first.
  similarity_ = Eigen::MatrixXd::Zero(n, n);
  for (int u = 0; u < n; ++u)
    for (int v = u + 1; v < n; ++v) {
      double dot = 0, nu = 0, nv = 0;
      for (int c = 0; c < m; ++c) {
        const double a = dense_(u, c), b = dense_(v, c);
        if (std::isnan(a) || std::isnan(b)) continue;
        const double x = similarity == Similarity::kPearson ? a - row_mean_(u) : a;
        const double y = similarity == Similarity::kPearson ? b - row_mean_(v) : b;
        dot += x * y;
        nu += x * x;
        nv += y * y;
      }
      similarity_(u, v) = similarity_(v, u) = nu > 0 && nv > 0 ? dot / std::sqrt(nu * nv) : 0.0;
    }
}

double NeighbourhoodModel::predict(int row, int col) const {
  const int u = item_based_ ? col : row, c = item_based_ ? row : col;
  if (u < 0 || u >= matrix_.rows() || c < 0 || c >= matrix_.cols()) return matrix_.mean();
  std::vector<std::pair<double, int>> candidates;  // (similarity, neighbour) of rows that rated c
  for (int i : matrix_.in_col(c)) {
    const int v = matrix_.ratings()[static_cast<std::size_t>(i)].row;
    if (v != u && similarity_(u, v) > 0) candidates.emplace_back(similarity_(u, v), v);
  }
  const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(k_), candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k), candidates.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  double weighted = 0, weights = 0;
  for (std::size_t n = 0; n < k; ++n) {
    const auto [s, v] = candidates[n];
    weighted += s * (dense_(v, c) - row_mean_(v));
    weights += s;
  }
  return row_mean_(u) + (weights > 0 ? weighted / weights : 0.0);
}

AlsModel::AlsModel(const RatingMatrix& matrix, const AlsOptions& options, Rng& rng) : mean_(matrix.mean()) {
  if (options.factors < 1 || options.iterations < 1 || options.regularisation < 0)
    throw std::invalid_argument("ALS: need factors ≥ 1, iterations ≥ 1 and regularisation ≥ 0");
  const int f = options.factors;
  row_factors_.resize(matrix.rows(), f);
  col_factors_.resize(matrix.cols(), f);
  for (Eigen::Index i = 0; i < row_factors_.size(); ++i) row_factors_.data()[i] = 0.1 * rng.normal();
  for (Eigen::Index i = 0; i < col_factors_.size(); ++i) col_factors_.data()[i] = 0.1 * rng.normal();
  // One half-step: every factor of `solve` from the fixed ones, a small ridge regression each.
  auto half_step = [&](Eigen::MatrixXd& solve, const Eigen::MatrixXd& fixed, bool rows) {
    for (Eigen::Index a = 0; a < solve.rows(); ++a) {
      const auto& entries = rows ? matrix.in_row(static_cast<int>(a)) : matrix.in_col(static_cast<int>(a));
      if (entries.empty()) {
        solve.row(a).setZero();  // nothing observed: predict the mean
        continue;
      }
      Eigen::MatrixXd gram =
          Eigen::MatrixXd::Identity(f, f) * (options.regularisation * static_cast<double>(entries.size()));
      Eigen::VectorXd rhs = Eigen::VectorXd::Zero(f);
      for (int i : entries) {
        const Rating& r = matrix.ratings()[static_cast<std::size_t>(i)];
        const auto other = fixed.row(rows ? r.col : r.row).transpose();
        gram.selfadjointView<Eigen::Lower>().rankUpdate(other);
        rhs += (r.value - mean_) * other;
      }
      solve.row(a) = gram.selfadjointView<Eigen::Lower>().ldlt().solve(rhs).transpose();
    }
  };
  for (int it = 0; it < options.iterations; ++it) {
    half_step(row_factors_, col_factors_, true);
    half_step(col_factors_, row_factors_, false);
  }
}

double AlsModel::predict(int row, int col) const {
  if (row < 0 || row >= row_factors_.rows() || col < 0 || col >= col_factors_.rows()) return mean_;
  return mean_ + row_factors_.row(row).dot(col_factors_.row(col));
}

double rmse(const RatingModel& model, const std::vector<Rating>& held_out) {
  if (held_out.empty()) throw std::invalid_argument("RMSE: no held-out ratings");
  double ss = 0;
  for (const Rating& r : held_out) {
    const double e = model.predict(r.row, r.col) - r.value;
    ss += e * e;
  }
  return std::sqrt(ss / static_cast<double>(held_out.size()));
}

}  // namespace expanse
