"""`kalshiflow train`: train a policy on recorded sessions, evaluate it, register it.

    kalshiflow train --sessions 3,4 [--eval-sessions 5] --algo PPO --timesteps 50000

Reads the sessions from the configured database (DATABASE_URL, or the embedded one in
KALSHIFLOW_DATA_DIR), trains in the `MarketAgnosticKalshiEnv`, evaluates on held-out data
against HOLD and the hardcoded rules, writes ``<name>.zip`` and ``<name>.metrics.json``
under KALSHIFLOW_DATA_DIR/models/ (or --out), and registers the model in `trained_model`.
The last line printed names the id to put in RL_ACTOR_MODEL_ID.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from kalshiflow import logs
from kalshiflow.cli.common import EXIT_CONFIG, load_settings_or_exit
from kalshiflow.components.database import DatabaseComponent
from kalshiflow.config import Settings
from kalshiflow.persistence.recording import RecordingSessions
from kalshiflow.training.train import TrainConfig, TrainResult, train_and_register


def register(commands: Any) -> None:
    p = commands.add_parser(
        "train",
        help="train an RL policy on recorded sessions and register it",
        description="Train a stable-baselines3 policy (PPO, A2C or DQN) on recorded orderbook "
        "sessions, evaluate it on held-out sessions against HOLD and the hardcoded rules, "
        "save it under KALSHIFLOW_DATA_DIR/models/ and register it for RL_ACTOR_MODEL_ID.",
    )
    p.add_argument("--sessions", required=True,
                   help="comma-separated recording session ids, or 'latest'")  # fmt: skip
    p.add_argument("--eval-sessions", default="",
                   help="held-out session ids (default: the last session, or a quarter of "
                        "the markets of a single session)")  # fmt: skip
    p.add_argument("--algo", default="PPO", choices=["PPO", "A2C", "DQN"])
    p.add_argument("--timesteps", type=int, default=50_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--episode-length", type=int, default=256,
                   help="steps per training episode (0: whole market)")  # fmt: skip
    p.add_argument("--min-points", type=int, default=10,
                   help="markets with fewer book updates are skipped")  # fmt: skip
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--name", default=None, help="model name (default: <algo>-<timestamp>)")
    p.add_argument(
        "--out", type=Path, default=None,
        help="directory for the model (default: KALSHIFLOW_DATA_DIR/models)",
    )  # fmt: skip
    p.set_defaults(handler=run)


def parse_ids(text: str, what: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise SystemExit(
            f"{what} must be comma-separated session ids (e.g. 3,4), got {text!r}"
        ) from None


def config_from(args: argparse.Namespace) -> TrainConfig:
    if args.timesteps < 1:
        raise SystemExit(f"--timesteps must be positive, got {args.timesteps}")
    return TrainConfig(
        algo=args.algo,
        timesteps=args.timesteps,
        seed=args.seed,
        episode_length=args.episode_length or None,
        min_points=args.min_points,
        threads=args.threads,
        name=args.name,
    )


async def train(settings: Settings, args: argparse.Namespace) -> TrainResult:
    component = DatabaseComponent(settings.database)
    await component.start()
    try:
        database = component.database
        if args.sessions.strip() == "latest":
            sessions = await RecordingSessions(database).list(limit=1)
            if not sessions:
                raise SystemExit("no recording sessions yet: record some with `kalshiflow record`")
            ids = [sessions[0].id]
        else:
            ids = parse_ids(args.sessions, "--sessions")
        evals = parse_ids(args.eval_sessions, "--eval-sessions")
        out = args.out or settings.database.data_dir / "models"
        return await train_and_register(database, ids, config_from(args), out, evals)
    finally:
        await component.stop()


def run(args: argparse.Namespace) -> int:
    settings = load_settings_or_exit()
    logs.configure(settings.api.log_level)
    try:
        result = asyncio.run(train(settings, args))
    except (LookupError, ValueError) as err:
        print(f"kalshiflow train: {err}", file=sys.stderr)
        return EXIT_CONFIG
    evaluation = result.metrics["evaluation"]
    summary = {k: evaluation[k]["mean_pnl"] for k in ("model", "hold", "hardcoded")}
    print(f"kalshiflow train: mean P&L per held-out episode ($): {json.dumps(summary)}")
    print(f"kalshiflow train: metrics {result.metrics_path}")
    # One line with a stable prefix: users read it, and tests parse it.
    print(f"kalshiflow train: model {result.model_id} saved to {result.path}", flush=True)
    return 0


__all__ = ["config_from", "parse_ids", "register", "run", "train"]
