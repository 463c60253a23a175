#include "agents/rl/training.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>

#include "agents/rl/checkpoint_file.hpp"
#include "agents/rl/learner.hpp"
#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "common/text_file.hpp"
#include "common/user_error.hpp"
#include "common/version.hpp"
#include "common/yaml_reader.hpp"
#include "env/classic/classic_envs.hpp"
#include "env/episodes.hpp"
#include "env/market/market_env.hpp"
#include "env/market/scenario_loader.hpp"

namespace expanse::agents {
namespace fs = std::filesystem;

namespace {

UserError run_error(const fs::path& path, const std::string& message) {
  return UserError(Diagnostic{path.string(), 0, 0, "", message});
}

// The selected BLAS, for the record (Debian's alternatives link), or "" when unknown.
std::string blas_name() {
  std::error_code ec;
  const fs::path link = fs::read_symlink("/etc/alternatives/libblas.so.3-x86_64-linux-gnu", ec);
  return ec ? "" : link.string();
}

// The kernels in use, for the record: OpenBLAS's core (when the BLAS is an OpenBLAS that chooses
// by processor) and LibTorch's capability setting (rl/pinned_kernels.cpp pins both, unless the user did).
std::string kernels_in_use() {
  std::string kernels;
  using CoreName = char* (*)();
  if (const auto core_name = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename")))
    kernels.append("openblas:").append(core_name());
  const char* capability = std::getenv("ATEN_CPU_CAPABILITY");
  if (!kernels.empty()) kernels += ' ';
  kernels.append("aten:").append(capability != nullptr ? capability : "auto");
  return kernels;
}

struct RunFile {
  std::string env;
  std::string view;
  std::string algorithm;
  std::int64_t steps = 0;
  std::uint64_t seed = 0;
  std::string init;  // the run whose networks this one started from (transfer), if any
};

std::string run_yaml(const RunFile& run) {
  std::ostringstream out;
  out << "env: " << json_string(run.env) << "\n";
  if (!run.view.empty()) out << "view: " << run.view << "\n";
  out << "algorithm: " << run.algorithm << "\nsteps: " << run.steps << "\nseed: " << run.seed << "\n";
  if (!run.init.empty()) out << "init: " << json_string(run.init) << "\n";
  return out.str();
}

RunFile read_run_yaml(const fs::path& path) {
  const YAML::Node root = parse_yaml_document(read_text_file(path), path.string());
  Diagnostics diagnostics(path.string());
  RunFile run;
  {
    MapReader map(root, "", diagnostics);
    map.text("env", run.env, Need::kRequired);
    map.text("view", run.view);
    map.text("algorithm", run.algorithm, Need::kRequired);
    double steps = 0;
    map.number("steps", steps, 0, 9e15, Need::kRequired);
    run.steps = static_cast<std::int64_t>(steps);
    map.seed("seed", run.seed);
    map.text("init", run.init);
  }
  diagnostics.throw_if_any();
  return run;
}

void save_checkpoint(const fs::path& dir, const Learner& learner, const RunContext& ctx, const VectorEnv& envs,
                     std::int64_t metrics_offset) {
  torch::serialize::OutputArchive archive;
  write_int(archive, "global_step", ctx.global_step);
  write_int(archive, "metrics_offset", metrics_offset);
  write_rng(archive, "rng", ctx.rng);
  write_int(archive, "episodes", ctx.episodes);
  write_array(archive, "recent_returns", ctx.recent_returns);
  const VectorEnvState state = envs.state();
  std::vector<std::int64_t> seeds(state.env_seeds.begin(), state.env_seeds.end());
  std::vector<std::int64_t> started(state.episodes_started.begin(), state.episodes_started.end());
  write_array(archive, "env.seeds", seeds);
  write_array(archive, "env.episodes_started", started);
  for (std::size_t i = 0; i < state.indices.size(); ++i) {
    write_array(archive, "env.indices." + std::to_string(i), state.indices[i]);
    write_array(archive, "env.values." + std::to_string(i), state.values[i]);
  }
  learner.save(archive);
  write_checkpoint_file(dir / "checkpoint.pt", archive);
}

// An exception's message on one line: LibTorch's errors carry a stack trace after the first.
std::string one_line(const std::exception& e) {
  const auto* torch_error = dynamic_cast<const c10::Error*>(&e);
  const std::string text = torch_error ? torch_error->what_without_backtrace() : e.what();
  return text.substr(0, text.find('\n'));
}

struct Restored {
  std::int64_t metrics_offset = 0;
};

Restored load_checkpoint(const fs::path& file, Learner& learner, RunContext& ctx, VectorEnv& envs,
                         VectorBuffers& buffers) {
  torch::serialize::InputArchive archive;
  read_checkpoint_file(file, archive);
  try {
    ctx.global_step = read_int(archive, "global_step");
    Restored restored{read_int(archive, "metrics_offset")};
    read_rng(archive, "rng", ctx.rng);
    ctx.episodes = static_cast<int>(read_int(archive, "episodes"));
    read_array(archive, "recent_returns", ctx.recent_returns);
    std::vector<std::int64_t> seeds, started;
    read_array(archive, "env.seeds", seeds);
    read_array(archive, "env.episodes_started", started);
    VectorEnvState state;
    state.env_seeds.assign(seeds.begin(), seeds.end());
    state.episodes_started.assign(started.begin(), started.end());
    state.indices.resize(seeds.size());
    state.values.resize(seeds.size());
    for (std::size_t i = 0; i < seeds.size(); ++i) {
      read_array(archive, "env.indices." + std::to_string(i), state.indices[i]);
      read_array(archive, "env.values." + std::to_string(i), state.values[i]);
    }
    envs.restore(state, buffers);
    learner.load(archive);
    return restored;
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    throw run_error(file, "cannot resume from this checkpoint: " + one_line(e));
  }
}

class ProgressLine {
 public:
  ProgressLine(bool enabled, std::string label, std::int64_t total)
      : enabled_(enabled && isatty(STDERR_FILENO)), label_(std::move(label)), total_(total) {}

  void update(const RunContext& ctx, double steps_per_second, bool force = false) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double fraction = static_cast<double>(ctx.global_step) / static_cast<double>(total_);
    const double eta = steps_per_second > 0 ? static_cast<double>(total_ - ctx.global_step) / steps_per_second : 0;
    std::fprintf(stderr, "\r%s %lld/%lld steps (%.0f%%)  %.0f steps/s  return %s  ETA %.0f s   ", label_.c_str(),
                 static_cast<long long>(ctx.global_step), static_cast<long long>(total_), 100 * fraction,
                 steps_per_second, ctx.recent_returns.empty() ? "-" : json_number(ctx.recent_mean()).c_str(), eta);
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  std::string label_;
  std::int64_t total_;
  std::chrono::steady_clock::time_point last_{};
};

class LoadedPolicy final : public TrainedPolicy {
 public:
  LoadedPolicy(std::unique_ptr<Env> env, std::unique_ptr<Learner> learner)
      : env_(std::move(env)), learner_(std::move(learner)) {}
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    learner_->act(input, indices, values);
  }
  const Env& env() const override { return *env_; }

 private:
  std::unique_ptr<Env> env_;
  std::unique_ptr<Learner> learner_;
};

}  // namespace

namespace {
bool is_scenario_path(const std::string& env) {
  const auto ext = fs::path(env).extension().string();
  return ext == ".yaml" || ext == ".yml";
}
}  // namespace

namespace {

UserError unknown_env(const std::string& env) {
  std::string ids;
  for (const auto& id : classic_env_ids()) ids += (ids.empty() ? "" : ", ") + id;
  return run_error(env, "not an env id (" + ids + ") nor a scenario file (*.yaml)");
}

}  // namespace

TrainingEnv::TrainingEnv(const std::string& env) : name(env) {
  if (make_classic_env(env)) return;
  if (!is_scenario_path(env)) throw unknown_env(env);
  market = std::make_shared<const MarketSpec>(load_scenario_file(env));
}

std::unique_ptr<Env> make_training_env(const TrainingEnv& env, const std::string& view) {
  if (!env.market) {
    if (auto classic = make_classic_env(env.name)) return classic;
    throw unknown_env(env.name);
  }
  ActionView action_view = ActionView::kDiscrete;
  try {
    action_view = parse_action_view(view.empty() ? "discrete" : view);
  } catch (const std::exception& e) {
    throw run_error(env.name, std::string("view: ") + e.what());
  }
  return std::make_unique<MarketEnv>(env.market, action_view);
}

void RunContext::after_step() {
  for (std::size_t i = 0; i < envs.size(); ++i) {
    if (!buffers.terminated[i] && !buffers.truncated[i]) continue;
    record_episode(buffers.episode_returns[i], buffers.episode_lengths[i]);
  }
}

void RunContext::record_episode(double episodic_return, int episodic_length) {
  metrics->episode(global_step, episodic_return, episodic_length);
  ++episodes;
  recent_returns.push_back(episodic_return);
  if (recent_returns.size() > 100) recent_returns.erase(recent_returns.begin());
}

double RunContext::recent_mean() const {
  if (recent_returns.empty()) return std::nan("");
  return std::accumulate(recent_returns.begin(), recent_returns.end(), 0.0) / static_cast<double>(recent_returns.size());
}

namespace {

const std::string& run_algorithm(const fs::path& run_dir, const RunFile& run) {
  try {
    require_algorithm(run.algorithm);
    return run.algorithm;
  } catch (const std::exception& e) {
    throw run_error(run_dir / "run.yaml", std::string("algorithm: ") + e.what());
  }
}

// An entity network's blocks hold one observed adoption per product: a run moves to another
// scenario only if its products are the same, in the same order.
void check_same_products(const fs::path& run_dir, const Env& env, const std::string& env_name) {
  const auto* market = dynamic_cast<const MarketEnv*>(&env);
  const fs::path copy = run_dir / "scenario.yaml";
  if (!market || !fs::exists(copy)) return;
  auto ids = [](const Scenario& scenario) {
    std::string list;
    for (const auto& p : scenario.products) list += (list.empty() ? "" : ", ") + p.id;
    return list;
  };
  const std::string theirs = ids(load_scenario_file(copy.string())), ours = ids(market->spec().scenario());
  if (theirs != ours)
    throw run_error(env_name, "products [" + ours + "] differ from those the run in " + run_dir.string() +
                                  " was trained with [" + theirs + "]: its networks read other observations");
}

// Starts `learner` from the networks of the run in `init_dir` (`--init`).
void load_initial_weights(const fs::path& init_dir, const std::string& algorithm, const Env& env,
                          const std::string& env_name, Learner& learner) {
  const RunFile run = read_run_yaml(init_dir / "run.yaml");
  if (run_algorithm(init_dir, run) != algorithm)
    throw run_error(init_dir / "run.yaml",
                    "--init: the run trained " + run.algorithm + ", this one trains " + algorithm);
  const auto* market = dynamic_cast<const MarketEnv*>(&env);
  const std::string view = market ? to_string(market->view()) : "";
  if (run.view != view)
    throw run_error(init_dir / "run.yaml", "--init: the run acted in the " + (run.view.empty() ? "classic" : run.view) +
                                               " view, this one in the " + (view.empty() ? "classic" : view) + " view");
  check_same_products(init_dir, env, env_name);
  const fs::path file = init_dir / "checkpoint.pt";
  if (!fs::exists(file)) throw run_error(file, "--init: no checkpoint: the run has not saved a policy yet");
  torch::serialize::InputArchive archive;
  read_checkpoint_file(file, archive);
  try {
    learner.load_weights(archive);
  } catch (const std::exception& e) {
    throw run_error(file, "--init: cannot start from this run: " + one_line(e));
  }
}

// The run folder before training: a resume must continue the same run (hyperparameters, env,
// steps, seed, scenario content); a fresh run must not overwrite another. Returns whether it resumes.
bool check_run_folder(const TrainRequest& request, const RunFile& run, const std::string& config_text) {
  const fs::path& dir = request.out;
  if (request.resume) remove_stale_temporaries(dir.string(), false);  // a checkpoint write cut short
  if (!request.resume || !fs::exists(dir / "checkpoint.pt")) {
    // --resume of a run killed before its first checkpoint starts it afresh.
    if (!request.resume && (fs::exists(dir / "run.yaml") || fs::exists(dir / "checkpoint.pt")))
      throw run_error(dir, "already holds a training run; pass --resume to continue it, or choose another --out");
    return false;
  }
  if (read_text_file(dir / "config.yaml") != config_text)
    throw run_error(dir / "config.yaml",
                    "the run was started with other hyperparameters; resume with the same --config");
  if (read_text_file(dir / "run.yaml") != run_yaml(run))
    throw run_error(dir / "run.yaml", "the run was started with another env, --steps or --seed; resume with the same");
  // The scenario is named by its path: its content must not have changed either (comments may).
  if (!run.view.empty() &&
      canonical_yaml(read_text_file(dir / "scenario.yaml")) != canonical_yaml(read_text_file(run.env)))
    throw run_error(run.env, "changed since the run started; resume with the scenario as it was (its copy: " +
                                 (dir / "scenario.yaml").string() + ")");
  return true;
}

// A fresh run's folder: its hyperparameters, its scenario's copy, and what it trains (run.yaml).
void start_run_folder(const fs::path& dir, const RunFile& run, const std::string& config_text) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw run_error(dir, "cannot create the directory: " + ec.message());
  write_file_atomically((dir / "config.yaml").string(), config_text);
  if (!run.view.empty()) write_file_atomically((dir / "scenario.yaml").string(), read_text_file(run.env));
  write_file_atomically((dir / "run.yaml").string(), run_yaml(run));
}

// Iterates the learner to request.steps (or a stop), with checkpoints every checkpoint_interval
// steps, at a requested stop and at the end, and a progress line. The summary's timing and
// training figures; `finished` false when stopped early.
TrainSummary training_loop(const TrainRequest& request, bool resuming, Learner& learner, RunContext& ctx,
                           VectorEnv& envs, MetricsLog& metrics) {
  const AgentConfig& config = request.config;
  const fs::path checkpoint = request.out / "checkpoint.pt";
  const std::int64_t interval =
      config.checkpoint_interval > 0 ? config.checkpoint_interval : std::max<std::int64_t>(1, request.steps / 20);
  std::int64_t next_checkpoint = (ctx.global_step / interval + 1) * interval;
  std::int64_t last_checkpoint = resuming ? ctx.global_step : -1;
  auto checkpoint_now = [&] {
    save_checkpoint(request.out, learner, ctx, envs, metrics.flush());
    last_checkpoint = ctx.global_step;
  };

  ProgressLine progress(request.progress, std::string(config.traits().name) + " " + request.env.name, request.steps);
  const std::int64_t first_step = ctx.global_step;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  try {
    while (ctx.global_step < request.steps) {
      learner.iterate(ctx);
      if (ctx.global_step >= next_checkpoint && ctx.global_step < request.steps) {
        checkpoint_now();
        next_checkpoint = (ctx.global_step / interval + 1) * interval;
      }
      const double seconds = elapsed();
      progress.update(ctx, seconds > 0 ? static_cast<double>(ctx.global_step - first_step) / seconds : 0);
      if (request.stop_after > 0 && ctx.global_step >= request.stop_after) break;
      if (request.stop_requested && *request.stop_requested && ctx.global_step < request.steps) {
        checkpoint_now();  // a resume continues exactly here
        break;
      }
    }
  } catch (const NonFiniteLoss& e) {
    progress.finish();
    metrics.flush();
    throw run_error(request.out,
                    std::string("training stopped: ") + e.what() +
                        (last_checkpoint >= 0 ? "; the last good checkpoint is " + checkpoint.string() +
                                                    " (global step " + std::to_string(last_checkpoint) + ")"
                                              : "; no checkpoint was written before it"));
  }
  TrainSummary summary;
  summary.seconds = elapsed();
  summary.steps = ctx.global_step;
  summary.episodes = ctx.episodes;
  summary.last100_mean_return = ctx.recent_mean();
  summary.steps_per_second = summary.seconds > 0 ? static_cast<double>(ctx.global_step - first_step) / summary.seconds : 0;
  progress.update(ctx, summary.steps_per_second, true);
  progress.finish();
  summary.finished = ctx.global_step >= request.steps;
  if (summary.finished)
    checkpoint_now();
  else
    metrics.flush();  // stopped: the last checkpoint is where a resume starts
  return summary;
}

void write_summary_json(const TrainRequest& request, const RunFile& run, const TrainSummary& summary,
                        std::size_t eval_episodes, bool resumed) {
  std::ostringstream json;
  json << "{\n"
       << "  \"algorithm\": " << json_string(run.algorithm) << ",\n"
       << "  \"env\": " << json_string(request.env.name) << ",\n"
       << "  \"seed\": " << request.seed << ",\n"
       << "  \"steps\": " << summary.steps << ",\n"
       << "  \"episodes\": " << summary.episodes << ",\n"
       << "  \"final_eval_mean_return\": " << json_number(summary.final_eval_mean_return) << ",\n"
       << "  \"final_eval_std_return\": " << json_number(summary.final_eval_std_return) << ",\n"
       << "  \"final_eval_episodes\": " << eval_episodes << ",\n"
       << "  \"last100_mean_return\": " << json_number(summary.last100_mean_return) << ",\n"
       << "  \"steps_per_second\": " << json_number(summary.steps_per_second) << ",\n"
       << "  \"seconds\": " << json_number(summary.seconds) << ",\n"
       << "  \"resumed\": " << (resumed ? "true" : "false") << ",\n"
       << "  \"torch_threads\": " << at::get_num_threads() << ",\n"
       << "  \"blas\": " << json_string(blas_name()) << ",\n"
       << "  \"kernels\": " << json_string(kernels_in_use()) << ",\n"
       << "  \"expanse_version\": " << json_string(expanse_version()) << "\n"
       << "}\n";
  write_file_atomically((request.out / "summary.json").string(), json.str());
}

}  // namespace

