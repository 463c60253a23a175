#pragma once
// evaluation.csv: a job's evaluation, one row per episode (docs/experiments.md). The job writes it
// (last, as the mark that it is done) and the aggregation reads it; its columns are defined here.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "env/market/kpi.hpp"

namespace expanse::runner {

enum EvaluationColumn : std::size_t {
  kEpisode,
  kSeed,
  kReturn,
  kNpv,
  kRevenue,
  kProfit,
  kLowestCash,
  kPayback,
  kBankrupt,
  kPilots,
  kPartners,
  kSubsidiaries,
  kShare,
  kInvalid,
  kEvaluationColumns
};

// The header line, without its newline.
std::string evaluation_header();
// Episode n's row (seeded `seed`), without its newline.
std::string evaluation_row(std::size_t episode, std::uint64_t seed, const EpisodeKpis& kpis);
// The rows' values in column order; a UserError naming the file (and line) for another header, a
// row of another width, or no rows.
std::vector<std::vector<double>> read_evaluation(const std::filesystem::path& file);

}  // namespace expanse::runner
