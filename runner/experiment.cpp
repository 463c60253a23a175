#include "runner/experiment.hpp"

#include <filesystem>
#include <set>

#include "agents/baselines/exhaustive_plan.hpp"
#include "agents/baselines/market_policy.hpp"
#include "agents/rl/agent_config.hpp"
#include "common/text_file.hpp"
#include "common/user_error.hpp"
#include "common/yaml_reader.hpp"
#include "env/market/scenario_loader.hpp"
#include "runner/job_inputs.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

bool is_id(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

void read_policy(const YAML::Node& node, const std::string& path, const std::string& base_dir, Diagnostics& diagnostics,
                 PolicyEntry& p) {
  MapReader map(node, path, diagnostics);
  if (!map.is_map()) return;
  const bool learner = map.has("algorithm"), baseline = map.has("baseline"), optimum = map.has("optimum");
  if (learner + baseline + optimum != 1) {
    diagnostics.add(map.mark(), path, "needs exactly one of `algorithm` (a learning agent), `baseline` or `optimum`");
    // One problem, not one per key: every plain key counts as read (keys of another shape are
    // refused on their own).
    for (const auto& entry : node)
      if (entry.first.IsScalar()) map.child(entry.first.Scalar());
    return;
  }
  if (learner) {
    p.kind = PolicyKind::kLearner;
    const int a = map.choice("algorithm", agents::algorithm_names(), Need::kRequired);
    if (a < 0) return;
    const std::string algorithm = agents::algorithm_names()[static_cast<std::size_t>(a)];
    double steps = static_cast<double>(agents::default_market_steps(algorithm));
    map.number("steps", steps, 1, 1e12);
    p.steps = static_cast<std::int64_t>(steps);
    map.text("init", p.init);
    if (!p.init.empty()) {
      const fs::path init = fs::path(p.init).is_absolute() ? fs::path(p.init) : fs::path(base_dir) / p.init;
      if (!fs::exists(init / "checkpoint.pt"))
        diagnostics.add(map.child("init").Mark(), map.path("init"),
                        "no trained run at " + init.string() + " (a directory of `expanse train` with checkpoint.pt)");
      p.init = fs::absolute(init).lexically_normal().string();
    }
    const YAML::Node config = map.child("config");
    // The defaults depend on the action space: Box only for SAC's and PPO's `view: box`.
    std::string view = agents::default_view(algorithm);
    if (config.IsMap() && config["view"] && config["view"].IsScalar()) view = config["view"].Scalar();
    p.config = agents::default_agent_config(algorithm, view == "box", /*market=*/true);
    if (config.IsDefined() && !config.IsNull()) {
      agents::read_agent_config(config, map.path("config"), diagnostics, p.config);
      YAML::Emitter out;
      out << config;
      p.config_yaml = out.c_str();
    }
    if (p.config.view.empty()) p.config.view = view;
    if (p.name.empty()) map.text("name", p.name);
    if (p.name.empty()) p.name = algorithm;
  } else if (baseline) {
    p.kind = PolicyKind::kBaseline;
    const std::vector<std::string> names = baseline_names();
    const int b = map.choice("baseline", names, Need::kRequired);
    if (b >= 0) p.baseline = names[static_cast<std::size_t>(b)];
    p.view = "multidiscrete";
    const int v = map.choice("view", {"discrete", "multidiscrete", "box"});
    if (v >= 0) p.view = std::vector<std::string>{"discrete", "multidiscrete", "box"}[static_cast<std::size_t>(v)];
    map.text("name", p.name);
    if (p.name.empty()) p.name = p.baseline;
  } else {
    p.kind = PolicyKind::kOptimum;
    bool on = true;
    map.flag("optimum", on);
    map.text("name", p.name);
    if (p.name.empty()) p.name = "optimum";
  }
}

}  // namespace

