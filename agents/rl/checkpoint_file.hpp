#pragma once
// checkpoint.pt on disk: a LibTorch archive behind a one-line header of Expanse's own,
//   "expanse-checkpoint 1 SIZE FNV1A64\n",
// the archive's length and a 64-bit FNV-1a hash of its bytes. A truncated file (a write cut short,
// a full disk) or a corrupted one is refused with one located line before anything is restored;
// LibTorch's reader alone accepts many bit flips and, on a truncated file, throws a stack trace.
// Files from before the header (a bare archive) are read as they are, unchecked.
#include <torch/torch.h>

#include <filesystem>

namespace expanse::agents {

// Replaces `path` atomically (write_file_atomically).
void write_checkpoint_file(const std::filesystem::path& path, torch::serialize::OutputArchive& archive);

// The file's bytes for an archive's bytes: the header line, then the archive.
std::string checkpoint_file_bytes(const std::string& archive_bytes);

// Fills `archive`; throws UserError naming `path` when it is missing, truncated or damaged.
void read_checkpoint_file(const std::filesystem::path& path, torch::serialize::InputArchive& archive);

}  // namespace expanse::agents
