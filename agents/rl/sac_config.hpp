#pragma once
// SAC's hyperparameters (cleanrl/sac_continuous_action.py for Box actions, sac_atari.py's discrete
// SAC otherwise): its defaults, its YAML keys and the learner they build (agents/rl/sac.cpp).
// Registered in agent_config.hpp's AlgorithmConfig. No LibTorch here.
#include "agents/rl/config_fields.hpp"

namespace expanse::agents {

struct SacConfig {
  // A SAC step (an update every env step) measured 20× (asia-pacific, 64-64) to 250× (Pendulum,
  // 256-256) slower than a PPO step; 60 is a middle for a job's ETA.
  static constexpr AlgorithmTraits kTraits{
      .name = "sac", .market_view = "box", .market_steps = 20'000, .step_cost = 60.0};

  int buffer_size = 1'000'000;
  double gamma = 0.99;
  double tau = 0.005;
  int batch_size = 256;
  int learning_starts = 5'000;
  double policy_lr = 3e-4;
  double q_lr = 1e-3;
  int policy_frequency = 2;  // continuous: actor updates every this many steps (as many at once)
  int update_frequency = 1;  // discrete: one update every this many steps
  int target_network_frequency = 1;
  double alpha = 0.2;
  bool autotune = true;
  double target_entropy_scale = 0.89;  // discrete: target entropy = scale × log(actions)
  double adam_eps = 1e-8;
  std::vector<int> hidden = {256, 256};
  // Not in CleanRL: this share of the warm-up's actions (before learning_starts) comes from a
  // baseline (teacher.hpp); discrete variant only.
  std::string teacher = "none";
  double teacher_share = 0.5;
  NetworkConfig net;

  // sac_continuous_action.py's values, or discrete SAC's (sac_atari.py) for discrete actions.
  void use_defaults(bool box_actions, bool market);
  std::vector<ConfigField> fields();
  void check(MapReader& map, bool box_view, Diagnostics& diagnostics) const;
};

std::unique_ptr<Learner> make_learner(const SacConfig& config, const Env& prototype, std::int64_t total_steps,
                                      Rng& init_rng);

}  // namespace expanse::agents
