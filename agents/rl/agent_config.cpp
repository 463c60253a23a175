#include "agents/rl/agent_config.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "common/yaml_reader.hpp"

namespace expanse::agents {

namespace {

constexpr std::size_t kAlgorithms = std::variant_size_v<AlgorithmConfig>;

template <std::size_t... I>
constexpr bool all_algorithm_configs(std::index_sequence<I...>) {
  return (AlgorithmConfigType<std::variant_alternative_t<I, AlgorithmConfig>> && ...);
}
static_assert(all_algorithm_configs(std::make_index_sequence<kAlgorithms>()),
              "each type in AlgorithmConfig has the members of AlgorithmConfigType");

template <std::size_t... I>
std::vector<std::string> names_of(std::index_sequence<I...>) {
  return {std::variant_alternative_t<I, AlgorithmConfig>::kTraits.name...};
}

// The algorithm called `name` with its CleanRL defaults (the struct's initialisers).
template <std::size_t... I>
AlgorithmConfig algorithm_named(const std::string& name, std::index_sequence<I...>) {
  AlgorithmConfig config;
  const bool found =
      ((name == std::variant_alternative_t<I, AlgorithmConfig>::kTraits.name ? (config.emplace<I>(), true) : false) ||
       ...);
  if (found) return config;
  const auto& names = algorithm_names();
  std::string choices;
  for (std::size_t i = 0; i < names.size(); ++i)
    choices += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  throw std::invalid_argument("unknown algorithm \"" + name + "\" (" + choices + ")");
}

AlgorithmConfig algorithm_named(const std::string& name) {
  return algorithm_named(name, std::make_index_sequence<kAlgorithms>());
}

}  // namespace

void require_algorithm(const std::string& name) {
  algorithm_named(name);
}

const std::vector<std::string>& algorithm_names() {
  static const std::vector<std::string> names = names_of(std::make_index_sequence<kAlgorithms>());
  return names;
}

AgentConfig default_agent_config(const std::string& algorithm, bool box_actions, bool market) {
  AgentConfig config;
  config.algorithm = algorithm_named(algorithm);
  std::visit([&](auto& c) { c.use_defaults(box_actions, market); }, config.algorithm);
  return config;
}

namespace {

const AlgorithmTraits& traits_of(const AlgorithmConfig& algorithm) {
  return std::visit([](const auto& c) -> const AlgorithmTraits& { return c.kTraits; }, algorithm);
}

}  // namespace

std::string default_view(const std::string& algorithm) {
  return traits_of(algorithm_named(algorithm)).market_view;
}

std::int64_t default_market_steps(const std::string& algorithm) {
  return traits_of(algorithm_named(algorithm)).market_steps;
}

const AlgorithmTraits& AgentConfig::traits() const {
  return traits_of(algorithm);
}

std::string AgentConfig::market_view() const {
  return view.empty() ? traits().market_view : view;
}

int AgentConfig::num_envs() const {
  // An algorithm with `num_envs` among its keys steps that many envs at once; the others one.
  return std::visit(
      [](const auto& c) {
        if constexpr (requires { c.num_envs; })
          return c.num_envs;
        else
          return 1;
      },
      algorithm);
}

namespace {

// What every algorithm shares, then the algorithm's own keys. Reading and writing share this list,
// so a snapshot always round-trips.
std::vector<ConfigField> fields_of(AgentConfig& c) {
  std::vector<ConfigField> f{
      {.key = "eval_episodes", .integer = &c.eval_episodes, .lo = 1, .hi = 100'000},
      {.key = "checkpoint_interval", .integer = &c.checkpoint_interval, .lo = 0, .hi = kMaxConfigInt},
  };
  std::visit(
      [&f](auto& a) {
        for (ConfigField& field : a.fields()) f.push_back(field);
        // The gradient learners' network choice (config_fields.hpp), after their own keys.
        if constexpr (requires { a.net; })
          for (ConfigField& field : network_fields(a.net)) f.push_back(field);
      },
      c.algorithm);
  return f;
}

// A teacher named in the config (`teacher`) needs a discrete action view.
void check_teacher_view(MapReader& map, const std::string& teacher, bool box_view, Diagnostics& diagnostics) {
  if (map.has("teacher") && teacher != "none" && box_view)
    diagnostics.add(map.child("teacher").Mark(), map.path("teacher"),
                    "a teacher acts in the discrete or multidiscrete view, not box");
}

void read_field(MapReader& map, const ConfigField& f, Diagnostics& diagnostics) {
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

}  // namespace

void read_agent_config(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics,
                       AgentConfig& config) {
  MapReader map(node, path, diagnostics);
  if (!map.is_map()) return;
  if (map.has("algorithm")) {
    const YAML::Node algorithm_node = map.child("algorithm");
    const int index = map.choice("algorithm", algorithm_names());
    if (index >= 0 && algorithm_names()[static_cast<std::size_t>(index)] != config.traits().name)
      diagnostics.add(algorithm_node.Mark(), map.path("algorithm"),
                      "this config is for " + algorithm_names()[static_cast<std::size_t>(index)] +
                          ", but the run trains " + config.traits().name);
  }
  const std::vector<std::string> views{"discrete", "multidiscrete", "box"};
  const int view = map.choice("view", views);
  if (view >= 0) config.view = views[static_cast<std::size_t>(view)];
  for (const ConfigField& f : fields_of(config)) read_field(map, f, diagnostics);
  // Combinations the learners refuse, located here rather than at training (the view is the
  // config's or, unset, the algorithm's on market scenarios: SAC's is box).
  const bool box = config.market_view() == "box";
  std::visit(
      [&](const auto& c) {
        c.check(map, box, diagnostics);
        if constexpr (requires { c.teacher; }) check_teacher_view(map, c.teacher, box, diagnostics);
      },
      config.algorithm);
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
  out << "algorithm: " << config.traits().name << "\n";
  if (!config.view.empty()) out << "view: " << config.view << "\n";
  for (const ConfigField& f : fields_of(copy)) {
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
