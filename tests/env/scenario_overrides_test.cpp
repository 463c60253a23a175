// Scenario overrides (used by the Python package): merged into the file, validated like the file,
// and their problems reported against "overrides".
#include "env/market/scenario_overrides.hpp"

#include <catch2/catch.hpp>

#include "common/user_error.hpp"

using namespace expanse;

TEST_CASE("Overrides replace scalars and merge mappings", "[scenario]") {
  const Scenario s = load_scenario_with_overrides("", "{horizon: 12, model: {noise: {demand: 0.0}}}");
  CHECK(s.horizon == 12);
  CHECK(s.model.demand_noise == 0.0);
  CHECK(s.model.observation_noise == 0.3);  // the rest of the mapping is kept
  CHECK(s.regions.size() == 12);
  CHECK(load_scenario_with_overrides("", "").horizon == 40);
}

TEST_CASE("Problems in overrides are reported against the overrides, others against the file", "[scenario]") {
  try {
    load_scenario_with_overrides("", "{horizon: 0, model: {noise: {demnd: 1}}}");
    FAIL("expected an error");
  } catch (const UserError& e) {
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(e.diagnostics()[0].str() == "overrides: horizon: expected a whole number in [1, 1000], got 0");
    CHECK(e.diagnostics()[1].str() == "overrides: model.noise.demnd: unknown key (did you mean \"demand\"?)");
  }
  CHECK_THROWS_AS(load_scenario_with_overrides("", "[not, a, mapping]"), UserError);
}
