#include "runner/job_status.hpp"

#include "runner/job.hpp"
#include "runner/prepared_run.hpp"
#include "runner/slurm_queue.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

const char* to_string(JobState state) {
  switch (state) {
    case JobState::kNotStarted: return "not started";
    case JobState::kQueued: return "pending";
    case JobState::kRunning: return "running";
    case JobState::kDone: return "done";
    case JobState::kFailed: return "failed";
  }
  return "?";
}

std::vector<JobStatus> job_statuses(const fs::path& results) {
  const Experiment e = load_snapshot(results);
  const std::optional<SlurmSubmission> submission = read_submission(results);
  const QueueState queue = submission ? query_queue(*submission) : QueueState{};
  std::vector<JobStatus> statuses;
  const std::vector<Job> jobs = jobs_of(e);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const fs::path dir = job_dir(results, e, jobs[i]);
    JobStatus status{job_label(e, jobs[i]), JobState::kNotStarted, ""};
    const auto queued = queue.jobs.find(i);
    if (job_done(dir)) {
      status.state = JobState::kDone;
    } else if (job_locked(dir)) {
      status.state = JobState::kRunning;
    } else if (queued != queue.jobs.end()) {
      // RUNNING here without the lock: the task has started and its job not yet.
      const bool running = queued->second == "RUNNING" || queued->second == "CONFIGURING";
      status.state = running ? JobState::kRunning : JobState::kQueued;
      status.detail = "slurm: " + queued->second;
    } else if (fs::exists(dir / "log.txt")) {
      status.state = JobState::kFailed;
      status.detail = last_log_line(dir);
    }
    statuses.push_back(status);
  }
  return statuses;
}

}  // namespace expanse::runner
