"""`RLModelSelector`: a stable-baselines3 model (PPO, A2C or DQN ``.zip``) as a selector.

Loading checks the model's spaces against ours (``Box(52,)`` observations, ``Discrete(5)``
actions) BEFORE any weights are used, and refuses a mismatch with `ModelSpaceMismatchError`
saying what the model expects and what to do.

Inference must never stall the event loop. At load the policy's MLP (Linear layers with
Tanh/ReLU between them: SB3's default ``MlpPolicy`` for all three algorithms) is copied into
numpy arrays, and the numpy forward pass + argmax is checked against SB3's own
``predict(deterministic=True)`` on a seeded batch of observations. When they agree, live
inference is the numpy path (tens of microseconds, run inline); otherwise (an unusual
architecture) SB3's ``predict`` runs in a worker thread.

``import stable_baselines3`` costs seconds, so it happens only when a model is loaded.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from kalshiflow.actor.features import ACTION_COUNT, OBSERVATION_SIZE, Observation

log = logging.getLogger(__name__)

Algo = Literal["PPO", "A2C", "DQN"]
ALGOS: Final = ("PPO", "A2C", "DQN")
AGREEMENT_SAMPLES: Final = 512
MIN_AGREEMENT: Final = 0.999

Array = npt.NDArray[np.float32]
Layer = tuple[Array, Array, Callable[[Array], Array] | None]


class ModelLoadError(ValueError):
    """The model file cannot be used by the actor (missing, unreadable, wrong algorithm)."""


class ModelSpaceMismatchError(ModelLoadError):
    """The model was trained on other observation or action spaces than the actor's."""


def _describe_space(space: Any) -> str:
    shape = getattr(space, "shape", None)
    n = getattr(space, "n", None)
    return f"{type(space).__name__}(n={n})" if n is not None else f"{type(space).__name__}{shape}"


def check_spaces(observation_space: Any, action_space: Any, source: str) -> None:
    """Raise ModelSpaceMismatchError unless the spaces are Box((52,)) and Discrete(5)."""
    from gymnasium import spaces

    problems = []
    if not isinstance(observation_space, spaces.Box) or observation_space.shape != (
        OBSERVATION_SIZE,
    ):
        problems.append(
            f"observations {_describe_space(observation_space)} (the actor builds "
            f"Box(({OBSERVATION_SIZE},)), see docs/OBSERVATION.md)"
        )
    if not isinstance(action_space, spaces.Discrete) or int(action_space.n) != ACTION_COUNT:
        problems.append(
            f"actions {_describe_space(action_space)} (the actor takes Discrete({ACTION_COUNT}): "
            "HOLD, BUY_YES, SELL_YES, BUY_NO, SELL_NO)"
        )
    if problems:
        raise ModelSpaceMismatchError(
            f"refusing model {source}: it expects " + " and ".join(problems)
            + ". Train a model for this actor with `kalshiflow train`."
        )  # fmt: skip


def detect_algo(data: dict[str, Any]) -> Algo:
    """Which SB3 algorithm saved ``data`` (the zip's "data" entry)."""
    if "exploration_initial_eps" in data or "target_update_interval" in data:
        return "DQN"
    if "clip_range" in data or "n_epochs" in data:
        return "PPO"
    return "A2C"


def _activation(module: Any) -> Callable[[Array], Array] | str | None:
    import torch.nn as nn

    if isinstance(module, nn.Tanh):
        return np.tanh
    if isinstance(module, nn.ReLU):
        return lambda x: np.maximum(x, 0.0)
    return "unsupported"


def extract_mlp(policy: Any) -> list[Layer] | None:
    """The policy's action MLP as numpy layers, or None for an architecture the fast path
    does not cover (then SB3 predict is used)."""
    import torch.nn as nn

    modules: list[Any]
    if hasattr(policy, "q_net"):  # DQN
        extractor = policy.q_net.features_extractor
        modules = list(policy.q_net.q_net)
    elif hasattr(policy, "mlp_extractor") and hasattr(policy, "action_net"):
        extractor = policy.pi_features_extractor
        modules = [*policy.mlp_extractor.policy_net, policy.action_net]
    else:
        return None
    if type(extractor).__name__ != "FlattenExtractor":
        return None
    layers: list[Layer] = []
    for module in modules:
        if isinstance(module, nn.Linear):
            w = module.weight.detach().cpu().numpy().astype(np.float32).T.copy()
            b = module.bias.detach().cpu().numpy().astype(np.float32).copy()
            layers.append((w, b, None))
            continue
        act = _activation(module)
        if act == "unsupported" or not layers or layers[-1][2] is not None:
            return None
        w, b, _ = layers[-1]
        layers[-1] = (w, b, act)  # type: ignore[assignment]
    if not layers:
        return None
    return layers


