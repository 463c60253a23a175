#pragma once
// Reading a whole file as text.
#include <filesystem>
#include <string>

namespace expanse {

// Throws UserError naming the path when the file cannot be read.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace expanse
