// Env steps per second on one core: random valid actions through VectorEnv, per scenario.
//   build/release/bench/env_throughput [SECONDS_PER_CASE [SCENARIO]]   (from the repository root)
// Prints a Markdown table (the median of three runs per case); docs/benchmarks.md records the
// figures and the machine. Wall-clock times, scaled by the share of the run the thread spent on a
// core (see thread_seconds), so that other load on the machine disturbs them less.
//   build/release/bench/env_throughput --fixed STEPS [SCENARIO [VIEW]]
// plays a fixed number of steps instead (Discrete view unless given, 16 envs, fixed seeds) and prints a
// fingerprint of every reward, flag, observation and action mask: for counting instructions under callgrind,
// which a shared machine does not disturb, and for checking that an optimisation left every
// trajectory unchanged (same fingerprint).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include <time.h>

#include "env/market/market_env.hpp"
#include "env/market/scenario_loader.hpp"
#include "env/random_actions.hpp"
#include "env/vector_env.hpp"

using namespace expanse;
using Clock = std::chrono::steady_clock;

namespace {

// The CPU time of this thread, in seconds. Reading it is a system call (1.3 µs here, as long as
// a step), so it is read at the start and end of a run only: the share of the run's wall-clock
// time the thread was on a core scales the wall-clock times measured inside it. Other processes
// taking turns on the core then disturb the figures less; on an idle machine the share is 1.
double thread_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

struct Result {
  double steps_per_second;       // env steps inside VectorEnv::step only, per second on a core
  double loop_steps_per_second;  // including drawing the random valid actions from the masks
  double ns_per_region_product;
};

// FNV-1a over raw bytes.
void fingerprint_bytes(std::uint64_t& hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001B3ULL;
}

// Random play for `seconds`, or for `max_steps` steps when it is positive; with `fingerprint`, every
// step's results are hashed into it (outside the timed part).
Result measure(const std::string& path, ActionView view, std::size_t num_envs, double seconds, std::size_t max_steps = 0,
               std::uint64_t* fingerprint = nullptr) {
  const MarketEnv prototype(std::make_shared<const MarketSpec>(load_scenario_file(path)), view);
  VectorEnv envs(prototype, num_envs);
  VectorBuffers buffers(envs);
  envs.reset(1, buffers);
  const bool box = is_box(prototype.action_space());
  std::vector<std::int32_t> indices(box ? 0 : num_envs * envs.action_size());
  std::vector<float> values(box ? num_envs * envs.action_size() : 0);
  Rng rng(2);
  std::size_t steps = 0;
  double stepping = 0;
  const auto start = Clock::now();
  const double start_cpu = thread_seconds();
  auto more = [&] {
    return max_steps > 0 ? steps < max_steps : std::chrono::duration<double>(Clock::now() - start).count() < seconds;
  };
  while (more()) {
    for (int batch = 0; batch < 16 && more(); ++batch) {
      for (std::size_t i = 0; i < num_envs; ++i) {
        const std::size_t a = envs.action_size();
        std::span<const std::uint8_t> mask;
        if (envs.mask_size() > 0)
          mask = std::span<const std::uint8_t>(&buffers.action_masks[i * envs.mask_size()], envs.mask_size());
        sample_random_action(prototype.action_space(), mask, rng,
                             box ? std::span<std::int32_t>() : std::span<std::int32_t>(&indices[i * a], a),
                             box ? std::span<float>(&values[i * a], a) : std::span<float>());
      }
      const auto t0 = Clock::now();
      envs.step(indices, values, buffers);
      stepping += std::chrono::duration<double>(Clock::now() - t0).count();
      steps += num_envs;
      if (fingerprint) {
        fingerprint_bytes(*fingerprint, buffers.observations.data(), buffers.observations.size() * sizeof(float));
        fingerprint_bytes(*fingerprint, buffers.rewards.data(), buffers.rewards.size() * sizeof(double));
        fingerprint_bytes(*fingerprint, buffers.terminated.data(), buffers.terminated.size());
        fingerprint_bytes(*fingerprint, buffers.truncated.data(), buffers.truncated.size());
        fingerprint_bytes(*fingerprint, buffers.action_masks.data(), buffers.action_masks.size());
      }
    }
  }
  const double total = thread_seconds() - start_cpu;
  const double on_core = std::min(1.0, total / std::chrono::duration<double>(Clock::now() - start).count());
  stepping *= on_core;
  const double cells = static_cast<double>(prototype.spec().region_count() * prototype.spec().product_count());
  const double n = static_cast<double>(steps);
  return {n / stepping, n / total, stepping / n * 1e9 / cells};
}

// Full load: every region entered (a pilot everywhere in the first quarter, then holding with some
// marketing), cash large enough never to go bankrupt. This is the cost per region-product update
// when every cell of the model is active, which random play does not reach in large scenarios.
double full_load_ns_per_region_product(const std::string& path, std::size_t num_envs, double seconds) {
  Scenario scenario = load_scenario_file(path);
  scenario.company.initial_cash = 1e12;
  const MarketEnv prototype(std::make_shared<const MarketSpec>(scenario), ActionView::kMultiDiscrete);
  const std::size_t R = prototype.spec().region_count();
  VectorEnv envs(prototype, num_envs);
  VectorBuffers buffers(envs);
  envs.reset(1, buffers);
  std::vector<std::int32_t> enter(num_envs * 2 * R), keep(num_envs * 2 * R);
  for (std::size_t i = 0; i < num_envs * R; ++i) {
    enter[2 * i] = static_cast<std::int32_t>(ModeTarget::kPilot);
    enter[2 * i + 1] = keep[2 * i + 1] = 1;
  }
  std::size_t steps = 0;
  int t = 0;
  const auto start = Clock::now();
  const double start_cpu = thread_seconds();
  while (std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
    envs.step(t == 0 ? enter : keep, {}, buffers);
    t = buffers.truncated[0] ? 0 : t + 1;
    steps += num_envs;
  }
  const double total = thread_seconds() - start_cpu;
  return total / static_cast<double>(steps) * 1e9 / static_cast<double>(R * prototype.spec().product_count());
}

// --fixed STEPS [SCENARIO [VIEW]]: a fixed amount of work, for paired comparisons of two builds
// (compare_builds.sh), with the trajectories' fingerprint.
int run_fixed(int argc, char** argv) {
  const long long steps = argc > 2 ? std::atoll(argv[2]) : 0;
  if (steps <= 0) {
    std::fprintf(stderr, "env_throughput --fixed: expected a positive number of steps, e.g. --fixed 48000\n");
    return 2;
  }
  const std::string path = std::string("scenarios/") + (argc > 3 ? argv[3] : "asia-pacific") + ".yaml";
  try {
    const ActionView view = parse_action_view(argc > 4 ? argv[4] : "discrete");
    std::uint64_t fingerprint = 0xCBF29CE484222325ULL;
    const Result r = measure(path, view, 16, 0, static_cast<std::size_t>(steps), &fingerprint);
    std::printf("%s: %lld steps (%s view, 16 envs), fingerprint %016llx, %.0f env steps/s\n", path.c_str(), steps,
                to_string(view), static_cast<unsigned long long>(fingerprint), r.steps_per_second);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "env_throughput: %s\n", e.what());
    return 1;
  }
  return 0;
}

