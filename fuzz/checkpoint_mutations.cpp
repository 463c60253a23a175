// checkpoint_fuzz's check driven by mutations instead of libFuzzer (clang 14 cannot compile LibTorch's
// headers, so this target is built by g++, in the release and asan presets). Each round damages the
// pristine checkpoint one way — bits flipped or bytes cut anywhere in the file; or, behind a
// recomputed header that the checksum accepts, the archive itself flipped, cut, spliced or grown —
// and feeds it to `train --resume` and to loading the trained policy. Any answer but success or a
// located UserError, and any crash or sanitizer report, fails the run.
//   checkpoint_mutations [ROUNDS [SEED]]      (defaults 200, 1)
#include <algorithm>
#include <cstdio>
#include <string>

#include "agents/rl/checkpoint_file.hpp"
#include "common/rng.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
std::string pristine_checkpoint();  // checkpoint_fuzz.cpp

namespace {

std::string damaged(const std::string& bytes, expanse::Rng& rng) {
  std::string b = bytes;
  const auto at = [&] { return static_cast<std::size_t>(rng.below(static_cast<std::uint32_t>(b.size()))); };
  switch (rng.below(4)) {
    case 0:  // bits flipped
      for (std::uint32_t n = 1 + rng.below(20); n > 0; --n) {
        const std::size_t i = at();
        b[i] = static_cast<char>(b[i] ^ (1 << rng.below(8)));
      }
      break;
    case 1:  // cut short
      b.resize(at());
      break;
    case 2: {  // a stretch copied over another
      const std::size_t from = at(), to = at();
      const std::size_t length = std::min<std::size_t>(b.size() - std::max(from, to), 64);
      b.replace(to, length, b.substr(from, length));
      break;
    }
    default:  // bytes inserted
      b.insert(at(), std::string(1 + rng.below(16), static_cast<char>(rng.below(256))));
  }
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  const long rounds = argc > 1 ? std::stol(argv[1]) : 200;
  expanse::Rng rng(argc > 2 ? std::stoull(argv[2]) : 1);
  const std::string file = pristine_checkpoint();
  const std::string archive = file.substr(file.find('\n') + 1);
  for (long round = 0; round < rounds; ++round) {
    // Half the rounds damage the file as a disk would; half hand LibTorch a damaged archive that the
    // checksum does not stop.
    const std::string input =
        round % 2 ? damaged(file, rng) : expanse::agents::checkpoint_file_bytes(damaged(archive, rng));
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  }
  std::printf("checkpoint mutations: %ld rounds, every one accepted or refused with a located error\n", rounds);
  return 0;
}
