#pragma once
// What the MarketEnv's implementation files share (market_env.cpp, market_actions.cpp,
// market_dynamics.cpp, market_observation.cpp): observation clips, the marketing levels as the
// agent sees them, the product-count dispatch of the step's loops, and the validity of the Discrete
// view's operations (the mask and the action both read it). Not for use outside them.
#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "env/market/market_env.hpp"

namespace expanse::market_detail {

constexpr float kLogFxLimit = 3.f;           // observation clip for the log FX rate
constexpr float kRegionRevenueLimit = 50.f;  // observation clip for a region's revenue / reward scale

inline float clip(double value, float lo, float hi) {
  return std::clamp(static_cast<float>(value), lo, hi);
}

// Scenarios have a handful of products. f(std::integral_constant<std::size_t, K>) for K up to 8,
// so that the loops over products are compiled for that count, unrolled; f(…<0>) for any other.
template <typename F>
void with_product_count(std::size_t K, F&& f) {
  switch (K) {
    case 1: f(std::integral_constant<std::size_t, 1>{}); break;
    case 2: f(std::integral_constant<std::size_t, 2>{}); break;
    case 3: f(std::integral_constant<std::size_t, 3>{}); break;
    case 4: f(std::integral_constant<std::size_t, 4>{}); break;
    case 5: f(std::integral_constant<std::size_t, 5>{}); break;
    case 6: f(std::integral_constant<std::size_t, 6>{}); break;
    case 7: f(std::integral_constant<std::size_t, 7>{}); break;
    case 8: f(std::integral_constant<std::size_t, 8>{}); break;
    default: f(std::integral_constant<std::size_t, 0>{}); break;
  }
}

// The observed marketing level, by level.
constexpr float kMarketingShare[4] = {0.f, 1.f / 3, 2.f / 3, 1.f};

inline std::uint8_t bit(Mode m) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(m));
}

}  // namespace expanse::market_detail

namespace expanse {

// The Discrete view's valid region operations depend on the mode, whether the region was researched
// this quarter and the marketing level only: one row per such state.
inline constexpr auto kRegionOpsByState = [] {
  std::array<RegionOps, kModeCount * 2 * 4> rows{};
  for (std::size_t m = 0; m < kModeCount; ++m)
    for (std::size_t researched = 0; researched < 2; ++researched)
      for (std::size_t level = 0; level < 4; ++level) {
        const bool present = static_cast<Mode>(m) != Mode::kNone;
        rows[(m * 2 + researched) * 4 + level] = {
            !present && !researched, !present, static_cast<Mode>(m) != Mode::kSubsidiary, present, present && level < 3,
            present && level > 0};
      }
  return rows;
}();

// Which of the Discrete view's region operations are valid, all six at once (the mask copies them):
// a row of kRegionOpsByState, looked up rather than computed with branches on a random state.
[[gnu::always_inline]] inline const RegionOps& MarketEnv::region_ops_valid(std::size_t r) const {
  return kRegionOpsByState[(static_cast<std::size_t>(mode_[r]) * 2 + researched_[r]) * 4 +
                           static_cast<std::size_t>(marketing_[r])];
}

[[gnu::always_inline]] inline bool MarketEnv::partner_sign_valid(std::size_t j) const {
  return !partner_failed_[j] & (mode_[spec_->partner_region(j)] < Mode::kPartner);
}

}  // namespace expanse
