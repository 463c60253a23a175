#pragma once
// Writes a file so that readers see either the old content or the complete new one, never a
// half-written file: the text goes to a temporary file beside it, then a rename replaces it.
#include <string>

namespace expanse {

// Throws UserError naming the path when the file cannot be written.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace expanse
