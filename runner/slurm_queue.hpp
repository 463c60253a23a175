#pragma once
// What a Slurm submission left in results/NAME/slurm/submission.yaml, and what squeue says of it:
// read by `expanse status`, by a new submission (which submits only what is missing or failed), and
// by every `expanse run`, which refuses a results folder that queued jobs are still filling.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace expanse::runner {

// Slurm's default MaxArraySize is 1001 (task ids 0–1000): larger submissions are several arrays.
constexpr std::size_t kTasksPerArray = 1000;

struct SlurmSubmission {
  std::vector<std::string> arrays;  // the job arrays' ids
  std::string aggregate;            // the dependent job that writes the summary and the report
  std::vector<std::size_t> jobs;    // task T of array A runs job jobs[A * kTasksPerArray + T]
};

// results/NAME/slurm/submission.yaml; nothing when there is none (or it cannot be read).
std::optional<SlurmSubmission> read_submission(const std::filesystem::path& results);
void write_submission(const std::filesystem::path& results, const SlurmSubmission& submission);

struct QueueState {
  std::map<std::size_t, std::string> jobs;  // job index → squeue's state (PENDING, RUNNING, …)
  bool aggregate_queued = false;
};
// Empty when squeue is not on PATH or knows none of the submission's jobs (they have all ended).
QueueState query_queue(const SlurmSubmission& submission);

// Throws UserError when jobs of the folder's last submission are still queued or running.
void refuse_if_filling(const std::filesystem::path& results);

}  // namespace expanse::runner
