"""`kalshiflow` entry point: argument parsing only; each command lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kalshiflow import __version__
from kalshiflow.cli import db, doctor, record, schema, sim, train, up

DESCRIPTION = """\
kalshiflow: a trading workstation for Kalshi prediction markets.

Runs a strategy on production orderbooks while orders go to the Kalshi demo account.
With no Kalshi credentials it runs in sandbox mode on a local exchange, so everything
works on a fresh machine. Settings come from the environment and ./.env (see SETUP.md).
"""

EPILOG = """\
examples:
  kalshiflow up                 run everything (API, dashboard, actor) on http://127.0.0.1:8000
  kalshiflow doctor             check settings, keys, database and exchange, and say what to fix
  kalshiflow db upgrade         apply database migrations
  kalshiflow record             record production orderbooks only (no actor, no API)
  kalshiflow train --algo PPO   train a policy on recorded sessions and register it
  kalshiflow sim                run only the local Kalshi exchange (prints URLs and key ids)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kalshiflow",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kalshiflow {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (up, record, train, db, doctor, sim, schema):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
