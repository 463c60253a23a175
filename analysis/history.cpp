#include "analysis/history.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/rng.hpp"
#include "common/user_error.hpp"
#include "common/yaml_reader.hpp"
#include "env/market/market_env.hpp"

namespace expanse {
namespace {

const std::vector<std::string> kColumns = {"entry",   "region",   "product", "mode",         "partner",
                                           "quarter", "adopters", "revenue", "partner_score"};
const std::set<std::string> kRequired = {"entry", "region", "product", "mode", "quarter", "adopters"};
const std::vector<std::string> kModes = {"pilot", "partner", "subsidiary"};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// Index of `id` in `ids`, or a located error with a suggestion.
std::size_t find_id(const std::vector<std::string>& ids, const std::string& id, const char* what,
                    Diagnostics& diagnostics, int line, int column, const std::string& key, bool& ok) {
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i] == id) return i;
  std::string message = std::string("unknown ") + what + " \"" + id + "\"";
  const std::string hint = closest_match(id, std::set<std::string>(ids.begin(), ids.end()));
  if (!hint.empty()) message += " (did you mean \"" + hint + "\"?)";
  diagnostics.add(line, column, key, message);
  ok = false;
  return 0;
}

}  // namespace

namespace {

// One data row of a history CSV: its cells by column name, numbers checked against their range,
// each problem located at the cell's line and column.
class HistoryRow {
 public:
  HistoryRow(std::vector<std::string> cells, int line, const std::map<std::string, std::size_t>& columns,
             Diagnostics& diagnostics)
      : cells_(std::move(cells)), line_(line), columns_(columns), diagnostics_(diagnostics) {}

  std::string cell(const std::string& name) const {
    const auto it = columns_.find(name);
    return it != columns_.end() && it->second < cells_.size() ? cells_[it->second] : std::string();
  }
  bool has_column(const std::string& name) const { return columns_.count(name) > 0; }
  // The column (1-based, in characters) where the named cell starts; 1 when there is no such column.
  int column_of(const std::string& name) const {
    const auto it = columns_.find(name);
    if (it == columns_.end()) return 1;
    int col = 1;
    for (std::size_t i = 0; i < it->second && i < cells_.size(); ++i) col += static_cast<int>(cells_[i].size()) + 1;
    return col;
  }
  int line() const { return line_; }
  // NaN for an empty or NA cell; sets ok = false (and reports) when the text is not a number in range.
  double number(const std::string& name, double lo, double hi, bool& ok) const {
    const std::string text = cell(name);
    if (text.empty() || text == "NA") return static_cast<double>(NAN);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || v < lo || v > hi) {
      std::ostringstream message;
      message << "expected a number in [" << lo << ", " << hi << "], got \"" << text << "\"";
      diagnostics_.add(line_, column_of(name), name, message.str());
      ok = false;
    }
    return v;
  }
  std::size_t id(const std::vector<std::string>& ids, const std::string& name, bool& ok) const {
    return find_id(ids, cell(name), name.c_str(), diagnostics_, line_, column_of(name), name, ok);
  }

 private:
  std::vector<std::string> cells_;
  int line_;
  const std::map<std::string, std::size_t>& columns_;
  Diagnostics& diagnostics_;
};

// The header's columns by name; unknown and missing columns reported at its line.
std::map<std::string, std::size_t> read_header(const std::vector<std::string>& cells, int line,
                                               Diagnostics& diagnostics) {
  std::map<std::string, std::size_t> columns;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (std::find(kColumns.begin(), kColumns.end(), cells[c]) == kColumns.end()) {
      std::string message = "unknown column \"" + cells[c] + "\"";
      const std::string hint = closest_match(cells[c], std::set<std::string>(kColumns.begin(), kColumns.end()));
      if (!hint.empty()) message += " (did you mean \"" + hint + "\"?)";
      diagnostics.add(line, 1, "header", message);
    }
    columns[cells[c]] = c;
  }
  for (const auto& required : kRequired)
    if (!columns.count(required)) diagnostics.add(line, 1, "header", "missing column \"" + required + "\"");
  return columns;
}

struct HistoryIds {
  std::vector<std::string> regions, products, partners;
};

