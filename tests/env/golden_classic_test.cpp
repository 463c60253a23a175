// Replays Gymnasium 1.4.0's own trajectories (tests/data/golden, see its README) through the C++
// reference envs: every row's next state, reward, flags and float32 observation must agree.
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>
#include <string>

#include "env/classic/acrobot.hpp"
#include "env/classic/cartpole.hpp"
#include "env/classic/mountain_car_continuous.hpp"
#include "env/classic/pendulum.hpp"
#include "tests/csv_table.hpp"

using namespace expanse;
using expanse::test::CsvTable;

namespace {

CsvTable golden(const std::string& name) {
  return test::read_csv(std::string(EXPANSE_TEST_DATA) + "/golden/" + name);
}

// Relative agreement at float64 precision (absolute near zero).
bool close(double actual, double expected) {
  return std::abs(actual - expected) <= 1e-12 * std::max(1.0, std::abs(expected));
}

template <std::size_t N>
std::array<double, N> row_state(const CsvTable& t, std::size_t row, const char* (&names)[N], const char* prefix) {
  std::array<double, N> s{};
  for (std::size_t i = 0; i < N; ++i) s[i] = t.at(row, std::string(prefix) + names[i]);
  return s;
}

// Checks one env over every row: set state, step with the recorded action, compare.
template <typename EnvT, std::size_t N, typename SetState, typename MakeAction>
void replay(const CsvTable& t, const char* (&names)[N], SetState set_state, MakeAction make_action) {
  EnvT env;
  std::vector<float> obs(env.observation_size());
  std::size_t mismatches = 0;
  for (std::size_t row = 0; row < t.rows.size(); ++row) {
    set_state(env, row_state(t, row, names, "s_"), static_cast<int>(t.at(row, "t")));
    const StepResult r = env.step(make_action(t, row), obs);
    const auto expected = row_state(t, row, names, "next_s_");
    bool ok = close(r.reward, t.at(row, "reward")) && r.terminated == (t.at(row, "terminated") != 0) &&
              r.truncated == (t.at(row, "truncated") != 0);
    for (std::size_t i = 0; i < N; ++i) ok = ok && close(env.state()[i], expected[i]);
    for (std::size_t i = 0; i < obs.size(); ++i)
      ok = ok && obs[i] == static_cast<float>(t.at(row, "next_obs_" + std::to_string(i)));
    if (!ok && ++mismatches <= 3) {
      std::ostringstream why;
      why.precision(17);
      why << "row " << row << " (episode " << t.at(row, "episode") << ", t " << t.at(row, "t") << "):";
      for (std::size_t i = 0; i < N; ++i) why << " " << names[i] << " " << env.state()[i] << " vs " << expected[i];
      why << "; reward " << r.reward << " vs " << t.at(row, "reward");
      for (std::size_t i = 0; i < obs.size(); ++i)
        why << "; obs" << i << " " << obs[i] << " vs " << t.at(row, "next_obs_" + std::to_string(i));
      FAIL_CHECK(why.str());
    }
  }
  CHECK(mismatches == 0);
}

}  // namespace

TEST_CASE("CartPole-v1 replays Gymnasium's golden trajectories", "[golden]") {
  static const char* names[] = {"x", "x_dot", "theta", "theta_dot"};
  replay<CartPole>(
      golden("cartpole_v1.csv"), names, [](CartPole& e, const CartPole::State& s, int t) { e.set_state(s, t); },
      [](const CsvTable& t, std::size_t row) {
        static std::int32_t a;
        a = static_cast<std::int32_t>(t.at(row, "action_0"));
        return Action::discrete(a);
      });
}

TEST_CASE("Acrobot-v1 replays Gymnasium's golden trajectories", "[golden]") {
  static const char* names[] = {"theta1", "theta2", "dtheta1", "dtheta2"};
  replay<Acrobot>(
      golden("acrobot_v1.csv"), names, [](Acrobot& e, const Acrobot::State& s, int t) { e.set_state(s, t); },
      [](const CsvTable& t, std::size_t row) {
        static std::int32_t a;
        a = static_cast<std::int32_t>(t.at(row, "action_0"));
        return Action::discrete(a);
      });
}

TEST_CASE("Pendulum-v1 replays Gymnasium's golden trajectories", "[golden]") {
  static const char* names[] = {"theta", "theta_dot"};
  replay<Pendulum>(
      golden("pendulum_v1.csv"), names, [](Pendulum& e, const Pendulum::State& s, int t) { e.set_state(s, t); },
      [](const CsvTable& t, std::size_t row) {
        static float u;
        u = static_cast<float>(t.at(row, "action_0"));
        return Action{{}, std::span<const float>(&u, 1)};
      });
}

TEST_CASE("MountainCarContinuous-v0 replays Gymnasium's golden trajectories", "[golden]") {
  static const char* names[] = {"position", "velocity"};
  replay<MountainCarContinuous>(
      golden("mountain_car_continuous_v0.csv"), names,
      [](MountainCarContinuous& e, const MountainCarContinuous::State& s, int t) { e.set_state(s, t); },
      [](const CsvTable& t, std::size_t row) {
        static float u;
        u = static_cast<float>(t.at(row, "action_0"));
        return Action{{}, std::span<const float>(&u, 1)};
      });
}

TEST_CASE("Reference envs continue a golden episode from its first state", "[golden]") {
  // Whole-episode replay: only the first state is set, errors would compound if any step drifted.
  const CsvTable t = golden("acrobot_v1.csv");
  Acrobot env;
  static const char* names[] = {"theta1", "theta2", "dtheta1", "dtheta2"};
  env.set_state(row_state(t, 0, names, "s_"), 0);
  std::size_t row = 0;
  for (; row < t.rows.size() && t.at(row, "episode") == 0; ++row) {
    const std::int32_t a = static_cast<std::int32_t>(t.at(row, "action_0"));
    env.step(a);
  }
  const auto expected = row_state(t, row - 1, names, "next_s_");
  for (std::size_t i = 0; i < 4; ++i) CHECK(std::abs(env.state()[i] - expected[i]) < 1e-9);
}
