#pragma once
// The exact optimum of a small deterministic scenario (scenarios/tiny.yaml) over a documented action
// space, by exhaustive search: for each region, either never enter it, or enter it at one quarter as a
// pilot, a partner (its best available one) or a subsidiary, with marketing level 1, and never exit.
// (Research, other marketing levels and exits are outside this space.) Every plan is simulated with
// the env itself, so "optimal" means optimal for the model, within the space.
#include <cstdint>
#include <vector>

#include "env/market/scenario.hpp"
#include "env/market/market_env.hpp"

namespace expanse {

struct EntryPlan {
  struct Entry {
    int quarter = -1;  // −1: never entered
    ModeTarget mode = ModeTarget::kKeep;
  };
  std::vector<Entry> regions;
  double discounted_return = 0;  // of the plan, without any reward shaping
  std::uint64_t plans_searched = 0;
};

// Throws std::invalid_argument when the search would exceed `max_plans` plans.
EntryPlan exhaustive_entry_plan(const Scenario& scenario, std::uint64_t seed, std::uint64_t max_plans = 2'000'000);

// The discounted return of a plan (the same simulation the search uses).
double plan_return(const MarketSpec& spec, const std::vector<EntryPlan::Entry>& plan, std::uint64_t seed);

}  // namespace expanse
