"""Train a stable-baselines3 policy on recorded sessions, evaluate it on held-out data
against HOLD and the hardcoded rules, save the model and its metrics, register it.

Held-out data: ``eval_sessions`` when given; otherwise the last session when there are
several; with a single session, a quarter of its markets (at least one) are held out, and
with a single market the evaluation is in-sample (said so in the metrics).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kalshiflow.actor.features import ACTION_COUNT, FEATURE_VERSION, OBSERVATION_SIZE
from kalshiflow.actor.model_registry import ModelRegistry
from kalshiflow.actor.rl_model import ALGOS, Algo, RLModelSelector
from kalshiflow.actor.selectors import HardcodedSelector, HoldSelector
from kalshiflow.persistence.database import Database
from kalshiflow.training.env import MarketAgnosticKalshiEnv, rollout
from kalshiflow.training.loader import RecordedSession, SessionDataLoader

log = logging.getLogger(__name__)

MAX_EVAL_EPISODES = 20


@dataclass(frozen=True, slots=True)
class TrainConfig:
    algo: Algo = "PPO"
    timesteps: int = 50_000
    seed: int = 0
    episode_length: int | None = 256
    min_points: int = 10
    threads: int = 2
    name: str | None = None


@dataclass(slots=True)
class Split:
    train: list[RecordedSession]
    eval: list[RecordedSession]
    train_tickers: list[str] | None = None
    eval_tickers: list[str] | None = None
    in_sample: bool = False


@dataclass(slots=True)
class TrainResult:
    path: Path
    metrics_path: Path
    metrics: dict[str, Any]
    model_id: int | None = None
    sha256: str = ""
    session_ids: list[int] = field(default_factory=list)
    eval_session_ids: list[int] = field(default_factory=list)


def split_sessions(
    sessions: Sequence[RecordedSession],
    eval_sessions: Sequence[RecordedSession] = (),
    min_points: int = 10,
) -> Split:
    if eval_sessions:
        return Split(list(sessions), list(eval_sessions))
    if len(sessions) > 1:
        return Split(list(sessions[:-1]), [sessions[-1]])
    only = sessions[0]
    markets = only.markets(min_points)
    if len(markets) < 2:
        return Split([only], [only], in_sample=True)
    held = max(1, len(markets) // 4)
    # every 4th market by activity rank: held-out markets are neither all hot nor all quiet
    eval_tickers = markets[1::4][:held] if len(markets) > 1 else markets[:held]
    train_tickers = [t for t in markets if t not in eval_tickers]
    return Split([only], [only], train_tickers, eval_tickers)


def evaluate(
    policies: dict[str, Callable[[Any], int]],
    sessions: Sequence[RecordedSession],
    tickers: Sequence[str] | None,
    min_points: int,
) -> dict[str, Any]:
    """Each policy over every held-out episode (up to MAX_EVAL_EPISODES), full length."""
    env = MarketAgnosticKalshiEnv(sessions, tickers=tickers, min_points=min_points)
    episodes = list(range(min(len(env.episodes), MAX_EVAL_EPISODES)))
    out: dict[str, Any] = {}
    for name, choose in policies.items():
        runs = [rollout(env, choose, e) for e in episodes]
        n = max(len(runs), 1)
        out[name] = {
            "episodes": len(runs),
            "mean_pnl": sum(r["pnl"] for r in runs) / n,
            "total_pnl": sum(r["pnl"] for r in runs),
            "orders": sum(r["orders"] for r in runs),
            "fills": sum(r["fills"] for r in runs),
            "fees": sum(r["fees"] for r in runs),
            "steps": sum(r["steps"] for r in runs),
        }
    out["markets"] = [f"{env.sessions[s].session_id}:{t}" for s, t in env.episodes[: len(episodes)]]
    return out


def _algo(config: TrainConfig, env: MarketAgnosticKalshiEnv) -> Any:
    import torch
    from stable_baselines3 import A2C, DQN, PPO

    torch.set_num_threads(max(1, config.threads))
    common: dict[str, Any] = {"seed": config.seed, "device": "cpu", "verbose": 0}
    steps = config.timesteps
    if config.algo == "PPO":
        n_steps = min(2048, max(64, steps // 4))
        # 256-sample minibatches: a quarter of the optimizer steps of the default 64, which is
        # what keeps a CPU-only run in minutes
        return PPO("MlpPolicy", env, n_steps=n_steps, batch_size=min(256, n_steps), **common)
    if config.algo == "A2C":
        return A2C("MlpPolicy", env, **common)
    if config.algo == "DQN":
        return DQN(
            "MlpPolicy",
            env,
            learning_starts=min(1_000, steps // 4),
            buffer_size=max(1_000, min(100_000, steps)),
            target_update_interval=min(1_000, max(100, steps // 10)),
            **common,
        )
    raise ValueError(f"--algo must be one of {', '.join(ALGOS)}, got {config.algo!r}")


def train_on(
    sessions: Sequence[RecordedSession],
    config: TrainConfig,
    out_dir: Path,
    eval_sessions: Sequence[RecordedSession] = (),
) -> TrainResult:
    """Train, save ``<out_dir>/<name>.zip`` and ``<name>.metrics.json``, evaluate. Blocking
    (seconds to minutes): run it in a worker thread from async code."""
    if not sessions:
        raise ValueError("no sessions to train on (--sessions)")
    split = split_sessions(sessions, eval_sessions, config.min_points)
    env = MarketAgnosticKalshiEnv(
        split.train,
        tickers=split.train_tickers,
        episode_length=config.episode_length,
        min_points=config.min_points,
    )
    model = _algo(config, env)
    started = time.monotonic()
    model.learn(total_timesteps=config.timesteps)
    train_s = time.monotonic() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    name = config.name or f"{config.algo.lower()}-{stamp}"
    path = out_dir / f"{name}.zip"
    model.save(path)
    selector = RLModelSelector.load(path, algo=config.algo)  # the actor's own load checks
    hardcoded = HardcodedSelector()
    hold = HoldSelector()
    evaluation = evaluate(
        {"model": selector.choose, "hold": hold.choose, "hardcoded": hardcoded.choose},
        split.eval,
        split.eval_tickers,
        config.min_points,
    )
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    metrics: dict[str, Any] = {
        "name": name,
        "algo": config.algo,
        "timesteps": config.timesteps,
        "seed": config.seed,
        "train_seconds": round(train_s, 3),
        "feature_version": FEATURE_VERSION,
        "observation_size": OBSERVATION_SIZE,
        "action_count": ACTION_COUNT,
        "train_sessions": [s.session_id for s in split.train],
        "eval_sessions": [s.session_id for s in split.eval],
        "train_markets": split.train_tickers,
        "eval_markets": split.eval_tickers,
        "in_sample": split.in_sample,
        "numpy_fast_path": selector.fast_path,
        "numpy_agreement": selector.info.agreement,
        "evaluation": evaluation,
        "sha256": sha,
    }
    metrics_path = out_dir / f"{name}.metrics.json"
    metrics_path.write_text(json.dumps(metrics, indent=2, sort_keys=True))
    return TrainResult(
        path, metrics_path, metrics, None, sha,
        [s.session_id for s in split.train], [s.session_id for s in split.eval],
    )  # fmt: skip


async def train_and_register(
    database: Database,
    session_ids: Sequence[int],
    config: TrainConfig,
    out_dir: Path,
    eval_session_ids: Sequence[int] = (),
) -> TrainResult:
    """Load the sessions, train in a worker thread, register the model in `trained_model`."""
    import asyncio

    loader = SessionDataLoader(database.url)
    sessions = await loader.load_many(session_ids)
    evals = await loader.load_many(eval_session_ids)
    result = await asyncio.to_thread(train_on, sessions, config, out_dir, evals)
    result.model_id = await ModelRegistry(database).register(
        name=result.metrics["name"],
        algo=config.algo,
        path=result.path.resolve(),
        sha256=result.sha256,
        feature_version=FEATURE_VERSION,
        observation_size=OBSERVATION_SIZE,
        action_count=ACTION_COUNT,
        session_ids=result.session_ids,
        eval_session_ids=result.eval_session_ids,
        timesteps=config.timesteps,
        metrics=result.metrics,
    )
    return result


__all__ = [
    "Split",
    "TrainConfig",
    "TrainResult",
    "evaluate",
    "split_sessions",
    "train_and_register",
    "train_on",
]
