#include "env/util/text_file.hpp"

#include <fstream>
#include <sstream>

#include "env/util/user_error.hpp"

namespace expanse {

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(Diagnostic{path.string(), 0, 0, "", "cannot read the file"});
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace expanse
