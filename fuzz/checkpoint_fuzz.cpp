// A libFuzzer-style target (LLVMFuzzerTestOneInput), driven by checkpoint_mutations.cpp: checkpoint.pt
// through `train --resume` (header and checksum, LibTorch's archive, then every value
// the trainer and the learner restore) and through loading a trained policy. The run folder is made
// once, by a short PPO run on CartPole-v1 stopped after its first checkpoint; each input replaces
// its checkpoint, and the rest of the folder is put back as it was.
#include <map>

#include "agents/rl/training.hpp"
#include "common/atomic_file.hpp"
#include "common/text_file.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace expanse;
using namespace expanse::agents;
namespace fs = std::filesystem;

namespace {

TrainRequest request(const fs::path& dir) {
  TrainRequest r;
  r.config = default_agent_config("ppo", false);
  read_agent_config("{num_steps: 32, hidden: [8], checkpoint_interval: 64}", "fuzz-config", r.config);
  r.env = "cartpole-v1";
  r.steps = 256;
  r.seed = 5;
  r.out = dir;
  return r;
}

fs::path run_dir() {
  return fs::temp_directory_path() / ("expanse-fuzz-" + std::to_string(getpid())) / "run";
}

// The run folder with its first checkpoint, and the text of every file in it.
const std::map<fs::path, std::string>& pristine_run(const fs::path& dir) {
  static const std::map<fs::path, std::string> files = [&] {
    fs::remove_all(dir);
    TrainRequest r = request(dir);
    r.stop_after = 64;
    train(r);
    std::map<fs::path, std::string> texts;
    for (const auto& entry : fs::directory_iterator(dir)) texts[entry.path()] = read_text_file(entry.path());
    return texts;
  }();
  return files;
}

}  // namespace

// The checkpoint file as the run wrote it: the mutation driver's seed.
std::string pristine_checkpoint() {
  return pristine_run(run_dir()).at(run_dir() / "checkpoint.pt");
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path dir = run_dir();
  for (const auto& [path, text] : pristine_run(dir)) write_file_atomically(path.string(), text);
  fuzz::as_file(data, size, "run/checkpoint.pt");
  fuzz::accepted_or_refused([&] { load_trained_policy(dir); });
  fuzz::accepted_or_refused([&] {
    TrainRequest r = request(dir);
    r.resume = true;
    r.stop_after = 1;  // one iteration after the restore is enough
    train(r);
  });
  return 0;
}
