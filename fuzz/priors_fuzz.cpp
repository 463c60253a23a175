// A priors file (`expanse fit`'s output, a scenario's `priors:`) for the embedded asia-pacific.
#include "env/market/market_spec.hpp"
#include "env/market/scenario_loader.hpp"
#include "env/market/world_prior_file.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const expanse::MarketSpec spec(expanse::load_default_scenario());
  const auto path = expanse::fuzz::as_file(data, size, "priors.yaml");
  expanse::fuzz::accepted_or_refused([&] { expanse::read_world_prior_file(path.string(), spec); });
  return 0;
}
