#pragma once
// From finished runs to answers: per scenario and policy, the score of every run (its mean
// discounted return over the evaluation episodes), rliable's statistics over runs (mean, median, IQM
// with stratified-bootstrap intervals, probability of improvement for every pair, performance
// profiles), the KPIs of docs/model.md ("KPIs of an episode") over all evaluation episodes, and the learning curves of the
// learners. Writes summary.csv, summary.json and the report (report.hpp), prints the comparison.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"

namespace expanse::runner {

struct AggregateOptions {
  int bootstrap = 2000;
  double confidence = 0.95;
  std::uint64_t seed = 20261129;  // of the bootstrap resampling
};

struct Run {
  std::string scenario, policy, kind;  // kind: learner, baseline, optimum
  std::uint64_t seed = 0;
  std::filesystem::path dir;
  std::vector<std::vector<double>> episodes;  // evaluation.csv's rows
  double score = 0;                           // mean return over the evaluation episodes
  std::string expanse;                        // the version that ran it (inputs.yaml), or "unrecorded"
};

struct CurvePoint {
  double step = 0, mean = 0, low = 0, high = 0;
};

struct PolicyResult {
  std::string name, kind;
  std::vector<double> scores;  // one per run
  Estimate mean, median, iqm;
  std::map<std::string, double> kpis;  // by column name of summary.csv
  std::vector<CurvePoint> curve;       // learners only
  std::vector<std::string> timeline;   // the first run's timeline.csv rows (quarter,region,mode)
};

struct ScenarioResult {
  std::string name;
  std::vector<PolicyResult> policies;
  std::vector<std::vector<Estimate>> improvement;  // [x][y]: P(x > y)
  std::vector<double> profile_thresholds;
  std::vector<std::vector<double>> profiles;  // [policy][threshold]
};

// Reads the finished runs of each experiment directory (UserError naming an unfinished run).
std::vector<Run> load_runs(const std::vector<std::filesystem::path>& experiment_dirs);
std::vector<ScenarioResult> aggregate(const std::vector<Run>& runs, const AggregateOptions& options);

// Which builds of Expanse made the runs, and how many runs each (read from the runs' inputs.yaml).
std::map<std::string, int> run_versions(const std::vector<Run>& runs);

// All of it: load, aggregate, write summary.csv, summary.json, report.md, report.html and figures
// into `out`, print the comparison table to `table`.
void aggregate_experiments(const std::vector<std::filesystem::path>& experiment_dirs, const std::filesystem::path& out,
                           const AggregateOptions& options, std::ostream& table);

// The KPI columns, in order.
const std::vector<std::string>& kpi_names();

}  // namespace expanse::runner
