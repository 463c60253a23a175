#pragma once
// Training and evaluating the learning agents, without LibTorch in the interface: what the CLI
// (`expanse train`, `expanse eval`) and the experiment runner call. A run lives in one directory:
//   config.yaml   the agent's complete hyperparameters (read_agent_config accepts it)
//   run.yaml      env, steps, seed (and the scenario file's copy, scenario.yaml, for market envs)
//   checkpoint.pt the whole training state, replaced atomically every checkpoint_interval steps
//   metrics.csv   CleanRL's scalars, one row per episode or logged update
//   summary.json  written at the end: final_eval_mean_return, steps_per_second, …
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "agents/rl/agent_config.hpp"
#include "env/env.hpp"
#include "env/market/market_spec.hpp"
#include "env/policy.hpp"

namespace expanse::agents {

// What an agent trains or acts on: a classic env by its id, or a market scenario loaded and
// validated once, whose file's path the run records.
struct TrainingEnv {
  TrainingEnv() = default;
  // "cartpole-v1", "pendulum-v1", "acrobot-v1", "mountaincar-continuous-v0" (or Gymnasium's ids),
  // or a scenario file (*.yaml / *.yml), loaded here (a UserError locates what is wrong with it).
  // Implicit: a name stands for the env it names.
  TrainingEnv(const std::string& id_or_path);
  TrainingEnv(const char* id_or_path) : TrainingEnv(std::string(id_or_path)) {}
  // A scenario its caller has loaded already from `path`.
  TrainingEnv(std::string path, std::shared_ptr<const MarketSpec> spec)
      : name(std::move(path)), market(std::move(spec)) {}

  std::string name;                          // the id, or the scenario file's path
  std::shared_ptr<const MarketSpec> market;  // null for a classic env
};
// A new env of `env`; for scenarios `view` picks the action view.
std::unique_ptr<Env> make_training_env(const TrainingEnv& env, const std::string& view);

struct TrainRequest {
  AgentConfig config;
  TrainingEnv env;
  std::int64_t steps = 0;
  std::uint64_t seed = 1;
  std::filesystem::path out;
  bool resume = false;    // continue from out/checkpoint.pt (a fresh start if there is none)
  // Start from this run's networks (same algorithm; the optimiser and the rest start fresh).
  std::filesystem::path init;
  bool progress = false;  // a live progress line on stderr
  // Stop after this many global steps without finishing (tests of resumption); 0 = never.
  std::int64_t stop_after = 0;
  // When set and non-zero (a signal handler's flag: Slurm's warning before a time limit), training
  // writes a checkpoint at the end of the current iteration and returns unfinished.
  const volatile std::sig_atomic_t* stop_requested = nullptr;
};

struct TrainSummary {
  std::int64_t steps = 0;
  int episodes = 0;
  double final_eval_mean_return = 0;
  double final_eval_std_return = 0;
  double last100_mean_return = 0;  // mean return of the last 100 training episodes
  double steps_per_second = 0;     // of this process's share of the run
  double seconds = 0;
  bool finished = false;  // false when stopped by stop_after or stop_requested
};

// Trains (or resumes), writes the run directory, returns the summary. Errors a user can fix throw
// UserError; a non-finite loss throws UserError naming the step and the last good checkpoint.
TrainSummary train(const TrainRequest& request);

// The mean and (population) standard deviation of episode returns.
struct ReturnStats {
  double mean = 0, sd = 0;
};
ReturnStats return_stats(const std::vector<double>& returns);

// A trained policy: deterministic actions for single observations.
class TrainedPolicy : public Policy {
 public:
  virtual const Env& env() const = 0;  // a prototype of the env it acts on
};
// The policy of a run directory, on the env it was trained on.
std::unique_ptr<TrainedPolicy> load_trained_policy(const std::filesystem::path& run_dir);
// The same acting on `env`: its own scenario (the same file: the whole training state is loaded),
// or another with the same observation blocks and products (the networks alone; e.g. trained on
// asia-pacific, evaluated on world).
std::unique_ptr<TrainedPolicy> load_trained_policy(const std::filesystem::path& run_dir, const TrainingEnv& env);

// Episode returns of `policy` on episodes seeded derive_seed(seed, n), n = 0…episodes−1.
std::vector<double> evaluate_policy(TrainedPolicy& policy, int episodes, std::uint64_t seed);

}  // namespace expanse::agents
