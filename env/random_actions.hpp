#pragma once
// Uniformly random valid actions for any space: the random baseline of `expanse sim`, the load of
// the benchmark, and the fuzz of property tests. Masked-out choices are never drawn.
#include <cstdint>
#include <span>

#include "common/rng.hpp"
#include "env/spaces.hpp"

namespace expanse {

// Writes one action: Discrete/MultiDiscrete into `indices` (flat_size values), Box into `values`.
// `mask` is mask_size(space) entries (1 = allowed) or empty for "everything allowed".
void sample_random_action(const Space& space, std::span<const std::uint8_t> mask, Rng& rng,
                          std::span<std::int32_t> indices, std::span<float> values);

}  // namespace expanse
