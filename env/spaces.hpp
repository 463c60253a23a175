#pragma once
// Observation and action spaces as plain data (Gymnasium's Discrete, MultiDiscrete and 1-D Box).
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace expanse {

struct Discrete {
  std::int32_t n = 0;
};

struct MultiDiscrete {
  std::vector<std::int32_t> nvec;
};

struct Box {
  std::vector<float> low;
  std::vector<float> high;
};

using Space = std::variant<Discrete, MultiDiscrete, Box>;

// How many numbers one element of the space takes in a flat buffer (Discrete: 1).
std::size_t flat_size(const Space& space);
bool is_box(const Space& space);
// Size of an action mask: Discrete n, MultiDiscrete sum(nvec), Box 0.
std::size_t mask_size(const Space& space);
// "Discrete(73)", "MultiDiscrete([6 4] x 12)", "Box(-1, 1, (24,), float32)".
std::string describe(const Space& space);

bool contains(const Box& box, std::span<const float> values);
bool contains(const Space& space, std::span<const std::int32_t> indices);

}  // namespace expanse
