#include "analysis/fidelity_table.hpp"

#include <cstdio>

#include "common/atomic_file.hpp"
#include "common/text_file.hpp"
#include "common/user_error.hpp"

namespace expanse {

std::string format_fidelity_table(const std::vector<FidelityCheck>& checks) {
  std::string out =
      "| stylised fact | published value and source | measured | tolerance | result |\n|---|---|---|---|---|\n";
  char line[800];
  for (const auto& c : checks) {
    if (c.applicable())
      std::snprintf(line, sizeof line, "| %s | %s | %.3f | %s | %s |\n", c.fact.c_str(), c.published.c_str(),
                    c.measured, c.tolerance().c_str(), c.pass() ? "pass" : "FAIL");
    else
      std::snprintf(line, sizeof line, "| %s | %s | – | %s | n/a: %s |\n", c.fact.c_str(), c.published.c_str(),
                    c.tolerance().c_str(), c.not_applicable.c_str());
    out += line;
  }
  return out;
}

void write_fidelity_table_into(const std::string& markdown_path, const std::string& table, const std::string& origin) {
  static const std::string begin = "<!-- fidelity:begin -->", end = "<!-- fidelity:end -->";
  std::string doc = read_text_file(markdown_path);
  const auto from = doc.find(begin), to = doc.find(end);
  if (from == std::string::npos || to == std::string::npos || to < from)
    throw UserError(
        Diagnostic{markdown_path, 0, 0, "", "no \"" + begin + "\" … \"" + end + "\" markers to put the table between"});
  doc.replace(from + begin.size(), to - from - begin.size(), "\n" + origin + "\n\n" + table);
  write_file_atomically(markdown_path, doc);
}

}  // namespace expanse
