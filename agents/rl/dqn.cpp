// DQN (Mnih et al. 2015) as CleanRL's dqn.py: ε-greedy over a Q network, uniform replay, a target
// network synchronised every target_network_frequency steps; options: double DQN (van Hasselt et
// al. 2016), Huber loss, gradient clipping. Invalid actions are masked in acting and in the target.
// On a MultiDiscrete space it branches (BDQ, action_branches.hpp): one head per component on a
// shared torso; each component is chosen by its own (ε-)greedy argmax, and one TD target per
// transition — the reward plus γ times the mean over heads of the next value — is what every head's
// chosen value regresses to. A market scenario's MultiDiscrete view thus acts on every region in one
// quarter, where the Discrete view takes one action a quarter. A Discrete space is the one-branch
// case: exactly CleanRL's DQN.
// Option: n-step returns (`n_step`; Sutton 1988, as in Rainbow): a transition sums n discounted
// rewards and bootstraps from the state n steps later (fewer at an episode's end), which carries a
// delayed payoff back n steps per update instead of one.
// Option: a teacher (teacher.hpp) whose actions make up `teacher_share` of the exploratory ones.
#include <cmath>
#include <stdexcept>

#include "agents/rl/action_branches.hpp"
#include "agents/rl/distributions.hpp"
#include "agents/rl/entity_net.hpp"
#include "agents/rl/flat_adam.hpp"
#include "agents/rl/learner.hpp"
#include "agents/rl/n_step_window.hpp"
#include "agents/rl/replay_buffer.hpp"
#include "agents/rl/schedule.hpp"
#include "agents/rl/teacher.hpp"

namespace expanse::agents {
namespace {

// The Q network: its row is the branches' outputs (with the dueling state value first when there
// are several), from a flat MLP or an entity network (`network: entity`).
std::unique_ptr<Network> make_q_network(const DqnConfig& config, const Env& prototype, const ActionBranches& branches) {
  const EntityLayout layout = prototype.entity_layout();
  return make_network(config.net, config.hidden, branches.dueling() ? with_leading_global_output(layout) : layout,
                      static_cast<int>(prototype.observation_size()), static_cast<int>(branches.width()),
                      Activation::kRelu);
}

class Dqn final : public Learner {
 public:
  Dqn(const DqnConfig& config, const Env& prototype, std::int64_t total_steps, Rng& init_rng)
      : config_(config),
        shape_(prototype.action_space()),
        obs_size_(prototype.observation_size()),
        branches_(shape_.nvec),
        total_steps_(total_steps),
        q_(make_q_network(config, prototype, branches_)),
        target_(make_q_network(config, prototype, branches_)),
        q_params_(q_->parameter_count()),
        target_params_(target_->parameter_count()),
        optimizer_(q_params_, config.learning_rate),
        replay_(replay_capacity(config.buffer_size, total_steps, config.num_envs), obs_size_, branches_.count(), 0,
                mask_size(prototype.action_space())),
        teacher_(config.teacher, prototype, static_cast<std::size_t>(config.num_envs)) {
    if (shape_.box)
      throw std::invalid_argument(
          "DQN needs a Discrete or MultiDiscrete action space (market scenarios: view: discrete or multidiscrete)");
    for (int k = 0; k <= config_.n_step; ++k)
      bootstrap_discount_.push_back(static_cast<float>(std::pow(config_.gamma, k)));
    if (config_.n_step > 1)
      pending_.assign(static_cast<std::size_t>(config_.num_envs),
                      NStepWindow(static_cast<std::size_t>(config_.n_step), obs_size_, branches_.count(), config_.gamma));
    q_->bind(q_params_, 0);
    target_->bind(target_params_, 0);
    q_->init_uniform_fan_in(init_rng);
    torch::NoGradGuard no_grad;
    target_params_.values.copy_(q_params_.values);
  }

  std::vector<std::string> loss_names() const override { return {"losses/td_loss", "losses/q_values"}; }

