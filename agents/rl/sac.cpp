// Soft actor-critic (Haarnoja et al. 2018) as CleanRL's sac_continuous_action.py.
// Twin Q networks with Polyak-averaged targets.
// A tanh-squashed Gaussian actor, updated policy_frequency times every policy_frequency steps.
// Automatic entropy tuning towards −dim(A).
// Its updates are computed by hand (Mlp::backward), without autograd.
//
// Discrete action spaces get the discrete variant of sac_atari.py (Christodoulou 2019).
// It keeps one Q value per action, takes expectations over the policy instead of a sampled action,
// and masks invalid actions. Its updates go through LibTorch autograd. With `network: entity` its
// actor and critics are entity networks (entity_net.hpp). With a teacher (teacher.hpp), a share of
// the warm-up's actions are the teacher's.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "agents/rl/distributions.hpp"
#include "agents/rl/flat_adam.hpp"
#include "agents/rl/learner.hpp"
#include "agents/rl/losses.hpp"
#include "agents/rl/mlp.hpp"
#include "agents/rl/replay_buffer.hpp"
#include "agents/rl/schedule.hpp"
#include "agents/rl/teacher.hpp"

namespace expanse::agents {
namespace {

class Sac final : public Learner {
 public:
  Sac(const SacConfig& config, const Env& prototype, std::int64_t total_steps, Rng& init_rng)
      : config_(config),
        shape_(prototype.action_space()),
        discrete_(!shape_.box),
        obs_size_(prototype.observation_size()),
        mask_size_(mask_size(prototype.action_space())),
        action_dims_(discrete_ ? shape_.nvec[0] : static_cast<int>(shape_.value_size())),
        actor_(make_network(checked_net(config.net), config.hidden, prototype.entity_layout(),
                            static_cast<int>(obs_size_), discrete_ ? action_dims_ : 2 * action_dims_,
                            Activation::kRelu)),
        q1_(make_q_network(prototype)),
        q2_(make_q_network(prototype)),
        q1_target_(make_q_network(prototype)),
        q2_target_(make_q_network(prototype)),
        actor_params_(actor_->parameter_count()),
        q_params_(q1_->parameter_count() + q2_->parameter_count()),
        q_target_params_(q_params_.values.numel()),
        log_alpha_params_(1),
        actor_optimizer_(actor_params_, config.policy_lr, config.adam_eps),
        q_optimizer_(q_params_, config.q_lr, config.adam_eps),
        alpha_optimizer_(log_alpha_params_, config.q_lr, config.adam_eps),
        replay_(replay_capacity(config.buffer_size, total_steps, 1), obs_size_, shape_.index_size(),
                shape_.value_size(), mask_size_),
        teacher_(config.teacher, prototype, 1) {
    if (!shape_.box && shape_.nvec.size() != 1)
      throw std::invalid_argument("SAC takes Box actions or, in its discrete variant, a Discrete space (not MultiDiscrete)");
    actor_->bind(actor_params_, 0);
    q1_->bind(q_params_, 0);
    q2_->bind(q_params_, q1_->parameter_count());
    q1_target_->bind(q_target_params_, 0);
    q2_target_->bind(q_target_params_, q1_->parameter_count());
    actor_->init_uniform_fan_in(init_rng);
    q1_->init_uniform_fan_in(init_rng);
    q2_->init_uniform_fan_in(init_rng);
    torch::NoGradGuard no_grad;
    q_target_params_.values.copy_(q_params_.values);
    // log α starts at 0 (the pool is zeroed): CleanRL starts the tuned temperature at α = 1.
    alpha_ = config.autotune ? 1.0 : config.alpha;
    target_entropy_ = discrete_ ? config.target_entropy_scale * std::log(static_cast<double>(action_dims_))
                                : -static_cast<double>(action_dims_);
    for (std::size_t d = 0; d < shape_.value_size(); ++d) {
      action_scale_.push_back((shape_.high[d] - shape_.low[d]) / 2);
      action_bias_.push_back((shape_.high[d] + shape_.low[d]) / 2);
    }
  }