namespace {

// The scenarios, each loaded and validated (its problems located in its own file).
void read_scenarios(MapReader& map, const std::string& base_dir, Experiment& e, Diagnostics& diagnostics) {
  std::vector<std::string> scenario_names;
  map.words("scenarios", scenario_names, Need::kRequired);
  const YAML::Node scenarios_node = map.child("scenarios");
  for (std::size_t i = 0; i < scenario_names.size(); ++i) {
    const std::string& s = scenario_names[i];
    const YAML::Mark mark =
        scenarios_node.IsSequence() && i < scenarios_node.size() ? scenarios_node[i].Mark() : scenarios_node.Mark();
    const std::string key = "scenarios[" + std::to_string(i) + "]";
    if (s == "default") {
      auto scenario = std::make_shared<const Scenario>(load_default_scenario());
      e.scenarios.push_back(
          {scenario->name, default_scenario_text(), scenario_fingerprint(default_scenario_text()), scenario});
      continue;
    }
    const fs::path file = fs::path(s).is_absolute() ? fs::path(s) : fs::path(base_dir) / s;
    std::string content;
    try {
      content = read_text_file(file);
    } catch (const UserError& error) {
      diagnostics.add(mark, key, "cannot read scenario file " + file.string() + ": " + error.diagnostics()[0].message);
      continue;
    }
    std::shared_ptr<const Scenario> scenario;
    try {
      scenario = std::make_shared<const Scenario>(load_scenario_text(content, file.string()));
    } catch (const UserError& error) {  // every problem of the scenario, located in its own file
      for (const auto& d : error.diagnostics()) diagnostics.add(d);
      continue;
    }
    e.scenarios.push_back({file.stem().string(), content, scenario_fingerprint(content), scenario});
  }
  std::set<std::string> seen_scenarios;
  for (const auto& s : e.scenarios)
    if (!seen_scenarios.insert(s.name).second)
      diagnostics.add(scenarios_node.Mark(), "scenarios", "two scenarios are named \"" + s.name + "\"");
}

// The policies, with unique names; an optimum only on scenarios where the exact search's bound holds.
void read_policies(MapReader& map, const std::string& base_dir, Experiment& e, Diagnostics& diagnostics) {
  const YAML::Node policies = map.child("policies");
  if (!policies.IsDefined()) {
    diagnostics.add(map.mark(), "policies", "is required: the policies to compare");
  } else if (!policies.IsSequence() || policies.size() == 0) {
    diagnostics.add(policies.Mark(), "policies", "must be a non-empty list");
  } else {
    std::set<std::string> names;
    std::vector<std::size_t> node_of;  // e.policies[n] was read from policies[node_of[n]]
    for (std::size_t i = 0; i < policies.size(); ++i) {
      PolicyEntry p;
      const std::string path = "policies[" + std::to_string(i) + "]";
      read_policy(policies[i], path, base_dir, diagnostics, p);
      if (p.name.empty()) continue;
      if (!is_id(p.name))
        diagnostics.add(policies[i].Mark(), path + ".name", "use letters, digits, '-', '_' or '.'");
      else if (!names.insert(p.name).second)
        diagnostics.add(policies[i].Mark(), path + ".name",
                        "\"" + p.name + "\" is used twice; give one of them another `name`");
      e.policies.push_back(std::move(p));
      node_of.push_back(i);
    }
    // The exact optimum runs only where its bound holds: say so now, not after the learners.
    for (std::size_t n = 0; n < e.policies.size(); ++n) {
      if (e.policies[n].kind != PolicyKind::kOptimum) continue;
      for (const ScenarioEntry& s : e.scenarios) {
        const std::string obstacles = exact_search_obstacles(*s.scenario, derive_seed(e.eval_seed, 0));
        if (!obstacles.empty())
          diagnostics.add(policies[node_of[n]].Mark(), "policies[" + std::to_string(node_of[n]) + "].optimum",
                          "no exact optimum on scenario " + s.name + ": " + obstacles);
      }
    }
  }
}

}  // namespace

Experiment load_experiment_text(const std::string& text, const std::string& source, const std::string& base_dir) {
  const YAML::Node root = parse_yaml_document(text, source);
  Diagnostics diagnostics(source);
  Experiment e;
  {
    MapReader map(root, "", diagnostics);
    if (map.is_map()) {
      map.text("name", e.name, Need::kRequired);
      if (!e.name.empty() && !is_id(e.name))
        diagnostics.add(map.child("name").Mark(), "name", "use letters, digits, '-', '_' or '.' (it names a directory)");
      map.text("description", e.description);
      read_scenarios(map, base_dir, e, diagnostics);
      if (map.has("seeds")) {
        std::vector<double> seeds;
        map.numbers("seeds", seeds, 0, 9e15, 0, Need::kOptional);
        e.seeds.clear();
        for (double s : seeds) e.seeds.push_back(static_cast<std::uint64_t>(s));
        if (e.seeds.empty()) diagnostics.add(map.child("seeds").Mark(), "seeds", "needs at least one seed");
      }
      if (map.has("evaluation")) {
        MapReader eval(map.child("evaluation"), "evaluation", diagnostics);
        eval.integer("episodes", e.eval_episodes, 1, 1'000'000);
        eval.seed("seed", e.eval_seed);
      }
      if (map.has("statistics")) {
        MapReader stats(map.child("statistics"), "statistics", diagnostics);
        stats.integer("bootstrap", e.bootstrap, 100, 1'000'000);
        stats.number("confidence", e.confidence, 0.5, 0.999);
      }
      map.integer("workers", e.workers, 0, 1024);
      read_policies(map, base_dir, e, diagnostics);
    }
  }
  diagnostics.throw_if_any();
  return e;
}

Experiment load_experiment(const std::string& path) {
  return load_experiment_text(read_text_file(path), path, fs::path(path).parent_path().string());
}

std::vector<Job> jobs_of(const Experiment& experiment) {
  std::vector<Job> jobs;
  // Learners first: they take longest, and starting them early shortens the whole run.
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t s = 0; s < experiment.scenarios.size(); ++s)
      for (std::size_t p = 0; p < experiment.policies.size(); ++p) {
        if ((experiment.policies[p].kind == PolicyKind::kLearner) != (pass == 0)) continue;
        for (std::uint64_t seed : experiment.seeds) jobs.push_back({s, p, seed});
      }
  return jobs;
}

}  // namespace expanse::runner
