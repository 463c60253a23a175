"""Expanse's market-expansion environment for Python RL libraries, at C++ speed.

    env = expanse.make("scenarios/asia-pacific.yaml", action_view="discrete", horizon=20)
    obs, info = env.reset(seed=1)
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample(mask=info["action_mask"]))

    envs = expanse.make_vec("scenarios/asia-pacific.yaml", num_envs=8)

`make` follows the Gymnasium Env contract, `make_vec` Gymnasium 1.x's VectorEnv with same-step
autoreset. Spaces are Gymnasium spaces when gymnasium is importable, else `expanse.spaces`.
"""
from expanse._core import ScenarioError, derive_seed
from expanse.env import ExpanseEnv
from expanse.vector import ExpanseVectorEnv

__all__ = ["make", "make_vec", "ExpanseEnv", "ExpanseVectorEnv", "ScenarioError", "derive_seed"]


def make(scenario=None, action_view="discrete", **overrides):
    """One environment. `scenario`: a scenario YAML path (None: the embedded asia-pacific default);
    `action_view`: "discrete", "multidiscrete" or "box"; `overrides`: scenario keys to replace, e.g.
    horizon=20 or model={"noise": {"demand": 0.0}}. Invalid scenarios raise ScenarioError."""
    return ExpanseEnv(scenario, action_view, **overrides)


def make_vec(scenario=None, num_envs=1, action_view="discrete", **overrides):
    """`num_envs` environments stepped together in C++ with one call per step."""
    return ExpanseVectorEnv(scenario, num_envs, action_view, **overrides)
