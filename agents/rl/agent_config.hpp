#pragma once
// A learning agent's configuration: which algorithm with its hyperparameters, plus what every
// algorithm shares (the market action view, evaluation episodes, checkpoint interval). The defaults
// are CleanRL's reference values for each script (docs/agents.md has the table); a YAML config
// overrides any of them by CleanRL's argument name. No LibTorch here: the CLI and the experiment
// runner read configs without torch headers.
#include <yaml-cpp/yaml.h>

#include <concepts>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "agents/rl/cem_config.hpp"
#include "agents/rl/dqn_config.hpp"
#include "agents/rl/ppo_config.hpp"
#include "agents/rl/sac_config.hpp"

namespace expanse::agents {

// The registration of the learning algorithms. Adding one means its own files — NAME_config.hpp/.cpp
// (hyperparameters, defaults, YAML keys; the members every config here has) and NAME.cpp (the
// learner, LibTorch) — and its type in this list; the names, views, budgets, keys, snapshots and
// the learner's construction all follow from it.
using AlgorithmConfig = std::variant<DqnConfig, PpoConfig, SacConfig, CemConfig>;

// The members every algorithm's config has (checked for each type in the list, agent_config.cpp).
// Used when present: `int num_envs` (envs stepped at once, else one), `NetworkConfig net` (the
// `network` and `entity_width` keys) and `std::string teacher` (refused in the box view).
template <typename C>
concept AlgorithmConfigType = requires(C config, const C& constant, MapReader& map, Diagnostics& diagnostics) {
  { C::kTraits } -> std::convertible_to<AlgorithmTraits>;         // name, market view and budget, step cost
  config.use_defaults(true, true);                                // (box_actions, market) over the struct's own
  { config.fields() } -> std::same_as<std::vector<ConfigField>>;  // its YAML keys
  constant.check(map, true, diagnostics);                         // combinations refused, located (box_view)
};

// Every algorithm's name, in the list's order (for messages and YAML choices).
const std::vector<std::string>& algorithm_names();
// Throws std::invalid_argument, naming the choices, unless `name` is one of them.
void require_algorithm(const std::string& name);

struct AgentConfig {
  AlgorithmConfig algorithm = PpoConfig{};
  // Market scenarios: the action view ("discrete", "multidiscrete", "box"); empty = the algorithm's
  // natural one (DQN and PPO discrete, SAC box, CEM multidiscrete: its traits' market_view).
  std::string view;
  int eval_episodes = 10;         // for summary.json's final_eval_mean_return
  int checkpoint_interval = 0;    // global steps between checkpoints; 0 = about 20 per run

  const AlgorithmTraits& traits() const;  // its name, market view and budget, step cost
  int num_envs() const;             // of the algorithm in use (SAC and CEM step one env)
  std::string market_view() const;  // `view`, or the algorithm's own when empty
  // The algorithm's hyperparameters, e.g. config.get<PpoConfig>().learning_rate.
  template <typename Config>
  Config& get() {
    return std::get<Config>(algorithm);
  }
  template <typename Config>
  const Config& get() const {
    return std::get<Config>(algorithm);
  }
};

// The defaults for `algorithm` (one of algorithm_names(); std::invalid_argument otherwise);
// `box_actions` picks the continuous or the discrete variant where CleanRL has two scripts. On a
// market scenario (`market`) the market defaults of docs/agents.md apply on top: entity networks
// (but for continuous SAC), PPO's reward scaling, and the sizes chosen by the sweep documented
// there; elsewhere CleanRL's values stand unchanged.
AgentConfig default_agent_config(const std::string& algorithm, bool box_actions, bool market = false);

// The training budget an experiment's policy entry gets without `steps:` (docs/agents.md, "Market
// defaults"): sized so that a world run of the market defaults fits in 15 minutes on one core.
std::int64_t default_market_steps(const std::string& algorithm);
// The action view an algorithm uses on market scenarios when the config names none.
std::string default_view(const std::string& algorithm);

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
