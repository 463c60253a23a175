#include "agents/rl/cem_config.hpp"

namespace expanse::agents {

std::vector<ConfigField> CemConfig::fields() {
  return {{.key = "population", .integer = &population, .lo = 2, .hi = 1'000'000},
          {.key = "elite_fraction", .real = &elite_fraction, .lo = 0, .hi = 1},
          {.key = "episodes", .integer = &episodes, .lo = 1, .hi = 1'000'000},
          {.key = "init_std", .real = &init_std, .lo = 0, .hi = 1e6},
          {.key = "noise_std", .real = &noise_std, .lo = 0, .hi = 1e6},
          {.key = "gamma", .real = &gamma, .lo = 0, .hi = 1},
          {.key = "hidden", .layers = &hidden, .no_layers_ok = true}};
}

}  // namespace expanse::agents
