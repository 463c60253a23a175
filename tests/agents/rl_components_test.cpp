// Unit tests of the learning agents' pieces against values computed by hand.
#include <catch2/catch.hpp>
#include <cmath>

#include "agents/rl/action_branches.hpp"
#include "agents/rl/agent_config.hpp"
#include "agents/rl/distributions.hpp"
#include "agents/rl/flat_adam.hpp"
#include "agents/rl/learner.hpp"
#include "agents/rl/losses.hpp"
#include "agents/rl/mlp.hpp"
#include "agents/rl/n_step_window.hpp"
#include "agents/rl/replay_buffer.hpp"
#include "agents/rl/rollout_buffer.hpp"
#include "agents/rl/schedule.hpp"
#include "common/user_error.hpp"

using namespace expanse;
using namespace expanse::agents;

namespace {
torch::Tensor floats(std::vector<float> v) { return torch::tensor(v); }
}  // namespace

TEST_CASE("GAE matches a hand computation, with an episode boundary inside the rollout", "[agents][gae]") {
  // One env, three steps; the observation at t = 2 starts a new episode (dones[2] = 1).
  RolloutBuffer b(3, 1, 1, 1, 0, 0);
  b.rewards = {1, 2, 3};
  b.values = {0.5f, 1.0f, 1.5f};
  b.dones = {0, 0, 1};
  const double g = 0.9, l = 0.8;
  b.compute_gae({2.0f}, {0.0f}, g, l);
  // t = 2: δ = 3 + 0.9·2 − 1.5 = 3.3, A = 3.3
  // t = 1: successor starts a new episode: δ = 2 − 1 = 1, A = 1
  // t = 0: δ = 1 + 0.9·1 − 0.5 = 1.4, A = 1.4 + 0.9·0.8·1 = 2.12
  CHECK(b.advantages[2] == Catch::Detail::Approx(3.3));
  CHECK(b.advantages[1] == Catch::Detail::Approx(1.0));
  CHECK(b.advantages[0] == Catch::Detail::Approx(2.12));
  CHECK(b.returns[0] == Catch::Detail::Approx(2.62));
  CHECK(b.returns[2] == Catch::Detail::Approx(4.8));
  // A done after the last step stops the bootstrap from next_values.
  b.compute_gae({100.0f}, {1.0f}, g, l);
  CHECK(b.advantages[2] == Catch::Detail::Approx(1.5));
}

TEST_CASE("PPO's clipped surrogate and clipped value loss", "[agents][ppo]") {
  // ratios e^0.5 = 1.6487 (clipped to 1.2) and e^−0.5 = 0.6065 (clipped to 0.8), advantages +1 and −1.
  const std::vector<double> log_ratio{0.5, -0.5};
  const std::vector<float> adv{1.0f, -1.0f}, new_values{1.0f, 3.0f}, returns{2.0f, 2.0f}, old_values{0.0f, 2.5f};
  std::vector<double> g_pi(2), g_v(2);
  const PpoLoss loss = ppo_loss(log_ratio, adv, new_values, returns, old_values, 0.2, true, false, g_pi, g_v);
  // row 0: max(−1.6487, −1.2) = −1.2; row 1: max(0.6065, 0.8) = 0.8 → mean −0.2
  CHECK(loss.policy == Catch::Detail::Approx(-0.2).margin(1e-6));
  // Both rows take the clipped term, whose ratio is outside the range: no policy gradient.
  CHECK(g_pi[0] == 0.0);
  CHECK(g_pi[1] == 0.0);
  // row 0: unclipped (1−2)² = 1, clipped (0+0.2−2)² = 3.24 → 3.24; row 1: (3−2)² = 1, (2.5+0.2... clamp(0.5)=0.2 → 2.7−2)²=0.49 → 1
  CHECK(loss.value == Catch::Detail::Approx(0.5 * (3.24 + 1.0) / 2).margin(1e-6));
  CHECK(g_v[0] == 0.0);                                // the clipped term wins, and its step is clipped
  CHECK(g_v[1] == Catch::Detail::Approx((3 - 2) / 2.0));  // the unclipped term: (v − R)/n
  CHECK(loss.clipfrac == 1.0);
  CHECK(loss.old_approx_kl == Catch::Detail::Approx(0.0).margin(1e-12));
  CHECK(loss.approx_kl == Catch::Detail::Approx((std::exp(0.5) - 1.5 + std::exp(-0.5) - 0.5) / 2));
  const PpoLoss plain = ppo_loss(log_ratio, adv, new_values, returns, old_values, 0.2, false, false, g_pi, g_v);
  CHECK(plain.value == Catch::Detail::Approx(0.5).margin(1e-6));
  // Normalising ±1 advantages: mean 0, sample std √2 → ±0.7071.
  const PpoLoss normed = ppo_loss(log_ratio, adv, new_values, returns, old_values, 0.2, true, true, g_pi, g_v);
  CHECK(normed.policy == Catch::Detail::Approx((-1.2 + 0.8) / 2 / std::sqrt(2.0)).margin(1e-5));
}

