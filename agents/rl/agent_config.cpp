#include "agents/rl/agent_config.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "common/yaml_reader.hpp"

namespace expanse::agents {

const char* to_string(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kDqn: return "dqn";
    case Algorithm::kPpo: return "ppo";
    case Algorithm::kSac: return "sac";
    case Algorithm::kCem: return "cem";
  }
  return "?";
}

const std::vector<std::string>& algorithm_names() {
  static const std::vector<std::string> names{"dqn", "ppo", "sac", "cem"};
  return names;
}

Algorithm parse_algorithm(const std::string& text) {
  const auto& names = algorithm_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (text == names[i]) return static_cast<Algorithm>(i);
  throw std::invalid_argument("unknown algorithm \"" + text + "\" (dqn, ppo, sac or cem)");
}

PpoConfig ppo_continuous_defaults() {
  PpoConfig c;
  c.learning_rate = 3e-4;
  c.num_envs = 1;
  c.num_steps = 2048;
  c.num_minibatches = 32;
  c.update_epochs = 10;
  c.ent_coef = 0.0;
  return c;
}

SacConfig sac_discrete_defaults() {
  SacConfig c;
  c.batch_size = 64;
  c.learning_starts = 20'000;
  c.policy_lr = 3e-4;
  c.q_lr = 3e-4;
  c.update_frequency = 4;
  c.target_network_frequency = 8'000;
  c.tau = 1.0;
  c.adam_eps = 1e-4;
  return c;
}

AgentConfig default_agent_config(Algorithm algorithm, bool box_actions, bool market) {
  AgentConfig config;
  config.algorithm = algorithm;
  if (box_actions) config.ppo = ppo_continuous_defaults();
  if (!box_actions) config.sac = sac_discrete_defaults();
  if (!market) return config;
  // The market defaults (docs/agents.md, "Market defaults", chosen by the sweep recorded there):
  // returns are in the hundreds and every region is alike. PPO: entity networks over the Discrete
  // view, reward scaling, the balanced log-prior and kickstarting from greedy-ROI. DQN and SAC keep
  // their MLPs, which did better than entity networks there (SAC's Box view has no entity variant).
  config.dqn.learning_starts = 5'000;
  config.dqn.buffer_size = 50'000;
  config.ppo.net.network = "entity";
  config.ppo.norm_reward = true;
  if (!box_actions) {
    config.ppo.balance_regions = true;
    config.ppo.teacher = "greedy-roi";
  }
  config.ppo.num_envs = 8;
  config.ppo.num_steps = 80;
  return config;
}

std::string AgentConfig::market_view() const {
  return view.empty() ? default_view(algorithm) : view;
}

std::string default_view(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kDqn: return "discrete";
    case Algorithm::kPpo: return "discrete";
    case Algorithm::kSac: return "box";
    case Algorithm::kCem: return "multidiscrete";
  }
  return "discrete";
}

std::int64_t default_market_steps(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kDqn: return 500'000;
    case Algorithm::kPpo: return 2'000'000;
    case Algorithm::kSac: return 20'000;
    case Algorithm::kCem: return 2'000'000;
  }
  return 1'000'000;
}

int AgentConfig::num_envs() const {
  switch (algorithm) {
    case Algorithm::kDqn: return dqn.num_envs;
    case Algorithm::kPpo: return ppo.num_envs;
    case Algorithm::kSac: return 1;
    case Algorithm::kCem: return 1;
  }
  return 1;
}

