"""The Gymnasium env-checker's rules, restated as tests, for expanse.make."""
import numpy as np
import pytest

import expanse


@pytest.mark.parametrize("view", ["discrete", "multidiscrete", "box"])
def test_reset_and_step_follow_the_gymnasium_contract(scenario_path, view):
    env = expanse.make(scenario_path, action_view=view)
    obs, info = env.reset(seed=0)
    assert isinstance(info, dict)
    assert obs.dtype == np.float32 and obs.shape == env.observation_space.shape
    assert env.observation_space.contains(obs)
    env.action_space.seed(1)
    for _ in range(60):
        action = env.action_space.sample(mask=info["action_mask"]) if view == "discrete" else env.action_space.sample()
        result = env.step(action)
        assert len(result) == 5
        obs, reward, terminated, truncated, info = result
        assert type(reward) is float and np.isfinite(reward)
        assert type(terminated) is bool and type(truncated) is bool
        assert isinstance(info, dict)
        assert env.observation_space.contains(obs), "observation outside its declared space"
        if view != "box":
            assert info["action_mask"].dtype == np.int8
        if terminated or truncated:
            obs, info = env.reset()
            assert env.observation_space.contains(obs)


def test_the_same_seed_gives_the_same_episode(scenario_path):
    def episode(seed):
        env = expanse.make(scenario_path)
        obs, info = env.reset(seed=seed)
        trace = [obs]
        rng = np.random.default_rng(5)
        for _ in range(40):
            allowed = np.flatnonzero(info["action_mask"])
            obs, reward, terminated, truncated, info = env.step(int(rng.choice(allowed)))
            trace += [obs, np.array([reward])]
            if terminated or truncated:
                break
        return np.concatenate(trace)

    assert np.array_equal(episode(7), episode(7))
    assert not np.array_equal(episode(7), episode(8))


def test_reseeding_only_when_a_seed_is_given(scenario_path):
    env = expanse.make(scenario_path)
    first, _ = env.reset(seed=3)
    env.step(1)
    again, _ = env.reset(seed=3)
    assert np.array_equal(first, again)
    # Without a seed the stream continues: episode n of stream s is derive_seed(s, n).
    other = expanse.make(scenario_path)
    other.reset(seed=3)
    other.reset()
    env.reset()
    a = env.step(7)[0]
    b = other.step(7)[0]
    assert np.array_equal(a, b)


def test_invalid_actions_are_reported_and_masked(scenario_path):
    env = expanse.make(scenario_path)
    _, info = env.reset(seed=1)
    mask = info["action_mask"]
    invalid = int(np.flatnonzero(mask == 0)[0])
    _, _, _, _, info = env.step(invalid)
    assert info["invalid_action"] is True
    _, _, _, _, info = env.step(0)
    assert info["invalid_action"] is False


def test_overrides_change_the_scenario(scenario_path):
    env = expanse.make(scenario_path, horizon=5, model={"noise": {"demand": 0.0}})
    env.reset(seed=0)
    flags = [env.step(0)[3] for _ in range(5)]
    assert flags == [False, False, False, False, True]


def test_scripted_events_come_as_overrides(scenario_path):
    crisis = [{"quarter": 2, "kind": "devaluation", "region": "THA", "percent": 30}]
    env = expanse.make(scenario_path, events=crisis)
    env.reset(seed=0)
    events = [env.step(0)[4]["events"] for _ in range(3)]
    assert "devaluation" not in events[0] + events[1]
    assert "devaluation" in events[2]
    with pytest.raises(expanse.ScenarioError, match=r'undefined partner "THA-P7" \(did you mean "THA-P1"\?\)'):
        expanse.make(scenario_path, events=[{"quarter": 2, "kind": "partner_failure", "partner": "THA-P7"}])


def test_scenario_errors_carry_the_located_message(source_dir):
    with pytest.raises(expanse.ScenarioError) as error:
        expanse.make(str(source_dir / "tests" / "data" / "scenarios" / "broken.yaml"))
    assert "broken.yaml:3:1: horizn: unknown key (did you mean \"horizon\"?)" in str(error.value)
    assert isinstance(error.value, ValueError)
    with pytest.raises(expanse.ScenarioError, match=r"overrides: horizon: expected a whole number"):
        expanse.make(horizon=0)


def test_malformed_actions_raise_instead_of_crashing(scenario_path):
    env = expanse.make(scenario_path, action_view="box")
    env.reset(seed=0)
    with pytest.raises(ValueError):
        env.step(np.zeros(3))


def test_close_is_idempotent(scenario_path):
    env = expanse.make(scenario_path)
    env.close()
    env.close()


def test_the_default_scenario_needs_no_file():
    env = expanse.make()
    obs, _ = env.reset(seed=0)
    assert env.scenario.name == "asia-pacific" and obs.shape == (303,)


@pytest.mark.parametrize("view", ["discrete", "multidiscrete", "box"])
def test_the_entity_layout_places_every_action_output(scenario_path, view):
    env = expanse.make(scenario_path, action_view=view)
    layout = env.entity_layout
    assert layout["block_offset"] + layout["entities"] * layout["block_size"] == env.observation_space.shape[0]
    outputs = env.action_space.n if view == "discrete" else int(np.prod(env.action_space.shape)) if view == "box" \
        else int(np.sum(env.action_space.nvec))
    assert len(layout["output_entity"]) == len(layout["output_slot"]) == outputs
    for entity, slot in zip(layout["output_entity"], layout["output_slot"]):
        assert -1 <= entity < layout["entities"]
        assert 0 <= slot < (layout["global_outputs"] if entity == -1 else layout["entity_outputs"])
    # The first region's block starts with its mode one-hot.
    assert env.observation_names[layout["block_offset"]].endswith(".mode_none")
