"""expanse.make_vec: one C++ call per step, Gymnasium 1.x same-step autoreset, and agreement with
single envs seeded as documented."""
import numpy as np

import expanse


def test_vector_matches_single_envs_with_same_step_autoreset(scenario_path):
    n, seed = 3, 11
    envs = expanse.make_vec(scenario_path, num_envs=n)
    obs, infos = envs.reset(seed=seed)
    singles = [expanse.make(scenario_path) for _ in range(n)]
    single_obs = [s.reset(seed=expanse.derive_seed(seed, i))[0] for i, s in enumerate(singles)]
    assert np.array_equal(obs, np.stack(single_obs))
    rng = np.random.default_rng(0)
    ended = 0
    for _ in range(100):
        actions = np.array([rng.choice(np.flatnonzero(m)) for m in infos["action_mask"]])
        obs, rewards, terminated, truncated, infos = envs.step(actions)
        assert obs.shape == (n, 303) and obs.dtype == np.float32
        assert rewards.dtype == np.float64 and terminated.dtype == bool and truncated.dtype == bool
        for i, single in enumerate(singles):
            o, r, term, trunc, _ = single.step(int(actions[i]))
            assert r == rewards[i] and term == terminated[i] and trunc == truncated[i]
            if term or trunc:
                ended += 1
                assert infos["_final_obs"][i] and np.array_equal(infos["final_obs"][i], o)
                assert infos["final_info"]["_episode"][i]
                o, _ = single.reset()
            else:
                assert "final_obs" not in infos or not infos["_final_obs"][i]
            assert np.array_equal(obs[i], o)
    assert ended >= n


def test_vector_spaces_are_batched(scenario_path):
    envs = expanse.make_vec(scenario_path, num_envs=4, action_view="multidiscrete")
    obs, _ = envs.reset(seed=0)
    assert envs.observation_space.shape == (4, 303)
    assert envs.single_action_space.shape == (24,)
    assert envs.action_space.shape == (4, 24)
    assert envs.observation_space.contains(obs)
    envs.close()
    envs.close()


def test_episode_statistics_arrive_with_the_final_info(scenario_path):
    envs = expanse.make_vec(scenario_path, num_envs=2, horizon=3)
    envs.reset(seed=0)
    total = np.zeros(2)
    for _ in range(3):
        _, rewards, _, truncated, infos = envs.step(np.zeros(2, dtype=np.int64))
        total += rewards
    assert truncated.all()
    assert np.allclose(infos["final_info"]["episode"]["r"], total)
    assert np.array_equal(infos["final_info"]["episode"]["l"], [3, 3])
