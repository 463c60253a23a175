#pragma once
// Reading YAML into plain structs while collecting every problem with its location, instead of
// stopping at the first: a user fixing a scenario sees all of its errors in one run.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/user_error.hpp"

namespace expanse {

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  void add(const YAML::Mark& mark, const std::string& path, const std::string& message);
  void add(int line, int column, const std::string& path, const std::string& message);
  // A problem located in another file (a scenario that an experiment names), kept as it is.
  void add(Diagnostic diagnostic) { list_.push_back(std::move(diagnostic)); }
  bool empty() const { return list_.empty(); }
  const std::string& file() const { return file_; }
  // Throws UserError with every problem, sorted by file (this one first) and position, if any.
  void throw_if_any();

 private:
  std::string file_;
  std::vector<Diagnostic> list_;
};

// Parses a whole YAML document; non-YAML input, empty files and hostile nesting become located
// diagnostics (thrown as UserError).
YAML::Node parse_yaml_document(const std::string& text, const std::string& file);

// A YAML document as one line of flow-style YAML with every map's keys sorted: equal for documents
// that differ only in what YAML ignores (comments, layout, flow or block style, key order). Scalars
// keep their spelling (1 and 1.0 differ). Throws YAML::Exception on non-YAML input.
std::string canonical_yaml(const std::string& text);

// The closest candidate within a small edit distance, or "" — for "did you mean" hints.
std::string closest_match(const std::string& word, const std::set<std::string>& candidates);

enum class Need { kOptional, kRequired };

// One YAML mapping. Each accessor marks its key as known; finish() (or the destructor) reports the
// keys nobody asked for, with a suggestion. Out-parameters keep their default when a key is absent
// or wrong, so reading continues and collects further problems.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path, Diagnostics& diagnostics);
  ~MapReader() { finish(); }
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

  bool is_map() const { return is_map_; }
  bool has(const std::string& key);
  std::string path(const std::string& key) const;
  YAML::Node child(const std::string& key);  // marks known; may be undefined
  const YAML::Mark& mark() const { return mark_; }

  void number(const std::string& key, double& out, double lo, double hi, Need need = Need::kOptional);
  void number(const std::string& key, std::optional<double>& out, double lo, double hi);
  void integer(const std::string& key, int& out, int lo, int hi, Need need = Need::kOptional);
  void seed(const std::string& key, std::uint64_t& out);
  void text(const std::string& key, std::string& out, Need need = Need::kOptional);
  void flag(const std::string& key, bool& out);
  // A list of words, written either as a YAML sequence or as one space-separated string.
  void words(const std::string& key, std::vector<std::string>& out, Need need = Need::kOptional);
  // One of `choices`; returns its index (or -1 when absent or wrong).
  int choice(const std::string& key, const std::vector<std::string>& choices, Need need = Need::kOptional);
  // A sequence of numbers in [lo, hi], of exactly `size` elements when size > 0.
  void numbers(const std::string& key, std::vector<double>& out, double lo, double hi, std::size_t size,
               Need need = Need::kOptional);

  void finish();

 private:
  YAML::Node get(const std::string& key, Need need);
  void missing(const std::string& key);

  YAML::Node node_;
  std::string path_;
  Diagnostics& diagnostics_;
  YAML::Mark mark_;
  std::set<std::string> known_;
  bool is_map_ = false;
  bool finished_ = false;
};

// "a number", "a list", "a mapping", "text \"abc\"" — what the user actually wrote, for messages.
std::string describe_node(const YAML::Node& node);

}  // namespace expanse
