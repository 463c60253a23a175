#include "runner/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <set>
#include <sstream>

#include "agents/rl/metrics_log.hpp"
#include "common/atomic_file.hpp"
#include "common/text_file.hpp"
#include "common/user_error.hpp"
#include "env/market/kpi.hpp"
#include "runner/evaluation_file.hpp"
#include "runner/experiment.hpp"
#include "runner/job.hpp"
#include "runner/job_inputs.hpp"
#include "runner/report.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

std::vector<CurvePoint> learning_curve(const std::vector<const Run*>& runs) {
  constexpr int kBins = 40;
  std::vector<std::vector<std::pair<double, double>>> per_run;
  double last_step = 0;
  for (const Run* r : runs) {
    per_run.push_back(agents::read_metrics_episodes(r->dir / "train" / "metrics.csv"));
    if (!per_run.back().empty()) last_step = std::max(last_step, per_run.back().back().first);
  }
  std::vector<CurvePoint> curve;
  if (last_step <= 0) return curve;
  for (int b = 0; b < kBins; ++b) {
    const double lo = last_step * b / kBins, hi = last_step * (b + 1) / kBins;
    std::vector<double> means;  // one per run with episodes in the bin
    for (const auto& episodes : per_run) {
      double sum = 0;
      int n = 0;
      for (const auto& [step, value] : episodes)
        if (step > lo && step <= hi) sum += value, ++n;
      if (n > 0) means.push_back(sum / n);
    }
    if (means.empty()) continue;
    const double m = mean_of(means);
    double var = 0;
    for (double v : means) var += (v - m) * (v - m);
    const double half = means.size() > 1 ? 1.96 * std::sqrt(var / static_cast<double>(means.size() - 1) / static_cast<double>(means.size())) : 0;
    curve.push_back({(lo + hi) / 2, m, m - half, m + half});
  }
  return curve;
}

std::string number(double v, int precision = 4) {
  if (!std::isfinite(v)) return "";
  std::ostringstream out;
  out << std::setprecision(precision + 3) << v;
  return out.str();
}

}  // namespace

const std::vector<std::string>& kpi_names() {
  static const std::vector<std::string> names{
      "return_mean", "npv", "revenue", "profit", "lowest_cash", "payback_quarter_median", "payback_rate",
      "bankruptcy_rate", "pilots", "partners", "subsidiaries", "market_share", "cvar5_return", "invalid_action_rate"};
  return names;
}

std::vector<Run> load_runs(const std::vector<fs::path>& experiment_dirs) {
  std::vector<Run> runs;
  std::map<std::string, std::string> owner;  // policy name → experiment, to tell same names apart
  for (const fs::path& dir : experiment_dirs) {
    const fs::path file = dir / "experiment.yaml";
    if (!fs::exists(file))
      throw UserError(Diagnostic{dir.string(), 0, 0, "", "not an experiment results directory (no experiment.yaml)"});
    const Experiment e = load_experiment_text(read_text_file(file), file.string(), (dir / "scenarios").string());
    for (const Job& job : jobs_of(e)) {
      const fs::path run_dir = job_dir(dir, e, job);
      if (!job_done(run_dir))
        throw UserError(Diagnostic{run_dir.string(), 0, 0, "", "this run has not finished; `expanse run` the experiment first"});
      const PolicyEntry& p = e.policies[job.policy];
      Run r;
      r.scenario = e.scenarios[job.scenario].name;
      r.policy = p.name;
      const auto [it, inserted] = owner.emplace(p.name, e.name);
      if (!inserted && it->second != e.name) r.policy = e.name + ":" + p.name;
      r.kind = p.kind == PolicyKind::kLearner ? "learner" : p.kind == PolicyKind::kBaseline ? "baseline" : "optimum";
      r.seed = job.seed;
      r.dir = run_dir;
      r.episodes = read_evaluation(run_dir / "evaluation.csv");
      const std::optional<JobInputs> inputs = read_job_inputs(run_dir);
      r.expanse = inputs ? inputs->expanse : "unrecorded";
      double sum = 0;
      for (const auto& row : r.episodes) sum += row[kReturn];
      r.score = sum / static_cast<double>(r.episodes.size());
      runs.push_back(std::move(r));
    }
  }
  return runs;
}

