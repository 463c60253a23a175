// Every kind of bad scenario input gets its located, one-line error: FILE:LINE:COL: key: message.
#include <catch2/catch.hpp>
#include <string>

#include "common/rng.hpp"
#include "common/user_error.hpp"
#include "common/yaml_reader.hpp"
#include "env/market/scenario_loader.hpp"

using namespace expanse;

namespace {

// A small valid scenario; tests break one thing at a time. Line numbers matter below.
const std::string kValid = R"(name: mini
horizon: 8
company:
  initial_cash: 100
  home: {id: CHN, name: China, subregion: Eastern Asia, languages: zh, lat: 35, lng: 105, gdp_usd: 1.9e13, gdp_per_capita_usd: 13800, population: 1.4e9}
products:
  - {id: nlp, price: 20, unit_cost: 6}
regions:
  - id: JPN
    name: Japan
    subregion: Eastern Asia
    languages: ja
    lat: 36
    lng: 138
    gdp_usd: 4.4e12
    gdp_per_capita_usd: 36000
    population: 1.2e8
  - {id: KOR, name: Korea, subregion: Eastern Asia, languages: ko, lat: 37, lng: 127, gdp_usd: 1.9e12, gdp_per_capita_usd: 36000, population: 5.1e7}
partners:
  - {id: P1, region: JPN, effectiveness: [0.6]}
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::string> errors_of(const std::string& text) {
  try {
    load_scenario_text(text, "bad.yaml");
  } catch (const UserError& e) {
    std::vector<std::string> lines;
    for (const auto& d : e.diagnostics()) lines.push_back(d.str());
    return lines;
  }
  return {};
}

}  // namespace

TEST_CASE("The base scenario of these tests is valid", "[scenario]") {
  const Scenario s = load_scenario_text(kValid, "mini.yaml");
  CHECK(s.regions.size() == 2);
  CHECK(s.partners.size() == 1);
  CHECK(s.horizon == 8);
}

TEST_CASE("Wrong types are located", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "    lat: 36", "    lat: north"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:13:10: regions[0].lat: expected a number in [-90, 90], got \"north\"");
}

TEST_CASE("Out-of-range values are located", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "effectiveness: [0.6]", "effectiveness: [1.6]"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:20:43: partners[0].effectiveness[0]: expected a number in [0, 1], got 1.6");
}

TEST_CASE("A generator beyond 1,000 regions is refused up front (a fuzzing finding)", "[scenario]") {
  // The set-up grows with the square of the regions: scenario_fuzz timed out on synthetic-1000.yaml
  // under the sanitizers, and 100,000 regions, the old limit, would not have finished at all.
  const std::string listed = kValid.substr(kValid.find("regions:"));
  const std::string generated = replace(kValid, listed, "generator: {regions: 1001, seed: 3}\n");
  const auto errors = errors_of(generated);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:8:22: generator.regions: expected a whole number in [1, 1000], got 1001");
  CHECK(errors_of(replace(generated, "1001", "1000")).empty());
}

TEST_CASE("Unknown keys get a did-you-mean suggestion", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "horizon: 8", "horizn: 8"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:2:1: horizn: unknown key (did you mean \"horizon\"?)");
}

TEST_CASE("Missing required keys name the key and its parent's location", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "    gdp_usd: 4.4e12\n", ""));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:9:5: regions[0].gdp_usd: required key is missing");
}

TEST_CASE("Duplicate ids point at the second one", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "{id: KOR, name: Korea", "{id: JPN, name: Korea"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:18:5: regions[1].id: duplicate id \"JPN\" (first used by regions[0])");
}

TEST_CASE("References to undefined regions are located, with a suggestion", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "region: JPN,", "region: JPM,"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] ==
        "bad.yaml:20:22: partners[0].region: partner refers to undefined region \"JPM\" (did you mean \"JPN\"?)");
}

TEST_CASE("Several problems are all reported, in file order", "[scenario]") {
  std::string text = replace(kValid, "horizon: 8", "horizon: -3");
  text = replace(text, "    lng: 138", "    lng: [1, 2]");
  text = replace(text, "price: 20", "prize: 20");
  const auto errors = errors_of(text);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0] == "bad.yaml:2:10: horizon: expected a whole number in [1, 1000], got -3");
  CHECK(errors[1] == "bad.yaml:7:5: products[0].price: required key is missing");
  CHECK(errors[2] == "bad.yaml:7:15: products[0].prize: unknown key (did you mean \"price\"?)");
  CHECK(errors[3] == "bad.yaml:14:10: regions[0].lng: expected a number in [-180, 180], got a list");
}

