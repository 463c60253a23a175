// The C++ core of the Python package `expanse` (python/expanse/): thin pybind11 bindings over
// MarketEnv and VectorEnv. Arrays cross as NumPy arrays filled in C++; the Gymnasium contract
// (spaces, info dicts, seeding semantics) lives in the pure-Python layer.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>

#include "common/rng.hpp"
#include "common/user_error.hpp"
#include "env/market/market_env.hpp"
#include "env/market/scenario_overrides.hpp"
#include "env/vector_env.hpp"

namespace py = pybind11;
using namespace expanse;

namespace {

template <typename T>
py::array_t<T> to_array(const T* data, std::vector<py::ssize_t> shape) {
  py::array_t<T> out(shape);
  std::memcpy(out.mutable_data(), data, static_cast<std::size_t>(out.size()) * sizeof(T));
  return out;
}

template <typename T>
py::array_t<T> to_array(const std::vector<T>& v) {
  return to_array(v.data(), {static_cast<py::ssize_t>(v.size())});
}

py::dict describe_space(const Space& space) {
  py::dict d;
  if (const auto* s = std::get_if<Discrete>(&space)) {
    d["kind"] = "discrete";
    d["n"] = s->n;
  } else if (const auto* m = std::get_if<MultiDiscrete>(&space)) {
    d["kind"] = "multidiscrete";
    d["nvec"] = to_array(m->nvec);
  } else {
    const auto& b = std::get<Box>(space);
    d["kind"] = "box";
    d["low"] = to_array(b.low);
    d["high"] = to_array(b.high);
  }
  return d;
}

// Env::entity_layout() as a dict (docs/python.md).
py::dict entity_layout_dict(const Env& env) {
  const EntityLayout layout = env.entity_layout();
  py::dict d;
  d["global_count"] = layout.global_count;
  d["block_offset"] = layout.block_offset;
  d["block_size"] = layout.block_size;
  d["entities"] = layout.entities;
  d["output_entity"] = layout.output_entity;
  d["output_slot"] = layout.output_slot;
  d["entity_outputs"] = layout.entity_outputs;
  d["global_outputs"] = layout.global_outputs;
  return d;
}

py::dict quarter_info(const MarketEnv& env, const StepResult& r) {
  const QuarterReport& q = env.last_quarter();
  py::dict info;
  info["invalid_action"] = r.invalid_action;
  info["events"] = describe_events(r.events);
  info["quarter"] = q.quarter;
  info["cash"] = q.cash;
  info["revenue"] = q.revenue;
  info["costs"] = q.costs;
  info["profit"] = q.profit;
  return info;
}

// Reads an action for `space` from a Python object into the buffers (no Python per element).
void read_action(const Space& space, const py::handle& action, std::vector<std::int32_t>& indices,
                 std::vector<float>& values) {
  if (is_box(space)) {
    auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(action);
    if (!a || static_cast<std::size_t>(a.size()) != values.size())
      throw py::value_error("expected an action of " + std::to_string(values.size()) + " floats");
    std::memcpy(values.data(), a.data(), values.size() * sizeof(float));
  } else {
    auto a = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>::ensure(action);
    if (!a || static_cast<std::size_t>(a.size()) != indices.size())
      throw py::value_error("expected an action of " + std::to_string(indices.size()) + " integers");
    std::memcpy(indices.data(), a.data(), indices.size() * sizeof(std::int32_t));
  }
}

struct Scenario_ {
  std::shared_ptr<const MarketSpec> spec;
};

class SingleEnv {
 public:
  SingleEnv(const Scenario_& scenario, const std::string& view)
      : env_(scenario.spec, parse_action_view(view)),
        obs_(env_.observation_size()),
        indices_(is_box(env_.action_space()) ? 0 : flat_size(env_.action_space())),
        values_(is_box(env_.action_space()) ? flat_size(env_.action_space()) : 0),
        mask_(mask_size(env_.action_space())) {}

  py::array_t<float> reset(std::uint64_t seed) {
    env_.reset(seed, obs_);
    return to_array(obs_);
  }

  py::tuple step(const py::handle& action) {
    read_action(env_.action_space(), action, indices_, values_);
    const StepResult r = env_.step(Action{indices_, values_}, obs_);
    return py::make_tuple(to_array(obs_), r.reward, r.terminated, r.truncated, quarter_info(env_, r));
  }

  py::array_t<std::int8_t> action_mask() {
    env_.action_mask(mask_);
    py::array_t<std::int8_t> out(static_cast<py::ssize_t>(mask_.size()));
    std::copy(mask_.begin(), mask_.end(), out.mutable_data());
    return out;
  }

  const MarketEnv& env() const { return env_; }

 private:
  MarketEnv env_;
  std::vector<float> obs_;
  std::vector<std::int32_t> indices_;
  std::vector<float> values_;
  std::vector<std::uint8_t> mask_;
};

class BatchEnv {
 public:
  BatchEnv(const Scenario_& scenario, const std::string& view, std::size_t num_envs)
      : prototype_(scenario.spec, parse_action_view(view)),
        envs_(prototype_, num_envs),
        buffers_(envs_),
        indices_(is_box(prototype_.action_space()) ? 0 : num_envs * envs_.action_size()),
        values_(is_box(prototype_.action_space()) ? num_envs * envs_.action_size() : 0) {}

