"""`kalshiflow db upgrade|downgrade|current`: migrations on the configured database."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from kalshiflow import logs
from kalshiflow.cli.common import load_settings_or_exit
from kalshiflow.components.database import DatabaseComponent
from kalshiflow.persistence import migrations


def register(commands: Any) -> None:
    p = commands.add_parser(
        "db",
        help="database migrations (upgrade, downgrade, current)",
        description="Run Alembic migrations against DATABASE_URL, or the embedded database "
        "in KALSHIFLOW_DATA_DIR when DATABASE_URL is unset.",
    )
    sub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = sub.add_parser("upgrade", help="migrate to a revision (default: head)")
    up.add_argument("revision", nargs="?", default="head")
    down = sub.add_parser("downgrade", help="migrate down (default: one step, -1; 'base' = all)")
    down.add_argument("revision", nargs="?", default="-1")
    sub.add_parser("current", help="show the current revision")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings_or_exit()
    logs.configure("WARNING")
    return asyncio.run(_run(args, settings.database))


async def _run(args: argparse.Namespace, settings: Any) -> int:
    component = DatabaseComponent(settings, migrate=False)
    await component.start()
    try:
        url = component.database.url
        if args.db_command == "upgrade":
            await migrations.upgrade(url, args.revision)
        elif args.db_command == "downgrade":
            await migrations.downgrade(url, args.revision)
        print(await migrations.current(url) or "(no revision: empty database)")
    finally:
        await component.stop()
    return 0
