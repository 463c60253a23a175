#include "agents/rl/sac_config.hpp"

#include "common/yaml_reader.hpp"

namespace expanse::agents {

void SacConfig::use_defaults(bool box_actions, bool /*market*/) {
  if (box_actions) return;
  batch_size = 64;
  learning_starts = 20'000;
  policy_lr = 3e-4;
  q_lr = 3e-4;
  update_frequency = 4;
  target_network_frequency = 8'000;
  tau = 1.0;
  adam_eps = 1e-4;
}

std::vector<ConfigField> SacConfig::fields() {
  return {{.key = "buffer_size", .integer = &buffer_size, .lo = 1, .hi = 100'000'000},
          {.key = "gamma", .real = &gamma, .lo = 0, .hi = 1},
          {.key = "tau", .real = &tau, .lo = 0, .hi = 1},
          {.key = "batch_size", .integer = &batch_size, .lo = 1, .hi = 1'000'000},
          {.key = "learning_starts", .integer = &learning_starts, .lo = 0, .hi = kMaxConfigInt},
          {.key = "policy_lr", .real = &policy_lr, .lo = 0, .hi = 10},
          {.key = "q_lr", .real = &q_lr, .lo = 0, .hi = 10},
          {.key = "policy_frequency", .integer = &policy_frequency, .lo = 1, .hi = 1'000'000},
          {.key = "update_frequency", .integer = &update_frequency, .lo = 1, .hi = 1'000'000},
          {.key = "target_network_frequency", .integer = &target_network_frequency, .lo = 1, .hi = kMaxConfigInt},
          {.key = "alpha", .real = &alpha, .lo = 0, .hi = 100},
          {.key = "autotune", .flag = &autotune},
          {.key = "target_entropy_scale", .real = &target_entropy_scale, .lo = 0, .hi = 10},
          {.key = "adam_eps", .real = &adam_eps, .lo = 0, .hi = 1},
          {.key = "hidden", .layers = &hidden},
          {.key = "teacher", .text = &teacher, .choices = teacher_choices()},
          {.key = "teacher_share", .real = &teacher_share, .lo = 0, .hi = 1}};
}

void SacConfig::check(MapReader& map, bool box_view, Diagnostics& diagnostics) const {
  if (map.has("network") && net.entity() && box_view)
    diagnostics.add(map.child("network").Mark(), map.path("network"),
                    "SAC's entity networks take its discrete variant (view: discrete)");
}

}  // namespace expanse::agents