struct Case {
  const char* scenario;
  ActionView view;
  std::size_t envs;
};
const Case kCases[] = {
    {"tiny", ActionView::kDiscrete, 16},
    {"asia-pacific", ActionView::kDiscrete, 16},
    {"asia-pacific", ActionView::kMultiDiscrete, 16},
    {"asia-pacific", ActionView::kBox, 16},
    {"world", ActionView::kDiscrete, 16},
    {"synthetic-1000", ActionView::kDiscrete, 4},
};

// The table of docs/benchmarks.md: every case (or those of scenario `only`), the median of three runs.
void print_speed_table(double seconds, const std::string& only) {
  std::printf(
      "| scenario | regions × products | view | envs | env steps/s | steps/s incl. action sampling | ns per "
      "region-product |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const Case& c : kCases) {
    if (!only.empty() && only != c.scenario) continue;
    const std::string path = std::string("scenarios/") + c.scenario + ".yaml";
    const MarketSpec spec(load_scenario_file(path));
    // The median of three runs: single runs on a shared machine vary by ±20 %.
    Result runs[3];
    for (Result& run : runs) run = measure(path, c.view, c.envs, seconds / 3);
    std::sort(std::begin(runs), std::end(runs),
              [](const Result& a, const Result& b) { return a.steps_per_second < b.steps_per_second; });
    const Result& r = runs[1];
    std::printf("| %s | %zu × %zu | %s | %zu | %.0f | %.0f | %.1f |\n", c.scenario, spec.region_count(),
                spec.product_count(), to_string(c.view), c.envs, r.steps_per_second, r.loop_steps_per_second,
                r.ns_per_region_product);
    std::fflush(stdout);
  }
}

void print_full_load_table(double seconds, const std::string& only) {
  std::printf("\nFull load (every region entered, MultiDiscrete view):\n\n");
  std::printf("| scenario | regions × products | ns per step | ns per region-product |\n|---|---|---|---|\n");
  for (const char* name : {"asia-pacific", "world", "synthetic-1000"}) {
    if (!only.empty() && only != name) continue;
    const std::string path = std::string("scenarios/") + name + ".yaml";
    const MarketSpec spec(load_scenario_file(path));
    double runs[3];
    for (double& run : runs) run = full_load_ns_per_region_product(path, 4, seconds / 3);
    std::sort(std::begin(runs), std::end(runs));
    const double cells = static_cast<double>(spec.region_count() * spec.product_count());
    std::printf("| %s | %zu × %zu | %.0f | %.1f |\n", name, spec.region_count(), spec.product_count(), runs[1] * cells,
                runs[1]);
  }
}

}  // namespace

constexpr const char* kUsage =
    "usage: env_throughput [SECONDS_PER_CASE [SCENARIO]]       (from the repository root)\n"
    "       env_throughput --fixed STEPS [SCENARIO [VIEW]]\n";

int main(int argc, char** argv) {
  if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::printf("%s", kUsage);
    return 0;
  }
  if (argc > 1 && std::string(argv[1]) == "--fixed") return run_fixed(argc, argv);
  char* end = nullptr;
  const double seconds = argc > 1 ? std::strtod(argv[1], &end) : 2.0;
  if (argc > 1 && (end == argv[1] || *end != '\0' || !(seconds > 0))) {
    std::fprintf(stderr, "env_throughput: expected a positive number of seconds per case, got \"%s\"\n%s", argv[1],
                 kUsage);
    return 2;
  }
  const std::string only = argc > 2 ? argv[2] : "";  // optional: one scenario name
  if (!only.empty() &&
      std::none_of(std::begin(kCases), std::end(kCases), [&](const Case& c) { return only == c.scenario; })) {
    std::fprintf(stderr,
                 "env_throughput: no benchmark case for scenario \"%s\" (tiny, asia-pacific, world, synthetic-1000)\n",
                 only.c_str());
    return 2;
  }
  print_speed_table(seconds, only);
  print_full_load_table(seconds, only);
  return 0;
}