ReturnStats return_stats(const std::vector<double>& returns) {
  ReturnStats stats;
  stats.mean = std::accumulate(returns.begin(), returns.end(), 0.0) / static_cast<double>(returns.size());
  double squares = 0;
  for (double r : returns) squares += (r - stats.mean) * (r - stats.mean);
  stats.sd = std::sqrt(squares / static_cast<double>(returns.size()));
  return stats;
}

TrainSummary train(const TrainRequest& request) {
  const AgentConfig& config = request.config;
  // One thread: results are bit-reproducible, and parallel runs use one process per core.
  at::set_num_threads(1);
  if (request.steps <= 0) throw run_error(request.out, "--steps must be positive");
  const bool market = request.env.market != nullptr;
  const std::string view = market ? config.market_view() : "";
  const RunFile run{market ? fs::absolute(request.env.name).string() : request.env.name,
                    view,
                    config.traits().name,
                    request.steps,
                    request.seed,
                    request.init.empty() ? "" : fs::absolute(request.init).string()};
  const std::string config_text = agent_config_yaml(config);
  const bool resuming = check_run_folder(request, run, config_text);

  std::unique_ptr<Env> prototype = make_training_env(request.env, view);
  VectorEnv envs(*prototype, static_cast<std::size_t>(config.num_envs()));
  envs.record_actions(true);
  VectorBuffers buffers(envs);
  std::unique_ptr<Learner> learner = make_learner(config, *prototype, request.steps, request.seed);
  Rng rng(derive_seed(request.seed, 2));
  RunContext ctx{envs, buffers, rng, nullptr, 0, 0, {}};
  std::int64_t metrics_offset = -1;
  if (resuming) {
    metrics_offset = load_checkpoint(request.out / "checkpoint.pt", *learner, ctx, envs, buffers).metrics_offset;
  } else {
    if (!request.init.empty()) load_initial_weights(request.init, config.traits().name, *prototype, run.env, *learner);
    start_run_folder(request.out, run, config_text);  // only now, with env and learner built
    envs.reset(derive_seed(request.seed, 1), buffers);
  }
  MetricsLog metrics((request.out / "metrics.csv").string(), learner->loss_names(), metrics_offset);
  ctx.metrics = &metrics;

  TrainSummary summary = training_loop(request, resuming, *learner, ctx, envs, metrics);
  if (!summary.finished) return summary;
  // Training is over: the learner and the prototype become the evaluated policy.
  LoadedPolicy trained(std::move(prototype), std::move(learner));
  const std::vector<double> returns = evaluate_policy(trained, config.eval_episodes, derive_seed(request.seed, 3));
  const ReturnStats stats = return_stats(returns);
  summary.final_eval_mean_return = stats.mean;
  summary.final_eval_std_return = stats.sd;
  write_summary_json(request, run, summary, returns.size(), resuming);
  return summary;
}

