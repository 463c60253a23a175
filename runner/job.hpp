#pragma once
// One job of an experiment: train a learner (resuming from its checkpoint) or set up a baseline,
// then evaluate it on the experiment's evaluation episodes. Its directory's evaluation.csv, written
// last and atomically, marks the job as done.
#include <filesystem>

#include "runner/experiment.hpp"

namespace expanse::runner {

// results/NAME/runs/SCENARIO/POLICY/seed-N
std::filesystem::path job_dir(const std::filesystem::path& results, const Experiment& experiment, const Job& job);
bool job_done(const std::filesystem::path& dir);
// The scenario snapshot a job runs on: results/NAME/scenarios/SCENARIO.yaml.
std::filesystem::path scenario_file(const std::filesystem::path& results, const ScenarioEntry& scenario);

void run_job(const std::filesystem::path& results, const Experiment& experiment, const Job& job);

// evaluation.csv's columns, one row per evaluation episode.
extern const char* const kEvaluationHeader;

}  // namespace expanse::runner
