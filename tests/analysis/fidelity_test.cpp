// Every row of `expanse fidelity` on the world scenario, with the same tolerance: a change to the
// model that breaks a published stylised fact fails here (docs/model.md, "Fidelity").
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "analysis/fidelity_table.hpp"
#include "common/user_error.hpp"
#include "env/market/scenario_loader.hpp"

using namespace expanse;

namespace {

const Scenario& world() {
  static const Scenario s = load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/world.yaml");
  return s;
}

void require_pass(const FidelityCheck& c) {
  INFO(c.fact << ": measured " << c.measured << ", tolerance " << c.tolerance() << " (" << c.published << ")");
  REQUIRE(c.applicable());
  CHECK(c.pass());
}

}  // namespace

TEST_CASE("Fidelity: Bass diffusion peaks at 6.2 years with 46 % adopted, within 2 % of the closed form",
          "[fidelity]") {
  const auto checks = check_bass_diffusion(world());
  REQUIRE(checks.size() == 3);
  for (const auto& c : checks) require_pass(c);
}

TEST_CASE("Fidelity: advertising elasticity of new adopters within 0.05–0.30", "[fidelity]") {
  require_pass(check_advertising_elasticity(world()));
}

TEST_CASE("Fidelity: price elasticity of share within −4 to −1.5", "[fidelity]") {
  require_pass(check_price_elasticity(world()));
}

TEST_CASE("Fidelity: gravity elasticities of revenue to GDP and distance", "[fidelity]") {
  for (const auto& c : check_gravity(world())) require_pass(c);
}

TEST_CASE("Fidelity: piloting first pays in distant markets, and more there than in close ones", "[fidelity]") {
  for (const auto& c : check_uppsala(world())) require_pass(c);
}

TEST_CASE("Fidelity: a near market entered first speeds diffusion more than a far one", "[fidelity]") {
  require_pass(check_cross_country_influence(world()));
}

TEST_CASE("Fidelity measures the model without a stress test's scripted events", "[fidelity]") {
  // stress-asian-crisis is asia-pacific plus scripted events; some checks use subsets of its regions.
  const auto load = [](const char* name) {
    return load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
  };
  const Scenario scripted = load("stress-asian-crisis");
  REQUIRE(!scripted.events.empty());
  const auto a = run_fidelity_checks(load("asia-pacific")), b = run_fidelity_checks(scripted);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].fact);
    CHECK(a[i].measured == b[i].measured);
  }
}

TEST_CASE("Fidelity checks say when a scenario is too small to test a fact", "[fidelity]") {
  const Scenario tiny = load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/tiny.yaml");
  for (const auto& c : check_gravity(tiny)) CHECK_FALSE(c.applicable());
  for (const auto& c : check_uppsala(tiny)) CHECK_FALSE(c.applicable());
  CHECK(check_cross_country_influence(tiny).applicable());
}

TEST_CASE("Fidelity tables go between the markers of a Markdown file, and nowhere else", "[fidelity]") {
  const std::string path = std::string(EXPANSE_BINARY_DIR) + "/fidelity_doc_test.md";
  {
    std::ofstream out(path);
    out << "# Title\n<!-- fidelity:begin -->\nold table\n<!-- fidelity:end -->\ntail\n";
  }
  write_fidelity_table_into(path, "| new |\n", "origin");
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "# Title\n<!-- fidelity:begin -->\norigin\n\n| new |\n<!-- fidelity:end -->\ntail\n");
  {
    std::ofstream out(path);
    out << "no markers\n";
  }
  CHECK_THROWS_AS(write_fidelity_table_into(path, "| new |\n", "origin"), UserError);
}
