#pragma once
// Records of past market entries (docs/analysis.md), the data the priors are fitted to: a CSV with one
// row per entry and quarter, and rows of partners' measured performance. Either given by the user
// or generated from a scenario's ground truth (then marked synthetic in its first line).
//
//   entry,region,product,mode,partner,quarter,adopters,revenue,partner_score
//   e0001,JPN,search,subsidiary,,0,0.0123,0.295,
//   p0001,JPN,nlp,partner,JPN-P1,,,,0.71          (a partner's measured effectiveness)
//
// adopters in thousand customers, revenue in US$ m; an empty adopters cell is a missing quarter.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "env/market/scenario.hpp"

namespace expanse {

struct EntryQuarter {
  int quarter = 0;       // quarters since entry
  double adopters = 0;   // thousand customers (all the entry's product)
  double revenue = NAN;  // US$ m, NaN when not recorded
};

struct HistoricalEntry {
  std::string id;
  std::size_t region = 0;              // index into the scenario's regions
  std::size_t product = 0;             // index into its products
  std::string mode;                    // pilot, partner or subsidiary
  int partner = -1;                    // index into its partners, for partner entries
  std::vector<EntryQuarter> quarters;  // by quarter, gaps allowed
};

struct PartnerObservation {
  std::size_t partner = 0;
  std::size_t product = 0;
  double score = 0;  // measured effectiveness in [0, 1]
};

struct History {
  std::string source;  // file, or "synthetic: …"
  bool synthetic = false;
  std::vector<HistoricalEntry> entries;
  std::vector<PartnerObservation> partner_scores;
};

// Reads a history CSV for `scenario`; every problem is a located UserError (FILE:LINE:COL: column).
History read_history_csv(const std::string& path, const Scenario& scenario);
std::string history_to_csv(const History& history, const Scenario& scenario);

// Synthetic history from the scenario's ground truth: each region's world is drawn from the default
// prior (seeded by seed and region), about 60 % of regions have one past entry (pilot, partner or
// subsidiary, 8–20 quarters, all products), adopters are measured with 5 % error and 10 % of
// quarters are missing; about 40 % of partner-product pairs have a measured score.
History generate_history(const Scenario& scenario, std::uint64_t seed);

}  // namespace expanse
