#include "agents/rl/ppo_config.hpp"

#include "common/yaml_reader.hpp"

namespace expanse::agents {

void PpoConfig::use_defaults(bool box_actions, bool market) {
  if (box_actions) {  // ppo_continuous_action.py
    learning_rate = 3e-4;
    num_envs = 1;
    num_steps = 2048;
    num_minibatches = 32;
    update_epochs = 10;
    ent_coef = 0.0;
  }
  if (!market) return;
  // The market defaults (docs/agents.md, "Market defaults", chosen by the sweeps recorded there):
  // returns are in the hundreds and every region is alike, so entity networks, reward scaling, and
  // for discrete actions the balanced log-prior and kickstarting from greedy-ROI — for the first
  // tenth of training only, so that PPO has the rest to improve on its teacher. An entry pays back
  // over years: GAE's λ at 0.99 carries its later profits back to it.
  net.network = "entity";
  norm_reward = true;
  if (!box_actions) {
    balance_regions = true;
    teacher = "greedy-roi";
    teacher_fraction = 0.1;
    gae_lambda = 0.99;
  }
  num_envs = 8;
  num_steps = 80;
}

std::vector<ConfigField> PpoConfig::fields() {
  return {{.key = "learning_rate", .real = &learning_rate, .lo = 0, .hi = 10},
          {.key = "num_envs", .integer = &num_envs, .lo = 1, .hi = 4096},
          {.key = "num_steps", .integer = &num_steps, .lo = 1, .hi = 1'000'000},
          {.key = "anneal_lr", .flag = &anneal_lr},
          {.key = "gamma", .real = &gamma, .lo = 0, .hi = 1},
          {.key = "gae_lambda", .real = &gae_lambda, .lo = 0, .hi = 1},
          {.key = "num_minibatches", .integer = &num_minibatches, .lo = 1, .hi = 1'000'000},
          {.key = "update_epochs", .integer = &update_epochs, .lo = 1, .hi = 10'000},
          {.key = "norm_adv", .flag = &norm_adv},
          {.key = "clip_coef", .real = &clip_coef, .lo = 0, .hi = 10},
          {.key = "clip_vloss", .flag = &clip_vloss},
          {.key = "ent_coef", .real = &ent_coef, .lo = 0, .hi = 10},
          {.key = "vf_coef", .real = &vf_coef, .lo = 0, .hi = 100},
          {.key = "max_grad_norm", .real = &max_grad_norm, .lo = 0, .hi = 1e9},
          {.key = "target_kl", .real = &target_kl, .lo = 0, .hi = 100},
          {.key = "norm_reward", .flag = &norm_reward},
          {.key = "balance_regions", .flag = &balance_regions},
          {.key = "teacher", .text = &teacher, .choices = teacher_choices()},
          {.key = "teacher_coef", .real = &teacher_coef, .lo = 0, .hi = 1e6},
          {.key = "teacher_fraction", .real = &teacher_fraction, .lo = 0, .hi = 1},
          {.key = "hidden", .layers = &hidden}};
}

void PpoConfig::check(MapReader& map, bool box_view, Diagnostics& diagnostics) const {
  if (map.has("num_minibatches") && num_minibatches > num_envs * num_steps)
    diagnostics.add(map.child("num_minibatches").Mark(), map.path("num_minibatches"),
                    "is larger than num_envs × num_steps (" + std::to_string(num_envs * num_steps) +
                        "): a minibatch would be empty");
}

}  // namespace expanse::agents
