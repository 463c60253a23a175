// Experiment YAML, with scenario paths resolved against configs/ (so the shipped experiments in the
// seed corpus find their scenarios) and "default" the embedded one.
#include "fuzz/fuzz_input.hpp"
#include "runner/experiment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  expanse::fuzz::accepted_or_refused([&] {
    const auto experiment = expanse::runner::load_experiment_text(expanse::fuzz::as_text(data, size), "fuzz.yaml",
                                                                  EXPANSE_SOURCE_DIR "/configs");
    expanse::runner::jobs_of(experiment);
  });
  return 0;
}