// The same loss written with LibTorch operators, differentiated by autograd: the reference the
// hand-written gradients are checked against.
TEST_CASE("PPO's hand-written loss gradient equals autograd's", "[agents][ppo]") {
  Rng rng(11);
  const int n = 64;
  std::vector<double> log_ratio(n);
  std::vector<float> adv(n), new_values(n), returns(n), old_values(n);
  for (int i = 0; i < n; ++i) {
    log_ratio[i] = rng.uniform(-0.4, 0.4);
    adv[i] = static_cast<float>(rng.normal());
    old_values[i] = static_cast<float>(rng.normal());
    new_values[i] = old_values[i] + static_cast<float>(rng.uniform(-0.5, 0.5));
    returns[i] = static_cast<float>(rng.normal());
  }
  for (bool clip_vloss : {true, false}) {
    std::vector<double> g_pi(n), g_v(n);
    const PpoLoss loss = ppo_loss(log_ratio, adv, new_values, returns, old_values, 0.2, clip_vloss, true, g_pi, g_v);

    const torch::Tensor lr = torch::tensor(log_ratio, torch::kFloat64).requires_grad_(true);
    const torch::Tensor v = torch::tensor(new_values).to(torch::kFloat64).requires_grad_(true);
    const torch::Tensor a0 = torch::tensor(adv).to(torch::kFloat64);
    const torch::Tensor a = (a0 - a0.mean()) / (a0.std() + 1e-8);
    const torch::Tensor R = torch::tensor(returns).to(torch::kFloat64), old = torch::tensor(old_values).to(torch::kFloat64);
    const torch::Tensor ratio = lr.exp();
    const torch::Tensor pg = torch::max(-a * ratio, -a * torch::clamp(ratio, 0.8, 1.2)).mean();
    const torch::Tensor vl = clip_vloss ? 0.5 * torch::max((v - R).pow(2), (old + torch::clamp(v - old, -0.2, 0.2) - R).pow(2)).mean()
                                        : 0.5 * (v - R).pow(2).mean();
    (pg + vl).backward();
    CHECK(loss.policy == Catch::Detail::Approx(pg.item<double>()).epsilon(1e-9));
    CHECK(loss.value == Catch::Detail::Approx(vl.item<double>()).epsilon(1e-6));
    for (int i = 0; i < n; ++i) {
      CHECK(g_pi[i] == Catch::Detail::Approx(lr.grad()[i].item<double>()).margin(1e-12));
      CHECK(g_v[i] == Catch::Detail::Approx(v.grad()[i].item<double>()).margin(1e-9));
    }
  }
}

