#pragma once
// What every fuzz target shares: the input as text or as a file (the readers of priors, history and
// checkpoints take paths), and the rule a target checks — an input is either accepted or refused
// with a located UserError; any other exception is a finding (libFuzzer reports the abort, with the
// input that caused it).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/user_error.hpp"

namespace expanse::fuzz {

inline std::string as_text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A file of this process's own (libFuzzer's -fork/-jobs run several), rewritten for every input.
inline std::filesystem::path as_file(const std::uint8_t* data, std::size_t size, const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("expanse-fuzz-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

// Runs `read`; a UserError (one line per diagnostic, the user's fix) is a correct answer.
template <class Read>
void accepted_or_refused(Read&& read) {
  try {
    read();
  } catch (const UserError& e) {
    if (e.diagnostics().empty() || std::string(e.what()).empty()) {
      std::fprintf(stderr, "finding: a UserError without a diagnostic\n");
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "finding: %s\n", e.what());
    std::abort();
  }
}

}  // namespace expanse::fuzz
