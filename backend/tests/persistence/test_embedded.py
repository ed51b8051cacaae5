"""The embedded PostgreSQL: starts in a data dir, keeps data across restarts, stops."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from sqlalchemy import text

from kalshiflow.persistence.database import Database
from kalshiflow.persistence.embedded import EmbeddedPostgres


async def _run(url_db: Database, sql: str) -> list[object]:
    async with url_db.engine.begin() as conn:
        result = await conn.execute(text(sql))
        rows = list(result.scalars()) if result.returns_rows else []
    await url_db.dispose()
    return rows


def test_embedded_server_persists_across_restarts() -> None:
    with tempfile.TemporaryDirectory(prefix="kf-embedded-", dir="/tmp") as tmp:
        data_dir = Path(tmp)
        data_dir.chmod(0o755)
        first = EmbeddedPostgres(data_dir)
        first.start()
        try:
            asyncio.run(_run(Database(first.url()), "CREATE TABLE kept (v int); "))
            asyncio.run(_run(Database(first.url()), "INSERT INTO kept VALUES (42)"))
        finally:
            first.stop()
        assert not (data_dir / "postgres" / "postmaster.pid").exists()

        second = EmbeddedPostgres(data_dir)
        second.start()
        try:
            assert asyncio.run(_run(Database(second.url()), "SELECT v FROM kept")) == [42]
        finally:
            second.stop()
