#include "agents/rl/config_fields.hpp"

namespace expanse::agents {

std::vector<ConfigField> network_fields(NetworkConfig& net) {
  return {{.key = "network", .text = &net.network, .choices = {"mlp", "entity"}},
          {.key = "entity_width", .integer = &net.entity_width, .lo = 1, .hi = 4096}};
}

std::vector<std::string> teacher_choices() {
  return {"none", "greedy-roi", "partner-greedy"};
}

}  // namespace expanse::agents
