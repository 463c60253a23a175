#pragma once
// Collaborative filtering of a sparse rating matrix — partners (rows) × region-products (columns),
// the value being a partner's observed effectiveness — to predict the pairs never observed
// (docs/analysis.md): neighbourhood methods (user- or item-based kNN, cosine or Pearson) and ALS matrix
// factorisation with regularisation.
#include <Eigen/Dense>
#include <vector>

#include "common/rng.hpp"

namespace expanse {

struct Rating {
  int row = 0;
  int col = 0;
  double value = 0;
};

// Ratings indexed by row and by column. Throws std::invalid_argument for out-of-range indices,
// non-finite values or repeated (row, col) pairs.
class RatingMatrix {
 public:
  RatingMatrix(int rows, int cols, std::vector<Rating> ratings);
  int rows() const { return rows_; }
  int cols() const { return cols_; }
  const std::vector<Rating>& ratings() const { return ratings_; }
  const std::vector<int>& in_row(int r) const {
    return by_row_[static_cast<std::size_t>(r)];
  }  // indices into ratings()
  const std::vector<int>& in_col(int c) const { return by_col_[static_cast<std::size_t>(c)]; }
  double mean() const { return mean_; }
  RatingMatrix transposed() const;

 private:
  int rows_, cols_;
  std::vector<Rating> ratings_;
  std::vector<std::vector<int>> by_row_, by_col_;
  double mean_ = 0;
};

class RatingModel {
 public:
  virtual ~RatingModel() = default;
  virtual double predict(int row, int col) const = 0;
};

enum class Similarity { kCosine, kPearson };

// User-based kNN (rows are users; pass a transposed matrix for item-based): the row's mean plus the
// similarity-weighted, mean-centred ratings of its k most similar rows that rated the column.
class NeighbourhoodModel final : public RatingModel {
 public:
  NeighbourhoodModel(const RatingMatrix& matrix, int k, Similarity similarity, bool item_based = false);
  double predict(int row, int col) const override;

 private:
  RatingMatrix matrix_;  // rows are the "users" of the method (columns when item-based)
  int k_;
  bool item_based_;
  Eigen::MatrixXd similarity_;
  Eigen::VectorXd row_mean_;
  Eigen::MatrixXd dense_;  // ratings, NaN where unobserved
};

struct AlsOptions {
  int factors = 8;
  double regularisation = 0.1;  // λ, weighted by each row's and column's number of ratings
  int iterations = 15;
};

// r ≈ μ + p_rowᵀ q_col, fitted by alternating least squares (Zhou et al. 2008).
class AlsModel final : public RatingModel {
 public:
  AlsModel(const RatingMatrix& matrix, const AlsOptions& options, Rng& rng);
  double predict(int row, int col) const override;

 private:
  double mean_;
  Eigen::MatrixXd row_factors_, col_factors_;
};

// The global mean of the training ratings: the baseline a recommender must beat.
class MeanModel final : public RatingModel {
 public:
  explicit MeanModel(const RatingMatrix& matrix) : mean_(matrix.mean()) {}
  double predict(int, int) const override { return mean_; }

 private:
  double mean_;
};

double rmse(const RatingModel& model, const std::vector<Rating>& held_out);

}  // namespace expanse
