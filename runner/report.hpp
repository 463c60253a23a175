#pragma once
// The human side of an experiment's results: summary.json, and report.md + report.html with
// figures rendered by gnuplot (learning curves with confidence bands, final scores with intervals,
// the probability-of-improvement matrix, performance profiles and the expansion timeline). The
// figures' data and gnuplot scripts are kept beside the PNGs, so each can be re-rendered or edited.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "runner/aggregate.hpp"

namespace expanse::runner {

// `run_versions`: which builds of Expanse made the runs (run_versions()); both name this build too.
std::string summary_json(const std::vector<ScenarioResult>& results, const AggregateOptions& options,
                         const std::map<std::string, int>& run_versions);

void write_report(const std::vector<ScenarioResult>& results, const AggregateOptions& options,
                  const std::vector<std::string>& sources, const std::map<std::string, int>& run_versions,
                  const std::filesystem::path& out);

}  // namespace expanse::runner