namespace {

// One hyperparameter: its YAML key and where it lives. Reading and writing share this list, so a
// snapshot always round-trips.
struct Field {
  const char* key;
  double* real = nullptr;
  int* integer = nullptr;
  bool* flag = nullptr;
  std::vector<int>* layers = nullptr;
  std::string* text = nullptr;  // one of `choices`
  std::vector<std::string> choices = {};
  double lo = 0, hi = 0;
  bool no_layers_ok = false;  // `hidden: []` is allowed (a linear network)
};

constexpr int kMaxInt = 2'000'000'000;

// A teacher is a baseline that acts on the env's state alone, without memory or randomness of its
// own, so that a resumed run is identical (not the planner, which looks ahead), or none.
std::vector<std::string> teacher_choices() {
  return {"none", "greedy-roi", "partner-greedy"};
}

std::vector<Field> fields_of(AgentConfig& c) {
  std::vector<Field> f{
      {.key = "eval_episodes", .integer = &c.eval_episodes, .lo = 1, .hi = 100'000},
      {.key = "checkpoint_interval", .integer = &c.checkpoint_interval, .lo = 0, .hi = kMaxInt},
  };
  auto add = [&f](std::initializer_list<Field> more) { f.insert(f.end(), more); };
  switch (c.algorithm) {
    case Algorithm::kDqn: {
      DqnConfig& d = c.dqn;
      add({{.key = "learning_rate", .real = &d.learning_rate, .lo = 0, .hi = 10},
           {.key = "num_envs", .integer = &d.num_envs, .lo = 1, .hi = 4096},
           {.key = "buffer_size", .integer = &d.buffer_size, .lo = 1, .hi = 100'000'000},
           {.key = "gamma", .real = &d.gamma, .lo = 0, .hi = 1},
           {.key = "tau", .real = &d.tau, .lo = 0, .hi = 1},
           {.key = "target_network_frequency", .integer = &d.target_network_frequency, .lo = 1, .hi = kMaxInt},
           {.key = "batch_size", .integer = &d.batch_size, .lo = 1, .hi = 1'000'000},
           {.key = "start_e", .real = &d.start_e, .lo = 0, .hi = 1},
           {.key = "end_e", .real = &d.end_e, .lo = 0, .hi = 1},
           {.key = "exploration_fraction", .real = &d.exploration_fraction, .lo = 0, .hi = 1},
           {.key = "learning_starts", .integer = &d.learning_starts, .lo = 0, .hi = kMaxInt},
           {.key = "train_frequency", .integer = &d.train_frequency, .lo = 1, .hi = kMaxInt},
           {.key = "n_step", .integer = &d.n_step, .lo = 1, .hi = 255},
           {.key = "double_dqn", .flag = &d.double_dqn},
           {.key = "huber_loss", .flag = &d.huber_loss},
           {.key = "max_grad_norm", .real = &d.max_grad_norm, .lo = 0, .hi = 1e9},
           {.key = "hidden", .layers = &d.hidden},
           {.key = "teacher", .text = &d.teacher, .choices = teacher_choices()},
           {.key = "teacher_share", .real = &d.teacher_share, .lo = 0, .hi = 1}});
      break;
    }
    case Algorithm::kPpo: {
      PpoConfig& p = c.ppo;
      add({{.key = "learning_rate", .real = &p.learning_rate, .lo = 0, .hi = 10},
           {.key = "num_envs", .integer = &p.num_envs, .lo = 1, .hi = 4096},
           {.key = "num_steps", .integer = &p.num_steps, .lo = 1, .hi = 1'000'000},
           {.key = "anneal_lr", .flag = &p.anneal_lr},
           {.key = "gamma", .real = &p.gamma, .lo = 0, .hi = 1},
           {.key = "gae_lambda", .real = &p.gae_lambda, .lo = 0, .hi = 1},
           {.key = "num_minibatches", .integer = &p.num_minibatches, .lo = 1, .hi = 1'000'000},
           {.key = "update_epochs", .integer = &p.update_epochs, .lo = 1, .hi = 10'000},
           {.key = "norm_adv", .flag = &p.norm_adv},
           {.key = "clip_coef", .real = &p.clip_coef, .lo = 0, .hi = 10},
           {.key = "clip_vloss", .flag = &p.clip_vloss},
           {.key = "ent_coef", .real = &p.ent_coef, .lo = 0, .hi = 10},
           {.key = "vf_coef", .real = &p.vf_coef, .lo = 0, .hi = 100},
           {.key = "max_grad_norm", .real = &p.max_grad_norm, .lo = 0, .hi = 1e9},
           {.key = "target_kl", .real = &p.target_kl, .lo = 0, .hi = 100},
           {.key = "norm_reward", .flag = &p.norm_reward},
           {.key = "balance_regions", .flag = &p.balance_regions},
           {.key = "teacher", .text = &p.teacher, .choices = teacher_choices()},
           {.key = "teacher_coef", .real = &p.teacher_coef, .lo = 0, .hi = 1e6},
           {.key = "teacher_fraction", .real = &p.teacher_fraction, .lo = 0, .hi = 1},
           {.key = "hidden", .layers = &p.hidden}});
      break;
    }
    case Algorithm::kSac: {
      SacConfig& s = c.sac;
      add({{.key = "buffer_size", .integer = &s.buffer_size, .lo = 1, .hi = 100'000'000},
           {.key = "gamma", .real = &s.gamma, .lo = 0, .hi = 1},
           {.key = "tau", .real = &s.tau, .lo = 0, .hi = 1},
           {.key = "batch_size", .integer = &s.batch_size, .lo = 1, .hi = 1'000'000},
           {.key = "learning_starts", .integer = &s.learning_starts, .lo = 0, .hi = kMaxInt},
           {.key = "policy_lr", .real = &s.policy_lr, .lo = 0, .hi = 10},
           {.key = "q_lr", .real = &s.q_lr, .lo = 0, .hi = 10},
           {.key = "policy_frequency", .integer = &s.policy_frequency, .lo = 1, .hi = 1'000'000},
           {.key = "update_frequency", .integer = &s.update_frequency, .lo = 1, .hi = 1'000'000},
           {.key = "target_network_frequency", .integer = &s.target_network_frequency, .lo = 1, .hi = kMaxInt},
           {.key = "alpha", .real = &s.alpha, .lo = 0, .hi = 100},
           {.key = "autotune", .flag = &s.autotune},
           {.key = "target_entropy_scale", .real = &s.target_entropy_scale, .lo = 0, .hi = 10},
           {.key = "adam_eps", .real = &s.adam_eps, .lo = 0, .hi = 1},
           {.key = "hidden", .layers = &s.hidden},
           {.key = "teacher", .text = &s.teacher, .choices = teacher_choices()},
           {.key = "teacher_share", .real = &s.teacher_share, .lo = 0, .hi = 1}});
      break;
    }
    case Algorithm::kCem: {
      CemConfig& e = c.cem;
      add({{.key = "population", .integer = &e.population, .lo = 2, .hi = 1'000'000},
           {.key = "elite_fraction", .real = &e.elite_fraction, .lo = 0, .hi = 1},
           {.key = "episodes", .integer = &e.episodes, .lo = 1, .hi = 1'000'000},
           {.key = "init_std", .real = &e.init_std, .lo = 0, .hi = 1e6},
           {.key = "noise_std", .real = &e.noise_std, .lo = 0, .hi = 1e6},
           {.key = "gamma", .real = &e.gamma, .lo = 0, .hi = 1},
           {.key = "hidden", .layers = &e.hidden, .no_layers_ok = true}});
      break;
    }
  }
  NetworkConfig* net = c.algorithm == Algorithm::kDqn   ? &c.dqn.net
                       : c.algorithm == Algorithm::kPpo ? &c.ppo.net
                       : c.algorithm == Algorithm::kSac ? &c.sac.net
                                                        : nullptr;
  if (net)
    add({{.key = "network", .text = &net->network, .choices = {"mlp", "entity"}},
         {.key = "entity_width", .integer = &net->entity_width, .lo = 1, .hi = 4096}});
  return f;
}

}  // namespace

void read_agent_config(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                       AgentConfig& config) {
  MapReader map(node, path, diagnostics);
  if (!map.is_map()) return;
  if (map.has("algorithm")) {
    const YAML::Node algorithm_node = map.child("algorithm");
    const int index = map.choice("algorithm", algorithm_names());
    if (index >= 0 && static_cast<Algorithm>(index) != config.algorithm)
      diagnostics.add(algorithm_node.Mark(), map.path("algorithm"),
                      std::string("this config is for ") + to_string(static_cast<Algorithm>(index)) +
                          ", but the run trains " + to_string(config.algorithm));
  }
  const int view = map.choice("view", {"discrete", "multidiscrete", "box"});
  if (view >= 0) config.view = std::vector<std::string>{"discrete", "multidiscrete", "box"}[view];
  if (view == 2 && config.algorithm == Algorithm::kDqn)
    diagnostics.add(map.child("view").Mark(), map.path("view"),
                    "DQN acts in the discrete or multidiscrete view (SAC and PPO take box)");
  for (const Field& f : fields_of(config)) {
    if (f.real) map.number(f.key, *f.real, f.lo, f.hi);
    if (f.integer) map.integer(f.key, *f.integer, static_cast<int>(f.lo), static_cast<int>(f.hi));
    if (f.flag) map.flag(f.key, *f.flag);
    if (f.text) {
      const int index = map.choice(f.key, f.choices);
      if (index >= 0) *f.text = f.choices[static_cast<std::size_t>(index)];
    }
    if (f.layers && map.has(f.key)) {
      std::vector<double> sizes;
      map.numbers(f.key, sizes, 1, 65'536, 0);
      bool whole = !sizes.empty() || f.no_layers_ok;
      for (double v : sizes) whole = whole && v == std::floor(v);
      if (whole)
        f.layers->assign(sizes.begin(), sizes.end());
      else
        diagnostics.add(map.child(f.key).Mark(), map.path(f.key),
                        f.no_layers_ok ? "must list whole layer widths" : "must list at least one whole layer width");
    }
  }
  if (config.algorithm == Algorithm::kPpo && map.has("num_minibatches") &&
      config.ppo.num_minibatches > config.ppo.num_envs * config.ppo.num_steps)
    diagnostics.add(map.child("num_minibatches").Mark(), map.path("num_minibatches"),
                    "is larger than num_envs × num_steps (" +
                        std::to_string(config.ppo.num_envs * config.ppo.num_steps) + "): a minibatch would be empty");
  // Combinations the learners refuse, located here rather than at training (the view is the
  // config's or, unset, the algorithm's on market scenarios: SAC's is box).
  const bool box = config.view.empty() ? config.algorithm == Algorithm::kSac : config.view == "box";
  if (config.algorithm == Algorithm::kSac && map.has("network") && config.sac.net.entity() && box)
    diagnostics.add(map.child("network").Mark(), map.path("network"),
                    "SAC's entity networks take its discrete variant (view: discrete)");
  const std::string* teacher = config.algorithm == Algorithm::kPpo   ? &config.ppo.teacher
                               : config.algorithm == Algorithm::kDqn ? &config.dqn.teacher
                               : config.algorithm == Algorithm::kSac ? &config.sac.teacher
                                                                     : nullptr;
  if (teacher && map.has("teacher") && *teacher != "none" && box)
    diagnostics.add(map.child("teacher").Mark(), map.path("teacher"),
                    "a teacher acts in the discrete or multidiscrete view, not box");
}

void read_agent_config(const std::string& text, const std::string& file, AgentConfig& config) {
  const YAML::Node root = parse_yaml_document(text, file);
  Diagnostics diagnostics(file);
  read_agent_config(root, "", diagnostics, config);
  diagnostics.throw_if_any();
}

std::string agent_config_yaml(const AgentConfig& config) {
  AgentConfig copy = config;
  std::ostringstream out;
  out.precision(17);
  out << "algorithm: " << to_string(config.algorithm) << "\n";
  if (!config.view.empty()) out << "view: " << config.view << "\n";
  for (const Field& f : fields_of(copy)) {
    out << f.key << ": ";
    if (f.real) out << *f.real;
    if (f.integer) out << *f.integer;
    if (f.flag) out << (*f.flag ? "true" : "false");
    if (f.text) out << *f.text;
    if (f.layers) {
      out << "[";
      for (std::size_t i = 0; i < f.layers->size(); ++i) out << (i ? ", " : "") << (*f.layers)[i];
      out << "]";
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace expanse::agents
