#pragma once
// Hyperparameters of the learning agents. The defaults are CleanRL's reference values for each
// script (docs/agents.md has the table); a YAML config overrides any of them by CleanRL's argument
// name. No LibTorch here: the CLI and the experiment runner read configs without torch headers.
#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace expanse {
class Diagnostics;
}

namespace expanse::agents {

enum class Algorithm { kDqn, kPpo, kSac, kCem };
const char* to_string(Algorithm algorithm);
// "dqn", "ppo", "sac", "cem"; throws std::invalid_argument otherwise.
Algorithm parse_algorithm(const std::string& text);
// Every algorithm's name, in the enum's order (for messages and YAML choices).
const std::vector<std::string>& algorithm_names();

// The shape of an algorithm's networks: the flat MLP of `hidden`, or the entity network
// (agents/rl/entity_net.hpp, market scenarios only) of width `entity_width`.
struct NetworkConfig {
  std::string network = "mlp";  // "mlp" or "entity"
  int entity_width = 64;
  bool entity() const { return network == "entity"; }
};

// cleanrl/dqn.py
struct DqnConfig {
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
  int n_step = 1;                 // not in dqn.py: n-step returns (Sutton 1988; Rainbow), 1 = dqn.py
  bool double_dqn = false;        // not in dqn.py: van Hasselt et al. 2016, off by default
  bool huber_loss = false;        // dqn.py uses the mean squared error
  double max_grad_norm = 0.0;     // 0 = no clipping, as dqn.py
  std::vector<int> hidden = {120, 84};
  // Not in dqn.py: this share of the exploratory (ε) actions comes from a baseline (teacher.hpp).
  std::string teacher = "none";
  double teacher_share = 0.5;
  NetworkConfig net;
};

// cleanrl/ppo.py (discrete actions) and ppo_continuous_action.py (Box actions)
struct PpoConfig {
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
  double target_kl = 0.0;  // 0 = none, as CleanRL's default
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
};
PpoConfig ppo_continuous_defaults();

// cleanrl/sac_continuous_action.py (Box actions) and sac_atari.py's discrete SAC
struct SacConfig {
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
};
SacConfig sac_discrete_defaults();

// The noisy cross-entropy method (Szita & Lőrincz 2006): policy search without gradients
// (agents/rl/cem.cpp). Not a CleanRL script; the defaults are the values of docs/agents.md.
struct CemConfig {
  int population = 128;           // candidate parameter vectors per generation
  double elite_fraction = 0.125;  // the best share of them refits the distribution
  int episodes = 1;               // per candidate and generation, the same episodes for every candidate
  double init_std = 0.5;          // the search distribution's initial standard deviation
  double noise_std = 0.02;        // added to the refitted standard deviation: keeps the search from collapsing
  double gamma = 0.99;            // the fitness is the mean discounted return
  std::vector<int> hidden = {};   // empty: a linear policy
};

struct AgentConfig {
  Algorithm algorithm = Algorithm::kPpo;
  // Market scenarios: the action view ("discrete", "multidiscrete", "box"); empty = the algorithm's
  // natural one (DQN and PPO discrete, SAC box, CEM multidiscrete: default_view).
  std::string view;
  int eval_episodes = 10;         // for summary.json's final_eval_mean_return
  int checkpoint_interval = 0;    // global steps between checkpoints; 0 = about 20 per run
  DqnConfig dqn;
  PpoConfig ppo;
  SacConfig sac;
  CemConfig cem;

  int num_envs() const;  // of the algorithm in use (SAC and CEM step one env)
  std::string market_view() const;  // `view`, or the algorithm's default_view when empty
};

// The defaults for `algorithm`; `box_actions` picks the continuous or the discrete variant where
// CleanRL has two scripts. On a market scenario (`market`) the market defaults of docs/agents.md
// apply on top: entity networks (but for continuous SAC), PPO's reward scaling, and the sizes
// chosen by the sweep documented there; elsewhere CleanRL's values stand unchanged.
AgentConfig default_agent_config(Algorithm algorithm, bool box_actions, bool market = false);

// The training budget an experiment's policy entry gets without `steps:` (docs/agents.md, "Market
// defaults"): sized so that a world run of the market defaults fits in 15 minutes on one core.
std::int64_t default_market_steps(Algorithm algorithm);
// The action view an algorithm uses on market scenarios when the config names none.
std::string default_view(Algorithm algorithm);

// Reads overrides from a YAML mapping (file name for messages); every problem is reported located,
// as a UserError. Keys are the algorithm's own (e.g. `learning_rate`, `hidden: [64, 64]`) plus
// `view`, `eval_episodes` and `checkpoint_interval`.
void read_agent_config(const std::string& text, const std::string& file, AgentConfig& config);
// The same, for a mapping inside a larger file (an experiment's agent section).
void read_agent_config(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                       AgentConfig& config);

// The complete configuration as YAML that read_agent_config accepts (the run's snapshot).
std::string agent_config_yaml(const AgentConfig& config);

}  // namespace expanse::agents