  std::vector<std::string> loss_names() const override {
    return {"losses/qf1_values", "losses/qf2_values", "losses/qf1_loss", "losses/qf2_loss",
            "losses/qf_loss",    "losses/actor_loss", "losses/alpha",    "losses/alpha_loss"};
  }

  void iterate(RunContext& ctx) override {
    const std::int64_t before = ctx.global_step;  // CleanRL's global_step during this iteration
    const auto D = static_cast<std::int64_t>(obs_size_);
    observation_.assign(ctx.buffers.observations.begin(), ctx.buffers.observations.end());
    index_.assign(shape_.index_size(), 0);
    value_.assign(shape_.value_size(), 0.f);
    if (before < config_.learning_starts) {
      random_action(ctx);
    } else if (discrete_) {
      torch::NoGradGuard no_grad;
      const torch::Tensor obs = as_tensor(observation_, {1, D});
      const Categorical pi(policy_logits(obs, mask_tensor(ctx.buffers.action_masks, 1, static_cast<std::int64_t>(mask_size_))));
      std::int64_t a = 0;
      sample_categorical(pi.probs(), ctx.rng, std::span<std::int64_t>(&a, 1));
      index_[0] = static_cast<std::int32_t>(a);
    } else {
      actor_->forward_fast(observation_.data(), 1, actor_out_);
      sample_tanh_gaussian(actor_out_.data(), 1, action_dims_, action_scale_.data(), action_bias_.data(), ctx.rng,
                           pi_sample_);
      std::copy_n(pi_sample_.action.begin(), action_dims_, value_.begin());
    }
    ctx.envs.step(index_, value_, ctx.buffers);
    ctx.global_step += 1;
    const bool ended = ctx.buffers.terminated[0] || ctx.buffers.truncated[0];
    all_valid_.assign(mask_size_, 1);
    replay_.add(observation_, ended ? ctx.buffers.final_observation(0) : ctx.buffers.observation(0), index_, value_,
                ctx.buffers.rewards[0], ctx.buffers.terminated[0], ctx.buffers.truncated[0],
                ended ? std::span<const std::uint8_t>(all_valid_) : std::span<const std::uint8_t>(ctx.buffers.action_masks));
    ctx.after_step();
    if (before > config_.learning_starts) {
      const bool log = before % 100 == 0;
      if (discrete_) {
        if (before % config_.update_frequency == 0) update_discrete(ctx, log);
      } else {
        update_continuous(ctx, before, log);
      }
      if (before % config_.target_network_frequency == 0) {
        torch::NoGradGuard no_grad;
        q_target_params_.values.mul_(1 - config_.tau).add_(q_params_.values, config_.tau);
      }
    }
  }

  void save(torch::serialize::OutputArchive& archive) const override {
    archive.write("actor", actor_params_.values);
    archive.write("q", q_params_.values);
    archive.write("q_target", q_target_params_.values);
    archive.write("log_alpha", log_alpha_params_.values);
    archive.write("alpha", torch::tensor(alpha_, torch::kFloat64));
    actor_optimizer_.save(archive, "actor_adam");
    q_optimizer_.save(archive, "q_adam");
    alpha_optimizer_.save(archive, "alpha_adam");
    write_replay(archive, const_cast<ReplayBuffer&>(replay_));
  }

  void load_weights(torch::serialize::InputArchive& archive) override {
    read_weights(archive, "actor", actor_params_.values);
    read_weights(archive, "q", q_params_.values);
    torch::NoGradGuard no_grad;
    q_target_params_.values.copy_(q_params_.values);
  }

