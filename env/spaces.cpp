#include "env/spaces.hpp"

#include <numeric>
#include <sstream>

namespace expanse {

std::size_t flat_size(const Space& space) {
  struct {
    std::size_t operator()(const Discrete&) const { return 1; }
    std::size_t operator()(const MultiDiscrete& s) const { return s.nvec.size(); }
    std::size_t operator()(const Box& s) const { return s.low.size(); }
  } visitor;
  return std::visit(visitor, space);
}

bool is_box(const Space& space) {
  return std::holds_alternative<Box>(space);
}

std::size_t mask_size(const Space& space) {
  if (const auto* d = std::get_if<Discrete>(&space)) return static_cast<std::size_t>(d->n);
  if (const auto* m = std::get_if<MultiDiscrete>(&space))
    return static_cast<std::size_t>(std::accumulate(m->nvec.begin(), m->nvec.end(), 0));
  return 0;
}

std::string describe(const Space& space) {
  std::ostringstream out;
  if (const auto* d = std::get_if<Discrete>(&space)) {
    out << "Discrete(" << d->n << ")";
  } else if (const auto* m = std::get_if<MultiDiscrete>(&space)) {
    out << "MultiDiscrete([";
    for (std::size_t i = 0; i < m->nvec.size(); ++i) out << (i ? " " : "") << m->nvec[i];
    out << "])";
  } else {
    const auto& b = std::get<Box>(space);
    float lo = b.low.empty() ? 0.f : b.low[0], hi = b.high.empty() ? 0.f : b.high[0];
    bool uniform = true;
    for (std::size_t i = 0; i < b.low.size(); ++i) uniform = uniform && b.low[i] == lo && b.high[i] == hi;
    out << "Box(";
    if (uniform)
      out << lo << ", " << hi << ", ";
    else
      out << "low/high per element, ";
    out << "(" << b.low.size() << ",), float32)";
  }
  return out.str();
}

bool contains(const Box& box, std::span<const float> values) {
  if (values.size() != box.low.size()) return false;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!(values[i] >= box.low[i] && values[i] <= box.high[i])) return false;  // also rejects NaN
  return true;
}

bool contains(const Space& space, std::span<const std::int32_t> indices) {
  if (const auto* d = std::get_if<Discrete>(&space)) return indices.size() == 1 && indices[0] >= 0 && indices[0] < d->n;
  if (const auto* m = std::get_if<MultiDiscrete>(&space)) {
    if (indices.size() != m->nvec.size()) return false;
    for (std::size_t i = 0; i < indices.size(); ++i)
      if (indices[i] < 0 || indices[i] >= m->nvec[i]) return false;
    return true;
  }
  return false;
}

}  // namespace expanse
