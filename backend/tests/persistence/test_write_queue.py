"""WriteQueue against a real PostgreSQL: exact round trips, batching, bounds and counters."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import pytest
from sqlalchemy.engine import URL

from kalshiflow.persistence.database import Database
from kalshiflow.persistence.recording import RecordingSessions
from kalshiflow.persistence.records import DeltaRecord, Record, SnapshotRecord, TradeRecord
from kalshiflow.persistence.replay import load_session
from kalshiflow.persistence.write_queue import WriteQueue, WriteQueueConfig, connect


async def open_session(url: URL, stream_url: str = "ws://127.0.0.1:9/trade-api/ws/v2") -> int:
    db = Database(url)
    try:
        return await RecordingSessions(db).open(stream_url, ["T-A", "T-B"])
    finally:
        await db.dispose()


async def session_counters(url: URL, session_id: int) -> tuple[int, int, int]:
    conn = await connect(url)
    try:
        row = await conn.fetchrow(
            "SELECT messages, rows_written, drops FROM orderbook_session WHERE id = $1",
            session_id,
        )
    finally:
        await conn.close()
    assert row is not None
    return row["messages"], row["rows_written"], row["drops"]


async def count_rows(url: URL, table: str) -> int:
    conn = await connect(url)
    try:
        n: int = await conn.fetchval(f"SELECT count(*) FROM {table}")
    finally:
        await conn.close()
    return n


def sample_records(sid: int) -> list[Record]:
    """Every record type, with the edge values a float or an int32 would get wrong."""
    return [
        SnapshotRecord(sid, "T-A", 1, 1_781_159_489_957, 1_781_159_489_957_123_456,
                       ((5600, 300), (5601, 1), (9999, 10**15)), ((4300, 25),)),
        SnapshotRecord(sid, "T-B", 2, None, 1_781_159_489_957_200_000, (), ()),
        DeltaRecord(sid, "T-A", 3, 1_781_159_489_958, 1_781_159_489_958_000_001, "yes", 5600, -300),
        DeltaRecord(sid, "T-B", 4, None, 1_781_159_489_958_000_002, "no", 1, 12_345_678_901),
        TradeRecord(sid, "0f7c1f7e-2b1a-4c57-9a3e-3c1f1b2a9d10", "T-A", 5601, 150, "yes",
                    1_781_159_489_959),
        SnapshotRecord(sid, "T-A", 1, 1_781_159_489_960, 1_781_159_489_960_000_000,
                       (), ((100, 1),)),
        TradeRecord(sid, "trade-2", "T-B", 1, 1, "no", None),
    ]  # fmt: skip


async def test_every_record_type_round_trips_exactly_in_receive_order(database_url: URL) -> None:
    sid = await open_session(database_url)
    queue = WriteQueue(database_url)
    await queue.start()
    try:
        records = sample_records(sid)
        assert all(queue.submit(r) for r in records)
        await queue.flush()
    finally:
        await queue.stop()

    assert await load_session(database_url, sid) == records
    assert await load_session(database_url, sid, include_trades=False) == [
        r for r in records if not isinstance(r, TradeRecord)
    ]
    assert await load_session(database_url, sid, tickers=["T-B"]) == [
        r for r in records if r.market_ticker == "T-B"
    ]
    assert await session_counters(database_url, sid) == (7, 7, 0)
    stats = queue.stats()
    assert (stats.accepted, stats.written, stats.dropped, stats.lost) == (7, 7, 0, 0)


async def test_rows_are_batched_by_size(database_url: URL) -> None:
    sid = await open_session(database_url)
    # A long interval: only the size trigger can cut batches quickly.
    queue = WriteQueue(database_url, WriteQueueConfig(batch_size=100, flush_interval_s=5.0))
    await queue.start()
    try:
        for i in range(1000):
            assert queue.submit(DeltaRecord(sid, "T-A", i, None, i, "yes", 100, 1))
        deadline = time.monotonic() + 10
        while queue.stats().written < 1000:
            assert time.monotonic() < deadline, queue.stats()
            await asyncio.sleep(0.01)
        # 1000 rows in batches of at most 100: at least 10 batches, never one per row.
        assert 10 <= queue.stats().batches <= 20
    finally:
        await queue.stop()
    assert await count_rows(database_url, "orderbook_delta") == 1000


async def test_a_partial_batch_is_written_after_the_interval(database_url: URL) -> None:
    sid = await open_session(database_url)
    queue = WriteQueue(database_url, WriteQueueConfig(batch_size=1000, flush_interval_s=0.05))
    await queue.start()
    try:
        queue.submit(DeltaRecord(sid, "T-A", 1, None, 1, "no", 100, 5))
        deadline = time.monotonic() + 5
        while queue.stats().written < 1:  # no flush(): the timer alone must write it
            assert time.monotonic() < deadline, queue.stats()
            await asyncio.sleep(0.01)
        assert queue.stats().batches == 1
    finally:
        await queue.stop()


async def test_beyond_the_bound_submit_drops_and_the_session_counts_each_drop(
    database_url: URL,
) -> None:
    sid = await open_session(database_url)
    other = await open_session(database_url)
    queue = WriteQueue(database_url, WriteQueueConfig(max_queued=50, batch_size=10))
    # Not started writer yet would drop everything; start, then flood synchronously so the
    # writer task cannot run in between: exactly max_queued are accepted.
    await queue.start()
    results = [queue.submit(DeltaRecord(sid, "T-A", i, None, i, "yes", 100, 1)) for i in range(80)]
    results += [queue.submit(DeltaRecord(other, "T-B", i, None, i, "no", 100, 1)) for i in range(5)]
    assert results.count(True) == 50
    assert queue.stats().dropped == 35
    await queue.flush()
    await queue.stop()
    assert await session_counters(database_url, sid) == (80, 50, 30)
    assert await session_counters(database_url, other) == (5, 0, 5)
    assert await count_rows(database_url, "orderbook_delta") == 50


async def test_submit_before_start_and_after_stop_is_a_counted_drop(database_url: URL) -> None:
    queue = WriteQueue(database_url)
    assert queue.submit(DeltaRecord(1, "T", 1, None, 1, "yes", 100, 1)) is False
    await queue.start()
    await queue.stop()
    assert queue.submit(DeltaRecord(1, "T", 2, None, 2, "yes", 100, 1)) is False
    assert queue.stats().dropped == 2


async def test_a_trade_seen_twice_is_stored_once(database_url: URL) -> None:
    sid = await open_session(database_url)
    queue = WriteQueue(database_url)
    await queue.start()
    trade = TradeRecord(sid, "dup-1", "T-A", 5000, 100, "yes", 1)
    try:
        queue.submit(trade)
        await queue.flush()
        queue.submit(trade)  # a later batch (after a reconnect, say)
        queue.submit(TradeRecord(sid, "dup-2", "T-A", 5000, 100, "no", 2))
        queue.submit(TradeRecord(sid, "dup-2", "T-A", 5000, 100, "no", 2))  # same batch
        await queue.flush()
    finally:
        await queue.stop()
    assert await count_rows(database_url, "public_trade") == 2
    assert queue.stats().duplicates == 2
    assert await session_counters(database_url, sid) == (4, 2, 0)


async def test_rows_postgresql_refuses_are_rejected_alone_and_counted(database_url: URL) -> None:
    sid = await open_session(database_url)
    queue = WriteQueue(database_url)
    await queue.start()
    good = [DeltaRecord(sid, "T-A", i, None, i, "yes", 100, 1) for i in range(5)]
    try:
        queue.submit(good[0])
        queue.submit(good[1])
        queue.submit(DeltaRecord(sid, "T-A", 99, None, 99, "maybe", 100, 1))  # type: ignore[arg-type]
        queue.submit(DeltaRecord(987_654, "T-A", 98, None, 98, "yes", 100, 1))  # no session
        queue.submit(TradeRecord(sid, "x" * 100, "T-A", 100, 1, "yes", None))  # id too long
        for record in good[2:]:
            queue.submit(record)
        await queue.flush()
    finally:
        await queue.stop()
    assert await load_session(database_url, sid) == good
    assert queue.stats().rejected == 3
    # The bad rows of a known session are messages and drops of it.
    assert await session_counters(database_url, sid) == (7, 5, 2)


async def test_stop_drains_what_was_accepted(database_url: URL) -> None:
    sid = await open_session(database_url)
    queue = WriteQueue(database_url, WriteQueueConfig(batch_size=64, flush_interval_s=1.0))
    await queue.start()
    for i in range(500):
        queue.submit(DeltaRecord(sid, "T-A", i, None, i, "yes", 100, 1))
    await queue.stop()
    assert await count_rows(database_url, "orderbook_delta") == 500
    assert queue.stats().lost == 0


async def test_health_reports_counts(database_url: URL) -> None:
    queue = WriteQueue(database_url)
    assert queue.health().state == "stopped"
    await queue.start()
    try:
        assert queue.health().state == "running"
        assert "written 0" in queue.health().detail
    finally:
        await queue.stop()


async def test_an_unknown_object_is_rejected_not_retried_forever(database_url: URL) -> None:
    sid = await open_session(database_url)
    queue = WriteQueue(database_url)
    await queue.start()
    try:
        # mypy refuses this call; at runtime the writer must reject it, not wedge on it.
        queue.submit(object())  # type: ignore[arg-type]
        queue.submit(DeltaRecord(sid, "T-A", 1, None, 1, "yes", 100, 1))
        await asyncio.wait_for(queue.flush(), 10)
    finally:
        await queue.stop(timeout_s=1)
    assert queue.stats().rejected == 1
    assert queue.stats().written == 1


async def test_connect_reaches_the_test_database(database_url: URL) -> None:
    conn: asyncpg.Connection = await connect(database_url)
    try:
        assert await conn.fetchval("SELECT 1") == 1
    finally:
        await conn.close()


class LostCommitReply(WriteQueue):
    """The COMMIT reaches PostgreSQL but its reply never comes back (the connection dies
    right after): the writer cannot know the batch landed unless it checks."""

    def __init__(self, url: URL, *, commit_lands: bool) -> None:
        super().__init__(url, WriteQueueConfig(retry_initial_s=0.01))
        self.commit_lands = commit_lands
        self.faults = 1

    async def _commit(self, conn: asyncpg.Connection) -> None:
        if self.faults:
            self.faults -= 1
            if self.commit_lands:
                await conn.execute("COMMIT")
            conn.terminate()  # without COMMIT, PostgreSQL rolls the transaction back
            raise ConnectionResetError("connection lost waiting for the COMMIT reply")
        await super()._commit(conn)


@pytest.mark.parametrize("commit_lands", [True, False])
async def test_a_commit_whose_reply_was_lost_is_neither_lost_nor_duplicated(
    database_url: URL, commit_lands: bool
) -> None:
    sid = await open_session(database_url)
    queue = LostCommitReply(database_url, commit_lands=commit_lands)
    await queue.start()
    records = [DeltaRecord(sid, "T-A", i, None, i, "yes", 100, 1) for i in range(10)]
    try:
        for r in records:
            queue.submit(r)
        await asyncio.wait_for(queue.flush(), 10)
    finally:
        await queue.stop()
    assert queue.faults == 0
    assert queue.stats().retries == 1
    assert await load_session(database_url, sid) == records
    assert await session_counters(database_url, sid) == (10, 10, 0)


async def test_a_stopped_queue_can_start_again(database_url: URL) -> None:
    sid = await open_session(database_url)
    queue = WriteQueue(database_url)
    for round_ in range(2):
        await queue.start()
        assert queue.submit(DeltaRecord(sid, "T-A", round_, None, round_, "yes", 100, 1))
        await queue.stop()
    assert await session_counters(database_url, sid) == (2, 2, 0)
