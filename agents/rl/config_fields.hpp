#pragma once
// What every algorithm's configuration (NAME_config.hpp) is made of: its traits, its YAML keys (one
// list per algorithm, read and written by agent_config.cpp, so a run's snapshot always round-trips),
// the network choice the gradient learners share, and the teachers they may learn from. No LibTorch
// here: each config only declares the make_learner its NAME.cpp defines.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace expanse {
class Diagnostics;
class Env;
class MapReader;
class Rng;
}  // namespace expanse

namespace expanse::agents {
class Learner;

// What the rest of the project knows of an algorithm besides its keys.
struct AlgorithmTraits {
  const char* name;           // `algorithm:` in YAML, `--algo`
  const char* market_view;    // its action view on market scenarios when the config names none
  std::int64_t market_steps;  // an experiment entry's training budget without `steps:`
  double step_cost;           // a training step's time relative to PPO's (for a job's ETA)
};

// One hyperparameter: its YAML key and where it lives (exactly one of the pointers is set).
struct ConfigField {
  const char* key;
  double* real = nullptr;
  int* integer = nullptr;
  bool* flag = nullptr;
  std::vector<int>* layers = nullptr;
  std::string* text = nullptr;  // one of `choices`
  std::vector<std::string> choices = {};
  double lo = 0, hi = 0;
  bool no_layers_ok = false;  // `hidden: []` is allowed (a linear network)
};

inline constexpr int kMaxConfigInt = 2'000'000'000;

// The shape of an algorithm's networks: the flat MLP of `hidden`, or the entity network
// (agents/rl/entity_net.hpp, market scenarios only) of width `entity_width`.
struct NetworkConfig {
  std::string network = "mlp";  // "mlp" or "entity"
  int entity_width = 64;
  bool entity() const { return network == "entity"; }
};
// Its keys, `network` and `entity_width`.
std::vector<ConfigField> network_fields(NetworkConfig& net);

// A teacher is a baseline that acts on the env's state alone, without memory or randomness of its
// own, so that a resumed run is identical (not the planner, which looks ahead), or none.
std::vector<std::string> teacher_choices();

}  // namespace expanse::agents
