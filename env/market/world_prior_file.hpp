#pragma once
// The priors file: what `expanse fit` writes and the env reads when a scenario names it
// (`priors: FILE`). Versioned YAML; its `metrics` and `segments` sections document the fit and are
// not read back. Format (docs/analysis.md):
//
//   format: expanse-priors
//   version: 1
//   scenario: asia-pacific
//   regions:
//     - {id: JPN, potential_multiplier: {median: 1.1, sigma: 0.2}, bass_p: {...}, bass_q: {...},
//        incumbent_attraction: {...}, value_estimate: 0.4, value_uncertainty: 0.3}
//   partners:
//     - {id: JPN-P1, effectiveness: [0.6, …], effectiveness_sd: 0.08}
#include <string>

#include "env/market/world_prior.hpp"

namespace expanse {

constexpr int kPriorsFormatVersion = 1;

// Every scenario region and partner must appear once; problems are located UserErrors.
WorldPrior read_world_prior_file(const std::string& path, const MarketSpec& spec);

// The file's text; `extra_sections` (YAML, e.g. metrics: and segments:) is appended as given.
std::string world_prior_to_yaml(const WorldPrior& prior, const MarketSpec& spec, const std::string& extra_sections);

}  // namespace expanse
