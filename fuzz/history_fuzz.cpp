// A history CSV (`expanse fit --history`) for the embedded asia-pacific.
#include "analysis/history.hpp"
#include "env/market/scenario_loader.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const expanse::Scenario scenario = expanse::load_default_scenario();
  const auto path = expanse::fuzz::as_file(data, size, "history.csv");
  expanse::fuzz::accepted_or_refused([&] { expanse::read_history_csv(path.string(), scenario); });
  return 0;
}
