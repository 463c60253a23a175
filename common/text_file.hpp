#pragma once
// Reading a whole file as text: the one way the project reads a file a user names.
#include <filesystem>
#include <string>

namespace expanse {

// Throws UserError naming the path when it is a directory or cannot be opened or read. Reads
// once, so a pipe (`--config <(…)`) works.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace expanse