  void load(torch::serialize::InputArchive& archive) override {
    torch::Tensor actor, q, q_target, log_alpha, alpha;
    archive.read("actor", actor);
    archive.read("q", q);
    archive.read("q_target", q_target);
    archive.read("log_alpha", log_alpha);
    archive.read("alpha", alpha);
    {
      torch::NoGradGuard no_grad;
      actor_params_.values.copy_(actor);
      q_params_.values.copy_(q);
      q_target_params_.values.copy_(q_target);
      log_alpha_params_.values.copy_(log_alpha);
    }
    alpha_ = alpha.item<double>();
    actor_optimizer_.load(archive, "actor_adam");
    q_optimizer_.load(archive, "q_adam");
    alpha_optimizer_.load(archive, "alpha_adam");
    read_replay(archive, replay_);
  }

  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float> values) override {
    if (!discrete_) {
      actor_->forward_fast(input.observation.data(), 1, actor_out_);
      tanh_gaussian_mean_action(actor_out_.data(), action_dims_, action_scale_.data(), action_bias_.data(), values.data());
      return;
    }
    torch::NoGradGuard no_grad;
    const torch::Tensor obs = as_tensor(input.observation, {1, static_cast<std::int64_t>(obs_size_)});
    std::int64_t best = 0;
    argmax_rows(policy_logits(obs, mask_tensor(input.mask, 1, static_cast<std::int64_t>(input.mask.size()))),
                std::span<std::int64_t>(&best, 1));
    indices[0] = static_cast<std::int32_t>(best);
  }

 private:
  // The entity network takes the discrete variant only: the continuous critic reads the action
  // beside the observation, which has no place in the regions' blocks.
  NetworkConfig checked_net(const NetworkConfig& net) const {
    if (net.entity() && !discrete_)
      throw std::invalid_argument("SAC with network: entity takes the discrete variant (view: discrete)");
    return net;
  }
  std::unique_ptr<Network> make_q_network(const Env& prototype) const {
    const int in = static_cast<int>(obs_size_) + (discrete_ ? 0 : action_dims_);
    return make_network(config_.net, config_.hidden, prototype.entity_layout(), in, discrete_ ? action_dims_ : 1,
                        Activation::kRelu);
  }

  torch::Tensor policy_logits(const torch::Tensor& obs, const torch::Tensor& mask) const {
    return masked_logits(actor_->forward(obs), mask);
  }

  void random_action(RunContext& ctx) {
    if (teacher_.active() && ctx.rng.uniform() < config_.teacher_share) {
      teacher_.act(ctx.envs, 0, index_);
      return;
    }
    if (!discrete_) {
      for (std::size_t d = 0; d < value_.size(); ++d)
        value_[d] = static_cast<float>(ctx.rng.uniform(shape_.low[d], shape_.high[d]));
      return;
    }
    std::uint32_t valid = 0;
    for (std::size_t a = 0; a < mask_size_; ++a) valid += ctx.buffers.action_masks[a];
    std::uint32_t k = ctx.rng.below(std::max<std::uint32_t>(valid, 1));
    for (std::size_t a = 0; a < mask_size_; ++a)
      if (ctx.buffers.action_masks[a] && k-- == 0) {
        index_[0] = static_cast<std::int32_t>(a);
        return;
      }
  }

  void sample_batch_tensors(RunContext& ctx) {
    const auto B = static_cast<std::int64_t>(config_.batch_size);
    const auto D = static_cast<std::int64_t>(obs_size_);
    replay_.sample(static_cast<std::size_t>(B), ctx.rng, batch_);
    obs_ = as_tensor(batch_.observations, {B, D});
    next_obs_ = as_tensor(batch_.next_observations, {B, D});
    rewards_ = as_tensor(batch_.rewards, {B});
    not_terminated_ = 1 - as_tensor(batch_.terminated, {B});
  }

  void step_q(RunContext& ctx, const torch::Tensor& q1_a, const torch::Tensor& q2_a, const torch::Tensor& next_q) {
    const torch::Tensor q1_loss = torch::mse_loss(q1_a, next_q);
    const torch::Tensor q2_loss = torch::mse_loss(q2_a, next_q);
    const torch::Tensor qf_loss = q1_loss + q2_loss;
    last_.qf1_loss = q1_loss.item<double>();
    last_.qf2_loss = q2_loss.item<double>();
    check_finite(last_.qf1_loss + last_.qf2_loss, "losses/qf_loss", ctx.global_step);
    last_.qf1_values = q1_a.mean().item<double>();
    last_.qf2_values = q2_a.mean().item<double>();
    q_optimizer_.zero_grad();
    qf_loss.backward();
    q_optimizer_.step();
  }

