"""Async Alembic environment: metadata from the kalshiflow package, URL passed in by the caller.

The URL comes from `config.attributes["url"]` (set by kalshiflow.persistence.migrations) or,
for a bare `alembic upgrade head`, from DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import create_async_engine

import kalshiflow.persistence.tables  # noqa: F401  (registers every table on the metadata)
from kalshiflow.persistence.base import Base
from kalshiflow.persistence.urls import to_async_url

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> URL:
    url = config.attributes.get("url")
    if isinstance(url, URL):
        return url
    env = os.environ.get("DATABASE_URL")
    if not env:
        raise SystemExit("DATABASE_URL is not set: use `kalshiflow db upgrade` for the embedded DB")
    return to_async_url(env)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(_url())
    async with engine.connect() as conn:
        await conn.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