TEST_CASE("Duplicate keys in a mapping are reported", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "horizon: 8\n", "horizon: 8\nhorizon: 9\n"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:3:1: horizon: duplicate key");
}

TEST_CASE("The home market cannot be a foreign region", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "{id: KOR, name: Korea", "{id: CHN, name: Korea"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] ==
        "bad.yaml:18:5: regions[1].id: \"CHN\" is the company's home market; it cannot also be a foreign region");
}

TEST_CASE("Empty files, comments only, non-YAML and binary input are refused", "[scenario]") {
  CHECK(errors_of("") == std::vector<std::string>{"bad.yaml:1:1: the file is empty"});
  CHECK(errors_of("  \n\n") == std::vector<std::string>{"bad.yaml:1:1: the file is empty"});
  CHECK(errors_of("# nothing here\n") ==
        std::vector<std::string>{"bad.yaml:1:1: the file holds no YAML document (only comments or blank lines)"});
  const auto broken = errors_of("name: x\nregions: [1, 2\n");
  REQUIRE(broken.size() == 1);
  CHECK(broken[0].rfind("bad.yaml:", 0) == 0);
  CHECK(broken[0].find("not valid YAML") != std::string::npos);
  CHECK(errors_of(std::string("\x7f"
                              "ELF\x02\x01\0\0",
                              8)) ==
        std::vector<std::string>{"bad.yaml:1:7: not a YAML text file (it contains NUL bytes)"});
  CHECK(errors_of(std::string("name: x\nhorizon: 4\0\n", 20)) ==
        std::vector<std::string>{"bad.yaml:2:11: not a YAML text file (it contains NUL bytes)"});
  const auto scalar = errors_of("just some words");
  REQUIRE(scalar.size() == 1);
  CHECK(scalar[0] == "bad.yaml:1:1: expected a mapping of keys at the top level, got \"just some words\"");
}

TEST_CASE("Hostile nesting is refused before parsing instead of exhausting the stack", "[scenario]") {
  const std::string deep = "name: " + std::string(100000, '[') + std::string(100000, ']');
  const auto errors = errors_of(deep);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:1:71: nesting deeper than 64 levels is not supported");  // at the 65th bracket
  const std::string indented = "name: x\nhorizon: 4\n" + std::string(600, ' ') + "a: 1\n";
  CHECK(errors_of(indented) ==
        std::vector<std::string>{"bad.yaml:3:601: nesting deeper than 64 levels is not supported"});
}

TEST_CASE("A missing file is a located error too", "[scenario]") {
  try {
    load_scenario_file("/nonexistent/scenario.yaml");
    FAIL("expected an error");
  } catch (const UserError& e) {
    CHECK(std::string(e.what()) == "/nonexistent/scenario.yaml: cannot open the file");
  }
}

