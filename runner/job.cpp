#include "runner/job.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "agents/baselines/exhaustive_plan.hpp"
#include "agents/baselines/market_policy.hpp"
#include "agents/rl/training.hpp"
#include "common/atomic_file.hpp"
#include "common/user_error.hpp"
#include "env/market/kpi.hpp"
#include "env/market/market_episodes.hpp"
#include "runner/evaluation_file.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

// Replays the exact search's plan (MultiDiscrete view), exactly as plan_return() scores it.
class PlanPolicy final : public Policy {
 public:
  explicit PlanPolicy(EntryPlan plan) : plan_(std::move(plan)) {}
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float>) override {
    plan_action(plan_.regions, input.market->quarter(), indices);
  }

 private:
  EntryPlan plan_;
};

// Every policy meets the env here, on the same episode seeds (common random numbers).
void evaluate(MarketEnv& env, Policy& policy, const Experiment& experiment, std::uint64_t job_seed,
              const fs::path& dir) {
  const MarketSpec& spec = env.spec();
  std::ostringstream csv, timeline;
  csv << evaluation_header() << "\n";
  timeline << "quarter,region,mode\n";
  std::vector<Mode> modes(spec.region_count(), Mode::kNone);
  // The timeline shows the first evaluation episode: each change of a region's mode, then its end.
  const auto record_modes = [&](int episode, int quarter, const StepResult& r) {
    if (episode != 0) return;
    for (std::size_t i = 0; i < spec.region_count(); ++i)
      if (env.mode(i) != modes[i]) {
        modes[i] = env.mode(i);
        timeline << quarter << ',' << spec.scenario().regions[i].country.id << ',' << to_string(modes[i]) << '\n';
      }
    if (r.terminated || r.truncated) timeline << env.quarter() << ",,end\n";  // the length, for the figure's axis
  };
  const std::vector<EpisodeKpis> kpis =
      run_market_episodes(env, policy, experiment.eval_episodes, {experiment.eval_seed, job_seed}, record_modes);
  for (std::size_t n = 0; n < kpis.size(); ++n)
    csv << evaluation_row(n, derive_seed(experiment.eval_seed, n), kpis[n]) << '\n';
  write_file_atomically((dir / "timeline.csv").string(), timeline.str());
  write_file_atomically((dir / "evaluation.csv").string(), csv.str());  // last: marks the job done
}

}  // namespace

fs::path scenario_file(const fs::path& results, const ScenarioEntry& scenario) {
  return results / "scenarios" / (scenario.name + ".yaml");
}

fs::path job_dir(const fs::path& results, const Experiment& experiment, const Job& job) {
  return results / "runs" / experiment.scenarios[job.scenario].name / experiment.policies[job.policy].name /
         ("seed-" + std::to_string(job.seed));
}

bool job_done(const fs::path& dir) { return fs::exists(dir / "evaluation.csv"); }

std::string job_label(const Experiment& e, const Job& job) {
  return e.scenarios[job.scenario].name + "/" + e.policies[job.policy].name + "/seed-" + std::to_string(job.seed);
}

std::string last_log_line(const fs::path& dir) {
  std::ifstream in(dir / "log.txt");
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

int hold_job_lock(const fs::path& dir) {
  const int fd = open((dir / "log.txt").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd >= 0) flock(fd, LOCK_EX | LOCK_NB);
  return fd;
}

bool job_locked(const fs::path& dir) {
  const int fd = open((dir / "log.txt").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool locked = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd);
  return locked;
}

bool run_job(const fs::path& results, const Experiment& experiment, const Job& job,
             const volatile std::sig_atomic_t* stop_requested) {
  const fs::path dir = job_dir(results, experiment, job);
  fs::create_directories(dir);
  const PolicyEntry& policy = experiment.policies[job.policy];
  const fs::path scenario_path = scenario_file(results, experiment.scenarios[job.scenario]);
  // Loaded and validated once, with the experiment; training, the trained policy and the
  // evaluation share it.
  const auto spec = std::make_shared<const MarketSpec>(*experiment.scenarios[job.scenario].scenario);
  switch (policy.kind) {
    case PolicyKind::kLearner: {
      const fs::path train_dir = dir / "train";
      if (!fs::exists(train_dir / "summary.json")) {
        agents::TrainRequest request;
        request.config = policy.config;
        request.env = agents::TrainingEnv(scenario_path.string(), spec);
        request.steps = policy.steps;
        request.seed = job.seed;
        request.out = train_dir;
        request.resume = true;  // an interrupted run continues from its last checkpoint
        request.init = policy.init;
        request.stop_requested = stop_requested;
        if (!agents::train(request).finished) return false;
      }
      const auto trained = agents::load_trained_policy(train_dir, agents::TrainingEnv(scenario_path.string(), spec));
      MarketEnv env(spec, parse_action_view(policy.config.market_view()));  // the view it was trained in
      evaluate(env, *trained, experiment, job.seed, dir);
      break;
    }
    case PolicyKind::kBaseline: {
      const auto baseline = make_baseline(policy.baseline);
      MarketEnv env(spec, parse_action_view(policy.view));
      evaluate(env, *baseline, experiment, job.seed, dir);
      break;
    }
    case PolicyKind::kOptimum: {
      // The plan is searched on the first evaluation episode's seed; on deterministic scenarios
      // (tiny.yaml) it is the optimum of every episode.
      PlanPolicy plan(exhaustive_entry_plan(spec->scenario(), derive_seed(experiment.eval_seed, 0)));
      MarketEnv env(spec, ActionView::kMultiDiscrete);
      evaluate(env, plan, experiment, job.seed, dir);
      break;
    }
  }
  return true;
}

}  // namespace expanse::runner
