// The noisy cross-entropy method as policy search (Rubinstein 1999; Szita & Lőrincz 2006, "Learning
// Tetris using the noisy cross-entropy method"). A diagonal Gaussian over the parameters of a
// deterministic policy network; each generation samples `population` parameter vectors, plays each
// on the same `episodes` episodes (common random numbers: the candidates differ only by their
// parameters), and refits the Gaussian to the best `elite_fraction` of them: their mean, and their
// standard deviation plus `noise_std` so that the search does not collapse early. No gradients and
// no value function: the fitness is the mean discounted return, so the finite horizon counts as it
// is scored (a truncated episode is simply over). Discrete and MultiDiscrete actions take each
// branch's best valid output; Box actions the tanh of the outputs, scaled to the bounds.
//
// The learner plays its own env (a clone of the prototype) rather than the driver's vector of envs,
// whose autoreset seeds every episode differently: here every candidate must meet the same ones.
// Candidates take their normals from a table drawn once per run, each from its own random offset
// (the shared noise table of Salimans et al. 2017, "Evolution strategies as a scalable alternative
// to reinforcement learning"): on world's linear policy, 421,000 fresh normals per candidate cost
// more than the candidate's episodes. A candidate is its offset, so memory stays at a few parameter
// vectors and the table however large the population.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "agents/rl/distributions.hpp"
#include "agents/rl/learner.hpp"
#include "agents/rl/mlp.hpp"

namespace expanse::agents {
namespace {

class Cem final : public Learner {
 public:
  Cem(const CemConfig& config, const Env& prototype, Rng& init_rng)
      : config_(config),
        env_(prototype.clone()),
        shape_(prototype.action_space()),
        outputs_(shape_.box ? static_cast<int>(shape_.value_size()) : shape_.total_choices()),
        policy_(layer_widths(static_cast<int>(prototype.observation_size()), config.hidden, outputs_),
                Activation::kTanh),
        params_(policy_.parameter_count()),
        size_(static_cast<std::size_t>(policy_.parameter_count())),
        elites_(std::max(1, static_cast<int>(std::lround(config.elite_fraction * config.population)))),
        mean_(size_, 0.f),
        std_(size_, static_cast<float>(config.init_std)),
        candidate_(size_),
        observation_(prototype.observation_size()),
        mask_(mask_size(prototype.action_space())),
        indices_(shape_.index_size()),
        values_(shape_.value_size()) {
    policy_.bind(params_, 0);
    use(mean_);
    // Eight parameter vectors' worth (at least 2^20), then its first size_ values again, so that a
    // window starting at any offset is contiguous.
    const std::size_t table_size = std::max<std::size_t>(std::size_t{1} << 20, 8 * size_);
    noise_.resize(table_size + size_);
    for (std::size_t i = 0; i < table_size; ++i) noise_[i] = static_cast<float>(init_rng.normal());
    std::copy_n(noise_.begin(), size_, noise_.begin() + static_cast<std::ptrdiff_t>(table_size));
  }

  std::vector<std::string> loss_names() const override {
    return {"cem/elite_mean_return", "cem/population_mean_return", "cem/mean_std"};
  }

  // One generation.
  void iterate(RunContext& ctx) override {
    const std::uint64_t generation_seed = ctx.rng.next();
    std::vector<std::uint64_t> episode_seeds(static_cast<std::size_t>(config_.episodes));
    for (auto& seed : episode_seeds) seed = ctx.rng.next();

    const auto population = static_cast<std::size_t>(config_.population);
    std::vector<double> fitness(population);
    for (std::size_t k = 0; k < population; ++k) {
      sample(generation_seed, k);
      use(candidate_);
      double total = 0;
      for (std::uint64_t seed : episode_seeds) total += play(seed, ctx);
      fitness[k] = total / static_cast<double>(episode_seeds.size());
    }

    // The elites, best first; equal fitness keeps the lower index (the run stays deterministic).
    std::vector<std::size_t> order(population);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fitness[a] > fitness[b]; });
    std::vector<double> sum(size_, 0.0), squares(size_, 0.0);
    double elite_return = 0;
    for (std::size_t e = 0; e < elites_; ++e) {
      sample(generation_seed, order[e]);
      for (std::size_t j = 0; j < size_; ++j) {
        sum[j] += candidate_[j];
        squares[j] += static_cast<double>(candidate_[j]) * candidate_[j];
      }
      elite_return += fitness[order[e]];
    }
    double std_total = 0;
    for (std::size_t j = 0; j < size_; ++j) {
      const double m = sum[j] / static_cast<double>(elites_);
      const double variance = std::max(0.0, squares[j] / static_cast<double>(elites_) - m * m);
      mean_[j] = static_cast<float>(m);
      std_[j] = static_cast<float>(std::sqrt(variance) + config_.noise_std);
      std_total += std_[j];
    }
    use(mean_);
    const double population_return = std::accumulate(fitness.begin(), fitness.end(), 0.0) / static_cast<double>(population);
    check_finite(population_return, "population mean return", ctx.global_step);
    ctx.metrics->losses(ctx.global_step, {elite_return / static_cast<double>(elites_), population_return,
                                          std_total / static_cast<double>(size_)});
  }

