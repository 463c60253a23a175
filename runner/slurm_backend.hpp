#pragma once
// The pending jobs as a Slurm job array: results/NAME/slurm/tasks.sh runs one job per task
// (`expanse run-job`, as a local worker does) and requeues itself after a checkpoint when Slurm
// warns of the time limit; results/NAME/slurm/aggregate.sh, a job that depends on the array, writes
// the summary and the report when it has ended. `expanse run --backend slurm` submits and returns.
#include <string>
#include <vector>

#include "runner/backend.hpp"

namespace expanse::runner {

struct SlurmOptions {
  std::string partition;                 // "": the cluster's default partition
  std::string time;                      // "": the partition's default time limit
  int array_parallelism = 0;             // tasks running at once (sbatch --array=…%K); 0: as many as fit
  std::vector<std::string> sbatch_args;  // passed to every sbatch as given
  std::string signal = "B:USR1@120";     // the warning before the time limit (sbatch --signal)
};

class SlurmBackend final : public Backend {
 public:
  explicit SlurmBackend(SlurmOptions options) : options_(std::move(options)) {}
  // sbatch and squeue on PATH, the partition known to sinfo, every option accepted by
  // `sbatch --test-only`.
  void check(const std::filesystem::path& results) const override;
  // Writes the batch scripts, submits, records the submission, prints the job ids; 0 when submitted.
  int run(const PreparedRun& run, std::ostream& out) override;

 private:
  std::vector<std::string> common_args() const;
  SlurmOptions options_;
};

// The aggregation job's work (`expanse finish-run`): the summary and the report when every job is
// done; otherwise each unfinished job with its log's last line, and 1.
int finish_run(const std::filesystem::path& results, std::ostream& out);

}  // namespace expanse::runner