  void iterate(RunContext& ctx) override {
    const std::size_t E = ctx.envs.size();
    const std::size_t M = ctx.envs.mask_size();
    const std::int64_t before = ctx.global_step;  // CleanRL's global_step during this iteration
    const double epsilon = linear_schedule(config_.start_e, config_.end_e,
                                           config_.exploration_fraction * static_cast<double>(total_steps_),
                                           before);
    const std::size_t D = branches_.count(), A = branches_.total();
    observations_.assign(ctx.buffers.observations.begin(), ctx.buffers.observations.end());
    chosen_.resize(E * D);
    q_->forward_fast(observations_.data(), static_cast<int>(E), q_out_);
    const float* q = branches_.q_values(q_out_.data(), E, q_now_);
    for (std::size_t i = 0; i < E; ++i) {
      // With a teacher, exploration is decided per env: a share of it copies the teacher's action.
      const bool explore = teacher_.active() && ctx.rng.uniform() < epsilon;
      if (explore && ctx.rng.uniform() < config_.teacher_share) {
        teacher_.act(ctx.envs, i, std::span<std::int32_t>(chosen_).subspan(i * D, D));
        continue;
      }
      for (std::size_t d = 0; d < D; ++d) {
        const int n = branches_.size(d);
        const std::uint8_t* mask = M ? ctx.buffers.action_masks.data() + i * M + branches_.offset(d) : nullptr;
        const bool random = teacher_.active() ? explore : ctx.rng.uniform() < epsilon;
        chosen_[i * D + d] =
            random ? random_valid(ctx.rng, mask, n) : argmax_valid(q + i * A + branches_.offset(d), mask, n);
      }
    }
    ctx.envs.step(chosen_, {}, ctx.buffers);
    ctx.global_step += static_cast<std::int64_t>(E);
    for (std::size_t i = 0; i < E; ++i) {
      const bool ended = ctx.buffers.terminated[i] || ctx.buffers.truncated[i];
      const auto next = ended ? ctx.buffers.final_observation(i) : ctx.buffers.observation(i);
      // The successor's mask: after an episode's end it is never used (no bootstrap on termination;
      // on truncation the final state's mask is unknown, so all actions count).
      std::span<const std::uint8_t> next_mask;
      all_valid_.assign(M, 1);
      next_mask = ended ? std::span<const std::uint8_t>(all_valid_)
                        : std::span<const std::uint8_t>(ctx.buffers.action_masks).subspan(i * M, M);
      const auto observation = std::span<const float>(observations_).subspan(i * obs_size_, obs_size_);
      const auto action = std::span<const std::int32_t>(chosen_).subspan(i * D, D);
      if (config_.n_step == 1) {
        replay_.add(observation, next, action, {}, ctx.buffers.rewards[i], ctx.buffers.terminated[i],
                    ctx.buffers.truncated[i], next_mask);
        continue;
      }
      pending_[i].step(observation, action, ctx.buffers.rewards[i], next, ctx.buffers.terminated[i],
                       ctx.buffers.truncated[i], next_mask, replay_);
    }
    ctx.after_step();
    if (before > config_.learning_starts) {
      if (due(before, ctx.global_step, config_.train_frequency)) update(ctx, due(before, ctx.global_step, 100));
      if (due(before, ctx.global_step, config_.target_network_frequency)) {
        torch::NoGradGuard no_grad;
        target_params_.values.mul_(1 - config_.tau).add_(q_params_.values, config_.tau);
      }
    }
  }

  void save(torch::serialize::OutputArchive& archive) const override {
    archive.write("q", q_params_.values);
    archive.write("target", target_params_.values);
    optimizer_.save(archive, "adam");
    write_replay(archive, const_cast<ReplayBuffer&>(replay_));
    if (config_.n_step > 1) {  // the transitions still waiting for their n rewards
      std::vector<float> observations;
      std::vector<std::int32_t> actions;
      std::vector<double> rewards;
      std::vector<std::int64_t> cursors;
      for (const NStepWindow& p : pending_) {
        observations.insert(observations.end(), p.observations.begin(), p.observations.end());
        actions.insert(actions.end(), p.actions.begin(), p.actions.end());
        rewards.insert(rewards.end(), p.rewards.begin(), p.rewards.end());
        cursors.push_back(static_cast<std::int64_t>(p.start));
        cursors.push_back(static_cast<std::int64_t>(p.count));
      }
      write_array(archive, "pending.observations", observations);
      write_array(archive, "pending.actions", actions);
      write_array(archive, "pending.rewards", rewards);
      write_array(archive, "pending.cursors", cursors);
    }
  }

