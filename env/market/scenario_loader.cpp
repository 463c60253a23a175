#include "env/market/scenario_loader.hpp"

#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <span>

#include "common/text_file.hpp"
#include "common/yaml_reader.hpp"
#include "env/market/scenario_generator.hpp"

namespace expanse {

constexpr int kMaxGeneratedRegions = 1000;

namespace embedded {
extern const char* const default_scenario;
extern const char* const world_scenario;
}  // namespace embedded

namespace {

std::string item_path(const std::string& list, std::size_t i) {
  return list + "[" + std::to_string(i) + "]";
}

SourceMark to_mark(const YAML::Mark& m) {
  if (m.is_null()) return {};
  return {m.line + 1, m.column + 1};
}

void read_country(MapReader& in, CountryFeatures& c) {
  in.text("id", c.id, Need::kRequired);
  in.text("name", c.name, Need::kRequired);
  in.text("subregion", c.subregion, Need::kRequired);
  in.words("languages", c.languages, Need::kRequired);
  in.words("borders", c.borders);
  in.flag("rcep_member", c.rcep_member);
  in.number("lat", c.lat, -90, 90, Need::kRequired);
  in.number("lng", c.lng, -180, 180, Need::kRequired);
  in.number("gdp_usd", c.gdp_usd, 1e6, 1e15, Need::kRequired);
  in.number("gdp_per_capita_usd", c.gdp_per_capita_usd, 10, 1e6, Need::kRequired);
  in.number("population", c.population, 1e3, 1e10, Need::kRequired);
  in.number("gdp_growth_pct", c.gdp_growth_pct, -20, 30);
  in.number("broadband_per100", c.broadband_per100, 0, 100);
  in.number("secure_servers_per_million", c.secure_servers_per_million, 0, 1e7);
  in.number("days_to_start_business", c.days_to_start_business, 0, 400);
  in.number("inflation_pct", c.inflation_pct, -20, 1000);
  in.number("fx_volatility", c.fx_volatility, 0, 5);
  std::vector<std::string> imputed;  // which values the data script filled in; informational
  in.words("imputed", imputed);
}

RegionSpec read_region(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics) {
  RegionSpec region;
  region.mark = to_mark(node.Mark());
  MapReader in(node, path, diagnostics);
  if (!in.is_map()) return region;
  read_country(in, region.country);
  RegionOverrides& f = region.fixed;
  in.number("potential_multiplier", f.potential_multiplier, 0.001, 1000);
  in.number("bass_p", f.bass_p, 0, 1);
  in.number("bass_q", f.bass_q, 0, 5);
  in.number("incumbent_attraction", f.incumbent_attraction, 0, 1e6);
  in.number("shock_hazard", f.shock_hazard, 0, 1);
  in.number("shock_severity", f.shock_severity, 0, 1);
  in.number("fx_drift", f.fx_drift, -5, 5);
  return region;
}

ProductSpec read_product(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics) {
  ProductSpec p;
  MapReader in(node, path, diagnostics);
  in.text("id", p.id, Need::kRequired);
  in.text("name", p.name);
  if (p.name.empty()) p.name = p.id;
  in.number("price", p.price, 1e-6, 1e6, Need::kRequired);
  in.number("reference_price", p.reference_price, 0, 1e6);
  in.number("unit_cost", p.unit_cost, 0, 1e6, Need::kRequired);
  in.number("quality", p.quality, 0, 1);
  in.number("market_scale", p.market_scale, 0, 1e3);
  if (p.reference_price == 0) p.reference_price = p.price;
  return p;
}

PartnerSpec read_partner(const YAML::Node& node, const std::string& path, std::size_t products,
                         Diagnostics& diagnostics) {
  PartnerSpec p;
  p.mark = to_mark(node.Mark());
  MapReader in(node, path, diagnostics);
  in.text("id", p.id, Need::kRequired);
  in.text("region", p.region, Need::kRequired);
  const int kind = in.choice("kind", {"reseller", "integrator", "cloud_marketplace"});
  if (kind >= 0) p.kind = static_cast<PartnerKind>(kind);
  in.number("fee", p.fee, 0, 1);
  in.number("failure_rate", p.failure_rate, 0, 1);
  p.effectiveness.assign(products, 0.5);
  in.numbers("effectiveness", p.effectiveness, 0, 1, products);
  return p;
}

// Where an event's reference (its region or partner) was written, for the cross-reference checks.
struct EventMarks {
  SourceMark quarter, region, partner;
};

ScriptedEvent read_event(const YAML::Node& node, const std::string& path, EventMarks& marks, Diagnostics& diagnostics) {
  ScriptedEvent e;
  e.mark = to_mark(node.Mark());
  MapReader in(node, path, diagnostics);
  if (!in.is_map()) return e;
  const auto mark_of = [&](const char* key) {
    const YAML::Node value = in.child(key);
    return value.IsDefined() ? to_mark(value.Mark()) : e.mark;
  };
  in.integer("quarter", e.quarter, 0, 999, Need::kRequired);
  marks.quarter = mark_of("quarter");
  const int kind = in.choice("kind",
                             {to_string(ScriptedKind::kShock), to_string(ScriptedKind::kPartnerFailure),
                              to_string(ScriptedKind::kDevaluation)},
                             Need::kRequired);
  static constexpr const char* kKindKeys[] = {"region", "partner", "quarters", "percent"};
  if (kind < 0) {
    for (const char* key : kKindKeys) in.child(key);  // reported as the kind
    return e;
  }
  e.kind = static_cast<ScriptedKind>(kind);
  const bool on_region = e.kind != ScriptedKind::kPartnerFailure;
  if (on_region) {
    in.text("region", e.region, Need::kRequired);
    marks.region = mark_of("region");
  } else {
    in.text("partner", e.partner, Need::kRequired);
    marks.partner = mark_of("partner");
  }
  if (e.kind == ScriptedKind::kShock) in.integer("quarters", e.quarters, 1, 400);
  if (e.kind == ScriptedKind::kDevaluation) in.number("percent", e.percent, 0.1, 99, Need::kRequired);
  // A key that belongs to another kind of event is a mistake worth naming as such.
  const bool uses[] = {on_region, !on_region, e.kind == ScriptedKind::kShock, e.kind == ScriptedKind::kDevaluation};
  std::string takes = "quarter";
  for (std::size_t i = 0; i < std::size(kKindKeys); ++i)
    if (uses[i]) takes.append(", ").append(kKindKeys[i]);
  for (std::size_t i = 0; i < std::size(kKindKeys); ++i) {
    if (uses[i] || !in.has(kKindKeys[i])) continue;
    const SourceMark m = mark_of(kKindKeys[i]);
    diagnostics.add(m.line, m.column, in.path(kKindKeys[i]),
                    std::string("not used by a ") + to_string(e.kind) + " event (it takes " + takes + ")");
  }
  return e;
}

// A reference to an id that the scenario does not define, with the closest defined one as a hint.
void check_reference(const std::string& id, const std::map<std::string, std::size_t>& defined, const char* what,
                     const char* owner, const SourceMark& mark, const std::string& path, Diagnostics& diagnostics) {
  if (id.empty() || defined.count(id)) return;
  std::set<std::string> ids;
  for (const auto& [known, _] : defined) ids.insert(known);
  std::string message = std::string(owner) + " refers to undefined " + what + " \"" + id + "\"";
  const std::string hint = closest_match(id, ids);
  if (!hint.empty()) message += " (did you mean \"" + hint + "\"?)";
  diagnostics.add(mark.line, mark.column, path, message);
}

void read_model(const YAML::Node& node, Diagnostics& diagnostics, ModelParams& m) {
  MapReader in(node, "model", diagnostics);
  in.number("gdp_elasticity", m.gdp_elasticity, 0, 3);
  if (in.has("cage_weights")) {
    MapReader w(in.child("cage_weights"), in.path("cage_weights"), diagnostics);
    w.number("cultural", m.cage_cultural, 0, 10);
    w.number("administrative", m.cage_administrative, 0, 10);
    w.number("geographic", m.cage_geographic, 0, 10);
    w.number("economic", m.cage_economic, 0, 10);
  }
  if (in.has("bass")) {
    MapReader b(in.child("bass"), in.path("bass"), diagnostics);
    b.number("p", m.bass_p, 0, 1);
    b.number("q", m.bass_q, 0, 5);
  }
  if (in.has("utility")) {
    MapReader u(in.child("utility"), in.path("utility"), diagnostics);
    u.number("quality", m.beta_quality, -100, 100);
    u.number("price", m.beta_price, 0, 100);
    u.number("marketing", m.beta_marketing, 0, 100);
    u.number("distance", m.theta_distance, 0, 100);
    u.number("partner", m.beta_partner, -100, 100);
    u.number("geography", m.beta_geography, 0, 100);
  }
  if (in.has("competition")) {
    MapReader c(in.child("competition"), in.path("competition"), diagnostics);
    c.number("incumbent_attraction", m.incumbent_attraction, 0, 1e6);
    c.number("outside_attraction", m.outside_attraction, 1e-6, 1e6);
  }
  if (in.has("diffusion")) {
    MapReader d(in.child("diffusion"), in.path("diffusion"), diagnostics);
    d.number("advertising", m.advertising, 0, 100);
    d.number("cross_country", m.cross_country, 0, 1);
    d.number("distance_decay", m.distance_decay, 0, 100);
    d.integer("neighbours", m.neighbours, 0, 64);
  }
  if (in.has("modes")) {
    MapReader modes(in.child("modes"), in.path("modes"), diagnostics);
    for (auto [key, params] : {std::pair<const char*, ModeParams*>{"pilot", &m.pilot},
                               {"partner", &m.partner},
                               {"subsidiary", &m.subsidiary}}) {
      if (!modes.has(key)) continue;
      MapReader mode(modes.child(key), modes.path(key), diagnostics);
      mode.number("setup", params->setup, 0, 1e6);
      mode.number("fixed", params->fixed, 0, 1e6);
      mode.number("reach", params->reach, 0, 1);
      mode.number("learning", params->learning, 0, 1);
      mode.number("churn", params->churn, 0, 1);
      mode.number("utility", params->utility, -100, 100);
    }
  }
  if (in.has("research")) {
    MapReader r(in.child("research"), in.path("research"), diagnostics);
    r.number("cost", m.research_cost, 0, 1e6);
    r.number("learning", m.research_learning, 0, 1);
  }
  in.number("exit_cost_fraction", m.exit_cost_fraction, 0, 10);
  std::vector<double> levels(m.marketing_levels.begin(), m.marketing_levels.end());
  in.numbers("marketing_levels", levels, 0, 1e6, 4);
  std::copy(levels.begin(), levels.end(), m.marketing_levels.begin());
  if (in.has("risk")) {
    MapReader r(in.child("risk"), in.path("risk"), diagnostics);
    r.number("shock_hazard", m.shock_hazard, 0, 1);
    r.number("shock_severity", m.shock_severity, 0, 1);
    r.integer("shock_duration", m.shock_duration, 1, 400);
    r.flag("fx", m.fx);
  }
  if (in.has("noise")) {
    MapReader n(in.child("noise"), in.path("noise"), diagnostics);
    n.number("demand", m.demand_noise, 0, 5);
    n.number("observation", m.observation_noise, 0, 5);
    n.number("prior_spread", m.prior_spread, 0, 10);
  }
  if (in.has("reward")) {
    MapReader r(in.child("reward"), in.path("reward"), diagnostics);
    r.number("scale", m.reward_scale, 1e-6, 1e9);
    r.number("loss_penalty", m.loss_penalty, 0, 100);
    r.number("terminal_value_quarters", m.terminal_value_quarters, 0, 400);
    r.flag("shaping", m.shaping);
  }
}

// Ids must be unique within their list; reports the second occurrence.
template <typename Items, typename GetId, typename GetMark>
void check_unique(const Items& items, const std::string& list, GetId id_of, GetMark mark_of, Diagnostics& diagnostics) {
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& id = id_of(items[i]);
    if (id.empty()) continue;
    auto [it, inserted] = first.emplace(id, i);
    if (!inserted) {
      const SourceMark m = mark_of(i);
      diagnostics.add(m.line, m.column, item_path(list, i) + ".id",
                      "duplicate id \"" + id + "\" (first used by " + item_path(list, it->second) + ")");
    }
  }
}

}  // namespace

