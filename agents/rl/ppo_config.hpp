#pragma once
// PPO's hyperparameters (cleanrl/ppo.py for discrete actions, ppo_continuous_action.py for Box): its
// defaults, its YAML keys and the learner they build (agents/rl/ppo.cpp). Registered in
// agent_config.hpp's AlgorithmConfig. No LibTorch here.
#include "agents/rl/config_fields.hpp"

namespace expanse::agents {

struct PpoConfig {
  static constexpr AlgorithmTraits kTraits{
      .name = "ppo", .market_view = "discrete", .market_steps = 2'000'000, .step_cost = 1.0};

  double learning_rate = 2.5e-4;
  int num_envs = 4;
  int num_steps = 128;
  bool anneal_lr = true;
  double gamma = 0.99;
  double gae_lambda = 0.95;
  int num_minibatches = 4;
  int update_epochs = 4;
  bool norm_adv = true;
  double clip_coef = 0.2;
  bool clip_vloss = true;
  double ent_coef = 0.01;
  double vf_coef = 0.5;
  double max_grad_norm = 0.5;
  double target_kl = 0.0;    // 0 = none, as CleanRL's default
  bool norm_reward = false;  // not in ppo.py: rewards ÷ running std of the return (reward_scaler.hpp)
  // Not in ppo.py; entity networks in the Discrete view: a fixed log-prior of −ln R on the region's
  // actions, so that the first policy holds as often as it moves in any one region
  // (entity_net.hpp, with_balanced_regions).
  bool balance_regions = false;
  // Not in ppo.py: kickstarting (Schmitt et al. 2018) from a baseline's actions on market scenarios.
  // The loss adds teacher_coef·λ·(−log π(teacher's action)), λ falling linearly from 1 to 0 over
  // the first teacher_fraction of training; after that PPO improves on its own.
  std::string teacher = "none";
  double teacher_coef = 1.0;
  double teacher_fraction = 0.25;
  std::vector<int> hidden = {64, 64};
  NetworkConfig net;

  // ppo.py's values, or ppo_continuous_action.py's for Box actions; on market scenarios the market
  // defaults of docs/agents.md on top.
  void use_defaults(bool box_actions, bool market);
  std::vector<ConfigField> fields();
  void check(MapReader& map, bool box_view, Diagnostics& diagnostics) const;
};

std::unique_ptr<Learner> make_learner(const PpoConfig& config, const Env& prototype, std::int64_t total_steps,
                                      Rng& init_rng);

}  // namespace expanse::agents