TEST_CASE("Policy-term gradients (masked categorical, Gaussian) equal autograd's", "[agents][ppo]") {
  const std::vector<float> z{0.3f, -1.2f, 2.0f, 0.5f};
  const std::vector<std::uint8_t> mask{1, 0, 1, 1};
  std::vector<float> grad(4, 0.0f);
  const PolicyTerms terms = categorical_terms(z.data(), mask.data(), 4, 3, 0.7, -0.3, grad.data());
  const torch::Tensor logits = torch::tensor(z).requires_grad_(true);
  const torch::Tensor masked = torch::where(torch::tensor(std::vector<std::uint8_t>{1, 0, 1, 1}).to(torch::kBool), logits,
                                            torch::full({}, -1e8f));
  const torch::Tensor log_p = torch::log_softmax(masked, 0);
  const torch::Tensor entropy = -(log_p.exp() * log_p).sum();
  (0.7 * log_p[3] - 0.3 * entropy).backward();
  CHECK(terms.log_prob == Catch::Detail::Approx(log_p[3].item<double>()).epsilon(1e-6));
  CHECK(terms.entropy == Catch::Detail::Approx(entropy.item<double>()).epsilon(1e-6));
  for (int j = 0; j < 4; ++j) CHECK(grad[j] == Catch::Detail::Approx(logits.grad()[j].item<double>()).margin(1e-6));
  CHECK(grad[1] == 0.0f);

  const std::vector<float> mean{0.0f, 1.0f}, log_std{0.0f, std::log(2.0f)}, x{1.0f, 2.0f};
  std::vector<float> g_mean(2, 0.0f), g_log_std(2, 0.0f);
  const PolicyTerms g = gaussian_terms(mean.data(), log_std.data(), x.data(), 2, 0.7, -0.3, g_mean.data(), g_log_std.data());
  const double expected = (-0.5 * 1.0 - 0.5 * std::log(2 * M_PI)) + (-0.5 * 0.25 - std::log(2.0) - 0.5 * std::log(2 * M_PI));
  CHECK(g.log_prob == Catch::Detail::Approx(expected).epsilon(1e-6));
  CHECK(g.entropy == Catch::Detail::Approx(2 * (0.5 + 0.5 * std::log(2 * M_PI)) + std::log(2.0)).epsilon(1e-6));
  const torch::Tensor m = torch::tensor(mean).requires_grad_(true), s = torch::tensor(log_std).requires_grad_(true);
  const torch::Tensor zz = (torch::tensor(x) - m) * torch::exp(-s);
  const torch::Tensor lp = (-0.5 * zz * zz - s - 0.5 * std::log(2 * M_PI)).sum();
  (0.7 * lp - 0.3 * (s + 0.5 + 0.5 * std::log(2 * M_PI)).sum()).backward();
  for (int d = 0; d < 2; ++d) {
    CHECK(g_mean[d] == Catch::Detail::Approx(m.grad()[d].item<double>()).margin(1e-6));
    CHECK(g_log_std[d] == Catch::Detail::Approx(s.grad()[d].item<double>()).margin(1e-6));
  }
}

TEST_CASE("The MLP's hand-written backward pass equals autograd's", "[agents][mlp]") {
  for (Activation activation : {Activation::kTanh, Activation::kRelu}) {
    Rng rng(5);
    const std::vector<int> widths{5, 16, 8, 3};
    Mlp net(widths, activation);
    FlatParameters pool(Mlp::parameter_count(widths) + 4);  // an offset, as networks sharing a pool have
    net.bind(pool, 4);
    net.init_orthogonal(1.0, rng);
    const int rows = 7;
    std::vector<float> x(rows * 5), upstream(rows * 3);
    for (float& v : x) v = static_cast<float>(rng.normal());
    for (float& v : upstream) v = static_cast<float>(rng.normal());

    Mlp::Trace trace;
    const std::vector<float> out = net.forward_trace(x.data(), rows, trace);
    std::vector<float> input_grad;
    net.backward(x.data(), rows, trace, upstream.data(), &input_grad);
    const torch::Tensor by_hand = pool.grads.clone();

    pool.grads.zero_();
    const torch::Tensor input = torch::from_blob(x.data(), {rows, 5}).clone().requires_grad_(true);
    const torch::Tensor reference = net.forward(input);
    (reference * torch::from_blob(upstream.data(), {rows, 3})).sum().backward();
    for (int i = 0; i < rows * 5; ++i)
      CHECK(input_grad[i] == Catch::Detail::Approx(input.grad().view({-1})[i].item<double>()).margin(1e-5));
    for (int i = 0; i < rows * 3; ++i)
      CHECK(out[i] == Catch::Detail::Approx(reference.view({-1})[i].item<double>()).margin(1e-5));
    CHECK(by_hand.slice(0, 0, 4).abs().max().item<double>() == 0.0);
    CHECK((by_hand - pool.grads).abs().max().item<double>() < 1e-5);
    CHECK(pool.grads.abs().max().item<double>() > 0.1);
  }
}

