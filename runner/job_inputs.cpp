#include "runner/job_inputs.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <utility>
#include <vector>

#include "common/atomic_file.hpp"
#include "common/text_file.hpp"
#include "common/version.hpp"
#include "common/yaml_reader.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

std::string policy_text(const PolicyEntry& p) {
  switch (p.kind) {
    case PolicyKind::kLearner:
      return std::string("learner ") + p.config.traits().name + ", steps " + std::to_string(p.steps) + ", config " +
             (p.config_yaml.empty() ? "{}" : canonical_yaml(p.config_yaml)) +
             (p.init.empty() ? "" : ", init " + p.init);
    case PolicyKind::kBaseline: return "baseline " + p.baseline + ", view " + p.view;
    case PolicyKind::kOptimum: return "optimum";
  }
  return "?";
}

}  // namespace

// FNV-1a, 64 bits: a fingerprint, not a security measure.
std::string scenario_fingerprint(const std::string& yaml) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : canonical_yaml(yaml)) h = (h ^ c) * 0x100000001b3ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

JobInputs job_inputs(const Experiment& experiment, const Job& job) {
  const ScenarioEntry& scenario = experiment.scenarios[job.scenario];
  return {"scenario " + scenario.name + " " + scenario.fingerprint + ", " +
              policy_text(experiment.policies[job.policy]) + ", seed " + std::to_string(job.seed),
          "episodes " + std::to_string(experiment.eval_episodes) + ", seed " + std::to_string(experiment.eval_seed),
          expanse_version()};
}

std::optional<JobInputs> read_job_inputs(const fs::path& dir) {
  const fs::path file = dir / "inputs.yaml";
  if (!fs::exists(file)) return std::nullopt;
  try {
    const YAML::Node root = YAML::Load(read_text_file(file));
    if (!root["training"] || !root["evaluation"]) return std::nullopt;
    return JobInputs{root["training"].as<std::string>(), root["evaluation"].as<std::string>(),
                     root["expanse"] ? root["expanse"].as<std::string>() : "unrecorded"};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void write_job_inputs(const fs::path& dir, const JobInputs& inputs) {
  fs::create_directories(dir);
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "training" << YAML::Value << YAML::DoubleQuoted << inputs.training
      << YAML::Key << "evaluation" << YAML::Value << YAML::DoubleQuoted << inputs.evaluation << YAML::Key
      << "expanse" << YAML::Value << YAML::DoubleQuoted << inputs.expanse << YAML::EndMap;
  write_file_atomically((dir / "inputs.yaml").string(),
                        "# What this run's results depend on (runner/job_inputs.hpp).\n" + std::string(out.c_str()) +
                            "\n");
}

}  // namespace expanse::runner
