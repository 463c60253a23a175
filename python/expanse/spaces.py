"""Spaces: Gymnasium's when gymnasium is importable, otherwise these plain equivalents with the
same names, attributes (shape, dtype, n, nvec, low, high) and methods (contains, sample)."""
import numpy as np

try:
    import gymnasium as _gymnasium
except ImportError:  # the plain spaces below stand in
    _gymnasium = None


class _Space:
    """What every plain space shares: its own generator for sample(), reseeded by seed()."""

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = np.dtype(dtype)
        self._rng = np.random.default_rng()

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)


class Discrete(_Space):
    def __init__(self, n):
        super().__init__((), np.int64)
        self.n = int(n)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == () and np.issubdtype(x.dtype, np.integer) and 0 <= int(x) < self.n

    def sample(self, mask=None):
        if mask is None:
            return np.int64(self._rng.integers(self.n))
        allowed = np.flatnonzero(np.asarray(mask))
        return np.int64(self._rng.choice(allowed)) if allowed.size else np.int64(0)

    def __repr__(self):
        return f"Discrete({self.n})"


class MultiDiscrete(_Space):
    def __init__(self, nvec):
        self.nvec = np.asarray(nvec, dtype=np.int64)
        super().__init__(self.nvec.shape, np.int64)

    def contains(self, x):
        x = np.asarray(x)
        return (x.shape == self.shape and np.issubdtype(x.dtype, np.integer)
                and bool(np.all(x >= 0)) and bool(np.all(x < self.nvec)))

    def sample(self, mask=None):
        return (self._rng.random(self.shape) * self.nvec).astype(np.int64)

    def __repr__(self):
        return f"MultiDiscrete({self.nvec.tolist()})"


class Box(_Space):
    def __init__(self, low, high, dtype=np.float32):
        low = np.asarray(low, dtype=dtype)
        super().__init__(low.shape, dtype)
        self.low = low
        self.high = np.asarray(high, dtype=self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return (x.shape == self.shape and x.dtype == self.dtype
                and bool(np.all(x >= self.low)) and bool(np.all(x <= self.high)))

    def sample(self, mask=None):
        return self._rng.uniform(self.low, self.high).astype(self.dtype)

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


def from_description(d):
    """A space from the C++ core's description ({"kind": ..., ...})."""
    if d["kind"] == "discrete":
        return _gymnasium.spaces.Discrete(d["n"]) if _gymnasium else Discrete(d["n"])
    if d["kind"] == "multidiscrete":
        return _gymnasium.spaces.MultiDiscrete(d["nvec"]) if _gymnasium else MultiDiscrete(d["nvec"])
    if _gymnasium:
        return _gymnasium.spaces.Box(low=d["low"], high=d["high"], dtype=np.float32)
    return Box(d["low"], d["high"], np.float32)


def batched(d, num_envs):
    """The space of `num_envs` stacked actions or observations (as Gymnasium's batch_space)."""
    if d["kind"] == "discrete":
        return from_description({"kind": "multidiscrete", "nvec": np.full(num_envs, d["n"], dtype=np.int64)})
    if d["kind"] == "multidiscrete":
        return from_description({"kind": "multidiscrete", "nvec": np.tile(d["nvec"], (num_envs, 1))})
    return from_description({"kind": "box", "low": np.tile(d["low"], (num_envs, 1)),
                             "high": np.tile(d["high"], (num_envs, 1))})
