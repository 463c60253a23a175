#pragma once
// DQN's hyperparameters (cleanrl/dqn.py): its defaults, its YAML keys and the learner they build
// (agents/rl/dqn.cpp). Registered in agent_config.hpp's AlgorithmConfig. No LibTorch here.
#include "agents/rl/config_fields.hpp"

namespace expanse::agents {

struct DqnConfig {
  static constexpr AlgorithmTraits kTraits{
      .name = "dqn", .market_view = "discrete", .market_steps = 500'000, .step_cost = 1.0};

  double learning_rate = 2.5e-4;
  int num_envs = 1;
  int buffer_size = 10'000;
  double gamma = 0.99;
  double tau = 1.0;
  int target_network_frequency = 500;
  int batch_size = 128;
  double start_e = 1.0;
  double end_e = 0.05;
  double exploration_fraction = 0.5;
  int learning_starts = 10'000;
  int train_frequency = 10;
  int n_step = 1;              // not in dqn.py: n-step returns (Sutton 1988; Rainbow), 1 = dqn.py
  bool double_dqn = false;     // not in dqn.py: van Hasselt et al. 2016, off by default
  bool huber_loss = false;     // dqn.py uses the mean squared error
  double max_grad_norm = 0.0;  // 0 = no clipping, as dqn.py
  std::vector<int> hidden = {120, 84};
  // Not in dqn.py: this share of the exploratory (ε) actions comes from a baseline (teacher.hpp).
  std::string teacher = "none";
  double teacher_share = 0.5;
  NetworkConfig net;

  // dqn.py's values; on market scenarios a shorter warm-up and a larger buffer (docs/agents.md).
  void use_defaults(bool box_actions, bool market);
  std::vector<ConfigField> fields();
  void check(MapReader& map, bool box_view, Diagnostics& diagnostics) const;
};

std::unique_ptr<Learner> make_learner(const DqnConfig& config, const Env& prototype, std::int64_t total_steps,
                                      Rng& init_rng);

}  // namespace expanse::agents
