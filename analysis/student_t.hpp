#pragma once
// Student's t distribution: CDF through the regularised incomplete beta function, quantile by
// bisection. Hand-written because the project's dependencies (Eigen, the standard library) have
// no special functions beyond lgamma; needed for coefficient and prediction intervals.
namespace expanse {

// I_x(a, b), the regularised incomplete beta function, for x in [0, 1], a, b > 0.
double regularized_incomplete_beta(double x, double a, double b);
double student_t_cdf(double t, double dof);
// The t with P(T ≤ t) = p, p in (0, 1), dof > 0.
double student_t_quantile(double p, double dof);

}  // namespace expanse
