#pragma once
// A scenario with some keys replaced, for callers that vary a scenario without editing its file
// (the Python package's `expanse.make(path, horizon=20, model={...})`).
#include <string>

#include "env/market/scenario.hpp"

namespace expanse {

// Loads `path` (the embedded default when empty) and applies `overrides_yaml`, a YAML mapping:
// mappings merge key by key, anything else replaces. The result is validated like any scenario;
// problems in overridden keys are reported against "overrides" rather than a line of the file.
Scenario load_scenario_with_overrides(const std::string& path, const std::string& overrides_yaml);

}  // namespace expanse
