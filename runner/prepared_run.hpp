#pragma once
// The first half of `expanse run`, the same for every backend: the experiment's snapshot written into
// results/NAME (scenario paths rewritten to the copies beside it), runs whose inputs changed set
// aside, and the jobs still to do. And the last step, also shared: the summary and the report.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "runner/experiment.hpp"

namespace expanse::runner {

struct PreparedRun {
  Experiment experiment;
  std::filesystem::path results;     // results/NAME
  std::vector<Job> jobs;             // every job in jobs_of() order: a job's index is its id
  std::vector<std::size_t> pending;  // the indices of the jobs not done
};

// `rerun`: policies whose runs start again although their inputs are unchanged.
PreparedRun prepare_run(const Experiment& experiment, const std::string& experiment_file,
                        const std::filesystem::path& results_root, const std::vector<std::string>& rerun,
                        std::ostream& out);

// The experiment as snapshotted in results/NAME/experiment.yaml, as the workers read it.
Experiment load_snapshot(const std::filesystem::path& results);

// summary.csv, summary.json and the report, with the experiment's statistics settings.
void aggregate_run(const std::filesystem::path& results, const Experiment& experiment, std::ostream& out);

}  // namespace expanse::runner
