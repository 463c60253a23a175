"""Loading a scenario with keyword overrides (shared by the single and the vector env)."""
import json

import numpy as np

from expanse import _core


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot use {type(value).__name__} as a scenario value")


def load(path, overrides):
    # JSON is YAML's flow style: the C++ loader validates overrides like any scenario key.
    text = json.dumps(overrides, default=_plain) if overrides else ""
    return _core.Scenario("" if path is None else str(path), text)


def next_seed():
    """A fresh 64-bit seed from the OS, for resets that were never given one (as Gymnasium does)."""
    return int(np.random.SeedSequence().entropy) & (2**64 - 1)
