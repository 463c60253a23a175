#pragma once
// The exact optimum of a small deterministic scenario (scenarios/tiny.yaml) over a documented space
// of plans. For each region: never enter it, or enter it at one quarter as a pilot, a partner (its
// best available one) or a subsidiary, and spend marketing level 0, 1, 2 or 3 from that quarter until
// a stop quarter, level 0 after it; never exit, no research. (Exits, research, upgrades and marketing
// that changes more than once are outside the space.) Every plan is simulated with the env itself,
// so "optimal" means optimal for the model, within the space.
//
// The space is large (1,301 options per region on tiny.yaml, 2.2·10⁹ plans), so the search is a
// branch and bound, exact like plain enumeration: regions interact only through cross-country
// influence, which can only add customers, and through cash. Each region's options are first
// simulated alone with every neighbour counted as fully penetrated: an upper bound of what the
// option can add next to any plan of the other regions (customers rise with influence and each
// earns a positive margin). A combination is simulated only when the sum of its bounds could beat the
// best plan found so far. The conditions that make the bound hold are checked, not assumed.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "env/market/market_env.hpp"
#include "env/market/scenario.hpp"

namespace expanse {

struct EntryPlan {
  struct Entry {
    int quarter = -1;  // −1: never entered
    ModeTarget mode = ModeTarget::kKeep;
    int marketing = 1;  // level from `quarter` until `stop`
    int stop = -1;      // the first quarter back at level 0; −1: never
  };
  std::vector<Entry> regions;
  double discounted_return = 0;  // of the plan, without any reward shaping
  double plans = 0;              // in the space (a double: it outgrows 64 bits on large scenarios)
  std::uint64_t plans_simulated = 0;  // combinations the bound did not rule out
};

// The space, one region at a time: never, then every (entry quarter, mode, level, stop).
std::vector<EntryPlan::Entry> region_options(const MarketSpec& spec, std::size_t region);

// The plan's MultiDiscrete action at quarter t (2 components per region).
void plan_action(const std::vector<EntryPlan::Entry>& plan, int t, std::span<std::int32_t> action);

// Why the search cannot run on a scenario ("" when it can): the conditions of the bound it breaks.
std::string exact_search_obstacles(const Scenario& scenario, std::uint64_t seed);

// Throws std::invalid_argument when the scenario breaks a condition of the bound (noise, FX, a
// reward that does not add up over regions, a non-positive margin, diffusion too fast), or when more
// than `max_simulations` plans would need simulating.
EntryPlan exhaustive_entry_plan(const Scenario& scenario, std::uint64_t seed,
                                std::uint64_t max_simulations = 20'000'000);

// The discounted return of a plan (the same simulation the search uses).
double plan_return(const MarketSpec& spec, const std::vector<EntryPlan::Entry>& plan, std::uint64_t seed);

}  // namespace expanse
