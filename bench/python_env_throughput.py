"""Python-side steps per second of expanse.make and expanse.make_vec on asia-pacific, with random
valid actions drawn from the masks (vectorised NumPy for the vector env).

    PYTHONPATH=build/release/python python3 bench/python_env_throughput.py [SECONDS]
"""
import sys
import time

import numpy as np

import expanse


def random_valid(masks, rng):
    # One uniform draw among the allowed actions of every row, without a Python loop over envs.
    return np.argmax(rng.random(masks.shape) * masks, axis=1)


def single(seconds):
    env = expanse.make("scenarios/asia-pacific.yaml")
    rng = np.random.default_rng(0)
    obs, info = env.reset(seed=0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            obs, reward, terminated, truncated, info = env.step(int(random_valid(info["action_mask"][None], rng)[0]))
            if terminated or truncated:
                obs, info = env.reset()
        steps += 100
    return steps / (time.perf_counter() - start)


def vector(num_envs, seconds):
    envs = expanse.make_vec("scenarios/asia-pacific.yaml", num_envs=num_envs)
    rng = np.random.default_rng(0)
    obs, infos = envs.reset(seed=0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(20):
            obs, rewards, terminated, truncated, infos = envs.step(random_valid(infos["action_mask"], rng))
        steps += 20 * num_envs
    return steps / (time.perf_counter() - start)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    print("| Python env | env steps/s |\n|---|---|")
    print(f"| expanse.make (one env) | {single(seconds):.0f} |")
    for n in (16, 64):
        print(f"| expanse.make_vec, {n} envs | {vector(n, seconds):.0f} |")


if __name__ == "__main__":
    main()
