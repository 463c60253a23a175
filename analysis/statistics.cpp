#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace expanse {
namespace {

std::vector<double> flatten(const TaskScores& scores) {
  std::vector<double> all;
  for (const auto& task : scores) all.insert(all.end(), task.begin(), task.end());
  return all;
}

void check(const TaskScores& scores, double level) {
  if (scores.empty()) throw std::invalid_argument("statistics: no tasks");
  for (const auto& task : scores)
    if (task.empty()) throw std::invalid_argument("statistics: a task has no runs");
  if (!(level > 0 && level < 1)) throw std::invalid_argument("statistics: the confidence level must be in (0, 1)");
}

// One stratified resample: each task's runs drawn with replacement, the task's size kept.
TaskScores resample(const TaskScores& scores, Rng& rng) {
  TaskScores out(scores.size());
  for (std::size_t t = 0; t < scores.size(); ++t) {
    out[t].resize(scores[t].size());
    for (double& v : out[t]) v = scores[t][rng.below(static_cast<std::uint32_t>(scores[t].size()))];
  }
  return out;
}

// The percentile interval of the bootstrap distribution (linear interpolation, as numpy.percentile).
Estimate percentile_interval(double value, std::vector<double> replicas, double level) {
  std::sort(replicas.begin(), replicas.end());
  auto at = [&](double q) {
    const double position = q * static_cast<double>(replicas.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, replicas.size() - 1);
    return replicas[below] + (position - static_cast<double>(below)) * (replicas[above] - replicas[below]);
  };
  return {value, at((1 - level) / 2), at((1 + level) / 2)};
}

}  // namespace

double mean_of(const std::vector<double>& v) {
  if (v.empty()) throw std::invalid_argument("statistics: no values");
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double median_of(std::vector<double> v) {
  if (v.empty()) throw std::invalid_argument("statistics: no values");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double interquartile_mean(std::vector<double> v) {
  if (v.empty()) throw std::invalid_argument("statistics: no values");
  std::sort(v.begin(), v.end());
  const std::size_t cut = v.size() / 4;  // int(0.25 · n)
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(cut), v.end() - static_cast<std::ptrdiff_t>(cut),
                         0.0) /
         static_cast<double>(v.size() - 2 * cut);
}

double probability_of_improvement(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || y.empty()) throw std::invalid_argument("statistics: no values");
  double wins = 0;
  for (double a : x)
    for (double b : y) wins += a > b ? 1.0 : a == b ? 0.5 : 0.0;
  return wins / (static_cast<double>(x.size()) * static_cast<double>(y.size()));
}

Estimate bootstrap_estimate(const TaskScores& scores, const Aggregate& aggregate, int repetitions, double level,
                            Rng& rng) {
  check(scores, level);
  if (repetitions < 1) throw std::invalid_argument("statistics: at least one bootstrap repetition");
  std::vector<double> replicas;
  replicas.reserve(static_cast<std::size_t>(repetitions));
  for (int r = 0; r < repetitions; ++r) replicas.push_back(aggregate(flatten(resample(scores, rng))));
  return percentile_interval(aggregate(flatten(scores)), std::move(replicas), level);
}

Estimate probability_of_improvement_estimate(const TaskScores& x, const TaskScores& y, int repetitions, double level,
                                             Rng& rng) {
  check(x, level);
  check(y, level);
  if (x.size() != y.size()) throw std::invalid_argument("statistics: both policies need the same tasks");
  auto over_tasks = [](const TaskScores& a, const TaskScores& b) {
    double sum = 0;
    for (std::size_t t = 0; t < a.size(); ++t) sum += probability_of_improvement(a[t], b[t]);
    return sum / static_cast<double>(a.size());
  };
  std::vector<double> replicas;
  for (int r = 0; r < repetitions; ++r) {
    const TaskScores xs = resample(x, rng);
    replicas.push_back(over_tasks(xs, resample(y, rng)));
  }
  return percentile_interval(over_tasks(x, y), std::move(replicas), level);
}

std::vector<double> performance_profile(const TaskScores& scores, const std::vector<double>& thresholds) {
  const std::vector<double> all = flatten(scores);
  if (all.empty()) throw std::invalid_argument("statistics: no values");
  std::vector<double> profile;
  for (double tau : thresholds)
    profile.push_back(static_cast<double>(std::count_if(all.begin(), all.end(), [&](double v) { return v > tau; })) /
                      static_cast<double>(all.size()));
  return profile;
}

}  // namespace expanse