  void load_weights(torch::serialize::InputArchive& archive) override {
    read_weights(archive, "q", q_params_.values);
    torch::NoGradGuard no_grad;
    target_params_.values.copy_(q_params_.values);
  }

  void load(torch::serialize::InputArchive& archive) override {
    torch::Tensor q, target;
    archive.read("q", q);
    archive.read("target", target);
    torch::NoGradGuard no_grad;
    q_params_.values.copy_(q);
    target_params_.values.copy_(target);
    optimizer_.load(archive, "adam");
    read_replay(archive, replay_);
    if (config_.n_step > 1) {
      std::vector<float> observations;
      std::vector<std::int32_t> actions;
      std::vector<double> rewards;
      std::vector<std::int64_t> cursors;
      read_array(archive, "pending.observations", observations);
      read_array(archive, "pending.actions", actions);
      read_array(archive, "pending.rewards", rewards);
      read_array(archive, "pending.cursors", cursors);
      const auto n = static_cast<std::size_t>(config_.n_step);
      const std::size_t envs = cursors.size() / 2;
      if (observations.size() != envs * n * obs_size_ || actions.size() != envs * n * branches_.count() ||
          rewards.size() != envs * n)
        throw std::runtime_error("checkpoint: the pending n-step transitions do not match the config");
      pending_.assign(envs, NStepWindow(n, obs_size_, branches_.count(), config_.gamma));
      for (std::size_t e = 0; e < envs; ++e) {
        NStepWindow& p = pending_[e];
        std::copy_n(observations.begin() + static_cast<std::ptrdiff_t>(e * n * obs_size_), n * obs_size_,
                    p.observations.begin());
        std::copy_n(actions.begin() + static_cast<std::ptrdiff_t>(e * n * branches_.count()), n * branches_.count(),
                    p.actions.begin());
        std::copy_n(rewards.begin() + static_cast<std::ptrdiff_t>(e * n), n, p.rewards.begin());
        p.start = static_cast<std::size_t>(cursors[2 * e]);
        p.count = static_cast<std::size_t>(cursors[2 * e + 1]);
      }
    }
  }

  void act(const PolicyInput& input, std::span<std::int32_t> indices, std::span<float>) override {
    q_->forward_fast(input.observation.data(), 1, q_out_);
    const float* q = branches_.q_values(q_out_.data(), 1, q_now_);
    for (std::size_t d = 0; d < branches_.count(); ++d)
      indices[d] =
          argmax_valid(q + branches_.offset(d), input.mask.empty() ? nullptr : input.mask.data() + branches_.offset(d),
                       branches_.size(d));
  }

  // A uniform choice among the n choices the mask allows (all n without a mask or when none is).
  static std::int32_t random_valid(Rng& rng, const std::uint8_t* mask, int n) {
    std::uint32_t valid = 0;
    if (mask)
      for (int a = 0; a < n; ++a) valid += mask[a];
    if (valid == 0) return static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(n)));
    std::uint32_t k = rng.below(valid);
    for (int a = 0; a < n; ++a)
      if (mask[a] && k-- == 0) return a;
    return 0;
  }

