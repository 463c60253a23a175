#pragma once
// Honest comparison statistics, after rliable (Agarwal et al. 2021): point estimates (mean, median,
// interquartile mean) with stratified-bootstrap confidence intervals, probability of improvement
// (Mann–Whitney) with its interval, and performance profiles. Scores are grouped by task (scenario):
// bootstrap resamples runs within each task, so tasks keep their weight.
#include <functional>
#include <vector>

#include "common/rng.hpp"

namespace expanse {

using TaskScores = std::vector<std::vector<double>>;  // [task][run]

struct Estimate {
  double value = 0;
  double low = 0, high = 0;  // the confidence interval
};

double mean_of(const std::vector<double>& v);
double median_of(std::vector<double> v);
// The 25 % trimmed mean (int(0.25·n) values cut at each end), as scipy.stats.trim_mean(x, 0.25).
double interquartile_mean(std::vector<double> v);

// P(X > Y) + ½·P(X = Y) over all pairs of one x and one y.
double probability_of_improvement(const std::vector<double>& x, const std::vector<double>& y);

using Aggregate = std::function<double(const std::vector<double>&)>;

// `aggregate` of all runs of all tasks, with a percentile interval from `repetitions` stratified
// bootstrap resamples. Throws std::invalid_argument for empty tasks or level outside (0, 1).
Estimate bootstrap_estimate(const TaskScores& scores, const Aggregate& aggregate, int repetitions, double level,
                            Rng& rng);

// Mean over tasks of P(X > Y) for that task, with its stratified bootstrap interval (x and y resampled
// independently within each task).
Estimate probability_of_improvement_estimate(const TaskScores& x, const TaskScores& y, int repetitions, double level,
                                             Rng& rng);

// The share of all runs scoring above each threshold (a performance profile).
std::vector<double> performance_profile(const TaskScores& scores, const std::vector<double>& thresholds);

}  // namespace expanse
