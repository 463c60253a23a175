#include "common/text_file.hpp"

#include <fstream>
#include <sstream>

#include "common/user_error.hpp"

namespace expanse {

std::string read_text_file(const std::filesystem::path& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw UserError(Diagnostic{path.string(), 0, 0, "", "is a directory, not a file"});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(Diagnostic{path.string(), 0, 0, "", "cannot open the file"});
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw UserError(Diagnostic{path.string(), 0, 0, "", "cannot read the file"});
  return text.str();
}

}  // namespace expanse