// Adds a row to `history`: a quarter of an entry, or a partner's performance record.
void add_row(const HistoryRow& row, const HistoryIds& ids, std::map<std::string, std::size_t>& entry_index,
             History& history, Diagnostics& diagnostics) {
  bool ok = true;
  const std::size_t region = row.id(ids.regions, "region", ok);
  const std::size_t product = row.id(ids.products, "product", ok);
  const std::size_t mode = row.id(kModes, "mode", ok);
  int partner = -1;
  if (!row.cell("partner").empty()) partner = static_cast<int>(row.id(ids.partners, "partner", ok));
  const double quarter = row.number("quarter", 0, 1000, ok);
  const double adopters = row.number("adopters", 0, 1e9, ok);
  const double revenue = row.has_column("revenue") ? row.number("revenue", -1e9, 1e9, ok) : NAN;
  const double score = row.has_column("partner_score") ? row.number("partner_score", 0, 1, ok) : NAN;
  if (!ok) return;
  if (std::isnan(quarter)) {  // a partner performance record
    if (partner < 0 || std::isnan(score)) {
      diagnostics.add(row.line(), row.column_of("quarter"), "quarter",
                      "empty, but the row is not a partner score (needs partner and partner_score)");
      return;
    }
    history.partner_scores.push_back({static_cast<std::size_t>(partner), product, score});
    return;
  }
  const std::string id = row.cell("entry");
  auto [it, inserted] = entry_index.emplace(id, history.entries.size());
  if (inserted) history.entries.push_back({id, region, product, kModes[mode], partner, {}});
  HistoricalEntry& entry = history.entries[it->second];
  if (entry.region != region || entry.product != product) {
    diagnostics.add(row.line(), 1, "entry", "entry \"" + id + "\" changes its region or product");
    return;
  }
  if (partner >= 0 && !std::isnan(score) && entry.quarters.empty())
    history.partner_scores.push_back({static_cast<std::size_t>(partner), product, score});
  if (!std::isnan(adopters)) entry.quarters.push_back({static_cast<int>(quarter), adopters, revenue});
}

}  // namespace

History read_history_csv(const std::string& path, const Scenario& scenario) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw UserError(Diagnostic{path, 0, 0, "", "is a directory, not a history CSV"});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(Diagnostic{path, 0, 0, "", "cannot open the file"});
  Diagnostics diagnostics(path);
  History history;
  history.source = path;
  HistoryIds ids;
  for (const auto& r : scenario.regions) ids.regions.push_back(r.country.id);
  for (const auto& p : scenario.products) ids.products.push_back(p.id);
  for (const auto& p : scenario.partners) ids.partners.push_back(p.id);

  std::string line;
  int line_number = 0;
  std::map<std::string, std::size_t> columns;
  std::map<std::string, std::size_t> entry_index;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find('\0') != std::string::npos) {
      diagnostics.add(line_number, 1, "", "not a CSV text file (it contains NUL bytes)");
      break;
    }
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line_number == 1 && line.find("synthetic") != std::string::npos) history.synthetic = true;
      continue;
    }
    if (columns.empty()) {
      columns = read_header(split(line), line_number, diagnostics);
      if (!diagnostics.empty()) break;
      continue;
    }
    add_row(HistoryRow(split(line), line_number, columns, diagnostics), ids, entry_index, history, diagnostics);
  }
  if (columns.empty() && diagnostics.empty()) diagnostics.add(0, 0, "", "the history is empty (no header, no rows)");
  if (diagnostics.empty() && history.entries.empty() && history.partner_scores.empty())
    diagnostics.add(0, 0, "", "the history has no entries");
  diagnostics.throw_if_any();
  for (auto& entry : history.entries)
    std::sort(entry.quarters.begin(), entry.quarters.end(),
              [](const EntryQuarter& a, const EntryQuarter& b) { return a.quarter < b.quarter; });
  return history;
}

