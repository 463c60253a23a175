#include "common/yaml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>

namespace expanse {

void Diagnostics::add(const YAML::Mark& mark, const std::string& path, const std::string& message) {
  if (mark.is_null())
    add(0, 0, path, message);
  else
    add(mark.line + 1, mark.column + 1, path, message);
}

void Diagnostics::add(int line, int column, const std::string& path, const std::string& message) {
  list_.push_back({file_, line, column, path, message});
}

void Diagnostics::throw_if_any() {
  if (list_.empty()) return;
  // This file's problems first, then each other file's (a scenario an experiment names), by position.
  std::stable_sort(list_.begin(), list_.end(), [this](const Diagnostic& a, const Diagnostic& b) {
    return std::make_tuple(a.file != file_, a.file, a.line, a.column) <
           std::make_tuple(b.file != file_, b.file, b.line, b.column);
  });
  throw UserError(list_);
}

namespace {

// yaml-cpp recurses once per nesting level; a hostile "[[[[…" would exhaust the stack. Scenario
// files nest a handful of levels, so anything deeper than this is refused before parsing.
constexpr int kMaxNesting = 64;

std::size_t flow_nesting_beyond(const std::string& text, int limit) {
  int depth = 0;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (comment) {
      comment = c != '\n';
      continue;
    }
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '#')
      comment = true;
    else if (c == '"' || c == '\'')
      quote = c;
    else if ((c == '[' || c == '{') && ++depth > limit)
      return i;
    else if ((c == ']' || c == '}') && depth > 0)
      --depth;
    else if (c == '\n')
      quote = 0;
  }
  return std::string::npos;
}

std::size_t indentation_beyond(const std::string& text, int limit) {
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::size_t first = text.find_first_not_of(" -", start);
    if (first<end&& static_cast<int>(first - start) / 2> limit) return first;
    start = end + 1;
  }
  return std::string::npos;
}

// The 1-based line and column of a byte of text.
std::pair<int, int> line_column(const std::string& text, std::size_t offset) {
  const std::size_t line_start = offset == 0 ? 0 : text.rfind('\n', offset - 1) + 1;  // npos + 1 = 0
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
  return {static_cast<int>(line), static_cast<int>(offset - line_start + 1)};
}

// A value as the user wrote it, on one line: control characters escaped, long text cut.
std::string quote(const std::string& s) {
  std::string shown;
  for (char c : s.size() > 40 ? s.substr(0, 37) : s) {
    if (c == '\n')
      shown += "\\n";
    else if (c == '\t')
      shown += "\\t";
    else if (static_cast<unsigned char>(c) < 0x20)
      shown += '?';
    else
      shown += c;
  }
  if (s.size() > 40) shown += "...";
  return "\"" + shown + "\"";
}

std::string format_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string range_text(double lo, double hi) {
  return "[" + format_number(lo) + ", " + format_number(hi) + "]";
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The same YAML value with its maps' keys in order.
YAML::Node with_sorted_keys(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      // Sorted by position, not by moving nodes: assigning a YAML::Node writes into the node it
      // refers to.
      std::vector<std::string> keys;
      std::vector<YAML::Node> values;
      for (const auto& entry : node) {
        keys.push_back(YAML::Dump(entry.first));
        values.push_back(entry.second);
      }
      std::vector<std::size_t> order(keys.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
      YAML::Node map(YAML::NodeType::Map);
      for (std::size_t i : order) map[keys[i]] = with_sorted_keys(values[i]);
      return map;
    }
    case YAML::NodeType::Sequence: {
      YAML::Node sequence(YAML::NodeType::Sequence);
      for (const auto& item : node) sequence.push_back(with_sorted_keys(item));
      return sequence;
    }
    case YAML::NodeType::Scalar: return YAML::Node(node.Scalar());
    default: return YAML::Node();
  }
}

}  // namespace

std::string canonical_yaml(const std::string& yaml) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << with_sorted_keys(YAML::Load(yaml));
  return out.c_str();
}