std::vector<ScenarioResult> aggregate(const std::vector<Run>& runs, const AggregateOptions& options) {
  Rng rng(options.seed);
  std::vector<ScenarioResult> results;
  std::vector<std::string> scenario_order;
  for (const Run& r : runs)
    if (std::find(scenario_order.begin(), scenario_order.end(), r.scenario) == scenario_order.end())
      scenario_order.push_back(r.scenario);
  for (const std::string& scenario : scenario_order) {
    ScenarioResult s;
    s.name = scenario;
    std::vector<std::string> policy_order;
    for (const Run& r : runs)
      if (r.scenario == scenario && std::find(policy_order.begin(), policy_order.end(), r.policy) == policy_order.end())
        policy_order.push_back(r.policy);
    double low = INFINITY, high = -INFINITY;
    for (const std::string& policy : policy_order) {
      PolicyResult p;
      p.name = policy;
      std::vector<const Run*> mine;
      for (const Run& r : runs)
        if (r.scenario == scenario && r.policy == policy) mine.push_back(&r);
      p.kind = mine.front()->kind;
      std::vector<double> returns, payback;
      std::vector<double> column_sum(kEvaluationColumns, 0.0);
      double episodes = 0, paid_back = 0;
      for (const Run* r : mine) {
        p.scores.push_back(r->score);
        for (const auto& row : r->episodes) {
          for (std::size_t c = 0; c < kEvaluationColumns; ++c) column_sum[c] += row[c];
          returns.push_back(row[kReturn]);
          if (row[kPayback] >= 0) payback.push_back(row[kPayback]), ++paid_back;
          ++episodes;
        }
      }
      low = std::min(low, *std::min_element(p.scores.begin(), p.scores.end()));
      high = std::max(high, *std::max_element(p.scores.begin(), p.scores.end()));
      const TaskScores task{p.scores};
      p.mean = bootstrap_estimate(task, mean_of, options.bootstrap, options.confidence, rng);
      p.median = bootstrap_estimate(task, median_of, options.bootstrap, options.confidence, rng);
      p.iqm = bootstrap_estimate(task, interquartile_mean, options.bootstrap, options.confidence, rng);
      auto avg = [&](EvaluationColumn c) { return column_sum[c] / episodes; };
      p.kpis = {{"return_mean", avg(kReturn)},
                {"npv", avg(kNpv)},
                {"revenue", avg(kRevenue)},
                {"profit", avg(kProfit)},
                {"lowest_cash", avg(kLowestCash)},
                {"payback_quarter_median", payback.empty() ? NAN : median_of(payback)},
                {"payback_rate", paid_back / episodes},
                {"bankruptcy_rate", avg(kBankrupt)},
                {"pilots", avg(kPilots)},
                {"partners", avg(kPartners)},
                {"subsidiaries", avg(kSubsidiaries)},
                {"market_share", avg(kShare)},
                {"cvar5_return", summarise(returns).cvar5},
                {"invalid_action_rate", avg(kInvalid)}};
      if (p.kind == "learner") p.curve = learning_curve(mine);
      std::ifstream timeline(mine.front()->dir / "timeline.csv");
      std::string line;
      std::getline(timeline, line);
      while (std::getline(timeline, line)) p.timeline.push_back(line);
      s.policies.push_back(std::move(p));
    }
    const std::size_t n = s.policies.size();
    s.improvement.assign(n, std::vector<Estimate>(n));
    for (std::size_t x = 0; x < n; ++x)
      for (std::size_t y = 0; y < n; ++y)
        if (x != y)
          s.improvement[x][y] = probability_of_improvement_estimate({s.policies[x].scores}, {s.policies[y].scores},
                                                                    options.bootstrap, options.confidence, rng);
        else
          s.improvement[x][y] = {0.5, 0.5, 0.5};
    const int points = 50;
    for (int i = 0; i < points; ++i)
      s.profile_thresholds.push_back(high > low ? low + (high - low) * i / (points - 1) : low);
    for (const auto& p : s.policies) s.profiles.push_back(performance_profile({p.scores}, s.profile_thresholds));
    results.push_back(std::move(s));
  }
  return results;
}

