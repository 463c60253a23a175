#pragma once
// Writes a file so that readers see either the old content or the complete new one, never a
// half-written file: the text goes to a temporary file beside it, then a rename replaces it.
#include <string>

namespace expanse {

// Throws UserError naming the path when the file cannot be written.
void write_file_atomically(const std::string& path, const std::string& content);

// Removes the temporary files (NAME.tmp.PID) that write_file_atomically left in `dir` (and its
// subfolders when `recursive`) because their writer was killed before its rename; those still being
// written (their writer holds a lock on them) are kept. Returns how many were removed.
int remove_stale_temporaries(const std::string& dir, bool recursive);

}  // namespace expanse