const char* to_string(ScriptedKind kind) {
  switch (kind) {
    case ScriptedKind::kShock: return "shock";
    case ScriptedKind::kPartnerFailure: return "partner_failure";
    case ScriptedKind::kDevaluation: return "devaluation";
  }
  return "?";
}

const char* to_string(PartnerKind kind) {
  switch (kind) {
    case PartnerKind::kReseller: return "reseller";
    case PartnerKind::kIntegrator: return "integrator";
    case PartnerKind::kCloudMarketplace: return "cloud_marketplace";
  }
  return "?";
}

Scenario load_scenario_text(const std::string& text, const std::string& source) {
  return load_scenario_document(parse_yaml_document(text, source), source);
}

namespace {

// Where each list item of a scenario sits in its file, for the cross-reference errors.
struct ListMarks {
  std::vector<SourceMark> products, regions, partner_regions;
  std::vector<EventMarks> events;
};

void read_company(MapReader& in, Scenario& s, Diagnostics& diagnostics) {
  const YAML::Node company_node = in.child("company");
  if (!company_node.IsDefined() || company_node.IsNull())
    diagnostics.add(in.mark(), "company", "required key is missing");
  if (!in.has("company")) return;
  MapReader company(in.child("company"), "company", diagnostics);
  if (!company.is_map()) return;
  company.text("name", s.company.name);
  company.number("initial_cash", s.company.initial_cash, 0, 1e9);
  company.number("credit_line", s.company.credit_line, 0, 1e9);
  company.number("overhead", s.company.overhead, 0, 1e9);
  company.number("bankruptcy_penalty", s.company.bankruptcy_penalty, 0, 1e9);
  if (company.has("home")) {
    MapReader home(company.child("home"), company.path("home"), diagnostics);
    if (home.is_map()) read_country(home, s.company.home);
  } else {
    company.child("home");
    diagnostics.add(company.mark(), "company.home", "required key is missing");
  }
}

void read_products(MapReader& in, Scenario& s, ListMarks& marks, Diagnostics& diagnostics) {
  const YAML::Node products = in.child("products");
  if (!products.IsDefined() || products.IsNull()) {
    diagnostics.add(in.mark(), "products", "required key is missing");
  } else if (!products.IsSequence() || products.size() == 0) {
    diagnostics.add(products.Mark(), "products",
                    "expected a non-empty list of products, got " + describe_node(products));
  } else {
    for (std::size_t i = 0; i < products.size(); ++i) {
      s.products.push_back(read_product(products[i], item_path("products", i), diagnostics));
      marks.products.push_back(to_mark(products[i].Mark()));
    }
  }
}

// A list of regions, or a generator block that draws them.
void read_regions(MapReader& in, Scenario& s, ListMarks& marks, Diagnostics& diagnostics) {
  const YAML::Node regions = in.child("regions");
  const bool has_generator = in.has("generator");
  if (regions.IsDefined() && !regions.IsNull()) {
    if (!regions.IsSequence() || regions.size() == 0) {
      diagnostics.add(regions.Mark(), "regions", "expected a non-empty list of regions, got " + describe_node(regions));
    } else {
      for (std::size_t i = 0; i < regions.size(); ++i) {
        s.regions.push_back(read_region(regions[i], item_path("regions", i), diagnostics));
        marks.regions.push_back(s.regions.back().mark);
      }
    }
    if (has_generator)
      diagnostics.add(in.child("generator").Mark(), "generator",
                      "a scenario has either regions or a generator, not both");
  } else if (has_generator) {
    MapReader gen(in.child("generator"), "generator", diagnostics);
    int count = 0;
    std::uint64_t seed = s.seed;
    // The model's set-up grows with the square of the regions (distances, neighbours): 1,000 take
    // 0.65 s to validate; the limit keeps every scenario's set-up within seconds (docs/reliability.md).
    gen.integer("regions", count, 1, kMaxGeneratedRegions, Need::kRequired);
    gen.seed("seed", seed);
    if (count > 0) s.regions = generate_regions(count, seed);
    marks.regions.assign(s.regions.size(), to_mark(in.child("generator").Mark()));
  } else {
    diagnostics.add(in.mark(), "regions", "required key is missing (give a list of regions or a generator block)");
  }
}

// The listed partners; returns partner_generation's per_region (0 without it).
int read_partners(MapReader& in, Scenario& s, ListMarks& marks, Diagnostics& diagnostics) {
  const YAML::Node partners = in.child("partners");
  if (partners.IsDefined() && !partners.IsNull()) {
    if (!partners.IsSequence()) {
      diagnostics.add(partners.Mark(), "partners", "expected a list of partners, got " + describe_node(partners));
    } else {
      for (std::size_t i = 0; i < partners.size(); ++i) {
        s.partners.push_back(read_partner(partners[i], item_path("partners", i), s.products.size(), diagnostics));
        const YAML::Node region = partners[i].IsMap() ? partners[i]["region"] : YAML::Node();
        marks.partner_regions.push_back(region.IsDefined() ? to_mark(region.Mark()) : s.partners.back().mark);
      }
    }
  }
  int per_region = 0;
  if (in.has("partner_generation")) {
    MapReader gen(in.child("partner_generation"), "partner_generation", diagnostics);
    gen.integer("per_region", per_region, 0, 20, Need::kRequired);
  }
  return per_region;
}

void read_events(MapReader& in, Scenario& s, ListMarks& marks, Diagnostics& diagnostics) {
  const YAML::Node events = in.child("events");
  if (!events.IsDefined() || events.IsNull()) return;
  if (!events.IsSequence()) {
    diagnostics.add(events.Mark(), "events", "expected a list of events, got " + describe_node(events));
    return;
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    marks.events.emplace_back();
    s.events.push_back(read_event(events[i], item_path("events", i), marks.events.back(), diagnostics));
  }
}

// Unique ids, and every region and partner an item names exists; the home market is not foreign.
void check_cross_references(MapReader& in, const Scenario& s, std::size_t explicit_partners, const ListMarks& marks,
                            Diagnostics& diagnostics) {
  check_unique(
      s.products, "products", [](const ProductSpec& p) -> const std::string& { return p.id; },
      [&](std::size_t i) { return marks.products[i]; }, diagnostics);
  check_unique(
      s.regions, "regions", [](const RegionSpec& r) -> const std::string& { return r.country.id; },
      [&](std::size_t i) { return marks.regions[i]; }, diagnostics);
  check_unique(
      std::span<const PartnerSpec>(s.partners).first(explicit_partners), "partners",
      [](const PartnerSpec& p) -> const std::string& { return p.id; },
      [&](std::size_t i) { return s.partners[i].mark; }, diagnostics);
  std::map<std::string, std::size_t> region_index, partner_index;
  for (std::size_t i = 0; i < s.regions.size(); ++i) region_index.emplace(s.regions[i].country.id, i);
  for (std::size_t i = 0; i < s.partners.size(); ++i) {
    const auto [first, inserted] = partner_index.emplace(s.partners[i].id, i);
    if (inserted || i < explicit_partners) continue;
    const SourceMark m = to_mark(in.child("partner_generation").Mark());
    diagnostics.add(m.line, m.column, "partner_generation",
                    "generated partner \"" + s.partners[i].id + "\" has the id of " +
                        item_path("partners", first->second) + "; rename that one");
  }
  for (std::size_t i = 0; i < marks.partner_regions.size(); ++i)
    check_reference(s.partners[i].region, region_index, "region", "partner", marks.partner_regions[i],
                    item_path("partners", i) + ".region", diagnostics);
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const ScriptedEvent& e = s.events[i];
    check_reference(e.region, region_index, "region", "event", marks.events[i].region,
                    item_path("events", i) + ".region", diagnostics);
    check_reference(e.partner, partner_index, "partner", "event", marks.events[i].partner,
                    item_path("events", i) + ".partner", diagnostics);
    if (e.quarter >= s.horizon)
      diagnostics.add(marks.events[i].quarter.line, marks.events[i].quarter.column, item_path("events", i) + ".quarter",
                      "quarter " + std::to_string(e.quarter) + " is past the horizon (quarters 0 to " +
                          std::to_string(s.horizon - 1) + ")");
  }
  if (!s.company.home.id.empty() && region_index.count(s.company.home.id)) {
    const std::size_t r = region_index[s.company.home.id];
    diagnostics.add(marks.regions[r].line, marks.regions[r].column, item_path("regions", r) + ".id",
                    "\"" + s.company.home.id + "\" is the company's home market; it cannot also be a foreign region");
  }
}

}  // namespace