  // One actor step, then (with autotune) one temperature step on the expectation
  // `alpha_loss_after()` computes after the actor's step (discrete SAC, through LibTorch).
  template <typename AlphaLoss>
  void step_actor_and_alpha(RunContext& ctx, const torch::Tensor& actor_loss, AlphaLoss alpha_loss_after) {
    last_.actor_loss = actor_loss.item<double>();
    check_finite(last_.actor_loss, "losses/actor_loss", ctx.global_step);
    actor_optimizer_.zero_grad();
    actor_loss.backward();
    actor_optimizer_.step();
    if (config_.autotune) step_alpha(ctx, alpha_loss_after());
  }

  // The temperature's step on its loss −α·E[log π + target entropy] (α = exp(log α)), given the
  // expectation; its gradient with respect to log α is the loss itself.
  void step_alpha(RunContext& ctx, double expectation) {
    float* log_alpha = log_alpha_params_.values.data_ptr<float>();
    last_.alpha_loss = -std::exp(double{*log_alpha}) * expectation;
    check_finite(last_.alpha_loss, "losses/alpha_loss", ctx.global_step);
    *log_alpha_params_.grads.data_ptr<float>() = static_cast<float>(last_.alpha_loss);
    alpha_optimizer_.step();
    alpha_ = std::exp(double{*log_alpha});
  }

  // Continuous SAC's update, computed by hand (Mlp::forward_trace / backward, the reparameterised
  // gradient of tanh_gaussian_gradient): through LibTorch's autograd, the 64-64 networks of the market
  // configs spent most of their time in per-operator overhead.
  void update_continuous(RunContext& ctx, std::int64_t step, bool log) {
    const int B = config_.batch_size;
    const auto rows = static_cast<std::size_t>(B);
    replay_.sample(rows, ctx.rng, batch_);
    // The soft TD target, with a′ drawn from the current actor at s′.
    actor_->forward_fast(batch_.next_observations.data(), B, actor_out_);
    sample_tanh_gaussian(actor_out_.data(), B, action_dims_, action_scale_.data(), action_bias_.data(), ctx.rng,
                         next_sample_);
    join(batch_.next_observations, next_sample_.action, q_in_);
    q1_target_->forward_fast(q_in_.data(), B, q1_out_);
    q2_target_->forward_fast(q_in_.data(), B, q2_out_);
    targets_.resize(rows);
    for (std::size_t i = 0; i < rows; ++i)
      targets_[i] = sac_target(batch_.rewards[i], 1 - batch_.terminated[i], config_.gamma, q1_out_[i], q2_out_[i],
                               alpha_, next_sample_.log_prob[i]);
    // The critics: each one's mean squared error against the target.
    join(batch_.observations, batch_.values, q_in_);
    const std::vector<float>& q1 = q1_->forward_trace(q_in_.data(), B, q1_trace_);
    const std::vector<float>& q2 = q2_->forward_trace(q_in_.data(), B, q2_trace_);
    grad_q1_.resize(rows);
    grad_q2_.resize(rows);
    last_ = {};
    for (std::size_t i = 0; i < rows; ++i) {
      const double e1 = q1[i] - targets_[i], e2 = q2[i] - targets_[i];
      last_.qf1_loss += e1 * e1 / B;
      last_.qf2_loss += e2 * e2 / B;
      last_.qf1_values += double{q1[i]} / B;
      last_.qf2_values += double{q2[i]} / B;
      grad_q1_[i] = static_cast<float>(2 * e1 / B);
      grad_q2_[i] = static_cast<float>(2 * e2 / B);
    }
    check_finite(last_.qf1_loss + last_.qf2_loss, "losses/qf_loss", ctx.global_step);
    q_optimizer_.zero_grad();
    q1_->backward(q_in_.data(), B, q1_trace_, grad_q1_.data());
    q2_->backward(q_in_.data(), B, q2_trace_, grad_q2_.data());
    q_optimizer_.step();
    // As many actor updates as steps since the last ones (TD3's delayed updates, compensated).
    if (step % config_.policy_frequency == 0)
      for (int k = 0; k < config_.policy_frequency; ++k) actor_step(ctx);
    if (log) log_losses(ctx);
  }

