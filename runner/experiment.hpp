#pragma once
// An experiment: scenarios × policies × seeds, every policy evaluated on the same held-out episode
// seeds (common random numbers, so comparisons are paired). Read from YAML with located errors
// (docs/experiments.md has the schema); the job list is a pure function of the experiment, so a
// worker process given a job index rebuilds the same job.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agents/rl/agent_config.hpp"
#include "env/market/scenario.hpp"

namespace expanse::runner {

struct ScenarioEntry {
  std::string name;         // "asia-pacific", or the file's stem
  std::string text;         // the scenario's YAML, snapshotted into the results directory
  std::string fingerprint;  // of its content, comments and layout aside (runner/job_inputs.hpp)
  std::shared_ptr<const Scenario> scenario;  // `text` loaded and validated, once
};

enum class PolicyKind { kLearner, kBaseline, kOptimum };

struct PolicyEntry {
  std::string name;  // unique within the experiment, used in file names and tables
  PolicyKind kind = PolicyKind::kBaseline;
  std::string baseline;            // kBaseline: a name of make_baseline()
  std::string view;                // action view for baselines (learners: in config.view)
  agents::AgentConfig config;      // kLearner
  std::string config_yaml;         // kLearner: the overrides as written, for the snapshot
  std::int64_t steps = 0;          // kLearner: training steps (default: the algorithm's market budget)
  std::string init;                // kLearner: a trained run to start from (absolute), or ""
};

struct Experiment {
  std::string name;
  std::string description;
  std::vector<ScenarioEntry> scenarios;
  std::vector<PolicyEntry> policies;
  std::vector<std::uint64_t> seeds{1, 2, 3};
  int eval_episodes = 20;
  std::uint64_t eval_seed = 1000;
  int bootstrap = 2000;
  double confidence = 0.95;
  int workers = 0;  // 0 = the machine's cores
};

// Reads an experiment file; scenario paths are relative to the file; "default" is the embedded
// asia-pacific scenario. Throws UserError with every problem located.
Experiment load_experiment(const std::string& path);
Experiment load_experiment_text(const std::string& text, const std::string& source, const std::string& base_dir);

struct Job {
  std::size_t scenario = 0, policy = 0;
  std::uint64_t seed = 0;
};
std::vector<Job> jobs_of(const Experiment& experiment);

}  // namespace expanse::runner