  py::array_t<float> reset(std::uint64_t seed) {
    envs_.reset(seed, buffers_);
    return observations();
  }

  // Returns (obs, rewards, terminated, truncated, invalid, final_obs, episode_returns, episode_lengths).
  py::tuple step(const py::handle& actions) {
    read_action(prototype_.action_space(), actions, indices_, values_);
    envs_.step(indices_, values_, buffers_);
    const auto E = static_cast<py::ssize_t>(envs_.size()), D = static_cast<py::ssize_t>(envs_.observation_size());
    py::array_t<bool> terminated(E), truncated(E), invalid(E);
    for (py::ssize_t i = 0; i < E; ++i) {
      terminated.mutable_data()[i] = buffers_.terminated[static_cast<std::size_t>(i)];
      truncated.mutable_data()[i] = buffers_.truncated[static_cast<std::size_t>(i)];
      invalid.mutable_data()[i] = buffers_.invalid_actions[static_cast<std::size_t>(i)];
    }
    return py::make_tuple(observations(), to_array(buffers_.rewards), terminated, truncated, invalid,
                          to_array(buffers_.final_observations.data(), {E, D}), to_array(buffers_.episode_returns),
                          to_array(buffers_.episode_lengths));
  }

  py::array_t<std::int8_t> action_masks() const {
    const auto E = static_cast<py::ssize_t>(envs_.size()), M = static_cast<py::ssize_t>(envs_.mask_size());
    py::array_t<std::int8_t> out({E, M});
    std::copy(buffers_.action_masks.begin(), buffers_.action_masks.end(), out.mutable_data());
    return out;
  }

  std::size_t size() const { return envs_.size(); }

 private:
  py::array_t<float> observations() const {
    return to_array(buffers_.observations.data(),
                    {static_cast<py::ssize_t>(envs_.size()), static_cast<py::ssize_t>(envs_.observation_size())});
  }

  MarketEnv prototype_;
  VectorEnv envs_;
  VectorBuffers buffers_;
  std::vector<std::int32_t> indices_;
  std::vector<float> values_;
};

std::string join(const UserError& e) {
  std::string text;
  for (const auto& d : e.diagnostics()) text += (text.empty() ? "" : "\n") + d.str();
  return text;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "C++ core of the expanse package (use expanse.make / expanse.make_vec)";
  static py::exception<UserError> scenario_error(m, "ScenarioError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const UserError& e) {
      scenario_error(join(e).c_str());
    } catch (const std::invalid_argument& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });

  m.def("derive_seed", &derive_seed, "The seed of stream `index` derived from `seed` (as VectorEnv seeds its envs).");

  py::class_<Scenario_>(m, "Scenario")
      .def(py::init([](const std::string& path, const std::string& overrides) {
             return Scenario_{std::make_shared<const MarketSpec>(load_scenario_with_overrides(path, overrides))};
           }),
           py::arg("path"), py::arg("overrides") = "")
      .def_property_readonly("name", [](const Scenario_& s) { return s.spec->scenario().name; })
      .def_property_readonly("source", [](const Scenario_& s) { return s.spec->scenario().source; })
      .def_property_readonly("horizon", [](const Scenario_& s) { return s.spec->scenario().horizon; })
      .def_property_readonly("regions", [](const Scenario_& s) {
        std::vector<std::string> ids;
        for (const auto& r : s.spec->scenario().regions) ids.push_back(r.country.id);
        return ids;
      });

  py::class_<SingleEnv>(m, "Env")
      .def(py::init<const Scenario_&, const std::string&>(), py::arg("scenario"), py::arg("view"))
      .def("reset", &SingleEnv::reset, py::arg("seed"))
      .def("step", &SingleEnv::step, py::arg("action"))
      .def("action_mask", &SingleEnv::action_mask)
      .def_property_readonly("observation_space",
                             [](const SingleEnv& e) { return describe_space(e.env().observation_space()); })
      .def_property_readonly("action_space", [](const SingleEnv& e) { return describe_space(e.env().action_space()); })
      .def_property_readonly("observation_names", [](const SingleEnv& e) { return e.env().observation_names(); })
      .def_property_readonly("entity_layout", [](const SingleEnv& e) { return entity_layout_dict(e.env()); })
      .def_property_readonly("name", [](const SingleEnv& e) { return e.env().name(); });

  py::class_<BatchEnv>(m, "VectorEnv")
      .def(py::init<const Scenario_&, const std::string&, std::size_t>(), py::arg("scenario"), py::arg("view"),
           py::arg("num_envs"))
      .def("reset", &BatchEnv::reset, py::arg("seed"))
      .def("step", &BatchEnv::step, py::arg("actions"))
      .def("action_masks", &BatchEnv::action_masks)
      .def_property_readonly("num_envs", &BatchEnv::size);
}
