#include "agents/rl/dqn_config.hpp"

#include "common/yaml_reader.hpp"

namespace expanse::agents {

void DqnConfig::use_defaults(bool /*box_actions*/, bool market) {
  if (!market) return;
  learning_starts = 5'000;
  buffer_size = 50'000;
}

std::vector<ConfigField> DqnConfig::fields() {
  return {{.key = "learning_rate", .real = &learning_rate, .lo = 0, .hi = 10},
          {.key = "num_envs", .integer = &num_envs, .lo = 1, .hi = 4096},
          {.key = "buffer_size", .integer = &buffer_size, .lo = 1, .hi = 100'000'000},
          {.key = "gamma", .real = &gamma, .lo = 0, .hi = 1},
          {.key = "tau", .real = &tau, .lo = 0, .hi = 1},
          {.key = "target_network_frequency", .integer = &target_network_frequency, .lo = 1, .hi = kMaxConfigInt},
          {.key = "batch_size", .integer = &batch_size, .lo = 1, .hi = 1'000'000},
          {.key = "start_e", .real = &start_e, .lo = 0, .hi = 1},
          {.key = "end_e", .real = &end_e, .lo = 0, .hi = 1},
          {.key = "exploration_fraction", .real = &exploration_fraction, .lo = 0, .hi = 1},
          {.key = "learning_starts", .integer = &learning_starts, .lo = 0, .hi = kMaxConfigInt},
          {.key = "train_frequency", .integer = &train_frequency, .lo = 1, .hi = kMaxConfigInt},
          {.key = "n_step", .integer = &n_step, .lo = 1, .hi = 255},
          {.key = "double_dqn", .flag = &double_dqn},
          {.key = "huber_loss", .flag = &huber_loss},
          {.key = "max_grad_norm", .real = &max_grad_norm, .lo = 0, .hi = 1e9},
          {.key = "hidden", .layers = &hidden},
          {.key = "teacher", .text = &teacher, .choices = teacher_choices()},
          {.key = "teacher_share", .real = &teacher_share, .lo = 0, .hi = 1}};
}

void DqnConfig::check(MapReader& map, bool box_view, Diagnostics& diagnostics) const {
  if (map.has("view") && box_view)
    diagnostics.add(map.child("view").Mark(), map.path("view"),
                    "DQN acts in the discrete or multidiscrete view (SAC and PPO take box)");
}

}  // namespace expanse::agents
