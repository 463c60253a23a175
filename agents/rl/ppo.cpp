// PPO (Schulman et al. 2017) as CleanRL's ppo.py / ppo_continuous_action.py: separate actor and
// critic MLPs (tanh, orthogonal init) trained by one Adam over both, clipped surrogate, clipped
// value loss, GAE, per-minibatch advantage normalisation, entropy bonus, learning-rate annealing,
// optional early stop on approximate KL. Discrete and MultiDiscrete actions use (masked)
// categoricals; Box actions a diagonal Gaussian with a state-independent log-std, clipped to the
// bounds on the way to the env.
#include <algorithm>
#include <cmath>

#include "agents/rl/distributions.hpp"
#include "agents/rl/flat_adam.hpp"
#include "agents/rl/learner.hpp"
#include "agents/rl/losses.hpp"
#include "agents/rl/mlp.hpp"
#include "agents/rl/rollout_buffer.hpp"

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
        actor_(layer_widths(static_cast<int>(obs_size_), config.hidden, outputs_), Activation::kTanh),
        critic_(layer_widths(static_cast<int>(obs_size_), config.hidden, 1), Activation::kTanh),
        params_(actor_.parameter_count() + critic_.parameter_count() + (shape_.box ? outputs_ : 0)),
        optimizer_(params_, config.learning_rate, 1e-5),
        rollout_(config.num_steps, config.num_envs, obs_size_, shape_.index_size(), shape_.value_size(), mask_size_),
        batch_size_(static_cast<std::int64_t>(config.num_envs) * config.num_steps),
        iterations_(std::max<std::int64_t>(1, total_steps / batch_size_)) {
    actor_.bind(params_, 0);
    critic_.bind(params_, actor_.parameter_count());
    actor_.init_orthogonal(0.01, init_rng);
    critic_.init_orthogonal(1.0, init_rng);
    if (shape_.box) {
      // CleanRL's actor_logstd: a free parameter, zero at the start.
      log_std_ = params_.values.narrow(0, actor_.parameter_count() + critic_.parameter_count(), outputs_).view({1, outputs_});
      log_std_.requires_grad_(true);
      log_std_.mutable_grad() =
          params_.grads.narrow(0, actor_.parameter_count() + critic_.parameter_count(), outputs_).view({1, outputs_});
    }
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
    collect(ctx);
    update(ctx);
  }

  void save(torch::serialize::OutputArchive& archive) const override {
    archive.write("params", params_.values);
    optimizer_.save(archive, "adam");
    write_int(archive, "iteration", iteration_);
    write_array(archive, "next_done", next_done_);
  }

  void load(torch::serialize::InputArchive& archive) override {
    torch::Tensor params;
    archive.read("params", params);
    torch::NoGradGuard no_grad;
    params_.values.copy_(params);
    optimizer_.load(archive, "adam");
    iteration_ = read_int(archive, "iteration");
    read_array(archive, "next_done", next_done_);
  }

  void act(std::span<const float> observation, std::span<const std::uint8_t> mask, std::span<std::int32_t> indices,
           std::span<float> values) override {
    actor_.forward_fast(observation.data(), 1, actor_out_);
    if (shape_.box) {
      for (std::size_t d = 0; d < values.size(); ++d) values[d] = std::clamp(actor_out_[d], shape_.low[d], shape_.high[d]);
      return;
    }
    std::int32_t offset = 0;
    for (std::size_t b = 0; b < shape_.nvec.size(); ++b) {
      indices[b] = argmax_valid(actor_out_.data() + offset, mask.empty() ? nullptr : mask.data() + offset, shape_.nvec[b]);
      offset += shape_.nvec[b];
    }
  }

 private:
  struct PolicyOutput {
    torch::Tensor log_prob, entropy;
  };

  // log π(a|s) and the entropy for given actions (one row each), with gradients.
  PolicyOutput evaluate(const torch::Tensor& obs, const torch::Tensor& mask, const torch::Tensor& indices,
                        const torch::Tensor& values) const {
    const torch::Tensor out = actor_.forward(obs);
    if (shape_.box) {
      const DiagonalGaussian pi(out, log_std_);
      return {pi.log_prob(values), pi.entropy()};
    }
    const torch::Tensor logits = masked_logits(out, mask);
    if (shape_.nvec.size() == 1) {
      const Categorical pi(logits);
      return {pi.log_prob(indices.select(1, 0)), pi.entropy()};
    }
    const MultiCategorical pi(logits, shape_.nvec);
    return {pi.log_prob(indices), pi.entropy()};
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
      const float* obs = ctx.buffers.observations.data();
      critic_.forward_fast(obs, static_cast<int>(E), value_out_);
      actor_.forward_fast(obs, static_cast<int>(E), actor_out_);
      for (std::size_t e = 0; e < static_cast<std::size_t>(E); ++e) {
        rollout_.values[row + e] = value_out_[e];
        const float* out = actor_out_.data() + e * static_cast<std::size_t>(outputs_);
        double log_prob = 0;
        if (shape_.box) {
          const float* log_std = log_std_.data_ptr<float>();
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
      for (std::size_t i = 0; i < static_cast<std::size_t>(E); ++i) {
        rollout_.rewards[row + i] = static_cast<float>(ctx.buffers.rewards[i]);
        next_done_[i] = (ctx.buffers.terminated[i] || ctx.buffers.truncated[i]) ? 1.f : 0.f;
      }
      ctx.after_step();
    }
    critic_.forward_fast(ctx.buffers.observations.data(), static_cast<int>(E), value_out_);
    next_values_.assign(value_out_.begin(), value_out_.begin() + E);
    rollout_.compute_gae(next_values_, next_done_, config_.gamma, config_.gae_lambda);
  }

  void update(RunContext& ctx) {
    const std::int64_t N = batch_size_;
    const auto D = static_cast<std::int64_t>(obs_size_);
    const auto M = static_cast<std::int64_t>(mask_size_);
    const torch::Tensor b_obs = as_tensor(rollout_.observations, {N, D});
    const torch::Tensor b_masks = mask_tensor(rollout_.masks, N, M);
    const torch::Tensor b_indices =
        shape_.box ? torch::Tensor() : torch::from_blob(rollout_.indices.data(), {N, static_cast<std::int64_t>(shape_.index_size())}, torch::kInt64);
    const torch::Tensor b_values_actions =
        shape_.box ? as_tensor(rollout_.values_actions, {N, static_cast<std::int64_t>(shape_.value_size())}) : torch::Tensor();
    const torch::Tensor b_log_probs = as_tensor(rollout_.log_probs, {N});
    const torch::Tensor b_advantages = as_tensor(rollout_.advantages, {N});
    const torch::Tensor b_returns = as_tensor(rollout_.returns, {N});
    const torch::Tensor b_values = as_tensor(rollout_.values, {N});

    const std::int64_t minibatch = N / config_.num_minibatches;
    permutation_.resize(static_cast<std::size_t>(N));
    double value_loss = 0, policy_loss = 0, entropy = 0, old_approx_kl = 0, approx_kl = 0, clipfrac_total = 0;
    int clipfrac_count = 0;
    const double c = config_.clip_coef;
    for (int epoch = 0; epoch < config_.update_epochs; ++epoch) {
      for (std::int64_t i = 0; i < N; ++i) permutation_[static_cast<std::size_t>(i)] = i;
      for (std::int64_t i = N - 1; i > 0; --i)  // Fisher–Yates
        std::swap(permutation_[static_cast<std::size_t>(i)], permutation_[ctx.rng.below(static_cast<std::uint32_t>(i + 1))]);
      for (std::int64_t start = 0; start + minibatch <= N; start += minibatch) {
        // CleanRL logs (and tests target_kl on) the epoch's last minibatch only.
        const bool last_of_epoch = start + 2 * minibatch > N;
        const torch::Tensor mb = torch::from_blob(permutation_.data() + start, {minibatch}, torch::kInt64);
        const torch::Tensor mb_obs = b_obs.index_select(0, mb);
        const PolicyOutput out = evaluate(mb_obs, M ? b_masks.index_select(0, mb) : torch::Tensor(),
                                          shape_.box ? torch::Tensor() : b_indices.index_select(0, mb),
                                          shape_.box ? b_values_actions.index_select(0, mb) : torch::Tensor());
        const torch::Tensor log_ratio = out.log_prob - b_log_probs.index_select(0, mb);
        const torch::Tensor ratio = log_ratio.exp();
        {
          torch::NoGradGuard no_grad;
          if (last_of_epoch) {
            old_approx_kl = (-log_ratio).mean().item<double>();
            approx_kl = ((ratio - 1) - log_ratio).mean().item<double>();
          }
          clipfrac_total += ((ratio - 1).abs() > c).to(torch::kFloat32).mean().item<double>();
          ++clipfrac_count;
        }
        const PpoLoss terms = ppo_loss(log_ratio, b_advantages.index_select(0, mb),
                                       critic_.forward(mb_obs).view({-1}),
                                       b_returns.index_select(0, mb), b_values.index_select(0, mb), c,
                                       config_.clip_vloss, config_.norm_adv);
        const torch::Tensor& pg_loss = terms.policy;
        const torch::Tensor& v_loss = terms.value;
        const torch::Tensor entropy_loss = out.entropy.mean();
        const torch::Tensor loss = pg_loss - config_.ent_coef * entropy_loss + v_loss * config_.vf_coef;
        const double loss_value = loss.item<double>();
        check_finite(loss_value, "PPO loss", ctx.global_step);
        optimizer_.zero_grad();
        loss.backward();
        optimizer_.clip_grad_norm(config_.max_grad_norm);
        optimizer_.step();
        if (last_of_epoch) {
          value_loss = v_loss.item<double>();
          policy_loss = pg_loss.item<double>();
          entropy = entropy_loss.item<double>();
        }
      }
      if (config_.target_kl > 0 && approx_kl > config_.target_kl) break;
    }
    // 1 − Var(returns − values) / Var(returns), NaN when the returns do not vary (as CleanRL).
    const double var_returns = b_returns.var(/*unbiased=*/false).item<double>();
    const double explained =
        var_returns == 0 ? std::nan("") : 1 - (b_returns - b_values).var(false).item<double>() / var_returns;
    ctx.metrics->losses(ctx.global_step, {optimizer_.learning_rate(), value_loss, policy_loss, entropy, old_approx_kl,
                                         approx_kl, clipfrac_total / std::max(1, clipfrac_count), explained});
  }

  PpoConfig config_;
  ActionShape shape_;
  std::size_t obs_size_, mask_size_;
  int outputs_;
  Mlp actor_, critic_;
  FlatParameters params_;
  torch::Tensor log_std_;
  FlatAdam optimizer_;
  RolloutBuffer rollout_;
  std::int64_t batch_size_, iterations_;
  std::int64_t iteration_ = 0;
  std::vector<float> next_done_, next_values_;
  std::vector<std::int32_t> env_indices_;
  std::vector<float> env_values_;
  std::vector<std::int64_t> permutation_;
  std::vector<float> value_out_, actor_out_;
};

}  // namespace

std::unique_ptr<Learner> make_ppo(const PpoConfig& config, const Env& prototype, std::int64_t total_steps,
                                  Rng& init_rng) {
  return std::make_unique<Ppo>(config, prototype, total_steps, init_rng);
}

}  // namespace expanse::agents
