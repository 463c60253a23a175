#include "analysis/linear_regression.hpp"

#include <cmath>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>

#include "analysis/student_t.hpp"

namespace expanse {
namespace {

void check_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  if (X.rows() != y.size())
    throw std::invalid_argument("regression: " + std::to_string(X.rows()) + " rows of features but " +
                                std::to_string(y.size()) + " targets");
  if (!X.allFinite() || !y.allFinite())
    throw std::invalid_argument("regression: the data contain NaN or infinite values");
}

Eigen::MatrixXd design(const Eigen::MatrixXd& X, bool intercept) {
  if (!intercept) return X;
  Eigen::MatrixXd A(X.rows(), X.cols() + 1);
  A << Eigen::VectorXd::Ones(X.rows()), X;
  return A;
}

double r_squared(const Eigen::VectorXd& y, const Eigen::VectorXd& fitted) {
  const double total = (y.array() - y.mean()).square().sum();
  return total > 0 ? 1.0 - (y - fitted).squaredNorm() / total : 0.0;
}

}  // namespace

double LinearModel::predict(const Eigen::VectorXd& x) const {
  return intercept ? coefficients(0) + coefficients.tail(coefficients.size() - 1).dot(x) : coefficients.dot(x);
}

Eigen::VectorXd LinearModel::predict(const Eigen::MatrixXd& X) const {
  if (!intercept) return X * coefficients;
  return (X * coefficients.tail(coefficients.size() - 1)).array() + coefficients(0);
}

Interval LinearModel::prediction_interval(const Eigen::VectorXd& x, double level) const {
  if (unscaled_covariance.size() == 0) throw std::logic_error("prediction intervals need an OLS fit");
  Eigen::VectorXd a(coefficients.size());
  if (intercept)
    a << 1.0, x;
  else
    a = x;
  const double half = student_t_quantile(0.5 + level / 2, residual_dof) *
                      std::sqrt(residual_variance * (1.0 + a.dot(unscaled_covariance * a)));
  const double centre = predict(x);
  return {centre - half, centre + half};
}

Interval LinearModel::coefficient_interval(int index, double level) const {
  const double half = student_t_quantile(0.5 + level / 2, residual_dof) * standard_errors(index);
  return {coefficients(index) - half, coefficients(index) + half};
}

LinearModel fit_ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, bool intercept) {
  check_data(X, y);
  const Eigen::MatrixXd A = design(X, intercept);
  if (A.rows() <= A.cols())
    throw std::invalid_argument("OLS: " + std::to_string(A.rows()) + " observations cannot estimate " +
                                std::to_string(A.cols()) + " parameters with a residual");
  LinearModel m;
  m.intercept = intercept;
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
  if (qr.rank() < A.cols()) throw std::invalid_argument("OLS: the features are collinear (rank-deficient design)");
  m.coefficients = qr.solve(y);
  const Eigen::VectorXd fitted = A * m.coefficients;
  m.residual_dof = static_cast<int>(A.rows() - A.cols());
  m.residual_variance = (y - fitted).squaredNorm() / m.residual_dof;
  m.unscaled_covariance = (A.transpose() * A).ldlt().solve(Eigen::MatrixXd::Identity(A.cols(), A.cols()));
  m.standard_errors = (m.residual_variance * m.unscaled_covariance.diagonal()).array().sqrt();
  m.r2 = r_squared(y, fitted);
  return m;
}

LinearModel fit_ridge(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, double alpha, bool intercept) {
  check_data(X, y);
  if (!(alpha >= 0)) throw std::invalid_argument("ridge: the penalty must be ≥ 0");
  Eigen::RowVectorXd x_mean = Eigen::RowVectorXd::Zero(X.cols());
  double y_mean = 0;
  if (intercept) {
    x_mean = X.colwise().mean();
    y_mean = y.mean();
  }
  const Eigen::MatrixXd Xc = X.rowwise() - x_mean;
  const Eigen::VectorXd yc = y.array() - y_mean;
  Eigen::MatrixXd gram = Xc.transpose() * Xc;
  gram.diagonal().array() += alpha;
  const Eigen::VectorXd beta = gram.ldlt().solve(Xc.transpose() * yc);
  LinearModel m;
  m.intercept = intercept;
  m.coefficients.resize(beta.size() + (intercept ? 1 : 0));
  if (intercept)
    m.coefficients << y_mean - x_mean.dot(beta), beta;
  else
    m.coefficients = beta;
  const Eigen::VectorXd fitted = m.predict(X);
  m.residual_dof = static_cast<int>(X.rows() - m.coefficients.size());
  m.residual_variance = m.residual_dof > 0 ? (y - fitted).squaredNorm() / m.residual_dof : 0.0;
  m.r2 = r_squared(y, fitted);
  return m;
}

RidgeCrossValidation ridge_cv(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const std::vector<double>& alphas,
                              int folds, Rng& rng) {
  check_data(X, y);
  if (alphas.empty()) throw std::invalid_argument("ridge CV: give at least one penalty");
  if (folds < 2 || folds > X.rows()) throw std::invalid_argument("ridge CV: need 2 ≤ folds ≤ number of rows");
  // One shuffled assignment of rows to folds, shared by every alpha (a paired comparison).
  std::vector<int> order(static_cast<std::size_t>(X.rows()));
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng.below(static_cast<std::uint32_t>(i))]);
  RidgeCrossValidation cv;
  cv.alphas = alphas;
  double best = INFINITY;
  for (double alpha : alphas) {
    double squared = 0;
    for (int f = 0; f < folds; ++f) {
      std::vector<int> train, test;
      for (std::size_t i = 0; i < order.size(); ++i)
        (static_cast<int>(i) % folds == f ? test : train).push_back(order[i]);
      const LinearModel m = fit_ridge(X(train, Eigen::all), y(train), alpha);
      squared += (y(test) - m.predict(Eigen::MatrixXd(X(test, Eigen::all)))).squaredNorm();
    }
    const double mse = squared / static_cast<double>(X.rows());
    cv.mean_squared_errors.push_back(mse);
    if (mse < best) {
      best = mse;
      cv.best_alpha = alpha;
    }
  }
  cv.model = fit_ridge(X, y, cv.best_alpha);
  return cv;
}

Eigen::MatrixXd polynomial_features(const Eigen::MatrixXd& X, int degree) {
  if (degree < 1) throw std::invalid_argument("polynomial features: degree ≥ 1");
  std::vector<Eigen::VectorXd> columns;
  std::vector<int> combination;
  // Depth-first over non-decreasing index sequences: exactly combinations with replacement, in order.
  std::function<void(int, int, Eigen::VectorXd)> extend = [&](int start, int remaining, Eigen::VectorXd product) {
    if (remaining == 0) {
      columns.push_back(std::move(product));
      return;
    }
    for (int j = start; j < X.cols(); ++j) extend(j, remaining - 1, product.cwiseProduct(X.col(j)));
  };
  for (int d = 1; d <= degree; ++d) extend(0, d, Eigen::VectorXd::Ones(X.rows()));
  Eigen::MatrixXd out(X.rows(), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t c = 0; c < columns.size(); ++c) out.col(static_cast<Eigen::Index>(c)) = columns[c];
  return out;
}

}  // namespace expanse
