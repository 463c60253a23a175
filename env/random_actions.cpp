#include "env/random_actions.hpp"

#include <variant>

namespace expanse {
namespace {

// One uniform draw among the allowed entries of mask[0..n) (all n when the mask is empty).
std::int32_t draw_allowed(std::int32_t n, const std::uint8_t* mask, Rng& rng) {
  if (!mask) return static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(n)));
  std::uint32_t allowed = 0;
  for (std::int32_t i = 0; i < n; ++i) allowed += mask[i] != 0;
  if (allowed == 0) return 0;
  std::uint32_t pick = rng.below(allowed);
  for (std::int32_t i = 0; i < n; ++i)
    if (mask[i] && pick-- == 0) return i;
  return 0;
}

}  // namespace

void sample_random_action(const Space& space, std::span<const std::uint8_t> mask, Rng& rng,
                          std::span<std::int32_t> indices, std::span<float> values) {
  if (const auto* d = std::get_if<Discrete>(&space)) {
    indices[0] = draw_allowed(d->n, mask.empty() ? nullptr : mask.data(), rng);
  } else if (const auto* md = std::get_if<MultiDiscrete>(&space)) {
    std::size_t offset = 0;
    for (std::size_t i = 0; i < md->nvec.size(); ++i) {
      indices[i] = draw_allowed(md->nvec[i], mask.empty() ? nullptr : mask.data() + offset, rng);
      offset += static_cast<std::size_t>(md->nvec[i]);
    }
  } else {
    const auto& box = std::get<Box>(space);
    for (std::size_t i = 0; i < box.low.size(); ++i)
      values[i] = static_cast<float>(rng.uniform(box.low[i], box.high[i]));
  }
}

}  // namespace expanse
