#pragma once
// What a job's results depend on, so that running a changed experiment again reruns only the jobs
// the change reaches. Training: the scenario's content, the policy's entry and the seed; evaluation:
// the number of episodes and their seed. Statistics, workers, comments, layout and key order change
// no job. Kept beside the results as the job directory's inputs.yaml.
#include <filesystem>
#include <optional>
#include <string>

#include "runner/experiment.hpp"

namespace expanse::runner {

struct JobInputs {
  std::string training;    // scenario (a hash of its YAML), policy and seed
  std::string evaluation;  // episodes and their seed
  // The Expanse that ran the job (expanse_version()); not an input, a record: "unrecorded" for runs
  // from before it was kept.
  std::string expanse;
};

// A scenario's fingerprint: a 64-bit hash of its canonical YAML (computed once, at loading).
std::string scenario_fingerprint(const std::string& yaml);

// The job's inputs, with this build's version.
JobInputs job_inputs(const Experiment& experiment, const Job& job);

// DIR/inputs.yaml; nothing when the file is missing or not readable as inputs.
std::optional<JobInputs> read_job_inputs(const std::filesystem::path& dir);
// Creates DIR when needed; atomic.
void write_job_inputs(const std::filesystem::path& dir, const JobInputs& inputs);

}  // namespace expanse::runner
