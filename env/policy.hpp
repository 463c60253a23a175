#pragma once
// The one interface of everything that acts: baselines, learners (while training and once trained)
// and the exact search's plan. A policy sees what an agent sees — the observation and the action
// mask — and, on a market scenario, the env itself, read-only: the heuristics read the prior's
// estimates, the planner looks ahead with clone(). It writes the action in the env's view.
#include <cstdint>
#include <span>

namespace expanse {

class MarketEnv;

struct PolicyInput {
  std::span<const float> observation;
  std::span<const std::uint8_t> mask;  // empty where the action space has none
  const MarketEnv* market = nullptr;   // the env, on a market scenario
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual void reset(std::uint64_t seed) { (void)seed; }  // called at the start of every episode
  // Writes the next action: indices (Discrete, MultiDiscrete) or values (Box).
  virtual void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) = 0;
};

}  // namespace expanse
