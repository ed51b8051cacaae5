"""Recording sessions and market metadata against a real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.engine import URL

from kalshiflow.persistence.base import Base
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.recording import (
    MarketRepository,
    RecordingSessions,
    environment_for_url,
)
from kalshiflow.persistence.records import DeltaRecord, MarketRecord, SnapshotRecord
from kalshiflow.persistence.write_queue import WriteQueue, connect


@pytest.fixture
async def db(database_url: URL) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.mark.parametrize(
    ("url", "environment"),
    [
        ("wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2", "demo"),
        ("wss://demo-api.kalshi.co/trade-api/ws/v2", "demo"),
        ("wss://external-api-ws.kalshi.com/trade-api/ws/v2", "production"),
        ("wss://api.elections.kalshi.com/trade-api/ws/v2", "production"),
        ("ws://127.0.0.1:40123/trade-api/ws/v2", "simulated"),
        ("ws://localhost:8000/trade-api/ws/v2", "simulated"),
        ("ws://[::1]:8000/trade-api/ws/v2", "simulated"),
        ("wss://kalshi.com.example.org/ws", "simulated"),  # not Kalshi's domain
        ("wss://notkalshi.com/ws", "simulated"),
        ("", "simulated"),
    ],
)
def test_environment_is_derived_from_the_stream_url(url: str, environment: str) -> None:
    assert environment_for_url(url) == environment


async def test_open_update_close(db: Database) -> None:
    sessions = RecordingSessions(db)
    sid = await sessions.open("wss://external-api-ws.kalshi.com/trade-api/ws/v2", ["B", "A", "A"])
    info = await sessions.get(sid)
    assert info is not None
    assert (info.environment, info.status, info.market_tickers) == (
        "production",
        "active",
        ("A", "B"),
    )
    assert info.ended_at is None
    assert info.started_at is not None

    await sessions.update_tickers(sid, ["C", "A"])
    info = await sessions.get(sid)
    assert info is not None
    assert info.market_tickers == ("A", "C")

    await sessions.close(sid)
    info = await sessions.get(sid)
    assert info is not None
    assert info.status == "closed"
    assert info.ended_at is not None
    with pytest.raises(LookupError, match="orderbook_session 999999 does not exist"):
        await sessions.update_tickers(999_999, ["A"])
    assert [s.id for s in await sessions.list()] == [sid]


async def test_crashed_sessions_end_at_their_last_stored_row(
    db: Database, database_url: URL
) -> None:
    sessions = RecordingSessions(db)
    closed = await sessions.open("ws://127.0.0.1:1/ws", ["A"])
    await sessions.close(closed)
    with_rows = await sessions.open("ws://127.0.0.1:1/ws", ["A"])
    empty = await sessions.open("ws://127.0.0.1:1/ws", ["A"])

    last_ns = 1_781_159_489_957_123_456
    queue = WriteQueue(database_url)
    await queue.start()
    queue.submit(SnapshotRecord(with_rows, "A", 1, None, last_ns - 10**9, ((100, 1),), ()))
    queue.submit(DeltaRecord(with_rows, "A", 2, None, last_ns, "yes", 100, 1))
    await queue.stop()

    assert await sessions.close_crashed() == [with_rows, empty]
    crashed = await sessions.get(with_rows)
    assert crashed is not None
    assert crashed.status == "crashed"
    assert crashed.ended_at == datetime.fromtimestamp(last_ns // 1000 / 1e6, UTC)
    assert (crashed.messages, crashed.rows_written, crashed.drops) == (2, 2, 0)
    nothing = await sessions.get(empty)
    assert nothing is not None
    assert nothing.ended_at == nothing.started_at
    still_closed = await sessions.get(closed)
    assert still_closed is not None
    assert still_closed.status == "closed"
    assert await sessions.close_crashed() == []


async def test_market_metadata_is_upserted(db: Database) -> None:
    markets = MarketRepository(db)
    close_at = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    first = MarketRecord("KX-1", "KX", "KXS", "Will it?", "active", close_at)
    await markets.upsert([first, MarketRecord("KX-2", "KX", None, "", "initialized", None)])
    assert await markets.get("KX-1") == first

    updated = MarketRecord("KX-1", "KX", "KXS", "Will it, really?", "closed", None)
    await markets.upsert([first, updated])  # the later one wins
    assert await markets.get("KX-1") == updated
    assert await markets.get("KX-3") is None
    await markets.upsert([])


async def test_many_markets_fit_in_one_upsert(db: Database) -> None:
    markets = MarketRepository(db)
    await markets.upsert(
        [MarketRecord(f"M-{i}", "E", None, "", "active", None) for i in range(6000)]
    )
    assert await markets.get("M-5999") is not None


async def test_the_migrations_build_exactly_the_tables_the_code_declares(database_url: URL) -> None:
    """A column added to tables.py without a migration (or the reverse) fails here."""
    db = Database(database_url)

    def diff(conn: Connection) -> list[object]:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, Base.metadata))

    try:
        async with db.engine.connect() as conn:
            assert await conn.run_sync(diff) == []
    finally:
        await db.dispose()


async def test_stream_tables_share_one_id_sequence(database_url: URL) -> None:
    conn = await connect(database_url)
    try:
        defaults = await conn.fetch(
            "SELECT table_name, column_default FROM information_schema.columns "
            "WHERE column_name = 'id' AND table_name IN "
            "('orderbook_snapshot', 'orderbook_delta', 'public_trade')"
        )
    finally:
        await conn.close()
    assert len(defaults) == 3
    assert all("orderbook_event_id_seq" in r["column_default"] for r in defaults)
