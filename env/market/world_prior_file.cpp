#include "env/market/world_prior_file.hpp"

#include <map>
#include <set>
#include <sstream>

#include "common/text_file.hpp"
#include "common/user_error.hpp"
#include "common/yaml_reader.hpp"
#include "env/market/scenario_loader.hpp"

namespace expanse {
namespace {

void read_lognormal(MapReader& parent, const std::string& key, LogNormalPrior& out, Diagnostics& diagnostics) {
  if (!parent.has(key)) {
    diagnostics.add(parent.mark(), parent.path(key), "required key is missing");
    return;
  }
  MapReader in(parent.child(key), parent.path(key), diagnostics);
  in.number("median", out.median, 1e-12, 1e12, Need::kRequired);
  in.number("sigma", out.sigma, 0, 10, Need::kRequired);
}

void write_lognormal(std::ostringstream& out, const char* key, const LogNormalPrior& p) {
  out << ", " << key << ": {median: " << p.median << ", sigma: " << p.sigma << "}";
}

}  // namespace

namespace {

// The file's head: its format and version, and the keys `expanse fit` writes for the reader.
void read_head(MapReader& in, Diagnostics& diagnostics) {
  std::string format;
  int version = 0;
  in.text("format", format, Need::kRequired);
  if (!format.empty() && format != "expanse-priors")
    diagnostics.add(in.child("format").Mark(), "format", "expected \"expanse-priors\", got \"" + format + "\"");
  in.integer("version", version, 0, 1000000, Need::kRequired);
  if (version != 0 && version != kPriorsFormatVersion)
    diagnostics.add(
        in.child("version").Mark(), "version",
        "this build reads version " + std::to_string(kPriorsFormatVersion) + ", got " + std::to_string(version));
  std::string scenario;
  in.text("scenario", scenario);
  in.child("source");
  in.child("history");
  in.child("metrics");
  in.child("segments");
}

// A list under `key` with one entry per id of `ids` (the scenario's regions or partners, by index):
// read_item(item, index) reads each; unknown, duplicate and missing ids are reported.
template <typename ReadItem>
void read_id_list(MapReader& in, const char* key, const std::vector<std::string>& ids, Diagnostics& diagnostics,
                  ReadItem read_item) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ids.size(); ++i) index[ids[i]] = i;
  const std::set<std::string> known(ids.begin(), ids.end());
  const YAML::Node list = in.child(key);
  if (!list.IsDefined() || list.IsNull()) {
    if (!index.empty()) diagnostics.add(in.mark(), key, "required key is missing");
    return;
  }
  if (!list.IsSequence()) {
    diagnostics.add(list.Mark(), key, "expected a list, got " + describe_node(list));
    return;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string item_path = std::string(key) + "[" + std::to_string(i) + "]";
    MapReader item(list[i], item_path, diagnostics);
    std::string id;
    item.text("id", id, Need::kRequired);
    if (id.empty()) continue;
    const auto it = index.find(id);
    if (it == index.end()) {
      std::string message = "\"" + id + "\" is not in the scenario";
      const std::string hint = closest_match(id, known);
      if (!hint.empty()) message += " (did you mean \"" + hint + "\"?)";
      diagnostics.add(item.child("id").Mark(), item_path + ".id", message);
      continue;
    }
    if (!seen.insert(id).second) {
      diagnostics.add(item.child("id").Mark(), item_path + ".id", "duplicate id \"" + id + "\"");
      continue;
    }
    read_item(item, it->second);
  }
  for (const auto& id : known)
    if (!seen.count(id)) diagnostics.add(list.Mark(), key, "no entry for \"" + id + "\" of the scenario");
}

}  // namespace

WorldPrior read_world_prior_file(const std::string& path, const MarketSpec& spec) {
  const YAML::Node root = parse_yaml_document(read_text_file(path), path);
  Diagnostics diagnostics(path);
  WorldPrior prior = default_world_prior(spec);  // the shape; every entry is overwritten below
  prior.source = path;
  {
    MapReader in(root, "", diagnostics);
    read_head(in, diagnostics);
    std::vector<std::string> region_ids, partner_ids;
    for (const auto& r : spec.scenario().regions) region_ids.push_back(r.country.id);
    for (const auto& p : spec.scenario().partners) partner_ids.push_back(p.id);
    read_id_list(in, "regions", region_ids, diagnostics, [&](MapReader& item, std::size_t r) {
      RegionPrior& rp = prior.regions[r];
      int segment = 0;
      item.integer("segment", segment, 0, 1000000);
      read_lognormal(item, "potential_multiplier", rp.potential_multiplier, diagnostics);
      read_lognormal(item, "bass_p", rp.bass_p, diagnostics);
      read_lognormal(item, "bass_q", rp.bass_q, diagnostics);
      read_lognormal(item, "incumbent_attraction", rp.incumbent_attraction, diagnostics);
      item.number("value_estimate", rp.value_estimate, -1e6, 1e6, Need::kRequired);
      item.number("value_uncertainty", rp.value_uncertainty, 0, 1e6, Need::kRequired);
    });
    read_id_list(in, "partners", partner_ids, diagnostics, [&](MapReader& item, std::size_t j) {
      PartnerPrior& pp = prior.partners[j];
      item.numbers("effectiveness", pp.effectiveness_mean, 0, 1, spec.product_count(), Need::kRequired);
      item.number("effectiveness_sd", pp.effectiveness_sd, 0, 1, Need::kRequired);
      double sum = 0;
      for (double e : pp.effectiveness_mean) sum += e;
      pp.score = pp.effectiveness_mean.empty() ? 0.0 : sum / static_cast<double>(pp.effectiveness_mean.size());
    });
  }
  diagnostics.throw_if_any();
  return prior;
}

std::string world_prior_to_yaml(const WorldPrior& prior, const MarketSpec& spec, const std::string& extra_sections) {
  std::ostringstream out;
  out.precision(10);
  out << "# Priors of the market model, written by `expanse fit`; read by the env when a scenario says\n"
         "# `priors: THIS_FILE`. Format: docs/analysis.md.\n";
  out << "format: expanse-priors\nversion: " << kPriorsFormatVersion << "\nscenario: " << spec.scenario().name
      << "\nsource: \"" << prior.source << "\"\nregions:\n";
  for (std::size_t r = 0; r < spec.region_count(); ++r) {
    const RegionPrior& rp = prior.regions[r];
    out << "  - {id: " << spec.scenario().regions[r].country.id;
    write_lognormal(out, "potential_multiplier", rp.potential_multiplier);
    write_lognormal(out, "bass_p", rp.bass_p);
    write_lognormal(out, "bass_q", rp.bass_q);
    write_lognormal(out, "incumbent_attraction", rp.incumbent_attraction);
    out << ", value_estimate: " << rp.value_estimate << ", value_uncertainty: " << rp.value_uncertainty << "}\n";
  }
  out << "partners:" << (spec.partner_count() == 0 ? " []" : "") << "\n";
  for (std::size_t j = 0; j < spec.partner_count(); ++j) {
    const PartnerPrior& pp = prior.partners[j];
    out << "  - {id: " << spec.scenario().partners[j].id << ", effectiveness: [";
    for (std::size_t k = 0; k < pp.effectiveness_mean.size(); ++k) out << (k ? ", " : "") << pp.effectiveness_mean[k];
    out << "], effectiveness_sd: " << pp.effectiveness_sd << "}\n";
  }
  out << extra_sections;
  return out.str();
}

}  // namespace expanse
