"""FAULT TEST: PostgreSQL goes away mid-stream and comes back.

A dedicated embedded PostgreSQL (not the shared test server, which other tests use) is
stopped while the feed keeps submitting, then started again on the same data directory.
Every record the queue accepted must be in the database exactly once, in order, and the
session's drop counter must equal the number of submits that returned False.
"""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from kalshiflow.persistence import migrations
from kalshiflow.persistence.embedded import EmbeddedPostgres
from kalshiflow.persistence.records import DeltaRecord, Record, SnapshotRecord, TradeRecord
from kalshiflow.persistence.replay import load_session
from kalshiflow.persistence.write_queue import WriteQueue, WriteQueueConfig, connect

DB_NAME = "kf_fault"


class Server:
    """The dedicated server: stop it (politely or by crash) and start it again."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.embedded = EmbeddedPostgres(data_dir)

    async def start(self) -> URL:
        self.embedded = EmbeddedPostgres(self.data_dir)
        await asyncio.to_thread(self.embedded.start)
        return await asyncio.to_thread(self.embedded.create_database, DB_NAME)

    async def stop(self, mode: str) -> None:
        if mode == "immediate":
            # SIGQUIT = `pg_ctl stop -m immediate`: no checkpoint, clients cut off, crash
            # recovery on the next start. The closest thing to pulling the plug.
            pid = int((self.embedded.pgdata / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGQUIT)
            await wait_for_exit(pid)
        await asyncio.to_thread(self.embedded.stop)  # releases the handle (stops if alive)


async def wait_for_exit(pid: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            os.kill(pid, 0)  # the postmaster is not our child: poll, nothing to reap
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, f"postmaster {pid} did not exit"
        await asyncio.sleep(0.02)


@pytest.fixture
async def server() -> AsyncIterator[tuple[Server, URL]]:
    with tempfile.TemporaryDirectory(prefix="kf-fault-pg-", dir="/tmp") as tmp:
        Path(tmp).chmod(0o755)  # the server runs as another user when we are root
        srv = Server(Path(tmp))
        url = await srv.start()
        await migrations.upgrade(url)
        try:
            yield srv, url
        finally:
            await asyncio.to_thread(srv.embedded.stop)


async def open_session(url: URL) -> int:
    conn = await connect(url)
    try:
        sid: int = await conn.fetchval(
            "INSERT INTO orderbook_session (environment, stream_url, market_tickers) "
            "VALUES ('simulated', 'ws://127.0.0.1/ws', '{T-A}') RETURNING id"
        )
    finally:
        await conn.close()
    return sid


class Feed:
    """A stream of distinct records, remembering which the queue accepted."""

    def __init__(self, queue: WriteQueue, session_id: int) -> None:
        self.queue = queue
        self.sid = session_id
        self.n = 0
        self.accepted: list[Record] = []
        self.refused = 0

    def next_record(self) -> Record:
        self.n += 1
        n, sid = self.n, self.sid
        if n % 50 == 1:
            return SnapshotRecord(sid, "T-A", n, n, time.time_ns(), ((5000, n),), ((4000, 1),))
        if n % 17 == 0:
            return TradeRecord(sid, f"trade-{n}", "T-A", 5000, 100, "yes", n)
        return DeltaRecord(sid, "T-A", n, n, time.time_ns(), "yes", 5000, 1)

    def push(self, count: int) -> None:
        for _ in range(count):
            record = self.next_record()
            if self.queue.submit(record):
                self.accepted.append(record)
            else:
                self.refused += 1

    async def stream(self, count: int, per_tick: int = 25) -> None:
        """Submit like a live feed: small bursts with the loop free in between."""
        for _ in range(count // per_tick):
            self.push(per_tick)
            await asyncio.sleep(0.002)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_postgres_outage_loses_nothing_accepted_and_counts_every_drop(
    server: tuple[Server, URL], mode: str
) -> None:
    srv, url = server
    sid = await open_session(url)
    bound = 1_000
    queue = WriteQueue(
        url,
        WriteQueueConfig(max_queued=bound, batch_size=100, flush_interval_s=0.01,
                         retry_initial_s=0.02, retry_max_s=0.2, connect_timeout_s=2),
    )  # fmt: skip
    feed = Feed(queue, sid)
    await queue.start()
    try:
        # Streaming while the server goes down: some batches are mid-write when it dies.
        streaming = asyncio.create_task(feed.stream(2_000, per_tick=10))
        await asyncio.sleep(0.05)
        await srv.stop(mode)
        await streaming
        # Down: once the writer has noticed, fill the queue past its bound.
        deadline = time.monotonic() + 10
        while queue.stats().last_error is None:
            assert time.monotonic() < deadline, "the writer never noticed the outage"
            feed.push(1)
            await asyncio.sleep(0.02)
        assert queue.health().state == "degraded"
        feed.push(3 * bound)
        assert feed.refused >= 2 * bound - 100, "the bound must refuse the overflow"
        assert queue.stats().queued == bound

        assert await srv.start() == url  # same data dir, same socket
        await feed.stream(500)  # records keep flowing after the restart
        await asyncio.wait_for(queue.flush(), 60)
    finally:
        await queue.stop(timeout_s=30)

    stats = queue.stats()
    assert stats.lost == 0
    assert stats.dropped == feed.refused
    assert await load_session(url, sid) == feed.accepted  # all of them, once, in order
    conn = await connect(url)
    try:
        row = await conn.fetchrow(
            "SELECT messages, rows_written, drops FROM orderbook_session WHERE id = $1", sid
        )
    finally:
        await conn.close()
    assert row is not None
    assert row["drops"] == feed.refused
    assert row["rows_written"] == len(feed.accepted)
    assert row["messages"] == feed.n


async def test_stop_while_the_database_is_gone_reports_what_was_lost(
    server: tuple[Server, URL],
) -> None:
    srv, url = server
    sid = await open_session(url)
    queue = WriteQueue(url, WriteQueueConfig(batch_size=10, retry_initial_s=0.02))
    await queue.start()
    await srv.stop("fast")
    feed = Feed(queue, sid)
    feed.push(35)
    await queue.stop(timeout_s=0.5)  # cannot drain: gives up, counts the loss
    assert queue.stats().lost == 35
    assert not queue.stats().running
