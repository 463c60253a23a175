#pragma once
// `expanse run`: prepares an experiment's results folder (runner/prepared_run.hpp), then hands its
// pending jobs to a backend — worker processes on this machine, or a Slurm cluster
// (runner/backend.hpp). And the worker's side, `expanse run-job`.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "runner/slurm_backend.hpp"

namespace expanse::runner {

enum class BackendKind { kLocal, kSlurm };

struct RunOptions {
  std::filesystem::path results_root = "results";
  int workers = 0;  // local: 0 is the experiment's setting, whose 0 is the machine's cores
  // Policies whose runs start again although their inputs are unchanged (after a change to Expanse
  // itself, which is not an input); their earlier results are set aside, not deleted.
  std::vector<std::string> rerun;
  BackendKind backend = BackendKind::kLocal;
  SlurmOptions slurm;
};

// Returns the process exit code (0 done or submitted, 1 some job failed, 130 interrupted); throws
// UserError for an invalid experiment file or a backend that cannot run it.
int run_experiment(const std::string& experiment_file, const RunOptions& options, std::ostream& out);

// `expanse run-job`'s exit code when SIGUSR1 stopped a training job after its checkpoint: not done,
// to be run again (the Slurm task requeues itself). 75 is sysexits' EX_TEMPFAIL.
constexpr int kJobStoppedForRequeue = 75;

// The worker's side: runs job `index` of the experiment snapshotted in `results_dir`; returns 0 when
// the job is done, kJobStoppedForRequeue when SIGUSR1 stopped it.
int run_job_process(const std::filesystem::path& results_dir, std::size_t index);

}  // namespace expanse::runner
