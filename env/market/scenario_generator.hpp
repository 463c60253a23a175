#pragma once
// Synthetic content for scenarios, always marked synthetic: partners (docs/model.md; partner data is
// generated, never presented as real) and whole synthetic regions for scale experiments.
#include <cstdint>
#include <vector>

#include "env/market/scenario.hpp"

namespace expanse {

// `count` regions whose features follow the spread of the real country data (log-normal GDP,
// GDP per capita, …), deterministic in `seed`. Ids are "S0001", "S0002", …
std::vector<RegionSpec> generate_regions(int count, std::uint64_t seed);

// `per_region` partners for every region that has none yet; deterministic in scenario.seed.
void generate_partners(Scenario& scenario, int per_region);

}  // namespace expanse
