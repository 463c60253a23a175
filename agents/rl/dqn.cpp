// DQN (Mnih et al. 2015) as CleanRL's dqn.py: ε-greedy over a Q network, uniform replay, a target
// network synchronised every target_network_frequency steps; options: double DQN (van Hasselt et
// al. 2016), Huber loss, gradient clipping. Invalid actions are masked in acting and in the target.
#include <cmath>
#include <stdexcept>

#include "agents/rl/distributions.hpp"
#include "agents/rl/flat_adam.hpp"
#include "agents/rl/learner.hpp"
#include "agents/rl/mlp.hpp"
#include "agents/rl/replay_buffer.hpp"
#include "agents/rl/schedule.hpp"

namespace expanse::agents {
namespace {

class Dqn final : public Learner {
 public:
  Dqn(const DqnConfig& config, const Env& prototype, std::int64_t total_steps, Rng& init_rng)
      : config_(config),
        shape_(prototype.action_space()),
        obs_size_(prototype.observation_size()),
        actions_(shape_.box || shape_.nvec.size() != 1 ? 0 : shape_.nvec[0]),
        total_steps_(total_steps),
        q_(layer_widths(static_cast<int>(obs_size_), config.hidden, actions_), Activation::kRelu),
        target_(layer_widths(static_cast<int>(obs_size_), config.hidden, actions_), Activation::kRelu),
        q_params_(q_.parameter_count()),
        target_params_(target_.parameter_count()),
        optimizer_(q_params_, config.learning_rate),
        replay_(static_cast<std::size_t>(config.buffer_size), obs_size_, 1, 0, mask_size(prototype.action_space())) {
    if (actions_ == 0)
      throw std::invalid_argument("DQN needs a Discrete action space (market scenarios: view: discrete)");
    q_.bind(q_params_, 0);
    target_.bind(target_params_, 0);
    q_.init_uniform_fan_in(init_rng);
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
    observations_.assign(ctx.buffers.observations.begin(), ctx.buffers.observations.end());
    chosen_.resize(E);
    q_.forward_fast(observations_.data(), static_cast<int>(E), q_out_);
    for (std::size_t i = 0; i < E; ++i)
      chosen_[i] = ctx.rng.uniform() < epsilon
                       ? random_valid(ctx, i)
                       : argmax_valid(q_out_.data() + i * static_cast<std::size_t>(actions_),
                                      M ? ctx.buffers.action_masks.data() + i * M : nullptr, actions_);
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
      replay_.add(std::span<const float>(observations_).subspan(i * obs_size_, obs_size_), next,
                  std::span<const std::int32_t>(&chosen_[i], 1), {}, ctx.buffers.rewards[i], ctx.buffers.terminated[i],
                  ctx.buffers.truncated[i], next_mask);
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
  }

  void act(std::span<const float> observation, std::span<const std::uint8_t> mask, std::span<std::int32_t> indices,
           std::span<float>) override {
    q_.forward_fast(observation.data(), 1, q_out_);
    indices[0] = argmax_valid(q_out_.data(), mask.empty() ? nullptr : mask.data(), actions_);
  }

  std::int32_t random_valid(RunContext& ctx, std::size_t i) {
    const std::size_t M = ctx.envs.mask_size();
    const std::uint8_t* mask = ctx.buffers.action_masks.data() + i * M;
    std::uint32_t valid = 0;
    for (std::size_t a = 0; a < M; ++a) valid += mask[a];
    if (valid == 0) return static_cast<std::int32_t>(ctx.rng.below(static_cast<std::uint32_t>(actions_)));
    std::uint32_t k = ctx.rng.below(valid);
    for (std::size_t a = 0; a < M; ++a)
      if (mask[a] && k-- == 0) return static_cast<std::int32_t>(a);
    return 0;
  }

  // One gradient step on a sampled minibatch, computed by hand (Mlp::forward_trace / backward):
  // the loss only touches the chosen action's Q value, so ∂loss/∂Q is one number per row.
  void update(RunContext& ctx, bool log) {
    const std::size_t B = static_cast<std::size_t>(config_.batch_size);
    const auto A = static_cast<std::size_t>(actions_);
    replay_.sample(B, ctx.rng, batch_);
    const std::size_t M = batch_.next_masks.size() / B;
    target_.forward_fast(batch_.next_observations.data(), static_cast<int>(B), target_out_);
    if (config_.double_dqn) q_.forward_fast(batch_.next_observations.data(), static_cast<int>(B), q_out_);
    const std::vector<float>& q = q_.forward_trace(batch_.observations.data(), static_cast<int>(B), trace_);
    grad_out_.assign(B * A, 0.0f);
    double loss = 0, q_sum = 0;
    for (std::size_t i = 0; i < B; ++i) {
      const std::uint8_t* mask = M ? batch_.next_masks.data() + i * M : nullptr;
      // The best valid next action: by the online network (double DQN) or the target network.
      const float* chooser = (config_.double_dqn ? q_out_.data() : target_out_.data()) + i * A;
      const float next_value = target_out_[i * A + static_cast<std::size_t>(argmax_valid(chooser, mask, actions_))];
      const float td_target = batch_.rewards[i] + static_cast<float>(config_.gamma) * next_value * (1 - batch_.terminated[i]);
      const std::size_t chosen = i * A + static_cast<std::size_t>(batch_.indices[i]);
      const double error = double{q[chosen]} - td_target;
      q_sum += q[chosen];
      if (config_.huber_loss) {  // smooth L1 with β = 1
        const bool small = std::abs(error) < 1;
        loss += small ? 0.5 * error * error : std::abs(error) - 0.5;
        grad_out_[chosen] = static_cast<float>((small ? error : (error > 0 ? 1.0 : -1.0)) / static_cast<double>(B));
      } else {
        loss += error * error;
        grad_out_[chosen] = static_cast<float>(2 * error / static_cast<double>(B));
      }
    }
    loss /= static_cast<double>(B);
    check_finite(loss, "losses/td_loss", ctx.global_step);
    optimizer_.zero_grad();
    q_.backward(batch_.observations.data(), static_cast<int>(B), trace_, grad_out_.data());
    if (config_.max_grad_norm > 0) optimizer_.clip_grad_norm(config_.max_grad_norm);
    optimizer_.step();
    if (log) ctx.metrics->losses(ctx.global_step, {loss, q_sum / static_cast<double>(B)});
  }

  DqnConfig config_;
  ActionShape shape_;
  std::size_t obs_size_;
  int actions_;
  std::int64_t total_steps_;
  Mlp q_, target_;
  FlatParameters q_params_, target_params_;
  FlatAdam optimizer_;
  ReplayBuffer replay_;
  ReplayBatch batch_;
  std::vector<float> observations_;
  std::vector<std::int32_t> chosen_;
  std::vector<float> q_out_, target_out_, grad_out_;
  Mlp::Trace trace_;
  std::vector<std::uint8_t> all_valid_;
};

}  // namespace

std::unique_ptr<Learner> make_dqn(const DqnConfig& config, const Env& prototype, std::int64_t total_steps,
                                  Rng& init_rng) {
  return std::make_unique<Dqn>(config, prototype, total_steps, init_rng);
}

}  // namespace expanse::agents
