// OLS, ridge, polynomial features and t quantiles against scikit-learn / SciPy on diabetes, and
// the coverage of intervals on planted models.
#include "analysis/linear_regression.hpp"

#include <catch2/catch.hpp>

#include "analysis/student_t.hpp"
#include "tests/analysis/golden_values.hpp"

using namespace expanse;
using namespace expanse::test;

namespace {

struct Diabetes {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
};

const Diabetes& diabetes() {
  static const Diabetes d = [] {
    const CsvTable t = read_csv(analysis_data("diabetes.csv"));
    return Diabetes{columns(t, 0, 10), columns(t, 10, 1).col(0)};
  }();
  return d;
}

}  // namespace

TEST_CASE("OLS coefficients, standard errors, R² and a prediction interval match the reference",
          "[analysis][regression]") {
  const LinearModel m = fit_ols(diabetes().X, diabetes().y);
  CHECK(m.coefficients(0) == Approx(golden("diabetes_ols_intercept")).epsilon(1e-10));
  for (int i = 0; i < 10; ++i) {
    INFO("coefficient " << i);
    CHECK(m.coefficients(i + 1) == Approx(golden("diabetes_ols_coef_" + std::to_string(i))).epsilon(1e-8));
  }
  for (int i = 0; i < 11; ++i)
    CHECK(m.standard_errors(i) == Approx(golden("diabetes_ols_se_" + std::to_string(i))).epsilon(1e-8));
  CHECK(m.r2 == Approx(golden("diabetes_ols_r2")).epsilon(1e-12));
  const Interval pi = m.prediction_interval(diabetes().X.row(0).transpose(), 0.95);
  CHECK(pi.low == Approx(golden("diabetes_ols_pi95_low_row0")).epsilon(1e-9));
  CHECK(pi.high == Approx(golden("diabetes_ols_pi95_high_row0")).epsilon(1e-9));
}

TEST_CASE("Ridge matches scikit-learn's Ridge", "[analysis][regression]") {
  for (const char* alpha : {"0.1", "1.0"}) {
    const LinearModel m = fit_ridge(diabetes().X, diabetes().y, std::stod(alpha));
    const std::string key = std::string("diabetes_ridge") + alpha;
    INFO("alpha " << alpha);
    CHECK(m.coefficients(0) == Approx(golden(key + "_intercept")).epsilon(1e-10));
    for (int i = 0; i < 10; ++i)
      CHECK(m.coefficients(i + 1) == Approx(golden(key + "_coef_" + std::to_string(i))).epsilon(1e-9));
  }
}

TEST_CASE("Polynomial features follow scikit-learn's column order", "[analysis][regression]") {
  const Eigen::MatrixXd P = polynomial_features(diabetes().X.topLeftCorner(5, 3), 2);
  REQUIRE(P.cols() == 9);
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 9; ++c)
      CHECK(P(r, c) == Approx(golden("poly2_row" + std::to_string(r) + "_col" + std::to_string(c))).epsilon(1e-12));
}

TEST_CASE("Student t quantiles match SciPy", "[analysis][regression]") {
  // 1e-9: SciPy's ppf is itself only that close (its own cdf at ppf(0.95, 5) is 0.94999999996;
  // our cdf agrees with SciPy's cdf there to all 17 digits).
  CHECK(student_t_quantile(0.975, 431) == Approx(golden("t_quantile_0.975_431")).epsilon(1e-9));
  CHECK(student_t_quantile(0.95, 5) == Approx(golden("t_quantile_0.95_5")).epsilon(1e-9));
  CHECK(student_t_quantile(0.9, 1.5) == Approx(golden("t_quantile_0.9_1.5")).epsilon(1e-9));
  CHECK(student_t_quantile(0.5, 7) == Approx(0.0).margin(1e-12));
  for (double p : {0.001, 0.05, 0.5, 0.9, 0.999})
    for (double dof : {1.0, 3.0, 30.0, 1000.0})
      CHECK(student_t_cdf(student_t_quantile(p, dof), dof) == Approx(p).epsilon(1e-12));
}

TEST_CASE("OLS recovers planted coefficients within their intervals at the stated rate", "[analysis][regression]") {
  // 400 datasets of y = 1 + 2x₁ − 3x₂ + ε; a 90 % interval must cover the truth ≈ 90 % of the time.
  Rng rng(21);
  const double truth[] = {1.0, 2.0, -3.0};
  int covered = 0, total = 0, predicted = 0;
  for (int rep = 0; rep < 400; ++rep) {
    Eigen::MatrixXd X(30, 2);
    Eigen::VectorXd y(30);
    for (int i = 0; i < 30; ++i) {
      X(i, 0) = rng.normal();
      X(i, 1) = rng.normal();
      y(i) = truth[0] + truth[1] * X(i, 0) + truth[2] * X(i, 1) + 0.5 * rng.normal();
    }
    const LinearModel m = fit_ols(X, y);
    for (int c = 0; c < 3; ++c) {
      const Interval ci = m.coefficient_interval(c, 0.9);
      covered += ci.low <= truth[c] && truth[c] <= ci.high;
      ++total;
    }
    Eigen::VectorXd x_new(2);
    x_new << rng.normal(), rng.normal();
    const double y_new = truth[0] + truth[1] * x_new(0) + truth[2] * x_new(1) + 0.5 * rng.normal();
    const Interval pi = m.prediction_interval(x_new, 0.9);
    predicted += pi.low <= y_new && y_new <= pi.high;
  }
  const double coverage = static_cast<double>(covered) / total, prediction_coverage = predicted / 400.0;
  // Binomial sd at 1,200 trials is 0.009; at 400, 0.015: three sds either side.
  CHECK(coverage == Approx(0.9).margin(0.03));
  CHECK(prediction_coverage == Approx(0.9).margin(0.045));
}

TEST_CASE("Ridge cross-validation prefers a small penalty when the signal is strong", "[analysis][regression]") {
  Rng rng(4);
  const RidgeCrossValidation cv = ridge_cv(diabetes().X, diabetes().y, {0.001, 0.01, 0.1, 1.0, 10.0, 100.0}, 5, rng);
  CHECK(cv.mean_squared_errors.size() == 6);
  CHECK(cv.best_alpha <= 0.1);
  CHECK(cv.mean_squared_errors.back() > cv.mean_squared_errors.front());  // heavy shrinkage underfits
}

TEST_CASE("Regression refuses bad input with clear errors", "[analysis][regression]") {
  Eigen::MatrixXd X = Eigen::MatrixXd::Random(10, 2);
  Eigen::VectorXd y = Eigen::VectorXd::Random(9);
  CHECK_THROWS_WITH(fit_ols(X, y), Catch::Contains("10 rows of features but 9 targets"));
  Eigen::VectorXd y10 = Eigen::VectorXd::Random(10);
  y10(3) = std::nan("");
  CHECK_THROWS_WITH(fit_ols(X, y10), Catch::Contains("NaN"));
  Eigen::MatrixXd collinear(10, 2);
  collinear.col(0) = Eigen::VectorXd::LinSpaced(10, 0, 1);
  collinear.col(1) = 2 * collinear.col(0);
  CHECK_THROWS_WITH(fit_ols(collinear, Eigen::VectorXd::Random(10)), Catch::Contains("collinear"));
  CHECK_THROWS_WITH(fit_ols(Eigen::MatrixXd::Random(2, 2), Eigen::VectorXd::Random(2)),
                    Catch::Contains("cannot estimate"));
}
