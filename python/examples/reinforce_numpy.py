"""A CleanRL-style single-file example: REINFORCE with a linear softmax policy over the masked
Discrete view, on NumPy only, with the vector env. It trains nothing heavy; it shows the loop an
RL library runs against expanse (reset, masked sampling, step, same-step autoreset, episode stats).

    PYTHONPATH=build/release/python python3 python/examples/reinforce_numpy.py --iterations 20
"""
import argparse
import time

import numpy as np

import expanse


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default=None, help="scenario YAML (default: the embedded asia-pacific)")
    p.add_argument("--num-envs", type=int, default=8)
    p.add_argument("--iterations", type=int, default=20, help="policy updates, one batch of full episodes each")
    p.add_argument("--learning-rate", type=float, default=0.01)
    p.add_argument("--gamma", type=float, default=0.99)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def masked_softmax(logits, mask):
    logits = np.where(mask > 0, logits, -np.inf)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def main():
    args = parse_args()
    rng = np.random.default_rng(args.seed)
    envs = expanse.make_vec(args.scenario, num_envs=args.num_envs)
    n_obs = envs.single_observation_space.shape[0]
    n_actions = envs.single_action_space.n
    weights = np.zeros((n_obs, n_actions))
    obs, infos = envs.reset(seed=args.seed)
    start, global_step = time.time(), 0
    for iteration in range(1, args.iterations + 1):
        trajectories = [[] for _ in range(args.num_envs)]  # (obs, mask, action, reward) per env
        finished, returns = [], []
        while len(finished) < args.num_envs:
            probs = masked_softmax(obs @ weights, infos["action_mask"])
            actions = np.array([rng.choice(n_actions, p=p) for p in probs])
            next_obs, rewards, terminated, truncated, infos_next = envs.step(actions)
            global_step += args.num_envs
            for i in range(args.num_envs):
                trajectories[i].append((obs[i], infos["action_mask"][i], actions[i], rewards[i]))
                if terminated[i] or truncated[i]:
                    finished.append(trajectories[i])
                    returns.append(infos_next["final_info"]["episode"]["r"][i])
                    trajectories[i] = []
            obs, infos = next_obs, infos_next
        # REINFORCE with the batch mean return as baseline.
        gradient = np.zeros_like(weights)
        baseline = np.mean([sum(r for *_, r in t) for t in finished])
        for trajectory in finished:
            g = 0.0
            for o, mask, a, r in reversed(trajectory):
                g = r + args.gamma * g
                p = masked_softmax((o @ weights)[None], mask[None])[0]
                grad_logp = -p
                grad_logp[a] += 1.0
                gradient += np.outer(o, grad_logp) * (g - baseline)
        weights += args.learning_rate * gradient / len(finished)
        print(f"iteration={iteration} global_step={global_step} charts/episodic_return={np.mean(returns):.3f} "
              f"charts/SPS={int(global_step / (time.time() - start))}")
    envs.close()


if __name__ == "__main__":
    main()