std::string history_to_csv(const History& history, const Scenario& scenario) {
  std::ostringstream out;
  out.precision(10);
  if (history.synthetic) out << "# " << history.source << "\n";
  for (std::size_t c = 0; c < kColumns.size(); ++c) out << (c ? "," : "") << kColumns[c];
  out << "\n";
  for (const auto& e : history.entries) {
    const std::string partner = e.partner >= 0 ? scenario.partners[static_cast<std::size_t>(e.partner)].id : "";
    for (const auto& q : e.quarters) {
      out << e.id << ',' << scenario.regions[e.region].country.id << ',' << scenario.products[e.product].id << ','
          << e.mode << ',' << partner << ',' << q.quarter << ',' << q.adopters << ',';
      if (!std::isnan(q.revenue)) out << q.revenue;
      out << ",\n";
    }
  }
  int n = 0;
  for (const auto& s : history.partner_scores) {
    const PartnerSpec& p = scenario.partners[s.partner];
    char id[16];
    std::snprintf(id, sizeof id, "p%04d", ++n);
    out << id << ',' << p.region << ',' << scenario.products[s.product].id << ",partner," << p.id << ",,,," << s.score
        << "\n";
  }
  return out.str();
}

History generate_history(const Scenario& scenario, std::uint64_t seed) {
  History history;
  history.synthetic = true;
  history.source = "synthetic history, generated by expanse from scenario " + scenario.name + " (seed " +
                   std::to_string(seed) + "); not real data";
  const std::size_t K = scenario.products.size();
  int entry_count = 0;
  Scenario alone = scenario;
  alone.events.clear();  // peers' past entries: a stress test's scripted future is not their history
  alone.company.initial_cash = 1e9;  // a peer's entry is observed whatever its finances
  alone.priors.clear();              // the ground truth is drawn from the country data's default prior
  for (std::size_t r = 0; r < scenario.regions.size(); ++r) {
    Rng rng(derive_seed(seed, r));
    if (!rng.bernoulli(0.6)) continue;
    // The region on its own (its partners kept): the past entry of a peer, in the region's true world.
    Scenario one = alone;
    one.regions = {scenario.regions[r]};
    one.partners.clear();
    std::vector<int> partner_of;  // index in `one` → index in the scenario
    for (std::size_t j = 0; j < scenario.partners.size(); ++j)
      if (scenario.partners[j].region == scenario.regions[r].country.id) {
        one.partners.push_back(scenario.partners[j]);
        partner_of.push_back(static_cast<int>(j));
      }
    MarketEnv env(std::make_shared<const MarketSpec>(one), ActionView::kDiscrete);
    env.reset(derive_seed(seed ^ 0x4157, r));
    const int choice = static_cast<int>(rng.below(one.partners.empty() ? 2 : 3));
    const char* mode = choice == 0 ? "pilot" : choice == 1 ? "subsidiary" : "partner";
    int partner = -1;
    std::int32_t action = choice == 0 ? 2 : 3;  // 1 + op: pilot = 1, subsidiary = 2 (region 0)
    if (choice == 2) {
      const std::uint32_t j = rng.below(static_cast<std::uint32_t>(one.partners.size()));
      action = static_cast<std::int32_t>(1 + kRegionOpCount + j);
      partner = partner_of[j];
    }
    const int quarters = 8 + static_cast<int>(rng.below(13));
    std::vector<HistoricalEntry> entries(K);
    for (std::size_t k = 0; k < K; ++k) {
      char id[16];
      std::snprintf(id, sizeof id, "e%04d", ++entry_count);
      entries[k] = {id, r, k, mode, partner, {}};
    }
    for (int t = 0; t < quarters; ++t) {
      const StepResult result = env.step(t == 0 ? action : 0).result;
      for (std::size_t k = 0; k < K; ++k) {
        if (rng.bernoulli(0.1)) continue;  // a missing quarter
        const double measured = env.adopters(0, k) * std::exp(0.05 * rng.normal());
        const double revenue = env.adopters(0, k) * scenario.products[k].price;
        entries[k].quarters.push_back({t, measured, revenue});
      }
      if (result.terminated || result.truncated || env.mode(0) == Mode::kNone) break;  // a failed partner ends it
    }
    for (auto& e : entries)
      if (!e.quarters.empty()) history.entries.push_back(std::move(e));
    // Peers' measured performance of this region's partners.
    for (std::size_t j = 0; j < one.partners.size(); ++j)
      for (std::size_t k = 0; k < K; ++k)
        if (rng.bernoulli(0.4))
          history.partner_scores.push_back({static_cast<std::size_t>(partner_of[j]), k,
                                            std::clamp(env.true_effectiveness(j, k) + 0.05 * rng.normal(), 0.0, 1.0)});
  }
  return history;
}

}  // namespace expanse
