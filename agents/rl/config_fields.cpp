#include "agents/rl/config_fields.hpp"

#include "common/yaml_reader.hpp"

namespace expanse::agents {

std::vector<ConfigField> network_fields(NetworkConfig& net) {
  return {{.key = "network", .text = &net.network, .choices = {"mlp", "entity"}},
          {.key = "entity_width", .integer = &net.entity_width, .lo = 1, .hi = 4096}};
}

std::vector<std::string> teacher_choices() {
  return {"none", "greedy-roi", "partner-greedy"};
}

void check_teacher_view(MapReader& map, const std::string& teacher, bool box_view, Diagnostics& diagnostics) {
  if (map.has("teacher") && teacher != "none" && box_view)
    diagnostics.add(map.child("teacher").Mark(), map.path("teacher"),
                    "a teacher acts in the discrete or multidiscrete view, not box");
}

}  // namespace expanse::agents
