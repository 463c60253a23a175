#include "runner/evaluation_file.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include "common/user_error.hpp"

namespace expanse::runner {
namespace {

constexpr std::array<const char*, kEvaluationColumns> kNames = {
    "episode",         "episode_seed", "return", "npv",      "revenue",      "profit",       "lowest_cash",
    "payback_quarter", "bankrupt",     "pilots", "partners", "subsidiaries", "market_share", "invalid_action_rate"};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

}  // namespace

std::string evaluation_header() {
  std::string header;
  for (const char* name : kNames) {
    if (!header.empty()) header += ',';
    header += name;
  }
  return header;
}

std::string evaluation_row(std::size_t episode, std::uint64_t seed, const EpisodeKpis& k) {
  std::ostringstream row;
  row.precision(10);
  row << episode << ',' << seed << ',' << k.discounted_return << ',' << k.npv << ',' << k.revenue << ',' << k.profit
      << ',' << k.lowest_cash << ',' << k.payback_quarter << ',' << k.bankrupt << ','
      << k.regions_by_mode[static_cast<std::size_t>(Mode::kPilot)] << ','
      << k.regions_by_mode[static_cast<std::size_t>(Mode::kPartner)] << ','
      << k.regions_by_mode[static_cast<std::size_t>(Mode::kSubsidiary)] << ',' << k.market_share << ','
      << k.invalid_action_rate;
  return row.str();
}

std::vector<std::vector<double>> read_evaluation(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  if (line != evaluation_header())
    throw UserError(Diagnostic{file.string(), 1, 1, "", "not an evaluation file of this version"});
  std::vector<std::vector<double>> rows;
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    const auto cells = split(line);
    if (cells.size() != kEvaluationColumns)
      throw UserError(
          Diagnostic{file.string(), number, 1, "", "expected " + std::to_string(kEvaluationColumns) + " columns"});
    std::vector<double> row;
    for (const auto& c : cells) row.push_back(std::strtod(c.c_str(), nullptr));
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw UserError(Diagnostic{file.string(), 0, 0, "", "no evaluation episodes"});
  return rows;
}

}  // namespace expanse::runner
