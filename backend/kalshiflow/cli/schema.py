"""`kalshiflow schema`: print the GraphQL schema (exported to frontend/schema.graphql)."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    p = commands.add_parser("schema", help="print the GraphQL schema in SDL")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kalshiflow.api.schema import export_sdl

    print(export_sdl(), end="")
    return 0