Scenario load_scenario_document(const YAML::Node& root, const std::string& source) {
  Diagnostics diagnostics(source);
  Scenario s;
  s.source = source;
  {
    MapReader in(root, "", diagnostics);
    in.text("name", s.name, Need::kRequired);
    in.text("description", s.description);
    in.integer("horizon", s.horizon, 1, 1000);
    in.number("discount", s.discount, 0, 1);
    in.seed("seed", s.seed);
    in.text("priors", s.priors);
    if (!s.priors.empty() && s.priors[0] != '/' && source.find('/') != std::string::npos &&
        source.find(" (embedded)") == std::string::npos)
      s.priors = source.substr(0, source.rfind('/') + 1) + s.priors;

    ListMarks marks;
    read_company(in, s, diagnostics);
    read_products(in, s, marks, diagnostics);
    read_regions(in, s, marks, diagnostics);
    const int per_region = read_partners(in, s, marks, diagnostics);
    read_events(in, s, marks, diagnostics);
    if (in.has("model"))
      read_model(in.child("model"), diagnostics, s.model);
    else
      in.child("model");

    // Synthetic partners before the cross-references, so that events can name them.
    const std::size_t explicit_partners = s.partners.size();
    if (per_region > 0) generate_partners(s, per_region);
    check_cross_references(in, s, explicit_partners, marks, diagnostics);
  }
  diagnostics.throw_if_any();
  return s;
}

Scenario load_scenario_file(const std::string& path) {
  return load_scenario_text(read_text_file(path), path);
}

const char* default_scenario_name() {
  return "scenarios/asia-pacific.yaml (embedded)";
}

const char* default_scenario_text() {
  return embedded::default_scenario;
}

Scenario load_default_scenario() {
  return load_scenario_text(default_scenario_text(), default_scenario_name());
}

Scenario load_world_scenario() {
  return load_scenario_text(embedded::world_scenario, "scenarios/world.yaml (embedded)");
}

}  // namespace expanse
