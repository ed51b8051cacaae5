"""Run Alembic migrations from code (`kalshiflow db ...` and `kalshiflow up`)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL


def alembic_ini() -> Path:
    """alembic.ini sits at the repository root, two levels above the package."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "alembic.ini"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("alembic.ini not found above the kalshiflow package")


def _config(url: URL, out: io.StringIO | None = None) -> Config:
    cfg = Config(str(alembic_ini()), stdout=out or io.StringIO())
    cfg.attributes["url"] = url
    cfg.attributes["configure_logger"] = False
    return cfg


async def upgrade(url: URL, revision: str = "head") -> None:
    # env.py runs its own event loop, so Alembic must run off this one.
    await asyncio.to_thread(command.upgrade, _config(url), revision)


async def downgrade(url: URL, revision: str = "-1") -> None:
    await asyncio.to_thread(command.downgrade, _config(url), revision)


async def current(url: URL) -> str:
    out = io.StringIO()
    await asyncio.to_thread(command.current, _config(url, out))
    return out.getvalue().strip()
