#pragma once
// The one error type for user-facing failures: every problem carries file, line, column and the
// key path, and prints as `FILE:LINE:COL: key.path: what is wrong`.
#include <stdexcept>
#include <string>
#include <vector>

namespace expanse {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 = the whole file
  int column = 0;  // 1-based
  std::string key_path;
  std::string message;

  std::string str() const;
};

class UserError : public std::runtime_error {
 public:
  explicit UserError(std::vector<Diagnostic> diagnostics);
  explicit UserError(Diagnostic diagnostic) : UserError(std::vector<Diagnostic>{std::move(diagnostic)}) {}
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace expanse
