#pragma once
// How an observation splits into entities and how an action space's outputs belong to them: what a
// network that treats regions as entities needs to know about an env (agents/rl/entity_net.hpp),
// exported by the env so that no block size or offset is repeated in agents/.
#include <cstdint>
#include <vector>

namespace expanse {

struct EntityLayout {
  static constexpr std::int32_t kGlobal = -1;  // an output that belongs to no entity (hold, say)

  std::size_t global_count = 0;  // observation[0, global_count): values about the whole company
  std::size_t block_offset = 0;  // entity e's block: observation[block_offset + e·block_size, …)
  std::size_t block_size = 0;
  std::size_t entities = 0;
  // Per output of the action space (Σ nvec for Discrete / MultiDiscrete, the dimensions of a Box),
  // the entity it belongs to (kGlobal for none) and its slot among that entity's outputs (or among
  // the global outputs). Several outputs may share a slot: they then get the same score.
  std::vector<std::int32_t> output_entity;
  std::vector<std::int32_t> output_slot;
  int entity_outputs = 0;  // slots per entity
  int global_outputs = 0;  // global slots
  // Appends the next output: one of entity e's slots, or a global slot.
  void add_output(std::size_t entity, int slot) {
    output_entity.push_back(static_cast<std::int32_t>(entity));
    output_slot.push_back(slot);
  }
  void add_global_output(int slot) {
    output_entity.push_back(kGlobal);
    output_slot.push_back(slot);
  }
  // A constant added to each output, not learned (a network's fixed log-prior over actions, set by
  // the agent; the env leaves it empty).
  std::vector<float> output_prior;
};

}  // namespace expanse