TEST_CASE("Action branching: one branch is plain DQN; several take the dueling form", "[agents][dqn]") {
  std::vector<float> scratch;
  const ActionBranches single({3});
  CHECK_FALSE(single.dueling());
  CHECK(single.width() == 3);
  const std::vector<float> plain = {0.5f, -1.0f, 2.0f};
  CHECK(single.q_values(plain.data(), 1, scratch) == plain.data());  // the outputs are the Q values
  std::vector<float> plain_grad(3, 0.0f);
  single.add_gradient(plain_grad.data(), 0, 2, 0.25f);
  CHECK(plain_grad == std::vector<float>{0, 0, 0.25f});

  // Two branches of 2 and 3 choices: row = [V, A_1(2), A_2(3)].
  const ActionBranches two({2, 3});
  REQUIRE(two.dueling());
  CHECK(two.total() == 5);
  CHECK(two.width() == 6);
  CHECK(two.offset(1) == 2);
  const std::vector<float> row = {1.0f, 2.0f, 4.0f, 0.0f, 3.0f, 6.0f};
  const float* q = two.q_values(row.data(), 1, scratch);
  // Q_1 = 1 + A_1 − 3 = {0, 2}; Q_2 = 1 + A_2 − 3 = {−2, 1, 4}
  const std::vector<float> expected = {0, 2, -2, 1, 4};
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(q[i] == Approx(expected[i]));

  // The gradient of L = 0.5·Q_1(1) + 2·Q_2(0) with respect to the outputs, against autograd.
  std::vector<float> grad(6, 0.0f);
  two.add_gradient(grad.data(), 0, 1, 0.5f);
  two.add_gradient(grad.data(), 1, 0, 2.0f);
  torch::Tensor outputs = floats(row).requires_grad_(true);
  const torch::Tensor v = outputs.slice(0, 0, 1), a1 = outputs.slice(0, 1, 3), a2 = outputs.slice(0, 3, 6);
  const torch::Tensor q1 = v + a1 - a1.mean(), q2 = v + a2 - a2.mean();
  (0.5 * q1[1] + 2.0 * q2[0]).backward();
  const torch::Tensor reference = outputs.grad();
  for (std::size_t i = 0; i < 6; ++i) CHECK(grad[i] == Approx(reference[static_cast<std::int64_t>(i)].item<float>()));
}

TEST_CASE("SAC's soft targets, continuous and discrete", "[agents][sac]") {
  CHECK(sac_target(1.0, 1.0, 0.5, 3.0, 4.0, 0.2, -1.0) == Catch::Detail::Approx(1 + 0.5 * (3 + 0.2)));  // min 3, −α·logπ = +0.2
  CHECK(sac_target(2.0, 0.0, 0.5, 9.0, 1.0, 0.2, 5.0) == Catch::Detail::Approx(2.0));  // terminated: no bootstrap
  const torch::Tensor probs = floats({0.25f, 0.75f}).view({1, 2});
  const torch::Tensor d = sac_discrete_target(floats({0.0f}), floats({1.0f}), 1.0, floats({1.0f, 2.0f}).view({1, 2}),
                                              floats({0.0f, 4.0f}).view({1, 2}), 0.5, probs, probs.log());
  const double expected = 0.25 * (0 - 0.5 * std::log(0.25)) + 0.75 * (2 - 0.5 * std::log(0.75));
  CHECK(d[0].item<double>() == Catch::Detail::Approx(expected).epsilon(1e-5));
}

TEST_CASE("Masked categoricals give invalid actions zero probability and are never sampled", "[agents][mask]") {
  const torch::Tensor logits = floats({5.0f, 1.0f, 0.0f, 2.0f}).view({1, 4});
  const torch::Tensor mask = torch::tensor(std::vector<std::uint8_t>{0, 1, 1, 0}).view({1, 4});
  const Categorical pi(masked_logits(logits, mask));
  const torch::Tensor p = pi.probs();
  CHECK(p[0][0].item<float>() == 0.0f);
  CHECK(p[0][3].item<float>() == 0.0f);
  CHECK(p[0][1].item<double>() == Catch::Detail::Approx(std::exp(1.0) / (std::exp(1.0) + 1)).epsilon(1e-5));
  const double h = pi.entropy()[0].item<double>();
  CHECK(std::isfinite(h));
  const double q = std::exp(1.0) / (std::exp(1.0) + 1);
  CHECK(h == Catch::Detail::Approx(-(q * std::log(q) + (1 - q) * std::log(1 - q))).epsilon(1e-5));
  Rng rng(7);
  std::int64_t a = -1;
  int counts[4] = {0, 0, 0, 0};
  for (int i = 0; i < 2000; ++i) {
    sample_categorical(p, rng, std::span<std::int64_t>(&a, 1));
    ++counts[a];
  }
  CHECK(counts[0] == 0);
  CHECK(counts[3] == 0);
  CHECK(counts[1] / 2000.0 == Catch::Detail::Approx(q).margin(0.04));
  std::int64_t best = -1;
  argmax_rows(masked_logits(logits, mask), std::span<std::int64_t>(&best, 1));
  CHECK(best == 1);
}

