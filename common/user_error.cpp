#include "common/user_error.hpp"

#include <sstream>

namespace expanse {

std::string Diagnostic::str() const {
  std::ostringstream out;
  out << file;
  if (line > 0) out << ':' << line << ':' << column;
  out << ": ";
  if (!key_path.empty()) out << key_path << ": ";
  out << message;
  return out.str();
}

UserError::UserError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(diagnostics.empty() ? std::string("error") : diagnostics.front().str()),
      diagnostics_(std::move(diagnostics)) {}

}  // namespace expanse