std::map<std::string, int> run_versions(const std::vector<Run>& runs) {
  std::map<std::string, int> versions;
  for (const Run& r : runs) ++versions[r.expanse];
  return versions;
}

void aggregate_experiments(const std::vector<fs::path>& experiment_dirs, const fs::path& out,
                           const AggregateOptions& options, std::ostream& table) {
  const std::vector<Run> runs = load_runs(experiment_dirs);
  const std::vector<ScenarioResult> results = aggregate(runs, options);
  fs::create_directories(out);

  std::ostringstream csv;
  csv << "scenario,policy,kind,runs,mean,mean_low,mean_high,median,median_low,median_high,iqm,iqm_low,iqm_high";
  for (const auto& k : kpi_names()) csv << ',' << k;
  csv << '\n';
  for (const auto& s : results)
    for (const auto& p : s.policies) {
      csv << s.name << ',' << p.name << ',' << p.kind << ',' << p.scores.size();
      for (const Estimate* e : {&p.mean, &p.median, &p.iqm})
        csv << ',' << number(e->value) << ',' << number(e->low) << ',' << number(e->high);
      for (const auto& k : kpi_names()) csv << ',' << number(p.kpis.at(k));
      csv << '\n';
    }
  write_file_atomically((out / "summary.csv").string(), csv.str());
  const std::map<std::string, int> versions = run_versions(runs);
  write_file_atomically((out / "summary.json").string(), summary_json(results, options, versions));

  std::vector<std::string> sources;
  for (const auto& d : experiment_dirs) sources.push_back(d.string());
  write_report(results, options, sources, versions, out);

  // The comparison, as the user sees it at the end of a run.
  for (const auto& s : results) {
    table << "\n" << s.name << " — score: discounted return per run (mean over the evaluation episodes); "
          << static_cast<int>(options.confidence * 100) << " % bootstrap intervals over runs\n";
    table << std::left << std::setw(16) << "policy" << std::right << std::setw(26) << "IQM [interval]"
          << std::setw(11) << "mean" << std::setw(11) << "NPV" << std::setw(11) << "revenue" << std::setw(10)
          << "bankrupt" << std::setw(10) << "CVaR 5%" << "\n";
    std::vector<std::size_t> order(s.policies.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return s.policies[a].iqm.value > s.policies[b].iqm.value; });
    for (std::size_t i : order) {
      const PolicyResult& p = s.policies[i];
      std::ostringstream interval;
      interval << std::fixed << std::setprecision(2) << p.iqm.value << " [" << p.iqm.low << ", " << p.iqm.high << "]";
      table << std::left << std::setw(16) << p.name << std::right << std::setw(26) << interval.str() << std::fixed
            << std::setprecision(2) << std::setw(11) << p.mean.value << std::setw(11) << p.kpis.at("npv")
            << std::setw(11) << p.kpis.at("revenue") << std::setw(9) << std::setprecision(0)
            << 100 * p.kpis.at("bankruptcy_rate") << "%" << std::setw(10) << std::setprecision(2)
            << p.kpis.at("cvar5_return") << "\n";
    }
    table.unsetf(std::ios::fixed);
  }
  table << "\nreport: " << (out / "report.md").string() << " (and report.html, summary.csv, summary.json)\n";
}

}  // namespace expanse::runner
