"""`num_envs` market environments stepped in C++ with one call: Gymnasium 1.x's VectorEnv with
same-step autoreset (`final_obs` and `final_info` in the infos, masked by `_final_obs`, `_final_info`)."""
import numpy as np

from expanse import _core, _scenario
from expanse.spaces import _gymnasium, batched, from_description

if _gymnasium:
    from gymnasium.vector import VectorEnv as _Base

    try:
        from gymnasium.vector import AutoresetMode

        _SAME_STEP = AutoresetMode.SAME_STEP
    except ImportError:  # older Gymnasium without AutoresetMode
        _SAME_STEP = "same-step"
else:
    _Base = object
    _SAME_STEP = "same-step"

_MASK64 = 2**64 - 1


class ExpanseVectorEnv(_Base):
    metadata = {"autoreset_mode": _SAME_STEP, "render_modes": []}
    render_mode = None

    def __init__(self, scenario=None, num_envs=1, action_view="discrete", **overrides):
        if int(num_envs) < 1:
            raise ValueError("num_envs must be at least 1")
        self.scenario = _scenario.load(scenario, overrides)
        self.num_envs = int(num_envs)
        self.action_view = action_view
        self._core = _core.VectorEnv(self.scenario, action_view, self.num_envs)
        single = _core.Env(self.scenario, action_view)
        self.single_observation_space = from_description(single.observation_space)
        self.single_action_space = from_description(single.action_space)
        self.observation_space = batched(single.observation_space, self.num_envs)
        self.action_space = batched(single.action_space, self.num_envs)
        self._masked = action_view != "box"
        self._stream = None
        self._resets = 0
        self._closed = False

    def reset(self, *, seed=None, options=None):
        """Env i's episode n is seeded derive_seed(derive_seed(seed, i), n): env i matches a single
        env reset with seed=derive_seed(seed, i)."""
        if seed is not None:
            self._stream, self._resets = int(seed) & _MASK64, 0
            base = self._stream
        else:
            if self._stream is None:
                self._stream, self._resets = _scenario.next_seed(), 0
            self._resets += 1
            base = _core.derive_seed(self._stream, self._resets)
        obs = self._core.reset(base)
        infos = {}
        if self._masked:
            infos["action_mask"] = self._core.action_masks()
        return obs, infos

    def step(self, actions):
        obs, rewards, terminated, truncated, invalid, final_obs, returns, lengths = self._core.step(np.asarray(actions))
        infos = {"invalid_action": invalid, "_invalid_action": np.ones(self.num_envs, dtype=bool)}
        if self._masked:
            infos["action_mask"] = self._core.action_masks()
        done = terminated | truncated
        if done.any():
            finals = np.full(self.num_envs, None, dtype=object)
            for i in np.flatnonzero(done):
                finals[i] = final_obs[i]
            infos["final_obs"], infos["_final_obs"] = finals, done.copy()
            infos["final_info"] = {"episode": {"r": np.where(done, returns, 0.0), "l": np.where(done, lengths, 0),
                                               "_r": done.copy(), "_l": done.copy()},
                                   "_episode": done.copy()}
            infos["_final_info"] = done.copy()
        return obs, rewards, terminated, truncated, infos

    def close(self, **kwargs):
        self._closed = True

    def __repr__(self):
        return f"<ExpanseVectorEnv {self.scenario.name} x{self.num_envs} ({self.action_view})>"