TEST_CASE("The tanh-squashed Gaussian's density includes the change of variables", "[agents][sac]") {
  Rng rng(3);
  // The raw log-std whose squashing into [−5, 2] gives −0.5.
  const float raw = static_cast<float>(std::atanh((-0.5 - kLogStdMin) / (0.5 * (kLogStdMax - kLogStdMin)) - 1));
  const std::vector<float> out{0.3f, raw}, scale{2.0f}, bias{0.0f};
  TanhGaussianSample s;
  sample_tanh_gaussian(out.data(), 1, 1, scale.data(), bias.data(), rng, s);
  const double action = s.action[0];
  const double y = action / 2, u = std::atanh(y), sd = std::exp(-0.5);
  const double normal = -0.5 * std::pow((u - 0.3) / sd, 2) - std::log(sd) - 0.5 * std::log(2 * M_PI);
  CHECK(s.log_prob[0] == Catch::Detail::Approx(normal - std::log(2 * (1 - y * y) + 1e-6)).epsilon(1e-4));
  CHECK(std::abs(action) <= 2.0);
  float mean_action = 0;
  tanh_gaussian_mean_action(out.data(), 1, scale.data(), bias.data(), &mean_action);
  CHECK(mean_action == Catch::Detail::Approx(2 * std::tanh(0.3)).epsilon(1e-6));
}

TEST_CASE("The tanh-squashed Gaussian's reparameterised gradient equals autograd's", "[agents][sac]") {
  Rng rng(8);
  const int rows = 3, dims = 2;
  std::vector<float> out(rows * 2 * dims), grad_action(rows * dims);
  for (float& v : out) v = static_cast<float>(rng.uniform(-1.5, 1.5));
  for (float& v : grad_action) v = static_cast<float>(rng.normal());
  const std::vector<float> scale{2.0f, 0.5f}, bias{0.0f, 1.0f};
  TanhGaussianSample s;
  sample_tanh_gaussian(out.data(), rows, dims, scale.data(), bias.data(), rng, s);
  std::vector<float> grad_out(rows * 2 * dims);
  tanh_gaussian_gradient(s, rows, dims, scale.data(), grad_action.data(), 0.3, grad_out.data());

  // The same function in LibTorch (float64), with the sample's noise, differentiated by autograd.
  const auto f64 = [](std::vector<float> v, std::vector<std::int64_t> shape) {
    return torch::tensor(v).to(torch::kFloat64).view(shape);
  };
  const torch::Tensor o = f64(out, {rows, 2 * dims}).requires_grad_(true);
  const torch::Tensor mean = o.narrow(1, 0, dims);
  const torch::Tensor log_std = kLogStdMin + 0.5 * (kLogStdMax - kLogStdMin) * (torch::tanh(o.narrow(1, dims, dims)) + 1);
  const torch::Tensor z = f64(s.noise, {rows, dims});
  const torch::Tensor y = torch::tanh(mean + log_std.exp() * z);
  const torch::Tensor sc = f64(scale, {1, dims});
  const torch::Tensor action = y * sc + f64(bias, {1, dims});
  const torch::Tensor log_prob = (-0.5 * z * z - log_std - 0.5 * std::log(2 * M_PI) - torch::log(sc * (1 - y * y) + 1e-6)).sum(1);
  ((action * f64(grad_action, {rows, dims})).sum() + 0.3 * log_prob.sum()).backward();
  for (int i = 0; i < rows; ++i) CHECK(s.log_prob[i] == Catch::Detail::Approx(log_prob[i].item<double>()).epsilon(1e-5));
  const torch::Tensor reference = o.grad().view({-1});
  for (int e = 0; e < rows * 2 * dims; ++e) {
    INFO("element " << e);
    CHECK(grad_out[e] == Catch::Detail::Approx(reference[e].item<double>()).epsilon(1e-3).margin(1e-5));
  }
}