def numpy_forward(layers: list[Layer], observations: Array) -> Array:
    x = observations
    for w, b, act in layers:
        x = x @ w + b
        if act is not None:
            x = act(x)
    return x


@dataclass(frozen=True, slots=True)
class ModelInfo:
    path: Path
    algo: Algo
    sha256: str
    fast_path: bool
    agreement: float


class RLModelSelector:
    """A loaded SB3 model. Build it with `RLModelSelector.load(path)`."""

    name = "rl_model"

    def __init__(self, model: Any, info: ModelInfo, layers: list[Layer] | None, version: str):
        self.model = model
        self.info = info
        self._layers = layers
        self.version = version

    @classmethod
    def load(
        cls, path: Path | str, *, algo: Algo | None = None, version: str | None = None
    ) -> RLModelSelector:
        """Load and check ``path``. Raises ModelLoadError / ModelSpaceMismatchError."""
        path = Path(path)
        if not path.is_file():
            raise ModelLoadError(f"model file {path} does not exist (RL_ACTOR_MODEL_PATH)")
        from stable_baselines3 import A2C, DQN, PPO
        from stable_baselines3.common.save_util import load_from_zip_file

        try:
            data, _, _ = load_from_zip_file(path, load_data=True, device="cpu")
        except Exception as err:
            raise ModelLoadError(
                f"{path} is not a stable-baselines3 model zip ({type(err).__name__}: {err})"
            ) from err
        if data is None:
            raise ModelLoadError(f"{path} has no 'data' entry: not a stable-baselines3 model")
        check_spaces(data.get("observation_space"), data.get("action_space"), str(path))
        algo = algo or detect_algo(data)
        if algo not in ALGOS:
            raise ModelLoadError(f"algorithm {algo!r} is not one of {', '.join(ALGOS)}")
        algo_class: Any = {"PPO": PPO, "A2C": A2C, "DQN": DQN}[algo]
        try:
            model = algo_class.load(path, device="cpu")
        except Exception as err:
            raise ModelLoadError(f"{path}: {algo}.load failed: {err}") from err
        check_spaces(model.observation_space, model.action_space, str(path))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        layers = extract_mlp(model.policy)
        agreement = 0.0
        if layers is not None:
            agreement = _agreement(model, layers)
            if agreement < MIN_AGREEMENT:
                log.warning("numpy policy of %s agrees with SB3 on only %.2f%%; using SB3 predict",
                            path, 100 * agreement)  # fmt: skip
                layers = None
        info = ModelInfo(path, algo, digest, layers is not None, agreement)
        return cls(model, info, layers, version or f"{algo}:{digest[:12]}")

    @property
    def fast_path(self) -> bool:
        return self._layers is not None

    def choose(self, observation: Observation) -> int:
        if self._layers is not None:
            return int(np.argmax(numpy_forward(self._layers, observation)))
        return self.predict_sb3(observation)

    def predict_sb3(self, observation: Observation) -> int:
        action, _ = self.model.predict(observation, deterministic=True)
        return int(action)

    def choose_numpy(self, observation: Observation) -> int:
        if self._layers is None:
            raise RuntimeError("this model has no numpy fast path")
        return int(np.argmax(numpy_forward(self._layers, observation)))

    async def select(self, observation: Observation) -> int:
        if self._layers is not None:
            return int(np.argmax(numpy_forward(self._layers, observation)))
        return await asyncio.to_thread(self.predict_sb3, observation)


def _agreement(model: Any, layers: list[Layer], samples: int = AGREEMENT_SAMPLES) -> float:
    rng = np.random.default_rng(0)
    obs = rng.uniform(-1.0, 1.0, size=(samples, OBSERVATION_SIZE)).astype(np.float32)
    obs[0] = 0.0
    sb3, _ = model.predict(obs, deterministic=True)
    ours = np.argmax(numpy_forward(layers, obs), axis=1)
    return float(np.mean(np.asarray(sb3).reshape(-1) == ours))


__all__ = [
    "ALGOS",
    "Algo",
    "ModelInfo",
    "ModelLoadError",
    "ModelSpaceMismatchError",
    "RLModelSelector",
    "check_spaces",
    "detect_algo",
    "extract_mlp",
    "numpy_forward",
]
