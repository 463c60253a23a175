"""One market environment with the Gymnasium Env contract."""
import numpy as np

from expanse import _core, _scenario
from expanse.spaces import _gymnasium, from_description

_Base = _gymnasium.Env if _gymnasium else object

_MASK64 = 2**64 - 1


class ExpanseEnv(_Base):
    """reset(*, seed=None, options=None) -> (obs, info);
    step(action) -> (obs, reward, terminated, truncated, info).

    Seeding follows Gymnasium: reset(seed=s) starts the episode stream s; reset() without a seed
    continues the stream (episode n of stream s is seeded derive_seed(s, n), exactly as env n of a
    VectorEnv); an env never seeded draws its stream from the OS."""

    metadata = {"render_modes": []}
    render_mode = None

    def __init__(self, scenario=None, action_view="discrete", **overrides):
        self.scenario = _scenario.load(scenario, overrides)
        self.action_view = action_view
        self._core = _core.Env(self.scenario, action_view)
        self.observation_space = from_description(self._core.observation_space)
        self.action_space = from_description(self._core.action_space)
        self.observation_names = list(self._core.observation_names)
        # How the observation and the action outputs split into regions (docs/agents.md, "Entity
        # networks"): for networks that treat regions as entities.
        self.entity_layout = dict(self._core.entity_layout)
        self._masked = action_view != "box"
        self._stream = None
        self._episode = 0
        self._closed = False

    def reset(self, *, seed=None, options=None):
        if _gymnasium:
            super().reset(seed=seed)
        if seed is not None:
            self._stream, self._episode = int(seed) & _MASK64, 0
        elif self._stream is None:
            self._stream, self._episode = _scenario.next_seed(), 0
        else:
            self._episode += 1
        obs = self._core.reset(_core.derive_seed(self._stream, self._episode))
        info = {}
        if self._masked:
            info["action_mask"] = self._core.action_mask()
        return obs, info

    def step(self, action):
        obs, reward, terminated, truncated, info = self._core.step(np.asarray(action).reshape(-1))
        if self._masked:
            info["action_mask"] = self._core.action_mask()
        return obs, float(reward), bool(terminated), bool(truncated), info

    def render(self):
        return None

    def close(self):
        self._closed = True  # nothing to release beyond memory; safe to call any number of times

    def __repr__(self):
        return f"<ExpanseEnv {self._core.name}>"