TEST_CASE("Flat Adam takes PyTorch's first step, and clipping bounds the global norm", "[agents][adam]") {
  FlatParameters p(2);
  p.values.fill_(1.0f);
  FlatAdam adam(p, 0.1);
  p.grads.copy_(floats({0.5f, -2.0f}));
  // Bias-corrected first step: m̂ = g, v̂ = g², update = lr·g/(|g| + eps) = ±0.1.
  adam.step();
  CHECK(p.values[0].item<double>() == Catch::Detail::Approx(0.9).epsilon(1e-6));
  CHECK(p.values[1].item<double>() == Catch::Detail::Approx(1.1).epsilon(1e-6));
  p.grads.copy_(floats({3.0f, 4.0f}));
  CHECK(adam.clip_grad_norm(1.0) == Catch::Detail::Approx(5.0));
  CHECK(p.grads.norm().item<double>() == Catch::Detail::Approx(1.0).epsilon(1e-5));
}

TEST_CASE("Orthogonal initialisation: rows orthonormal times the gain, biases zero", "[agents][mlp]") {
  Mlp net({4, 8, 3}, Activation::kTanh);
  FlatParameters pool(net.parameter_count());
  net.bind(pool, 0);
  Rng rng(1);
  net.init_orthogonal(0.01, rng);
  CHECK(net.parameter_count() == 4 * 8 + 8 + 8 * 3 + 3);
  const torch::Tensor w1 = pool.values.narrow(0, 0, 32).view({8, 4});  // tall: columns orthonormal
  CHECK(torch::allclose(w1.t().mm(w1), 2.0 * torch::eye(4), 1e-4, 1e-5));
  const torch::Tensor w2 = pool.values.narrow(0, 40, 24).view({3, 8});  // wide: rows orthonormal
  CHECK(torch::allclose(w2.mm(w2.t()), 1e-4 * torch::eye(3), 1e-4, 1e-7));
  CHECK(pool.values.narrow(0, 32, 8).abs().sum().item<float>() == 0.0f);
  // Gradients land in the pool's gradient buffer.
  net.forward(torch::ones({2, 4})).sum().backward();
  CHECK(pool.grads.abs().sum().item<float>() > 0.0f);
}

TEST_CASE("The replay buffer wraps around and keeps terminated and truncated apart", "[agents][buffers]") {
  ReplayBuffer buffer(3, 1, 1, 0, 0);
  for (int i = 0; i < 5; ++i) {
    const float o = static_cast<float>(i), n = static_cast<float>(i) + 0.5f;
    const std::int32_t a = i;
    buffer.add(std::span<const float>(&o, 1), std::span<const float>(&n, 1), std::span<const std::int32_t>(&a, 1), {},
               10.0 * i, i == 3, i == 4, {});
  }
  CHECK(buffer.size() == 3);
  CHECK(buffer.position() == 2);
  Rng rng(5);
  ReplayBatch batch;
  std::set<int> seen;
  for (int k = 0; k < 50; ++k) {
    buffer.sample(4, rng, batch);
    for (std::size_t b = 0; b < 4; ++b) {
      const int i = static_cast<int>(batch.observations[b]);
      seen.insert(i);
      CHECK(batch.next_observations[b] == Catch::Detail::Approx(i + 0.5));
      CHECK(batch.indices[b] == i);
      CHECK(batch.rewards[b] == Catch::Detail::Approx(10.0 * i));
      CHECK(batch.terminated[b] == (i == 3 ? 1.0f : 0.0f));
      CHECK(batch.truncated[b] == (i == 4 ? 1.0f : 0.0f));
    }
  }
  CHECK(seen == std::set<int>{2, 3, 4});  // 0 and 1 were overwritten
}

