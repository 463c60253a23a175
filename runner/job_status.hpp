#pragma once
// `expanse status RESULTS_DIR`: each job's state, read from its folder (evaluation.csv: done; a lock
// on log.txt: running) and, after a Slurm submission, from squeue.
#include <filesystem>
#include <string>
#include <vector>

namespace expanse::runner {

enum class JobState { kNotStarted, kQueued, kRunning, kDone, kFailed };
const char* to_string(JobState state);

struct JobStatus {
  std::string label;  // SCENARIO/POLICY/seed-N
  JobState state = JobState::kNotStarted;
  std::string detail;  // Slurm's state of a queued job, or the log's last line of a failed one
};

// Every job of the experiment snapshotted in `results`, in the experiment's order.
std::vector<JobStatus> job_statuses(const std::filesystem::path& results);

}  // namespace expanse::runner
