#include "runner/job_inputs.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "env/util/atomic_file.hpp"
#include "env/util/text_file.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

// The same YAML value with its maps' keys in order: what YAML ignores (layout, comments, flow or
// block style, key order) no longer shows when it is written in flow style. Scalars keep their
// spelling (1 and 1.0 differ: a conservative rerun).
YAML::Node sorted(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      // Sorted by position, not by moving nodes: assigning a YAML::Node writes into the node it
      // refers to.
      std::vector<std::string> keys;
      std::vector<YAML::Node> values;
      for (const auto& entry : node) {
        keys.push_back(YAML::Dump(entry.first));
        values.push_back(entry.second);
      }
      std::vector<std::size_t> order(keys.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
      YAML::Node map(YAML::NodeType::Map);
      for (std::size_t i : order) map[keys[i]] = sorted(values[i]);
      return map;
    }
    case YAML::NodeType::Sequence: {
      YAML::Node sequence(YAML::NodeType::Sequence);
      for (const auto& item : node) sequence.push_back(sorted(item));
      return sequence;
    }
    case YAML::NodeType::Scalar: return YAML::Node(node.Scalar());
    default: return YAML::Node();
  }
}

std::string canonical_text(const std::string& yaml) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << sorted(YAML::Load(yaml));
  return out.c_str();
}

// FNV-1a, 64 bits: a fingerprint of a scenario, not a security measure.
std::string fingerprint(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

std::string policy_text(const PolicyEntry& p) {
  switch (p.kind) {
    case PolicyKind::kLearner:
      return std::string("learner ") + agents::to_string(p.config.algorithm) + ", steps " + std::to_string(p.steps) +
             ", config " + (p.config_yaml.empty() ? "{}" : canonical_text(p.config_yaml));
    case PolicyKind::kBaseline: return "baseline " + p.baseline + ", view " + p.view;
    case PolicyKind::kOptimum: return "optimum";
  }
  return "?";
}

}  // namespace

JobInputs job_inputs(const Experiment& experiment, const Job& job) {
  const ScenarioEntry& scenario = experiment.scenarios[job.scenario];
  return {"scenario " + scenario.name + " " + fingerprint(canonical_text(scenario.text)) + ", " +
              policy_text(experiment.policies[job.policy]) + ", seed " + std::to_string(job.seed),
          "episodes " + std::to_string(experiment.eval_episodes) + ", seed " + std::to_string(experiment.eval_seed)};
}

std::optional<JobInputs> read_job_inputs(const fs::path& dir) {
  const fs::path file = dir / "inputs.yaml";
  if (!fs::exists(file)) return std::nullopt;
  try {
    const YAML::Node root = YAML::Load(read_text_file(file));
    if (!root["training"] || !root["evaluation"]) return std::nullopt;
    return JobInputs{root["training"].as<std::string>(), root["evaluation"].as<std::string>()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void write_job_inputs(const fs::path& dir, const JobInputs& inputs) {
  fs::create_directories(dir);
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "training" << YAML::Value << YAML::DoubleQuoted << inputs.training
      << YAML::Key << "evaluation" << YAML::Value << YAML::DoubleQuoted << inputs.evaluation << YAML::EndMap;
  write_file_atomically((dir / "inputs.yaml").string(),
                        "# What this run's results depend on (runner/job_inputs.hpp).\n" + std::string(out.c_str()) +
                            "\n");
}

}  // namespace expanse::runner