TEST_CASE("A replay buffer sized to the run's transitions samples as the full-size one does", "[agents][buffers]") {
  CHECK(replay_capacity(1'000'000, 30'000, 1) == 30'001);
  CHECK(replay_capacity(10'000, 500'000, 1) == 10'000);
  CHECK(replay_capacity(100, 98, 4) == 100);
  const std::int64_t steps = 40;
  ReplayBuffer sized(replay_capacity(1'000'000, steps, 1), 1, 1, 0, 0), large(1'000'000, 1, 1, 0, 0);
  Rng rng_sized(9), rng_large(9);
  ReplayBatch batch_sized, batch_large;
  for (std::int64_t i = 0; i < steps; ++i) {
    const float o = static_cast<float>(i);
    const std::int32_t a = static_cast<std::int32_t>(i % 3);
    for (ReplayBuffer* b : {&sized, &large})
      b->add(std::span<const float>(&o, 1), std::span<const float>(&o, 1), std::span<const std::int32_t>(&a, 1), {},
             static_cast<double>(i), false, false, {});
    REQUIRE(sized.size() == large.size());
    sized.sample(8, rng_sized, batch_sized);
    large.sample(8, rng_large, batch_large);
    CHECK(batch_sized.observations == batch_large.observations);
  }
}

TEST_CASE("n-step returns: complete windows enter the replay, an episode's end flushes the rest", "[agents][buffers]") {
  // n = 3, γ = 0.5; observations 0, 1, 2, …, rewards 1, 2, 4, 8, 16 (r_t = 2^t); the successor of
  // observation t is t + 1. Episode one: steps 0–3 then truncated; episode two: step 4, terminated.
  ReplayBuffer buffer(10, 1, 1, 0, 0);
  NStepWindow window(3, 1, 1, 0.5);
  for (int t = 0; t < 5; ++t) {
    const float o = static_cast<float>(t), next = static_cast<float>(t + 1);
    const std::int32_t a = 10 + t;
    window.step(std::span<const float>(&o, 1), std::span<const std::int32_t>(&a, 1), std::pow(2.0, t),
                std::span<const float>(&next, 1), t == 4, t == 3, {}, buffer);
    if (t == 0) CHECK(buffer.size() == 0);  // waiting for its 3 rewards
  }
  REQUIRE(buffer.size() == 5);
  CHECK(window.count == 0);
  auto a = buffer.arrays();
  // Entered in order: s0 (3 steps, after t = 2), then at the truncation s1 (3), s2 (2), s3 (1), then s4.
  const std::vector<float> obs = {0, 1, 2, 3, 4}, next = {3, 4, 4, 4, 5};
  const std::vector<float> rewards = {1 + 0.5f * 2 + 0.25f * 4, 2 + 0.5f * 4 + 0.25f * 8, 4 + 0.5f * 8, 8, 16};
  const std::vector<std::uint8_t> steps = {3, 3, 2, 1, 1}, truncated = {0, 1, 1, 1, 0}, terminated = {0, 0, 0, 0, 1};
  for (std::size_t i = 0; i < 5; ++i) {
    INFO("transition " << i);
    CHECK(a.observations[i] == obs[i]);
    CHECK(a.indices[i] == 10 + static_cast<int>(i));
    CHECK(a.next_observations[i] == next[i]);
    CHECK(a.rewards[i] == Approx(rewards[i]));
    CHECK(a.steps[i] == steps[i]);
    CHECK(a.truncated[i] == truncated[i]);
    CHECK(a.terminated[i] == terminated[i]);
  }
}

TEST_CASE("Schedules: linear ε and CleanRL's every-N test for counters that jump", "[agents][schedule]") {
  CHECK(linear_schedule(1.0, 0.05, 100, 0) == Catch::Detail::Approx(1.0));
  CHECK(linear_schedule(1.0, 0.05, 100, 50) == Catch::Detail::Approx(0.525));
  CHECK(linear_schedule(1.0, 0.05, 100, 1000) == Catch::Detail::Approx(0.05));
  CHECK(due(10, 11, 10));
  CHECK_FALSE(due(11, 12, 10));
  CHECK(due(8, 12, 10));   // 10 lies in [8, 12)
  CHECK_FALSE(due(11, 20, 10));
}

TEST_CASE("Agent configs: defaults, overrides and located errors", "[agents][config]") {
  AgentConfig c = default_agent_config("ppo", false);
  CHECK(c.get<PpoConfig>().learning_rate == 2.5e-4);
  CHECK(default_agent_config("ppo", true).get<PpoConfig>().num_steps == 2048);
  read_agent_config("learning_rate: 1e-3\nhidden: [32, 16]\nview: box\n", "c.yaml", c);
  CHECK(c.get<PpoConfig>().learning_rate == 1e-3);
  CHECK(c.get<PpoConfig>().hidden == std::vector<int>{32, 16});
  CHECK(c.view == "box");
  // The snapshot round-trips.
  AgentConfig again = default_agent_config("ppo", false);
  read_agent_config(agent_config_yaml(c), "snapshot.yaml", again);
  CHECK(agent_config_yaml(again) == agent_config_yaml(c));
  try {
    AgentConfig d = default_agent_config("dqn", false);
    read_agent_config("learning_rat: 1\ngamma: 2\nalgorithm: sac\n", "bad.yaml", d);
    FAIL("expected a UserError");
  } catch (const UserError& e) {
    REQUIRE(e.diagnostics().size() == 3);
    std::string all;
    for (const auto& d : e.diagnostics()) all += d.str() + "\n";
    CHECK(all.find("bad.yaml:1:1: learning_rat") != std::string::npos);
    CHECK(all.find("learning_rate") != std::string::npos);  // did you mean
    CHECK(all.find("bad.yaml:2:8: gamma") != std::string::npos);
    CHECK(all.find("bad.yaml:3:12: algorithm") != std::string::npos);
  }
  // CEM's policy may be linear (no hidden layer); the gradient learners' networks may not.
  AgentConfig cem = default_agent_config("cem", false);
  CHECK(cem.get<CemConfig>().hidden.empty());
  read_agent_config("population: 16\nhidden: []\n", "cem.yaml", cem);
  CHECK(cem.get<CemConfig>().population == 16);
  AgentConfig cem_again = default_agent_config("cem", false);
  read_agent_config(agent_config_yaml(cem), "snapshot.yaml", cem_again);
  CHECK(agent_config_yaml(cem_again) == agent_config_yaml(cem));
  CHECK_THROWS_WITH(default_agent_config("ddpg", false),
                    Catch::Contains("unknown algorithm \"ddpg\" (dqn, ppo, sac or cem)"));
  // The market defaults (docs/agents.md): PPO's entity network, reward scaling and teacher; none on
  // classic envs, and no teacher for Box actions.
  const AgentConfig market = default_agent_config("ppo", false, true);
  CHECK(market.get<PpoConfig>().net.entity());
  CHECK(market.get<PpoConfig>().norm_reward);
  CHECK(market.get<PpoConfig>().teacher == "greedy-roi");
  CHECK(market.get<PpoConfig>().teacher_fraction == 0.1);
  CHECK(market.get<PpoConfig>().gae_lambda == 0.99);
  CHECK(default_agent_config("ppo", false).get<PpoConfig>().gae_lambda == 0.95);
  CHECK(default_agent_config("ppo", true, true).get<PpoConfig>().teacher == "none");
  CHECK_FALSE(default_agent_config("ppo", false).get<PpoConfig>().net.entity());
  CHECK(default_agent_config("dqn", false, true).get<DqnConfig>().net.network == "mlp");
  // Combinations each algorithm refuses, located at their key (NAME_config.cpp's check).
  struct Refusal {
    const char* algorithm;
    bool box;
    const char* yaml;
    const char* error;
  };
  for (const Refusal& r :
       {Refusal{"sac", true, "network: entity\n",
                "c.yaml:1:10: network: SAC's entity networks take its discrete variant"},
        Refusal{"ppo", true, "view: box\nteacher: greedy-roi\n",
                "c.yaml:2:10: teacher: a teacher acts in the discrete or multidiscrete view"},
        Refusal{"dqn", false, "view: box\n", "c.yaml:1:7: view: DQN acts in the discrete or multidiscrete view"},
        Refusal{"ppo", false, "num_envs: 2\nnum_steps: 4\nnum_minibatches: 16\n",
                "c.yaml:3:18: num_minibatches: is larger than num_envs × num_steps (8)"},
        Refusal{"sac", false, "network: deepsets\n", "c.yaml:1:10: network: expected one of mlp, entity"},
        Refusal{"ppo", false, "hidden: []\n", "c.yaml:1:9: hidden: must list at least one whole layer width"}}) {
    AgentConfig config = default_agent_config(r.algorithm, r.box);
    CHECK_THROWS_WITH(read_agent_config(r.yaml, "c.yaml", config), Catch::Contains(r.error));
  }
}
