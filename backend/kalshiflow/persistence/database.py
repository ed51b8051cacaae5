"""The async engine and session factory, and a start-up check that names what to fix."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from kalshiflow.persistence.urls import redacted


class DatabaseUnavailableError(Exception):
    """The configured database cannot be used; the message says which variable to fix."""


class Database:
    """One engine per process, built by the coordinator and passed to whoever needs it."""

    def __init__(self, url: URL, *, source: str = "DATABASE_URL") -> None:
        self.url = url
        self.source = source
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=True, pool_size=10)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def display_url(self) -> str:
        return redacted(self.url)

    async def check(self, timeout_s: float = 10.0) -> None:
        """Fail fast and clearly when the server is unreachable or refuses us."""
        try:
            async with asyncio.timeout(timeout_s):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        except (TimeoutError, OSError, Exception) as err:
            raise DatabaseUnavailableError(
                f"{self.source}: cannot connect to {self.display_url} ({type(err).__name__}: "
                f"{_first_line(err)}). Check that PostgreSQL is running and the URL, user and "
                f"password are right, or unset DATABASE_URL to use the embedded database."
            ) from None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def _first_line(err: BaseException) -> str:
    text_ = str(err).strip().splitlines()
    return text_[0][:200] if text_ else "no detail"
