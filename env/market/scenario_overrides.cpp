#include "env/market/scenario_overrides.hpp"

#include <algorithm>
#include <tuple>

#include "common/text_file.hpp"
#include "common/user_error.hpp"
#include "common/yaml_reader.hpp"
#include "env/market/scenario_loader.hpp"

namespace expanse {
namespace {

void merge(YAML::Node base, const YAML::Node& overrides, const std::string& path, std::vector<std::string>& touched) {
  for (auto it = overrides.begin(); it != overrides.end(); ++it) {
    const std::string key = it->first.Scalar();
    const std::string key_path = path.empty() ? key : path + "." + key;
    YAML::Node target = base[key];
    if (it->second.IsMap() && target.IsMap()) {
      merge(target, it->second, key_path, touched);
    } else {
      base[key] = YAML::Clone(it->second);
      touched.push_back(key_path);
    }
  }
}

bool under(const std::string& key_path, const std::string& prefix) {
  return key_path.compare(0, prefix.size(), prefix) == 0 &&
         (key_path.size() == prefix.size() || key_path[prefix.size()] == '.' || key_path[prefix.size()] == '[');
}

}  // namespace

Scenario load_scenario_with_overrides(const std::string& path, const std::string& overrides_yaml) {
  const std::string source = path.empty() ? default_scenario_name() : path;
  YAML::Node root = parse_yaml_document(path.empty() ? default_scenario_text() : read_text_file(path), source);
  std::vector<std::string> touched;
  if (overrides_yaml.find_first_not_of(" \t\r\n{}") != std::string::npos)
    merge(root, parse_yaml_document(overrides_yaml, "overrides"), "", touched);
  try {
    return load_scenario_document(root, touched.empty() ? source : source + " with overrides");
  } catch (const UserError& e) {
    std::vector<Diagnostic> located = e.diagnostics();
    for (Diagnostic& d : located) {
      for (const std::string& t : touched)
        if (under(d.key_path, t)) d = Diagnostic{"overrides", 0, 0, d.key_path, d.message};
      if (d.file == source + " with overrides") d.file = source;
    }
    // The problems of the overrides first (by key), then the file's (by position).
    std::stable_sort(located.begin(), located.end(), [](const Diagnostic& a, const Diagnostic& b) {
      const bool ao = a.file == "overrides", bo = b.file == "overrides";
      if (ao != bo) return ao;
      if (ao) return a.key_path < b.key_path;
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    throw UserError(located);
  }
}

}  // namespace expanse
