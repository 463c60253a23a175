#pragma once
// tests/data/analysis: scikit-learn's datasets and the golden values make_golden.py computed.
#include <Eigen/Dense>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

#include "tests/csv_table.hpp"

namespace expanse::test {

inline std::string analysis_data(const std::string& name) {
  return std::string(EXPANSE_TEST_DATA) + "/analysis/" + name;
}

inline double golden(const std::string& name) {
  static const std::map<std::string, double> values = [] {
    std::map<std::string, double> v;
    std::ifstream in(analysis_data("golden.csv"));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const auto comma = line.find(',');
      v[line.substr(0, comma)] = std::stod(line.substr(comma + 1));
    }
    return v;
  }();
  const auto it = values.find(name);
  if (it == values.end()) throw std::runtime_error("no golden value " + name);
  return it->second;
}

// The table's columns [first, first + count) as a matrix.
inline Eigen::MatrixXd columns(const CsvTable& t, std::size_t first, std::size_t count) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(t.rows.size()), static_cast<Eigen::Index>(count));
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    for (std::size_t c = 0; c < count; ++c)
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = t.rows[r][first + c];
  return m;
}

}  // namespace expanse::test
