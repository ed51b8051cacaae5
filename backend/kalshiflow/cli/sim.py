"""`kalshiflow sim`: only the local Kalshi exchange, for any Kalshi client to talk to."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from pathlib import Path
from typing import Any

from kalshiflow import logs


def register(commands: Any) -> None:
    p = commands.add_parser(
        "sim",
        help="run the local Kalshi exchange (trade-api v2, two environments)",
        description="Start a local exchange that speaks Kalshi's trade-api v2 (REST, "
        "WebSocket, RSA-PSS signatures) with a matching engine and simulated traders: a busy "
        "'production' environment and a thin 'demo' one. Prints URLs and key ids; the private "
        "keys are written (0600) under the data directory.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--production-port", type=int, default=8100)
    p.add_argument("--demo-port", type=int, default=8200)
    p.add_argument("--markets", type=int, default=200, help="markets per environment")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--data-dir", type=Path, default=Path(".kalshiflow") / "sim")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kalshiflow.exchange_sim.config import SimConfig
    from kalshiflow.exchange_sim.runner import run_sim_forever

    logs.configure("INFO")
    config = SimConfig(
        host=args.host,
        production_port=args.production_port,
        demo_port=args.demo_port,
        data_dir=args.data_dir,
        seed=args.seed,
        n_markets=args.markets,
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_sim_forever(config))
    return 0
