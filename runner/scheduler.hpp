#pragma once
// `expanse run`: runs an experiment's pending jobs in parallel worker processes (each a fresh
// `expanse run-job` process, so LibTorch never meets fork()), shows progress with an ETA, resumes
// what an earlier invocation left unfinished, stops cleanly on Ctrl-C, and finally aggregates.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace expanse::runner {

struct RunOptions {
  std::filesystem::path results_root = "results";
  int workers = 0;  // 0: the experiment's setting, whose 0 is the machine's cores
  // Policies whose runs start again although their inputs are unchanged (after a change to Expanse
  // itself, which is not an input); their earlier results are set aside, not deleted.
  std::vector<std::string> rerun;
};

// Returns the process exit code (0 done, 1 some job failed, 130 interrupted); throws UserError for
// an invalid experiment file.
int run_experiment(const std::string& experiment_file, const RunOptions& options, std::ostream& out);

// The worker's side: runs job `index` of the experiment snapshotted in `results_dir`.
void run_job_process(const std::filesystem::path& results_dir, std::size_t index);

}  // namespace expanse::runner
