#include "agents/rl/checkpoint_file.hpp"

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/user_error.hpp"

namespace expanse::agents {
namespace fs = std::filesystem;

namespace {

constexpr const char* kMagic = "expanse-checkpoint";
constexpr int kVersion = 1;

std::uint64_t fnv1a64(const char* data, std::size_t size) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < size; ++i) h = (h ^ static_cast<unsigned char>(data[i])) * 0x100000001b3ULL;
  return h;
}

[[noreturn]] void damaged(const fs::path& path, const std::string& why) {
  throw UserError(
      Diagnostic{path.string(), 0, 0, "",
                 "damaged checkpoint: " + why + "; nothing was restored (delete it to start the run afresh)"});
}

}  // namespace

std::string checkpoint_file_bytes(const std::string& body) {
  char header[96];
  std::snprintf(header, sizeof header, "%s %d %zu %016" PRIx64 "\n", kMagic, kVersion, body.size(),
                fnv1a64(body.data(), body.size()));
  return header + body;
}

void write_checkpoint_file(const fs::path& path, torch::serialize::OutputArchive& archive) {
  std::ostringstream bytes;
  archive.save_to(bytes);
  // Readers see the old checkpoint or the new one, whole (a temporary file, fsync, rename).
  write_file_atomically(path.string(), checkpoint_file_bytes(bytes.str()));
}

void read_checkpoint_file(const fs::path& path, torch::serialize::InputArchive& archive) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(Diagnostic{path.string(), 0, 0, "", "cannot read the checkpoint"});
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string magic = std::string(kMagic) + " ";
  if (content.compare(0, magic.size(), magic) != 0) {
    // A bare LibTorch archive (a zip file), from before the header: read unchecked.
    if (content.compare(0, 2, "PK") != 0) damaged(path, "not an Expanse checkpoint (no header)");
  } else {
    const std::size_t end = content.find('\n');
    int version = 0;
    unsigned long long size = 0, hash = 0;
    if (end == std::string::npos || end > 96 ||
        std::sscanf(content.c_str() + magic.size(), "%d %llu %llx", &version, &size, &hash) != 3)
      damaged(path, "its header is unreadable");
    if (version != kVersion)
      damaged(path, "format " + std::to_string(version) + ", this Expanse reads format " + std::to_string(kVersion));
    const std::size_t body = content.size() - end - 1;
    if (body != size)
      damaged(path, std::to_string(body) + " bytes where its header promises " + std::to_string(size) +
                        " (a write cut short?)");
    if (fnv1a64(content.data() + end + 1, body) != hash) damaged(path, "its checksum does not match its content");
    content.erase(0, end + 1);
  }
  try {
    archive.load_from(content.data(), content.size());
  } catch (const c10::Error& e) {
    const std::string message = e.what_without_backtrace();
    damaged(path, "LibTorch cannot read it: " + message.substr(0, message.find('\n')));
  } catch (const std::exception& e) {  // the TorchScript parser's ErrorReport, among others
    const std::string message = e.what();
    damaged(path, "LibTorch cannot read it: " + message.substr(0, message.find('\n')));
  }
}

}  // namespace expanse::agents