YAML::Node parse_yaml_document(const std::string& text, const std::string& file) {
  Diagnostics diagnostics(file);
  const auto fail_at = [&](std::size_t offset, const std::string& message) {
    const auto [line, column] = line_column(text, std::min(offset, text.size()));
    diagnostics.add(line, column, "", message);
    diagnostics.throw_if_any();
  };
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) fail_at(0, "the file is empty");
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos)
    fail_at(nul, "not a YAML text file (it contains NUL bytes)");
  const std::string too_deep = "nesting deeper than " + std::to_string(kMaxNesting) + " levels is not supported";
  if (const std::size_t at = flow_nesting_beyond(text, kMaxNesting); at != std::string::npos) fail_at(at, too_deep);
  if (const std::size_t at = indentation_beyond(text, 4 * kMaxNesting); at != std::string::npos) fail_at(at, too_deep);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diagnostics.add(e.mark, "", "not valid YAML: " + e.msg);
    diagnostics.throw_if_any();
  }
  if (!root || root.IsNull()) fail_at(0, "the file holds no YAML document (only comments or blank lines)");
  if (!root.IsMap()) {
    diagnostics.add(root.Mark(), "", "expected a mapping of keys at the top level, got " + describe_node(root));
    diagnostics.throw_if_any();
  }
  return root;
}

std::string closest_match(const std::string& word, const std::set<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;  // 1 edit in 3 letters, 2 in 6
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string describe_node(const YAML::Node& node) {
  if (!node || node.IsNull()) return "nothing";
  if (node.IsSequence()) return node.size() == 0 ? "an empty list" : "a list";
  if (node.IsMap()) return "a mapping";
  return quote(node.Scalar());
}

MapReader::MapReader(const YAML::Node& node, std::string path, Diagnostics& diagnostics)
    : node_(node), path_(std::move(path)), diagnostics_(diagnostics), mark_(node.Mark()) {
  is_map_ = node.IsMap();
  if (!is_map_) {
    diagnostics_.add(mark_, path_, "expected a mapping of keys, got " + describe_node(node));
    finished_ = true;
  }
}

std::string MapReader::path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

bool MapReader::has(const std::string& key) {
  known_.insert(key);
  return is_map_ && node_[key].IsDefined() && !node_[key].IsNull();
}

YAML::Node MapReader::child(const std::string& key) {
  known_.insert(key);
  if (!is_map_) return YAML::Node(YAML::NodeType::Undefined);
  return node_[key];
}

void MapReader::missing(const std::string& key) {
  diagnostics_.add(mark_, path(key), "required key is missing");
}

YAML::Node MapReader::get(const std::string& key, Need need) {
  YAML::Node value = child(key);
  if (!is_map_) return YAML::Node(YAML::NodeType::Undefined);
  if (!value.IsDefined() || value.IsNull()) {
    if (need == Need::kRequired) missing(key);
    return YAML::Node(YAML::NodeType::Undefined);
  }
  return value;
}

void MapReader::number(const std::string& key, double& out, double lo, double hi, Need need) {
  YAML::Node value = get(key, need);
  if (!value.IsDefined()) return;
  double v = 0;
  if (!value.IsScalar() || !YAML::convert<double>::decode(value, v) || !std::isfinite(v)) {
    diagnostics_.add(value.Mark(), path(key),
                     "expected a number in " + range_text(lo, hi) + ", got " + describe_node(value));
    return;
  }
  if (v < lo || v > hi) {
    diagnostics_.add(value.Mark(), path(key),
                     "expected a number in " + range_text(lo, hi) + ", got " + format_number(v));
    return;
  }
  out = v;
}

void MapReader::number(const std::string& key, std::optional<double>& out, double lo, double hi) {
  double v = std::nan("");  // stays NaN when the key is absent or wrong (NaN is never accepted)
  number(key, v, lo, hi);
  if (!std::isnan(v)) out = v;
}

void MapReader::integer(const std::string& key, int& out, int lo, int hi, Need need) {
  YAML::Node value = get(key, need);
  if (!value.IsDefined()) return;
  long long v = 0;
  const std::string expected = "expected a whole number in " + range_text(lo, hi);
  if (!value.IsScalar() || !YAML::convert<long long>::decode(value, v)) {
    diagnostics_.add(value.Mark(), path(key), expected + ", got " + describe_node(value));
    return;
  }
  if (v < lo || v > hi) {
    diagnostics_.add(value.Mark(), path(key), expected + ", got " + std::to_string(v));
    return;
  }
  out = static_cast<int>(v);
}

void MapReader::seed(const std::string& key, std::uint64_t& out) {
  YAML::Node value = get(key, Need::kOptional);
  if (!value.IsDefined()) return;
  unsigned long long v = 0;
  const bool negative = value.IsScalar() && !value.Scalar().empty() && value.Scalar()[0] == '-';
  if (!value.IsScalar() || negative || !YAML::convert<unsigned long long>::decode(value, v)) {
    diagnostics_.add(value.Mark(), path(key), "expected a non-negative whole number, got " + describe_node(value));
    return;
  }
  out = v;
}

void MapReader::text(const std::string& key, std::string& out, Need need) {
  YAML::Node value = get(key, need);
  if (!value.IsDefined()) return;
  if (!value.IsScalar() || value.Scalar().empty()) {
    diagnostics_.add(value.Mark(), path(key), "expected text, got " + describe_node(value));
    return;
  }
  out = value.Scalar();
}

void MapReader::flag(const std::string& key, bool& out) {
  YAML::Node value = get(key, Need::kOptional);
  if (!value.IsDefined()) return;
  bool v = false;
  if (value.IsScalar() && (value.Scalar() == "0" || value.Scalar() == "1")) {
    out = value.Scalar() == "1";
    return;
  }
  if (!value.IsScalar() || !YAML::convert<bool>::decode(value, v)) {
    diagnostics_.add(value.Mark(), path(key), "expected true or false, got " + describe_node(value));
    return;
  }
  out = v;
}

void MapReader::words(const std::string& key, std::vector<std::string>& out, Need need) {
  YAML::Node value = get(key, need);
  if (!value.IsDefined()) return;
  out.clear();
  if (value.IsScalar()) {
    std::istringstream in(value.Scalar());
    for (std::string w; in >> w;) out.push_back(w);
    return;
  }
  if (value.IsSequence()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!value[i].IsScalar()) {
        diagnostics_.add(value[i].Mark(), path(key) + "[" + std::to_string(i) + "]",
                         "expected a word, got " + describe_node(value[i]));
        continue;
      }
      out.push_back(value[i].Scalar());
    }
    return;
  }
  diagnostics_.add(value.Mark(), path(key), "expected a list of words, got " + describe_node(value));
}

