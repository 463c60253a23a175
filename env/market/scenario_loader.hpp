#pragma once
// Scenario YAML → Scenario, with validation that reports every problem as
// `FILE:LINE:COL: key.path: what is wrong` (thrown together as one UserError).
#include <yaml-cpp/yaml.h>

#include <string>

#include "env/market/scenario.hpp"

namespace expanse {

Scenario load_scenario_file(const std::string& path);
Scenario load_scenario_text(const std::string& text, const std::string& source);
// Validates an already parsed document (a mapping) the same way.
Scenario load_scenario_document(const YAML::Node& root, const std::string& source);

// The built-in default scenario (scenarios/asia-pacific.yaml, embedded at build time).
Scenario load_default_scenario();
const char* default_scenario_name();
const char* default_scenario_text();
// scenarios/world.yaml, embedded too: the 41 markets the fidelity checks run on by default.
Scenario load_world_scenario();

}  // namespace expanse
