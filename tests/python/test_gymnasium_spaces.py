"""When gymnasium is importable, the spaces and base classes are Gymnasium's. Debian has no
gymnasium package, so a minimal stand-in module is put on the path of a child interpreter."""
import os
import subprocess
import sys
import textwrap

GYMNASIUM_STANDIN = textwrap.dedent('''
    import numpy as np

    class Env:
        np_random = None
        def reset(self, *, seed=None, options=None):
            self.seeded_with = seed

    class _Space:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    class spaces:
        class Box(_Space):
            def __init__(self, low, high, dtype):
                super().__init__(low=np.asarray(low, dtype), high=np.asarray(high, dtype), dtype=np.dtype(dtype),
                                 shape=np.asarray(low).shape)
        class Discrete(_Space):
            def __init__(self, n):
                super().__init__(n=n)
        class MultiDiscrete(_Space):
            def __init__(self, nvec):
                super().__init__(nvec=np.asarray(nvec))
''')

VECTOR_STANDIN = textwrap.dedent('''
    import enum
    class VectorEnv:
        pass
    class AutoresetMode(enum.Enum):
        SAME_STEP = "SameStep"
''')

CHECK = textwrap.dedent('''
    import gymnasium, expanse
    env = expanse.make(action_view="discrete")
    assert isinstance(env, gymnasium.Env)
    assert isinstance(env.action_space, gymnasium.spaces.Discrete) and env.action_space.n == 97
    assert isinstance(env.observation_space, gymnasium.spaces.Box) and env.observation_space.shape == (303,)
    env.reset(seed=4)
    assert env.seeded_with == 4
    venv = expanse.make_vec(num_envs=2, action_view="box")
    assert isinstance(venv, gymnasium.vector.VectorEnv)
    assert venv.metadata["autoreset_mode"] == gymnasium.vector.AutoresetMode.SAME_STEP
    assert isinstance(venv.action_space, gymnasium.spaces.Box) and venv.action_space.low.shape == (2, 24)
    print("ok")
''')


def test_spaces_are_gymnasiums_when_it_is_importable(tmp_path):
    package = tmp_path / "gymnasium"
    (package / "vector").mkdir(parents=True)
    (package / "__init__.py").write_text(GYMNASIUM_STANDIN + "\nfrom gymnasium import vector\n")
    (package / "vector" / "__init__.py").write_text(VECTOR_STANDIN)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
