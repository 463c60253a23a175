// PPO (Schulman et al. 2017) as CleanRL's ppo.py / ppo_continuous_action.py: separate actor and
// critic MLPs (tanh, orthogonal init) trained by one Adam over both, clipped surrogate, clipped
// value loss, GAE, per-minibatch advantage normalisation, entropy bonus, learning-rate annealing,
// optional early stop on approximate KL; optional reward scaling (`norm_reward`) and kickstarting
// from a baseline's actions (`teacher`). Discrete and MultiDiscrete actions use (masked)
// categoricals; Box actions a diagonal Gaussian with a state-independent log-std, clipped to the
// bounds on the way to the env. Actor and critic are flat MLPs or, with `network: entity`, entity
// networks (entity_net.hpp; the critic reads the pooled context).
#include <algorithm>
#include <cmath>

#include "agents/rl/distributions.hpp"
#include "agents/rl/entity_net.hpp"
#include "agents/rl/flat_adam.hpp"
#include "agents/rl/learner.hpp"
#include "agents/rl/losses.hpp"
#include "agents/rl/reward_scaler.hpp"
#include "agents/rl/rollout_buffer.hpp"
#include "agents/rl/teacher.hpp"

namespace expanse::agents {
namespace {

class Ppo final : public Learner {
 public:
  Ppo(const PpoConfig& config, const Env& prototype, std::int64_t total_steps, Rng& init_rng)
      : config_(config),
        shape_(prototype.action_space()),
        obs_size_(prototype.observation_size()),
        mask_size_(mask_size(prototype.action_space())),
        outputs_(shape_.box ? static_cast<int>(shape_.value_size()) : shape_.total_choices()),
        actor_(make_network(
            config.net, config.hidden,
            config.balance_regions ? with_balanced_regions(prototype.entity_layout()) : prototype.entity_layout(),
            static_cast<int>(obs_size_), outputs_, Activation::kTanh)),
        critic_(make_network(config.net, config.hidden, value_layout(prototype.entity_layout()),
                             static_cast<int>(obs_size_), 1, Activation::kTanh)),
        // CleanRL's actor_logstd (Box actions): free parameters after the two networks, zero at the start.
        log_std_offset_(actor_->parameter_count() + critic_->parameter_count()),
        params_(log_std_offset_ + (shape_.box ? outputs_ : 0)),
        optimizer_(params_, config.learning_rate, 1e-5),
        rollout_(config.num_steps, config.num_envs, obs_size_, shape_.index_size(), shape_.value_size(), mask_size_),
        batch_size_(static_cast<std::int64_t>(config.num_envs) * config.num_steps),
        iterations_(std::max<std::int64_t>(1, total_steps / batch_size_)),
        reward_scaler_(static_cast<std::size_t>(config.num_envs), config.gamma),
        total_steps_(total_steps),
        teacher_(config.teacher, prototype, static_cast<std::size_t>(config.num_envs)) {
    if (teacher_.active()) teacher_indices_.resize(rollout_.indices.size());
    actor_->bind(params_, 0);
    critic_->bind(params_, actor_->parameter_count());
    actor_->init_orthogonal(0.01, init_rng);
    critic_->init_orthogonal(1.0, init_rng);
    next_done_.assign(static_cast<std::size_t>(config.num_envs), 0.f);
  }

  std::vector<std::string> loss_names() const override {
    return {"charts/learning_rate", "losses/value_loss",  "losses/policy_loss",       "losses/entropy",
            "losses/old_approx_kl", "losses/approx_kl",   "losses/clipfrac",          "losses/explained_variance"};
  }

  void iterate(RunContext& ctx) override {
    ++iteration_;
    if (config_.anneal_lr) {
      const double fraction = 1.0 - static_cast<double>(iteration_ - 1) / static_cast<double>(iterations_);
      optimizer_.set_learning_rate(std::max(0.0, fraction) * config_.learning_rate);
    }
    rollout_teacher_weight_ = teacher_weight(ctx.global_step);
    collect(ctx);
    update(ctx);
  }

