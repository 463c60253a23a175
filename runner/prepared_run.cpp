#include "runner/prepared_run.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>
#include <ostream>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/text_file.hpp"
#include "common/user_error.hpp"
#include "runner/aggregate.hpp"
#include "runner/job.hpp"
#include "runner/job_inputs.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

// A run whose inputs changed since it ran (another version of the experiment) moves to
// results/NAME/superseded/TIME/ and runs again; a learner whose training inputs are unchanged keeps
// its training and is only evaluated again. Nothing is deleted.
void set_aside_changed_runs(const fs::path& results, const std::optional<Experiment>& previous, const Experiment& e,
                            const std::vector<Job>& jobs, const std::vector<std::string>& rerun_policies,
                            std::ostream& out) {
  // Runs from before inputs.yaml existed get it from the snapshot of the version they ran with.
  if (previous)
    for (const Job& job : jobs_of(*previous)) {
      const fs::path dir = job_dir(results, *previous, job);
      if (fs::exists(dir) && !fs::is_empty(dir) && !read_job_inputs(dir)) {
        JobInputs inputs = job_inputs(*previous, job);
        inputs.expanse = "unrecorded";  // it ran with some earlier build
        write_job_inputs(dir, inputs);
      }
    }
  fs::path superseded;
  auto set_aside = [&](const fs::path& dir, const std::vector<std::string>& files) {
    if (superseded.empty()) {
      const std::time_t now = std::time(nullptr);
      char stamp[32], name[48];
      std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
      superseded = results / "superseded" / stamp;
      for (int n = 2; fs::exists(superseded); ++n) {
        std::snprintf(name, sizeof name, "%s-%d", stamp, n);
        superseded = results / "superseded" / name;
      }
    }
    const fs::path target = superseded / fs::relative(dir, results);
    fs::create_directories(files.empty() ? target.parent_path() : target);
    if (files.empty()) {
      fs::rename(dir, target);
      return;
    }
    for (const std::string& f : files)
      if (fs::exists(dir / f)) fs::rename(dir / f, target / f);
    fs::copy_file(dir / "inputs.yaml", target / "inputs.yaml");
  };
  std::size_t rerun = 0, reevaluated = 0;
  for (const Job& job : jobs) {
    const fs::path dir = job_dir(results, e, job);
    const JobInputs inputs = job_inputs(e, job);
    // An empty folder is what a run killed before its inputs.yaml was written left: nothing to keep.
    const bool ran = fs::exists(dir) && !fs::is_empty(dir);
    const std::optional<JobInputs> before = ran ? read_job_inputs(dir) : std::nullopt;
    const bool forced =
        std::find(rerun_policies.begin(), rerun_policies.end(), e.policies[job.policy].name) != rerun_policies.end();
    if (ran) {
      if (forced || !before || before->training != inputs.training) {
        set_aside(dir, {});
        ++rerun;
      } else if (before->evaluation != inputs.evaluation && job_done(dir)) {
        set_aside(dir, {"evaluation.csv", "timeline.csv"});
        ++reevaluated;
      }
    }
    // Unchanged jobs keep their record of the Expanse that ran them.
    if (forced || !before || before->training != inputs.training || before->evaluation != inputs.evaluation)
      write_job_inputs(dir, inputs);
  }
  if (rerun + reevaluated == 0) return;
  out << (rerun_policies.empty() ? "the experiment changed since its last run:" : "asked to rerun, or changed:");
  if (rerun > 0) out << " " << rerun << " run(s) start again;";
  if (reevaluated > 0) out << " " << reevaluated << " run(s) are evaluated again, their trained agents kept;";
  out << " the earlier results are in " << superseded.string() << "\n";
}

// results/NAME/experiment.yaml: the same experiment with its scenarios by their snapshot file names
// (resolved against results/NAME/scenarios/) and policies' `init:` absolute, so that a worker (and a
// later `compare`) needs nothing outside the results folder but the runs that policies start from.
std::string snapshot_text(const std::string& source, const Experiment& e, const fs::path& results) {
  YAML::Node root = YAML::Load(source);
  YAML::Node names(YAML::NodeType::Sequence);
  for (const auto& s : e.scenarios) {
    write_file_atomically(scenario_file(results, s).string(), s.text);
    names.push_back(s.name + ".yaml");
  }
  root["scenarios"] = names;
  for (std::size_t i = 0; i < e.policies.size() && root["policies"] && root["policies"].IsSequence(); ++i)
    if (!e.policies[i].init.empty()) root["policies"][i]["init"] = e.policies[i].init;
  YAML::Emitter emitter;
  emitter << root;
  return std::string(emitter.c_str()) + "\n";
}

}  // namespace

Experiment load_snapshot(const fs::path& results) {
  const fs::path file = results / "experiment.yaml";
  return load_experiment_text(read_text_file(file), file.string(), (results / "scenarios").string());
}

PreparedRun prepare_run(const Experiment& e, const std::string& experiment_file, const fs::path& results_root,
                        const std::vector<std::string>& rerun, std::ostream& out) {
  for (const std::string& name : rerun)
    if (std::none_of(e.policies.begin(), e.policies.end(), [&](const PolicyEntry& p) { return p.name == name; })) {
      std::string names;
      for (const PolicyEntry& p : e.policies) names += (names.empty() ? "" : ", ") + p.name;
      throw UserError(Diagnostic{experiment_file, 0, 0, "policies",
                                 "--rerun " + name + ": no such policy (the policies: " + names + ")"});
    }
  PreparedRun run{e, results_root / e.name, jobs_of(e), {}};
  const std::string source = read_text_file(experiment_file);
  const fs::path source_file = run.results / "experiment.source.yaml";
  std::optional<Experiment> previous;
  if (fs::exists(source_file)) {
    // Read before the new snapshot replaces it: it names the inputs of runs from before inputs.yaml.
    try {
      previous = load_snapshot(run.results);
    } catch (const std::exception&) {
      // An unreadable snapshot: runs without inputs.yaml are set aside below.
    }
    out << "resuming " << run.results.string() << "\n";
  }
  // What an earlier run killed mid-write left (nothing else writes here: refuse_if_filling).
  remove_stale_temporaries(run.results.string(), true);
  fs::create_directories(run.results / "scenarios");
  write_file_atomically((run.results / "experiment.yaml").string(), snapshot_text(source, e, run.results));
  write_file_atomically(source_file.string(), source);

  set_aside_changed_runs(run.results, previous, e, run.jobs, rerun, out);
  for (std::size_t i = 0; i < run.jobs.size(); ++i)
    if (!job_done(job_dir(run.results, e, run.jobs[i]))) run.pending.push_back(i);
  return run;
}

void aggregate_run(const fs::path& results, const Experiment& e, std::ostream& out) {
  AggregateOptions aggregate;
  aggregate.bootstrap = e.bootstrap;
  aggregate.confidence = e.confidence;
  aggregate_experiments({results}, results, aggregate, out);
}

}  // namespace expanse::runner