  // The actor's loss mean(α·log π(ã|s) − min(Q1, Q2)(s, ã)) with ã reparameterised; the critics
  // pass ∂loss/∂ã back without computing their own gradients. Then the temperature's step on a
  // fresh sample from the updated actor, as CleanRL.
  void actor_step(RunContext& ctx) {
    const int B = config_.batch_size, A = action_dims_;
    const auto rows = static_cast<std::size_t>(B);
    const std::size_t in = obs_size_ + static_cast<std::size_t>(A);
    const std::vector<float>& out = actor_->forward_trace(batch_.observations.data(), B, actor_trace_);
    sample_tanh_gaussian(out.data(), B, A, action_scale_.data(), action_bias_.data(), ctx.rng, pi_sample_);
    join(batch_.observations, pi_sample_.action, pi_in_);
    const std::vector<float>& q1 = q1_->forward_trace(pi_in_.data(), B, q1_trace_);
    const std::vector<float>& q2 = q2_->forward_trace(pi_in_.data(), B, q2_trace_);
    double loss = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      loss += (alpha_ * pi_sample_.log_prob[i] - std::min(q1[i], q2[i])) / B;
      // −min: the gradient goes to the smaller critic (split on a tie, as PyTorch's minimum).
      const float share = q1[i] == q2[i] ? 0.5f : 1.0f;
      grad_q1_[i] = q1[i] <= q2[i] ? -share / static_cast<float>(B) : 0.0f;
      grad_q2_[i] = q2[i] <= q1[i] ? -share / static_cast<float>(B) : 0.0f;
    }
    last_.actor_loss = loss;
    check_finite(loss, "losses/actor_loss", ctx.global_step);
    q1_->backward(pi_in_.data(), B, q1_trace_, grad_q1_.data(), &q1_input_grad_, false);
    q2_->backward(pi_in_.data(), B, q2_trace_, grad_q2_.data(), &q2_input_grad_, false);
    grad_action_.resize(rows * static_cast<std::size_t>(A));
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t d = 0; d < static_cast<std::size_t>(A); ++d)
        grad_action_[i * A + d] = q1_input_grad_[i * in + obs_size_ + d] + q2_input_grad_[i * in + obs_size_ + d];
    actor_grad_out_.resize(rows * 2 * static_cast<std::size_t>(A));
    tanh_gaussian_gradient(pi_sample_, B, A, action_scale_.data(), grad_action_.data(), alpha_ / B,
                           actor_grad_out_.data());
    actor_optimizer_.zero_grad();
    actor_->backward(batch_.observations.data(), B, actor_trace_, actor_grad_out_.data());
    actor_optimizer_.step();
    if (!config_.autotune) return;
    actor_->forward_fast(batch_.observations.data(), B, actor_out_);
    sample_tanh_gaussian(actor_out_.data(), B, A, action_scale_.data(), action_bias_.data(), ctx.rng, alpha_sample_);
    double expectation = 0;
    for (double log_prob : alpha_sample_.log_prob) expectation += (log_prob + target_entropy_) / B;
    step_alpha(ctx, expectation);
  }

  // Rows of [observation, action], the critics' input.
  void join(const std::vector<float>& observations, const std::vector<float>& actions, std::vector<float>& out) const {
    const std::size_t A = static_cast<std::size_t>(action_dims_), rows = actions.size() / A;
    out.resize(rows * (obs_size_ + A));
    for (std::size_t i = 0; i < rows; ++i) {
      std::copy_n(observations.begin() + static_cast<std::ptrdiff_t>(i * obs_size_), obs_size_,
                  out.begin() + static_cast<std::ptrdiff_t>(i * (obs_size_ + A)));
      std::copy_n(actions.begin() + static_cast<std::ptrdiff_t>(i * A), A,
                  out.begin() + static_cast<std::ptrdiff_t>(i * (obs_size_ + A) + obs_size_));
    }
  }

  void update_discrete(RunContext& ctx, bool log) {
    sample_batch_tensors(ctx);
    const auto B = static_cast<std::int64_t>(config_.batch_size);
    const torch::Tensor next_mask = mask_tensor(batch_.next_masks, B, static_cast<std::int64_t>(mask_size_));
    torch::Tensor next_q;
    {
      torch::NoGradGuard no_grad;
      const Categorical next_pi(policy_logits(next_obs_, next_mask));
      next_q = sac_discrete_target(rewards_, not_terminated_, config_.gamma, q1_target_->forward(next_obs_),
                                   q2_target_->forward(next_obs_), alpha_, next_pi.probs(), next_pi.log_probs);
    }
    const torch::Tensor actions = torch::from_blob(batch_.indices.data(), {B, 1}, torch::kInt64);
    step_q(ctx, q1_->forward(obs_).gather(1, actions).view({-1}), q2_->forward(obs_).gather(1, actions).view({-1}),
           next_q);
    // The replay stores the mask of the successor only; the acting state's own mask is not needed:
    // the actor's distribution there was masked when it acted, and here it learns from all logits.
    const Categorical pi(actor_->forward(obs_));
    torch::Tensor min_q;
    {
      torch::NoGradGuard no_grad;
      min_q = torch::min(q1_->forward(obs_), q2_->forward(obs_));
    }
    const torch::Tensor probs = pi.probs();
    const torch::Tensor actor_loss = (probs * (alpha_ * pi.log_probs - min_q)).mean();
    // sac_atari.py computes the temperature's loss from the same forward pass as the actor's.
    const torch::Tensor fixed_probs = probs.detach(), fixed_log_probs = pi.log_probs.detach();
    step_actor_and_alpha(ctx, actor_loss, [&] {
      return (fixed_probs * (fixed_log_probs + target_entropy_)).mean().item<double>();
    });
    if (log) log_losses(ctx);
  }

  void log_losses(RunContext& ctx) {
    ctx.metrics->losses(ctx.global_step, {last_.qf1_values, last_.qf2_values, last_.qf1_loss, last_.qf2_loss,
                                         (last_.qf1_loss + last_.qf2_loss) / 2, last_.actor_loss, alpha_,
                                         last_.alpha_loss});
  }

  SacConfig config_;
  ActionShape shape_;
  bool discrete_;
  std::size_t obs_size_, mask_size_;
  int action_dims_;
  std::unique_ptr<Network> actor_, q1_, q2_, q1_target_, q2_target_;
  FlatParameters actor_params_, q_params_, q_target_params_, log_alpha_params_;
  FlatAdam actor_optimizer_, q_optimizer_, alpha_optimizer_;
  ReplayBuffer replay_;
  ReplayBatch batch_;
  std::vector<float> action_scale_, action_bias_;
  // The continuous update's scratch
  TanhGaussianSample pi_sample_, next_sample_, alpha_sample_;
  Network::Trace actor_trace_, q1_trace_, q2_trace_;
  Teacher teacher_;
  std::vector<float> actor_out_, q1_out_, q2_out_, q_in_, pi_in_, grad_q1_, grad_q2_, q1_input_grad_, q2_input_grad_,
      grad_action_, actor_grad_out_;
  std::vector<double> targets_;
  torch::Tensor obs_, next_obs_, rewards_, not_terminated_;
  double alpha_ = 0.2, target_entropy_ = 0;
  std::vector<float> observation_, value_;
  std::vector<std::int32_t> index_;
  std::vector<std::uint8_t> all_valid_;
  struct {
    double qf1_values = 0, qf2_values = 0, qf1_loss = 0, qf2_loss = 0, actor_loss = 0, alpha_loss = 0;
  } last_;
};

}  // namespace

std::unique_ptr<Learner> make_learner(const SacConfig& config, const Env& prototype, std::int64_t total_steps,
                                      Rng& init_rng) {
  return std::make_unique<Sac>(config, prototype, total_steps, init_rng);
}

}  // namespace expanse::agents
