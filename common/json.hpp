#pragma once
// JSON values for the files the project writes by hand (summary.json of a training run and of an
// experiment): one way to write a number and a string.
#include <string>

namespace expanse {

// 10 significant digits; `null` for NaN and infinities, which JSON has no words for.
std::string json_number(double v);
// A quoted string with `"`, `\` and control characters escaped.
std::string json_string(const std::string& s);

}  // namespace expanse
