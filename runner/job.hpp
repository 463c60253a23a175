#pragma once
// One job of an experiment: train a learner (resuming from its checkpoint) or set up a baseline,
// then evaluate it on the experiment's evaluation episodes. Its directory's evaluation.csv, written
// last and atomically, marks the job as done.
#include <csignal>
#include <filesystem>
#include <string>

#include "runner/experiment.hpp"

namespace expanse::runner {

// results/NAME/runs/SCENARIO/POLICY/seed-N
std::filesystem::path job_dir(const std::filesystem::path& results, const Experiment& experiment, const Job& job);
bool job_done(const std::filesystem::path& dir);
// "SCENARIO/POLICY/seed-N", for progress and status lines.
std::string job_label(const Experiment& experiment, const Job& job);
// The last non-empty line of DIR/log.txt ("" without one): what a failed job said last.
std::string last_log_line(const std::filesystem::path& dir);

// A job's process holds a lock on DIR/log.txt while it lives (the kernel drops it when the process
// ends, however it ends), so `expanse status` tells a running job from a failed one on any backend.
// Returns the descriptor to keep open.
int hold_job_lock(const std::filesystem::path& dir);
bool job_locked(const std::filesystem::path& dir);
// The scenario snapshot a job runs on: results/NAME/scenarios/SCENARIO.yaml.
std::filesystem::path scenario_file(const std::filesystem::path& results, const ScenarioEntry& scenario);

// Returns false when a learner's training stopped on `stop_requested` (after writing its checkpoint):
// the job is not done, and running it again resumes.
bool run_job(const std::filesystem::path& results, const Experiment& experiment, const Job& job,
             const volatile std::sig_atomic_t* stop_requested = nullptr);

}  // namespace expanse::runner