  void save(torch::serialize::OutputArchive& archive) const override {
    archive.write("params", params_.values);
    optimizer_.save(archive, "adam");
    write_int(archive, "iteration", iteration_);
    write_array(archive, "next_done", next_done_);
    if (config_.norm_reward) write_array(archive, "reward_scaler", reward_scaler_.state());
  }

  void load(torch::serialize::InputArchive& archive) override {
    torch::Tensor params;
    archive.read("params", params);
    torch::NoGradGuard no_grad;
    params_.values.copy_(params);
    optimizer_.load(archive, "adam");
    iteration_ = read_int(archive, "iteration");
    read_array(archive, "next_done", next_done_);
    if (config_.norm_reward) {
      std::vector<double> state;
      read_array(archive, "reward_scaler", state);
      reward_scaler_.set_state(state);
    }
  }

  void load_weights(torch::serialize::InputArchive& archive) override {
    read_weights(archive, "params", params_.values);
  }

  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    actor_->forward_fast(input.observation.data(), 1, actor_out_);
    if (shape_.box) {
      for (std::size_t d = 0; d < values.size(); ++d) values[d] = std::clamp(actor_out_[d], shape_.low[d], shape_.high[d]);
      return;
    }
    argmax_components(actor_out_.data(), input.mask.empty() ? nullptr : input.mask.data(), shape_.nvec, indices);
  }

 private:
  float* log_std() const { return params_.values.data_ptr<float>() + log_std_offset_; }
  float* log_std_grad() const { return params_.grads.data_ptr<float>() + log_std_offset_; }

  // log π(a|s) and the entropy for the action stored in rollout row `row`, from the actor's
  // output `out`; with `grad`, adds w_log_prob·∂log π/∂out + w_entropy·∂H/∂out into it (and into
  // the log-std's gradient for Box actions).
  PolicyTerms policy_terms(const float* out, std::size_t row, double w_log_prob, double w_entropy, float* grad) const {
    if (shape_.box) {
      const std::size_t V = shape_.value_size();
      return gaussian_terms(out, log_std(), rollout_.values_actions.data() + row * V, static_cast<int>(V), w_log_prob,
                            w_entropy, grad, grad ? log_std_grad() : nullptr);
    }
    const std::size_t I = shape_.index_size();
    const std::uint8_t* mask = mask_size_ ? rollout_.masks.data() + row * mask_size_ : nullptr;
    PolicyTerms total;
    std::int32_t offset = 0;
    for (std::size_t b = 0; b < I; ++b) {  // independent blocks (MultiDiscrete): the terms add up
      const PolicyTerms part = categorical_terms(out + offset, mask ? mask + offset : nullptr, shape_.nvec[b],
                                                 static_cast<int>(rollout_.indices[row * I + b]), w_log_prob, w_entropy,
                                                 grad ? grad + offset : nullptr);
      total.log_prob += part.log_prob;
      total.entropy += part.entropy;
      offset += shape_.nvec[b];
    }
    return total;
  }

  // Kickstarting's λ·teacher_coef at global step `step`: 1 → 0 over the first teacher_fraction of
  // training, then 0 (also without a teacher).
  double teacher_weight(std::int64_t step) const {
    if (!teacher_.active()) return 0;
    const double span = config_.teacher_fraction * static_cast<double>(total_steps_);
    return span > 0 ? config_.teacher_coef * std::max(0.0, 1.0 - static_cast<double>(step) / span) : 0;
  }

  // The teacher's action for every env at rollout row `row` (the env's state before the step).
  void teacher_actions(RunContext& ctx, std::size_t row) {
    const std::size_t I = shape_.index_size();
    for (std::size_t e = 0; e < ctx.envs.size(); ++e)
      teacher_.act(ctx.envs, e, std::span<std::int32_t>(teacher_indices_).subspan((row + e) * I, I));
  }

