#include "cli/command.hpp"
#include "env/market/scenario_loader.hpp"

namespace expanse::cli {

Scenario load_scenario_argument(const std::string& path) {
  return path.empty() ? load_default_scenario() : load_scenario_file(path);
}

}  // namespace expanse::cli