TEST_CASE("Wrong shapes: a mapping where a list belongs, a list where a mapping belongs", "[scenario]") {
  auto errors = errors_of(replace(kValid, "products:\n  - {id: nlp, price: 20, unit_cost: 6}", "products: {id: nlp}"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:6:11: products: expected a non-empty list of products, got a mapping");
  errors = errors_of(replace(kValid, "company:\n  initial_cash: 100", "company: [1]\nx:\n  initial_cash: 100"));
  REQUIRE(errors.size() >= 1);
  CHECK(errors[0] == "bad.yaml:3:10: company: expected a mapping of keys, got a list");
}

TEST_CASE("Scripted events refer to defined regions and partners, within the horizon", "[scenario]") {
  const Scenario s = load_scenario_text(kValid + "events:\n"
                                                 "  - {quarter: 2, kind: shock, region: JPN, quarters: 3}\n"
                                                 "  - {quarter: 3, kind: partner_failure, partner: P1}\n"
                                                 "  - {quarter: 7, kind: devaluation, region: KOR, percent: 30}\n",
                                        "ok.yaml");
  REQUIRE(s.events.size() == 3);
  CHECK(s.events[0].kind == ScriptedKind::kShock);
  CHECK(s.events[0].quarters == 3);
  CHECK(s.events[1].partner == "P1");
  CHECK(s.events[2].percent == 30);

  const auto errors = errors_of(kValid + "events:\n"
                                         "  - {quarter: 8, kind: shock, region: JPM}\n"
                                         "  - {quarter: 1, kind: partner_failure, partner: P2}\n"
                                         "  - {quarter: 1, kind: devaluation, region: KOR}\n"
                                         "  - {quarter: 1, kind: shock, region: KOR, partner: P1}\n"
                                         "  - {quarter: 1, kind: shok, region: KOR}\n");
  CHECK(errors == std::vector<std::string>{
                      "bad.yaml:22:15: events[0].quarter: quarter 8 is past the horizon (quarters 0 to 7)",
                      "bad.yaml:22:39: events[0].region: event refers to undefined region \"JPM\" (did you mean \"JPN\"?)",
                      "bad.yaml:23:50: events[1].partner: event refers to undefined partner \"P2\" (did you mean \"P1\"?)",
                      "bad.yaml:24:5: events[2].percent: required key is missing",
                      "bad.yaml:25:53: events[3].partner: not used by a shock event (it takes quarter, region, quarters)",
                      "bad.yaml:26:24: events[4].kind: expected one of shock, partner_failure, devaluation, got \"shok\" "
                      "(did you mean \"shock\"?)"});
  CHECK(errors_of(kValid + "events: {quarter: 1}\n") ==
        std::vector<std::string>{"bad.yaml:21:9: events: expected a list of events, got a mapping"});
}

TEST_CASE("A generated partner may not take an explicit partner's id", "[scenario]") {
  // KOR has no explicit partner, so partner_generation makes a KOR-P1: the id of an explicit one here.
  const auto errors = errors_of(kValid + "  - {id: KOR-P1, region: JPN}\npartner_generation: {per_region: 1}\n");
  CHECK(errors == std::vector<std::string>{"bad.yaml:22:21: partner_generation: generated partner \"KOR-P1\" has "
                                           "the id of partners[1]; rename that one"});
}

TEST_CASE("Every shipped scenario is valid", "[scenario]") {
  for (const char* name :
       {"asia-pacific", "world", "tiny", "stress-regulatory-crackdown", "stress-currency-crisis", "stress-asian-crisis",
        "synthetic-1000"}) {
    INFO(name);
    const Scenario s = load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
    CHECK(!s.regions.empty());
  }
  CHECK(load_scenario_file(std::string(EXPANSE_SOURCE_DIR) + "/scenarios/world.yaml").regions.size() == 41);
  CHECK(load_default_scenario().name == "asia-pacific");
}

TEST_CASE("Mangled scenario files give located errors, never a crash or another exception", "[scenario]") {
  // Random byte-level damage to a valid file: truncation, deletion, insertion of YAML syntax.
  Rng rng(2024);
  const std::string junk = ":-[]{}\"'#&*!|>%@`,?\n\t 0x1.5e400nan";
  int accepted = 0, refused = 0;
  for (int trial = 0; trial < 600; ++trial) {
    std::string text = kValid;
    const int edits = 1 + static_cast<int>(rng.below(4));
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng.below(static_cast<std::uint32_t>(text.size()));
      switch (rng.below(3)) {
        case 0: text.resize(at); break;
        case 1: text.erase(at, 1 + rng.below(8)); break;
        default: text.insert(at, 1, junk[rng.below(static_cast<std::uint32_t>(junk.size()))]);
      }
    }
    try {
      load_scenario_text(text, "mangled.yaml");
      ++accepted;
    } catch (const UserError& e) {
      ++refused;
      for (const auto& d : e.diagnostics()) {
        INFO(d.str());
        CHECK(d.str().rfind("mangled.yaml", 0) == 0);
        CHECK(d.str().find('\n') == std::string::npos);  // one line per problem
        CHECK(d.line > 0);                                // and located
      }
    }
  }
  CHECK(accepted > 0);  // some damage leaves a valid file (in a name, say): it must load
  CHECK(refused > 300);
}

TEST_CASE("Values are quoted on one line in messages", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "    lat: 36", "    lat: \"3\\n6\""));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:13:10: regions[0].lat: expected a number in [-90, 90], got \"3\\n6\"");
}

TEST_CASE("An empty list is called empty", "[scenario]") {
  const auto errors = errors_of(replace(kValid, "products:\n  - {id: nlp, price: 20, unit_cost: 6}", "products: []"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "bad.yaml:6:11: products: expected a non-empty list of products, got an empty list");
}

TEST_CASE("canonical_yaml ignores what YAML ignores and keeps what it does not", "[yaml]") {
  const std::string block = "# a comment\nb: 1\na:\n  - x\n  - {q: 2, p: 1}\n";
  const std::string flow = "{a: [x, {p: 1, q: 2}], b: 1}  # same content, other order and style";
  CHECK(canonical_yaml(block) == canonical_yaml(flow));
  CHECK(canonical_yaml(block) == "{a: [x, {p: 1, q: 2}], b: 1}");
  CHECK(canonical_yaml(flow) != canonical_yaml("{a: [{p: 1, q: 2}, x], b: 1}"));  // sequences keep their order
  CHECK(canonical_yaml(flow) != canonical_yaml("{a: [x, {p: 1, q: 2}], b: 1.0}"));  // and scalars their spelling
}