  // Adds w·∂log π(teacher's action)/∂out for rollout row `row` (the teacher's loss is −λ·log π);
  // components the mask forbids (the teacher's no-ops) are left out.
  void add_teacher_gradient(const float* out, std::size_t row, double w, float* grad) const {
    const std::size_t I = shape_.index_size();
    const std::uint8_t* mask = mask_size_ ? rollout_.masks.data() + row * mask_size_ : nullptr;
    std::int32_t offset = 0;
    for (std::size_t b = 0; b < I; ++b) {
      const std::int32_t a = teacher_indices_[row * I + b];
      if (!mask || mask[offset + a])
        categorical_terms(out + offset, mask ? mask + offset : nullptr, shape_.nvec[b], a, w, 0, grad + offset);
      offset += shape_.nvec[b];
    }
  }

  void collect(RunContext& ctx) {
    const auto E = static_cast<std::int64_t>(ctx.envs.size());
    const std::size_t I = shape_.index_size(), V = shape_.value_size();
    env_indices_.resize(static_cast<std::size_t>(E) * I);
    env_values_.resize(static_cast<std::size_t>(E) * V);
    static const double half_log_two_pi = 0.5 * std::log(2 * M_PI);
    for (int t = 0; t < config_.num_steps; ++t) {
      const std::size_t row = static_cast<std::size_t>(t) * static_cast<std::size_t>(E);
      std::copy(ctx.buffers.observations.begin(), ctx.buffers.observations.end(),
                rollout_.observations.begin() + static_cast<std::ptrdiff_t>(row * obs_size_));
      std::copy(ctx.buffers.action_masks.begin(), ctx.buffers.action_masks.end(),
                rollout_.masks.begin() + static_cast<std::ptrdiff_t>(row * mask_size_));
      std::copy(next_done_.begin(), next_done_.end(), rollout_.dones.begin() + static_cast<std::ptrdiff_t>(row));
      if (rollout_teacher_weight_ > 0) teacher_actions(ctx, row);
      const float* obs = ctx.buffers.observations.data();
      critic_->forward_fast(obs, static_cast<int>(E), value_out_);
      actor_->forward_fast(obs, static_cast<int>(E), actor_out_);
      for (std::size_t e = 0; e < static_cast<std::size_t>(E); ++e) {
        rollout_.values[row + e] = value_out_[e];
        const float* out = actor_out_.data() + e * static_cast<std::size_t>(outputs_);
        double log_prob = 0;
        if (shape_.box) {
          const float* log_std = this->log_std();
          for (std::size_t d = 0; d < V; ++d) {
            const double z = ctx.rng.normal();
            const float a = static_cast<float>(out[d] + std::exp(log_std[d]) * z);
            log_prob += -0.5 * z * z - log_std[d] - half_log_two_pi;
            rollout_.values_actions[(row + e) * V + d] = a;
            env_values_[e * V + d] = std::clamp(a, shape_.low[d], shape_.high[d]);
          }
        } else {
          const std::uint8_t* mask = mask_size_ ? ctx.buffers.action_masks.data() + e * mask_size_ : nullptr;
          std::int32_t offset = 0;
          for (std::size_t b = 0; b < I; ++b) {
            const std::int32_t a =
                sample_logits(out + offset, mask ? mask + offset : nullptr, shape_.nvec[b], ctx.rng, log_prob);
            env_indices_[e * I + b] = a;
            rollout_.indices[(row + e) * I + b] = a;
            offset += shape_.nvec[b];
          }
        }
        rollout_.log_probs[row + e] = static_cast<float>(log_prob);
      }
      ctx.envs.step(env_indices_, env_values_, ctx.buffers);
      ctx.global_step += E;
      step_rewards_.assign(ctx.buffers.rewards.begin(), ctx.buffers.rewards.end());
      for (std::size_t i = 0; i < static_cast<std::size_t>(E); ++i)
        next_done_[i] = (ctx.buffers.terminated[i] || ctx.buffers.truncated[i]) ? 1.f : 0.f;
      if (config_.norm_reward) reward_scaler_.scale(step_rewards_, next_done_);
      for (std::size_t i = 0; i < static_cast<std::size_t>(E); ++i)
        rollout_.rewards[row + i] = static_cast<float>(step_rewards_[i]);
      ctx.after_step();
    }
    critic_->forward_fast(ctx.buffers.observations.data(), static_cast<int>(E), value_out_);
    next_values_.assign(value_out_.begin(), value_out_.begin() + E);
    rollout_.compute_gae(next_values_, next_done_, config_.gamma, config_.gae_lambda);
  }

