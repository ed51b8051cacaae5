"""`kalshiflow sim`: only the local Kalshi exchange, for any Kalshi client to talk to.

`kalshiflow sim` runs it; `kalshiflow sim keys add` registers another API key with it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

from kalshiflow import logs

DEFAULT_DATA_DIR = Path(".kalshiflow") / "sim"


def register(commands: Any) -> None:
    p = commands.add_parser(
        "sim",
        help="run the local Kalshi exchange (trade-api v2, two environments)",
        description="Start a local exchange that speaks Kalshi's trade-api v2 (REST, "
        "WebSocket, RSA-PSS signatures) with a matching engine and simulated traders: a busy "
        "'production' environment and a thin 'demo' one with the same tickers. Prints URLs "
        "and key ids; private keys are written (0600) under the data directory. Point any "
        "Kalshi client at the printed URLs with those keys.",
    )
    p.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    p.add_argument("--production-port", type=int, default=8100, help="0 = any free port")
    p.add_argument("--demo-port", type=int, default=8200, help="0 = any free port")
    p.add_argument("--markets", type=int, default=200, help="markets per environment")
    p.add_argument("--seed", type=int, default=7, help="seed of the simulated traders")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="keys live here")
    p.set_defaults(handler=run)
    sub = p.add_subparsers(dest="sim_command", metavar="ACTION")
    keys = sub.add_parser("keys", help="manage the local exchange's API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    add = keys_sub.add_parser(
        "add",
        help="register another API key (generated, or your own public key)",
        description="Without --public-key an RSA-2048 pair is generated and the private key "
        "written (0600) into <data-dir>/keys; with it only your public key is registered. A "
        "running sim picks the key up within seconds.",
    )
    add.add_argument("--env", choices=("production", "demo"), default="demo")
    add.add_argument("--account", help="account id (default: the environment's account)")
    add.add_argument("--public-key", type=Path, help="PEM public key file to register")
    add.set_defaults(handler=add_key)


def run(args: argparse.Namespace) -> int:
    from kalshiflow.exchange_sim.config import SimConfig
    from kalshiflow.exchange_sim.runner import run_sim_forever

    logs.configure("INFO")
    try:
        config = SimConfig(
            host=args.host,
            production_port=args.production_port,
            demo_port=args.demo_port,
            data_dir=args.data_dir,
            seed=args.seed,
            n_markets=args.markets,
        )
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_sim_forever(config))
    return 0


def add_key(args: argparse.Namespace) -> int:
    from kalshiflow.exchange_sim.keys import add_key as register_key
    from kalshiflow.exchange_sim.keys import keys_dir

    public_pem = args.public_key.read_bytes() if args.public_key else None
    record = register_key(args.data_dir, args.env, args.account, public_pem)
    private = record.private_key_path(keys_dir(args.data_dir))
    print(f"key id {record.key_id} for account {record.account_id} on {args.env}")
    if private is not None:
        print(f"private key: {private} (mode 0600)")
    return 0