int MapReader::choice(const std::string& key, const std::vector<std::string>& choices, Need need) {
  YAML::Node value = get(key, need);
  if (!value.IsDefined()) return -1;
  std::string all;
  for (const auto& c : choices) all += (all.empty() ? "" : ", ") + c;
  if (value.IsScalar()) {
    for (std::size_t i = 0; i < choices.size(); ++i)
      if (value.Scalar() == choices[i]) return static_cast<int>(i);
  }
  std::string message = "expected one of " + all + ", got " + describe_node(value);
  if (value.IsScalar()) {
    const std::string hint = closest_match(value.Scalar(), std::set<std::string>(choices.begin(), choices.end()));
    if (!hint.empty()) message += " (did you mean \"" + hint + "\"?)";
  }
  diagnostics_.add(value.Mark(), path(key), message);
  return -1;
}

void MapReader::numbers(const std::string& key, std::vector<double>& out, double lo, double hi, std::size_t size,
                        Need need) {
  YAML::Node value = get(key, need);
  if (!value.IsDefined()) return;
  if (!value.IsSequence()) {
    diagnostics_.add(value.Mark(), path(key), "expected a list of numbers, got " + describe_node(value));
    return;
  }
  if (size > 0 && value.size() != size) {
    diagnostics_.add(value.Mark(), path(key),
                     "expected " + std::to_string(size) + (size == 1 ? " number" : " numbers") + ", got " +
                         std::to_string(value.size()));
    return;
  }
  std::vector<double> result;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    double v = 0;
    const std::string item = path(key) + "[" + std::to_string(i) + "]";
    if (!value[i].IsScalar() || !YAML::convert<double>::decode(value[i], v) || !std::isfinite(v)) {
      diagnostics_.add(value[i].Mark(), item,
                       "expected a number in " + range_text(lo, hi) + ", got " + describe_node(value[i]));
      ok = false;
    } else if (v < lo || v > hi) {
      diagnostics_.add(value[i].Mark(), item,
                       "expected a number in " + range_text(lo, hi) + ", got " + format_number(v));
      ok = false;
    }
    result.push_back(v);
  }
  if (ok) out = std::move(result);
}

void MapReader::finish() {
  if (finished_) return;
  finished_ = true;
  std::map<std::string, int> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) {
      diagnostics_.add(it->first.Mark(), path_, "keys must be plain words, got " + describe_node(it->first));
      continue;
    }
    const std::string key = it->first.Scalar();
    if (++seen[key] == 2) {
      diagnostics_.add(it->first.Mark(), path(key), "duplicate key");
      continue;
    }
    if (known_.count(key)) continue;
    std::string message = "unknown key";
    const std::string hint = closest_match(key, known_);
    if (!hint.empty()) message += " (did you mean \"" + hint + "\"?)";
    diagnostics_.add(it->first.Mark(), path(key), message);
  }
}

}  // namespace expanse