  // The minibatch epochs. The gradient is computed by hand: ppo_loss gives ∂loss/∂log π and
  // ∂loss/∂value per row, policy_terms turns them into ∂loss/∂(actor output), Mlp::backward does the
  // rest. Why not autograd: with CleanRL's 64-64 networks a training run spent its time in
  // LibTorch's per-operator and autograd bookkeeping, not in arithmetic (sgemm was ~3 % of a profile).
  void update(RunContext& ctx) {
    const auto N = static_cast<std::size_t>(batch_size_);
    const std::size_t D = obs_size_, O = static_cast<std::size_t>(outputs_);
    const std::size_t B = N / static_cast<std::size_t>(config_.num_minibatches);
    const int rows = static_cast<int>(B);
    permutation_.resize(N);
    mb_obs_.resize(B * D);
    mb_advantages_.resize(B);
    mb_returns_.resize(B);
    mb_old_values_.resize(B);
    log_ratio_.resize(B);
    grad_log_prob_.resize(B);
    grad_value_.resize(B);
    value_grad_out_.resize(B);
    const double teacher = rollout_teacher_weight_;
    double value_loss = 0, policy_loss = 0, entropy = 0, old_approx_kl = 0, approx_kl = 0, clipfrac_total = 0;
    int clipfrac_count = 0;
    for (int epoch = 0; epoch < config_.update_epochs; ++epoch) {
      for (std::size_t i = 0; i < N; ++i) permutation_[i] = i;
      for (std::size_t i = N - 1; i > 0; --i)  // Fisher–Yates
        std::swap(permutation_[i], permutation_[ctx.rng.below(static_cast<std::uint32_t>(i + 1))]);
      for (std::size_t start = 0; start + B <= N; start += B) {
        const std::size_t* rows_of = permutation_.data() + start;
        for (std::size_t k = 0; k < B; ++k) {
          const std::size_t r = rows_of[k];
          std::copy_n(rollout_.observations.begin() + static_cast<std::ptrdiff_t>(r * D), D,
                      mb_obs_.begin() + static_cast<std::ptrdiff_t>(k * D));
          mb_advantages_[k] = rollout_.advantages[r];
          mb_returns_[k] = rollout_.returns[r];
          mb_old_values_[k] = rollout_.values[r];
        }
        const std::vector<float>& out = actor_->forward_trace(mb_obs_.data(), rows, actor_trace_);
        const std::vector<float>& new_values = critic_->forward_trace(mb_obs_.data(), rows, critic_trace_);
        double entropy_sum = 0;
        for (std::size_t k = 0; k < B; ++k) {
          const PolicyTerms terms = policy_terms(out.data() + k * O, rows_of[k], 0, 0, nullptr);
          log_ratio_[k] = terms.log_prob - rollout_.log_probs[rows_of[k]];
          entropy_sum += terms.entropy;
        }
        const PpoLoss terms = ppo_loss(log_ratio_, mb_advantages_, new_values, mb_returns_, mb_old_values_,
                                       config_.clip_coef, config_.clip_vloss, config_.norm_adv, grad_log_prob_,
                                       grad_value_);
        const double mean_entropy = entropy_sum / static_cast<double>(B);
        const double loss = terms.policy - config_.ent_coef * mean_entropy + config_.vf_coef * terms.value;
        check_finite(loss, "PPO loss", ctx.global_step);

        optimizer_.zero_grad();
        actor_grad_out_.assign(B * O, 0.0f);
        const double w_entropy = -config_.ent_coef / static_cast<double>(B);
        for (std::size_t k = 0; k < B; ++k)
          policy_terms(out.data() + k * O, rows_of[k], grad_log_prob_[k], w_entropy, actor_grad_out_.data() + k * O);
        if (teacher > 0)
          for (std::size_t k = 0; k < B; ++k)
            add_teacher_gradient(out.data() + k * O, rows_of[k], -teacher / static_cast<double>(B),
                                 actor_grad_out_.data() + k * O);
        for (std::size_t k = 0; k < B; ++k) value_grad_out_[k] = static_cast<float>(config_.vf_coef * grad_value_[k]);
        actor_->backward(mb_obs_.data(), rows, actor_trace_, actor_grad_out_.data());
        critic_->backward(mb_obs_.data(), rows, critic_trace_, value_grad_out_.data());
        optimizer_.clip_grad_norm(config_.max_grad_norm);
        optimizer_.step();

        clipfrac_total += terms.clipfrac;
        ++clipfrac_count;
        // CleanRL logs (and tests target_kl on) the epoch's last minibatch only.
        if (start + 2 * B > N) {
          old_approx_kl = terms.old_approx_kl;
          approx_kl = terms.approx_kl;
          value_loss = terms.value;
          policy_loss = terms.policy;
          entropy = mean_entropy;
        }
      }
      if (config_.target_kl > 0 && approx_kl > config_.target_kl) break;
    }
    // 1 − Var(returns − values) / Var(returns), NaN when the returns do not vary (as CleanRL).
    double returns_mean = 0, residual_mean = 0;
    for (std::size_t i = 0; i < N; ++i) {
      returns_mean += rollout_.returns[i];
      residual_mean += rollout_.returns[i] - rollout_.values[i];
    }
    returns_mean /= static_cast<double>(N);
    residual_mean /= static_cast<double>(N);
    double var_returns = 0, var_residual = 0;
    for (std::size_t i = 0; i < N; ++i) {
      var_returns += std::pow(rollout_.returns[i] - returns_mean, 2);
      var_residual += std::pow(rollout_.returns[i] - rollout_.values[i] - residual_mean, 2);
    }
    const double explained = var_returns == 0 ? std::nan("") : 1 - var_residual / var_returns;
    ctx.metrics->losses(ctx.global_step, {optimizer_.learning_rate(), value_loss, policy_loss, entropy, old_approx_kl,
                                         approx_kl, clipfrac_total / std::max(1, clipfrac_count), explained});
  }