  // One gradient step on a sampled minibatch, computed by hand (Mlp::forward_trace / backward):
  // the loss only touches each head's chosen Q value, so ∂loss/∂Q is one number per row and head.
  void update(RunContext& ctx, bool log) {
    const std::size_t B = static_cast<std::size_t>(config_.batch_size);
    const std::size_t A = branches_.total(), D = branches_.count(), W = branches_.width();
    replay_.sample(B, ctx.rng, batch_);
    const std::size_t M = batch_.next_masks.size() / B;
    target_->forward_fast(batch_.next_observations.data(), static_cast<int>(B), target_out_);
    const float* target_q = branches_.q_values(target_out_.data(), B, target_q_);
    const float* online_next_q = nullptr;
    if (config_.double_dqn) {
      q_->forward_fast(batch_.next_observations.data(), static_cast<int>(B), q_out_);
      online_next_q = branches_.q_values(q_out_.data(), B, q_next_);
    }
    const float* q = branches_.q_values(
        q_->forward_trace(batch_.observations.data(), static_cast<int>(B), trace_).data(), B, q_now_);
    grad_out_.assign(B * W, 0.0f);
    double loss = 0, q_sum = 0;
    for (std::size_t i = 0; i < B; ++i) {
      // Each head's best valid next choice, by the online network (double DQN) or the target network,
      // valued by the target network; their mean is the next state's value.
      float next_sum = 0;
      for (std::size_t d = 0; d < D; ++d) {
        const std::size_t offset = i * A + branches_.offset(d);
        const std::uint8_t* mask = M ? batch_.next_masks.data() + i * M + branches_.offset(d) : nullptr;
        const float* chooser = (config_.double_dqn ? online_next_q : target_q) + offset;
        next_sum += target_q[offset + static_cast<std::size_t>(argmax_valid(chooser, mask, branches_.size(d)))];
      }
      const float next_value = next_sum / static_cast<float>(D);
      const float td_target = batch_.rewards[i] + bootstrap_discount_[batch_.steps[i]] * next_value * (1 - batch_.terminated[i]);
      for (std::size_t d = 0; d < D; ++d) {
        const auto a = static_cast<std::size_t>(batch_.indices[i * D + d]);
        const float value = q[i * A + branches_.offset(d) + a];
        const double error = double{value} - td_target;
        q_sum += value;
        double g;
        if (config_.huber_loss) {  // smooth L1 with β = 1
          const bool small = std::abs(error) < 1;
          loss += small ? 0.5 * error * error : std::abs(error) - 0.5;
          g = (small ? error : (error > 0 ? 1.0 : -1.0)) / static_cast<double>(B * D);
        } else {
          loss += error * error;
          g = 2 * error / static_cast<double>(B * D);
        }
        branches_.add_gradient(&grad_out_[i * W], d, a, static_cast<float>(g));
      }
    }
    loss /= static_cast<double>(B * D);
    check_finite(loss, "losses/td_loss", ctx.global_step);
    optimizer_.zero_grad();
    q_->backward(batch_.observations.data(), static_cast<int>(B), trace_, grad_out_.data());
    if (config_.max_grad_norm > 0) optimizer_.clip_grad_norm(config_.max_grad_norm);
    optimizer_.step();
    if (log) ctx.metrics->losses(ctx.global_step, {loss, q_sum / static_cast<double>(B * D)});
  }

  DqnConfig config_;
  ActionShape shape_;
  std::size_t obs_size_;
  ActionBranches branches_;  // one for a Discrete space
  std::int64_t total_steps_;
  std::unique_ptr<Network> q_, target_;
  FlatParameters q_params_, target_params_;
  FlatAdam optimizer_;
  ReplayBuffer replay_;
  ReplayBatch batch_;
  std::vector<float> observations_;
  std::vector<std::int32_t> chosen_;
  std::vector<float> q_out_, target_out_, grad_out_;
  std::vector<NStepWindow> pending_;       // per env, when n_step > 1
  std::vector<float> bootstrap_discount_;  // γ^k for a transition of k rewards
  std::vector<float> q_now_, q_next_, target_q_;  // Q values computed from the outputs (dueling)
  Network::Trace trace_;
  Teacher teacher_;
  std::vector<std::uint8_t> all_valid_;
};

}  // namespace

std::unique_ptr<Learner> make_learner(const DqnConfig& config, const Env& prototype, std::int64_t total_steps,
                                      Rng& init_rng) {
  return std::make_unique<Dqn>(config, prototype, total_steps, init_rng);
}

}  // namespace expanse::agents
