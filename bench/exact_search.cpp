// How the exact optimum's branch and bound (agents/baselines/exhaustive_plan.hpp) scales with the
// number of regions: scenarios/tiny.yaml (3 regions) and tiny with the next markets of
// scenarios/asia-pacific.yaml added on the same terms (tiny's fast diffusion, no noise).
//   build/release/bench/exact_search [MAX_REGIONS]   (from the repository root; default 5)
// Prints a Markdown table; docs/benchmarks.md records the figures.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <stdexcept>

#include "agents/baselines/exhaustive_plan.hpp"
#include "env/market/scenario_loader.hpp"

using namespace expanse;

int main(int argc, char** argv) {
  const std::size_t max_regions = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 5;
  Scenario scenario = load_scenario_file("scenarios/tiny.yaml");
  const Scenario more = load_scenario_file("scenarios/asia-pacific.yaml");
  const RegionOverrides terms = scenario.regions.front().fixed;
  std::set<std::string> present;
  for (const auto& r : scenario.regions) present.insert(r.country.id);
  std::printf("| regions | plans in the space | plans simulated | seconds | optimum |\n|---|---:|---:|---:|---:|\n");
  auto names = [&] {
    std::string text;
    for (const auto& r : scenario.regions) text += (text.empty() ? "" : " ") + r.country.id;
    return text;
  };
  for (std::size_t next = 0;;) {
    const auto start = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    try {
      const EntryPlan best = exhaustive_entry_plan(scenario, 0);
      std::printf("| %s | %.3g | %llu | %.2f | %.3f |\n", names().c_str(), best.plans,
                  static_cast<unsigned long long>(best.plans_simulated), seconds(), best.discounted_return);
    } catch (const std::invalid_argument& e) {  // the search's limit on plans to simulate
      std::printf("| %s | | refused | %.2f | %s |\n", names().c_str(), seconds(), e.what());
      return 0;
    }
    std::fflush(stdout);
    if (scenario.regions.size() >= max_regions) return 0;
    while (next < more.regions.size() && present.count(more.regions[next].country.id)) ++next;
    if (next == more.regions.size()) return 0;
    RegionSpec region = more.regions[next++];
    region.fixed = terms;
    present.insert(region.country.id);
    scenario.regions.push_back(region);
  }
}