  PpoConfig config_;
  ActionShape shape_;
  std::size_t obs_size_, mask_size_;
  int outputs_;
  std::unique_ptr<Network> actor_, critic_;
  std::int64_t log_std_offset_;
  FlatParameters params_;
  FlatAdam optimizer_;
  RolloutBuffer rollout_;
  std::int64_t batch_size_, iterations_;
  std::int64_t iteration_ = 0;
  RewardScaler reward_scaler_;
  std::vector<double> step_rewards_;
  std::int64_t total_steps_;
  Teacher teacher_;
  double rollout_teacher_weight_ = 0;          // kickstarting's weight for the rollout being collected/learned
  std::vector<std::int32_t> teacher_indices_;  // (step, env, index), as rollout_.indices
  std::vector<float> next_done_, next_values_;
  std::vector<std::int32_t> env_indices_;
  std::vector<float> env_values_;
  std::vector<float> value_out_, actor_out_;
  // update()'s scratch
  std::vector<std::size_t> permutation_;
  std::vector<float> mb_obs_, mb_advantages_, mb_returns_, mb_old_values_, actor_grad_out_, value_grad_out_;
  std::vector<double> log_ratio_, grad_log_prob_, grad_value_;
  Network::Trace actor_trace_, critic_trace_;
};

}  // namespace

std::unique_ptr<Learner> make_learner(const PpoConfig& config, const Env& prototype, std::int64_t total_steps,
                                      Rng& init_rng) {
  return std::make_unique<Ppo>(config, prototype, total_steps, init_rng);
}

}  // namespace expanse::agents
