#pragma once
// The single-environment interface (Gymnasium semantics, EnvPool-style buffers).
// The hot path writes observations into caller-owned memory; the convenience overloads
// allocate and are for tests, tools and hand-poking.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "env/entity_layout.hpp"
#include "env/spaces.hpp"

namespace expanse {

// An action in any view, without owning memory: Discrete and MultiDiscrete fill `indices`,
// Box fills `values`.
struct Action {
  std::span<const std::int32_t> indices;
  std::span<const float> values;

  static Action discrete(const std::int32_t& index) { return {std::span<const std::int32_t>(&index, 1), {}}; }
};

// Bits of StepResult::events. Reference envs report none; the market env reports what happened.
enum Event : std::uint32_t {
  kEventInvalidAction = 1u << 0,
  kEventEntry = 1u << 1,
  kEventExit = 1u << 2,
  kEventShock = 1u << 3,
  kEventPartnerFailure = 1u << 4,
  kEventBankruptcy = 1u << 5,
  kEventDevaluation = 1u << 6,  // a scripted devaluation (scenario events)
};
std::string describe_events(std::uint32_t events);  // "entry|shock", "" when none

struct StepResult {
  double reward = 0.0;
  bool terminated = false;      // the episode reached a terminal state of the MDP
  bool truncated = false;       // the episode was cut by the time limit
  bool invalid_action = false;  // the action was not allowed and acted as a no-op
  double shaping = 0.0;  // the part of `reward` that is reward shaping, not return (0 unless enabled)
  std::uint32_t events = 0;
};

// What the allocating step() returns.
struct Transition {
  std::vector<float> observation;
  StepResult result;
};

class Env {
 public:
  virtual ~Env() = default;

  virtual std::string name() const = 0;
  virtual const Box& observation_space() const = 0;
  virtual const Space& action_space() const = 0;

  // Starts an episode: the env's RNG is seeded from `seed` alone.
  virtual void reset(std::uint64_t seed, std::span<float> observation) = 0;
  virtual StepResult step(const Action& action, std::span<float> observation) = 0;
  // Writes the validity of every discrete action (1 = valid). Envs without masks write all ones.
  virtual void action_mask(std::span<std::uint8_t> mask) const;
  // A deep copy of the complete state, RNG included: stepping both gives identical results.
  virtual std::unique_ptr<Env> clone() const = 0;
  // How the observation and the action outputs split into entities (regions), for entity networks;
  // empty (entities = 0) for envs without entities.
  virtual EntityLayout entity_layout() const { return {}; }

  std::size_t observation_size() const { return observation_space().low.size(); }
  std::vector<float> reset(std::uint64_t seed);
  Transition step(const Action& action);
  Transition step(std::int32_t discrete_action) { return step(Action::discrete(discrete_action)); }
  Transition step(const std::vector<float>& box_action) { return step(Action{{}, box_action}); }
  std::vector<std::uint8_t> action_mask() const;
};

}  // namespace expanse
