"""RLModelSelector: models with other spaces are refused at load with a clear message; the
numpy fast path agrees with stable-baselines3's predict for PPO, A2C and DQN."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
from gymnasium import spaces
from stable_baselines3 import A2C, DQN, PPO

from kalshiflow.actor.rl_model import (
    ModelLoadError,
    ModelSpaceMismatchError,
    RLModelSelector,
    numpy_forward,
)
from kalshiflow.actor.spaces import action_space, observation_space


class ShapeEnv(gym.Env[Any, Any]):
    """Only carries spaces: SB3 builds (and saves) a model without stepping it."""

    def __init__(self, observation: spaces.Space[Any], action: spaces.Space[Any]) -> None:
        self.observation_space = observation
        self.action_space = action

    def reset(self, *, seed: int | None = None, options: Any = None) -> Any:
        return self.observation_space.sample(), {}

    def step(self, action: Any) -> Any:
        return self.observation_space.sample(), 0.0, True, False, {}


def save(tmp_path: Path, algo: Any, obs: spaces.Space[Any], act: spaces.Space[Any]) -> Path:
    model = algo("MlpPolicy", ShapeEnv(obs, act), seed=0, device="cpu")
    path = tmp_path / f"{algo.__name__}.zip"
    model.save(path)
    return path


def test_a_model_with_the_wrong_observation_shape_is_refused(tmp_path: Path) -> None:
    wrong = spaces.Box(-1.0, 1.0, (40,), np.float32)
    path = save(tmp_path, PPO, wrong, action_space())
    with pytest.raises(ModelSpaceMismatchError) as err:
        RLModelSelector.load(path)
    message = str(err.value)
    assert "refusing model" in message
    assert "Box(40,)" in message
    assert "Box((52,))" in message
    assert "kalshiflow train" in message


def test_a_model_with_the_wrong_action_space_is_refused(tmp_path: Path) -> None:
    path = save(tmp_path, DQN, observation_space(), spaces.Discrete(3))
    with pytest.raises(ModelSpaceMismatchError, match=r"Discrete\(n=3\).*Discrete\(5\)"):
        RLModelSelector.load(path)


def test_missing_and_foreign_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="does not exist"):
        RLModelSelector.load(tmp_path / "nope.zip")
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ModelLoadError, match="not a stable-baselines3 model"):
        RLModelSelector.load(junk)


@pytest.mark.parametrize("algo", [PPO, A2C, DQN])
def test_numpy_fast_path_agrees_with_sb3_predict(tmp_path: Path, algo: Any) -> None:
    path = save(tmp_path, algo, observation_space(), action_space())
    selector = RLModelSelector.load(path)
    assert selector.info.algo == algo.__name__
    assert selector.fast_path
    assert selector.info.agreement == 1.0
    rng = np.random.default_rng(5)
    observations = rng.uniform(-1, 1, (200, 52)).astype(np.float32)
    for o in observations[:50]:
        assert selector.choose_numpy(o) == selector.predict_sb3(o)
        assert asyncio.run(selector.select(o)) == selector.predict_sb3(o)
    # batch form too
    sb3, _ = selector.model.predict(observations, deterministic=True)
    assert list(np.argmax(numpy_forward(selector._layers or [], observations), axis=1)) == list(sb3)
    assert selector.version.startswith(f"{algo.__name__}:")


def _unused() -> Any:
    raise AssertionError("not reached: the model is refused first")


async def test_the_actor_component_refuses_a_wrong_model_at_start(tmp_path: Path) -> None:
    from kalshiflow.components.actor import ActorComponent
    from kalshiflow.config import Settings
    from kalshiflow.events import EventBus

    path = save(tmp_path, PPO, spaces.Box(-1.0, 1.0, (10,), np.float32), action_space())
    component = ActorComponent(
        Settings.model_validate({"actor": {"model_path": path}}),
        EventBus(), lambda: None, _unused, _unused,
    )  # fmt: skip
    with pytest.raises(ModelSpaceMismatchError, match="Box\\(10,\\)"):
        await component.start()
    health = component.health()
    assert health.state.value == "failed"
    assert "refusing model" in health.detail
    bad_id = ActorComponent(
        Settings.model_validate({"actor": {"model_id": "latest"}}),
        EventBus(), lambda: None, _unused, _unused,
    )  # fmt: skip
    with pytest.raises(ModelLoadError, match="numeric id of a registered model"):
        await bad_id.start()
