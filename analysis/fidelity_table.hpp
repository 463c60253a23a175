#pragma once
// The fidelity checks as a Markdown table, and that table's place in docs/model.md.
#include <string>
#include <vector>

#include "analysis/fidelity.hpp"

namespace expanse {

// Replaces the table between the markers `<!-- fidelity:begin -->` and `<!-- fidelity:end -->` of a
// Markdown file (atomically); a UserError names the file when it has no such markers.
void write_fidelity_table_into(const std::string& markdown_path, const std::string& table, const std::string& origin);
// A Markdown table: fact | published value and source | measured | tolerance | pass/fail.
std::string format_fidelity_table(const std::vector<FidelityCheck>& checks);

}  // namespace expanse