  void save(torch::serialize::OutputArchive& archive) const override {
    write_array(archive, "cem.mean", mean_);
    write_array(archive, "cem.std", std_);
  }

  // The search distribution's mean is the policy; a transferred start keeps the run's own spread.
  void load_weights(torch::serialize::InputArchive& archive) override {
    std::vector<float> mean;
    read_array(archive, "cem.mean", mean);
    if (mean.size() != size_)
      throw std::runtime_error("its policy has " + std::to_string(mean.size()) + " parameters, this env's needs " +
                               std::to_string(size_) + " (a scenario with other observations or actions)");
    mean_ = mean;
    use(mean_);
  }

  void load(torch::serialize::InputArchive& archive) override {
    load_weights(archive);
    read_array(archive, "cem.std", std_);
    if (std_.size() != size_)
      throw std::runtime_error("checkpoint: cem.std has " + std::to_string(std_.size()) + " values, the policy " +
                               std::to_string(size_) + " parameters");
  }

  // The distribution's mean: the policy the search has converged to.
  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    policy_.forward_fast(input.observation.data(), 1, out_);
    if (shape_.box) {
      for (std::size_t d = 0; d < values.size(); ++d)
        values[d] = shape_.low[d] + 0.5f * (std::tanh(out_[d]) + 1.f) * (shape_.high[d] - shape_.low[d]);
      return;
    }
    argmax_components(out_.data(), input.mask.empty() ? nullptr : input.mask.data(), shape_.nvec, indices);
  }

 private:
  // Candidate k of the generation: mean + std · N(0, 1), the normals read from the table at the
  // candidate's offset.
  void sample(std::uint64_t generation_seed, std::size_t k) {
    Rng rng(derive_seed(generation_seed, k));
    const float* normals = noise_.data() + rng.below(static_cast<std::uint32_t>(noise_.size() - size_));
    for (std::size_t j = 0; j < size_; ++j) candidate_[j] = mean_[j] + std_[j] * normals[j];
  }

  // The policy network acts with these parameters from now on.
  void use(const std::vector<float>& parameters) {
    std::copy(parameters.begin(), parameters.end(), params_.values.data_ptr<float>());
  }

  // One episode with the current parameters; returns its discounted return and logs the episode.
  double play(std::uint64_t seed, RunContext& ctx) {
    env_->reset(seed, observation_);
    double discounted = 0, undiscounted = 0, discount = 1;
    int length = 0;
    for (bool over = false; !over;) {
      if (!mask_.empty()) env_->action_mask(mask_);
      act(PolicyInput{observation_, mask_}, indices_, values_);
      const StepResult r = env_->step(Action{indices_, values_}, observation_);
      discounted += discount * r.reward;
      undiscounted += r.reward;
      discount *= config_.gamma;
      ++length;
      over = r.terminated || r.truncated;
    }
    ctx.global_step += length;
    ctx.record_episode(undiscounted, length);
    return discounted;
  }

  CemConfig config_;
  std::unique_ptr<Env> env_;
  ActionShape shape_;
  int outputs_;
  Mlp policy_;
  FlatParameters params_;
  std::size_t size_;
  std::size_t elites_;
  std::vector<float> mean_, std_, candidate_;
  std::vector<float> noise_;  // the normals' table
  std::vector<float> observation_, out_;
  std::vector<std::uint8_t> mask_;
  std::vector<std::int32_t> indices_;
  std::vector<float> values_;
};

}  // namespace

std::unique_ptr<Learner> make_learner(const CemConfig& config, const Env& prototype, std::int64_t /*total_steps*/,
                                      Rng& init_rng) {
  return std::make_unique<Cem>(config, prototype, init_rng);
}

}  // namespace expanse::agents
