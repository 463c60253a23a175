#pragma once
// Linear regression for the priors (docs/analysis.md): ordinary least squares with standard errors and
// prediction intervals (the "risk" of an estimate), ridge with its penalty chosen by k-fold
// cross-validation, and polynomial features.
#include <Eigen/Dense>
#include <vector>

#include "common/rng.hpp"

namespace expanse {

struct Interval {
  double low = 0, high = 0;
};

struct LinearModel {
  bool intercept = true;
  Eigen::VectorXd coefficients;         // [intercept, β_1 … β_p] with an intercept, else [β_1 … β_p]
  Eigen::VectorXd standard_errors;      // of the coefficients (OLS only; empty for ridge)
  Eigen::MatrixXd unscaled_covariance;  // (AᵀA)⁻¹ of the design A (OLS only)
  double residual_variance = 0;         // σ² = RSS / dof
  int residual_dof = 0;
  double r2 = 0;

  double predict(const Eigen::VectorXd& x) const;  // x: the p features, without the intercept
  Eigen::VectorXd predict(const Eigen::MatrixXd& X) const;
  // Where a new observation at x falls with probability `level` (OLS: t-based).
  Interval prediction_interval(const Eigen::VectorXd& x, double level) const;
  Interval coefficient_interval(int index, double level) const;
};

// Throws std::invalid_argument for mismatched sizes, non-finite data, or fewer rows than parameters.
LinearModel fit_ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, bool intercept = true);
// Minimises ‖y − b₀ − Xβ‖² + α‖β‖² (the intercept is not penalised), as scikit-learn's Ridge.
LinearModel fit_ridge(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha, bool intercept = true);

struct RidgeCrossValidation {
  double best_alpha = 0;
  std::vector<double> alphas;
  std::vector<double> mean_squared_errors;  // held-out, per alpha
  LinearModel model;                        // refitted on all data with best_alpha
};
RidgeCrossValidation ridge_cv(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const std::vector<double>& alphas,
                              int folds, Rng& rng);

// All monomials of the features up to `degree` (no constant column), in scikit-learn's order:
// x₀, x₁, …, then x₀², x₀x₁, …, x₁², … (combinations with replacement, degree by degree).
Eigen::MatrixXd polynomial_features(const Eigen::MatrixXd& X, int degree);

}  // namespace expanse
