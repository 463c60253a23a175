#pragma once
// CleanRL's linear_schedule: from `start` to `end` over `duration` steps, then constant.
#include <algorithm>
#include <cstdint>

namespace expanse::agents {

inline double linear_schedule(double start, double end, double duration, std::int64_t t) {
  if (duration <= 0) return end;
  const double slope = (end - start) / duration;
  return std::max(slope * static_cast<double>(t) + start, end);
}

}  // namespace expanse::agents

namespace expanse::agents {

// Whether a step index k with k % every == 0 lies in [before, after): CleanRL's
// `global_step % every == 0` for a loop whose counter moves from `before` by one or more steps.
inline bool due(std::int64_t before, std::int64_t after, std::int64_t every) {
  return every > 0 && after > before && (before % every == 0 || (after - 1) / every > before / every);
}

}  // namespace expanse::agents
