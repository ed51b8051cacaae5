"""Alembic migrations run up and down against a real PostgreSQL."""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import URL

from kalshiflow.persistence import migrations


async def tables(url: URL) -> set[str]:
    q = url.query
    conn = await asyncpg.connect(
        host=q.get("host", url.host), port=int(str(q.get("port", url.port or 5432))),
        user=url.username, password=url.password, database=url.database,
    )  # fmt: skip
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        constraints = await conn.fetch("SELECT conname FROM pg_constraint")
    finally:
        await conn.close()
    return {r["tablename"] for r in rows} | {f"constraint:{r['conname']}" for r in constraints}


async def test_upgrade_downgrade_upgrade(empty_database_url: URL) -> None:
    url = empty_database_url
    assert await migrations.current(url) == ""
    await migrations.upgrade(url)
    after_up = await tables(url)
    assert {"market", "alembic_version", "constraint:pk_market"} <= after_up
    assert "(head)" in await migrations.current(url)

    await migrations.downgrade(url, "base")
    after_down = await tables(url)
    assert "market" not in after_down
    assert await migrations.current(url) == ""

    await migrations.upgrade(url)
    assert "market" in await tables(url)