namespace {

// A run's learner on `env`, with the run's networks: the whole training state on its own env
// (`own`), the networks alone on another.
std::unique_ptr<TrainedPolicy> load_policy(const fs::path& run_dir, const RunFile& run, const TrainingEnv& env,
                                           bool own) {
  const std::string& algorithm = run_algorithm(run_dir, run);
  std::unique_ptr<Env> prototype = make_training_env(env, run.view);
  if (!own) check_same_products(run_dir, *prototype, env.name);
  // The snapshot lists every key but those added later; those take their values from before they
  // existed (no market defaults: a run without `network` used the MLP).
  AgentConfig config = default_agent_config(algorithm, is_box(prototype->action_space()));
  read_agent_config(read_text_file(run_dir / "config.yaml"), (run_dir / "config.yaml").string(), config);
  std::unique_ptr<Learner> learner = make_learner(config, *prototype, run.steps, run.seed);
  const fs::path file = run_dir / "checkpoint.pt";
  if (!fs::exists(file)) throw run_error(file, "no checkpoint: the run has not saved a policy yet");
  torch::serialize::InputArchive archive;
  read_checkpoint_file(file, archive);
  try {
    if (own)
      learner->load(archive);
    else
      learner->load_weights(archive);
  } catch (const std::exception& e) {
    throw run_error(file,
                    std::string(own ? "cannot load the policy: " : "cannot act on " + env.name + ": ") + one_line(e));
  }
  return std::make_unique<LoadedPolicy>(std::move(prototype), std::move(learner));
}

}  // namespace

std::unique_ptr<TrainedPolicy> load_trained_policy(const fs::path& run_dir) {
  const RunFile run = read_run_yaml(run_dir / "run.yaml");
  return load_policy(run_dir, run, TrainingEnv(run.env), true);
}

std::unique_ptr<TrainedPolicy> load_trained_policy(const fs::path& run_dir, const TrainingEnv& env) {
  const RunFile run = read_run_yaml(run_dir / "run.yaml");
  const bool own = env.market ? fs::absolute(env.name).string() == run.env : env.name == run.env;
  return load_policy(run_dir, run, env, own);
}

std::vector<double> evaluate_policy(TrainedPolicy& policy, int episodes, std::uint64_t seed) {
  const std::unique_ptr<Env> env = policy.env().clone();
  return run_episodes(*env, policy, episodes, {seed, 0});
}

}  // namespace expanse::agents
