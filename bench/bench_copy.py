"""Rows persisted per second by the recorder's WriteQueue (batched COPY) versus an
`executemany` INSERT baseline measured in the same run, on the same server and table.

PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL if set (a scratch database is created
and dropped on it), else an embedded PostgreSQL started in a temp dir under /tmp.

Numbers:
* write_queue_rows_per_s: `submit()` of N delta records, until `flush()` returns (so it
  includes batching, COPY, per-session counters and commits; the production path).
* copy_rows_per_s: raw `copy_records_to_table` in batches of the same size (the ceiling).
* executemany_rows_per_s: `executemany(INSERT ...)` in batches of the same size, one
  transaction per batch (the baseline a naive writer would use).
* submit_ns_per_record: the hot-path cost the feed pays per record.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from kalshiflow.persistence import migrations
from kalshiflow.persistence.embedded import EmbeddedPostgres
from kalshiflow.persistence.records import DeltaRecord
from kalshiflow.persistence.urls import to_async_url
from kalshiflow.persistence.write_queue import (
    DELTA_COLUMNS,
    WriteQueue,
    WriteQueueConfig,
    connect,
    connect_args,
)

ROWS = 100_000
BATCH = 1_000
_INSERT = (
    "INSERT INTO orderbook_delta (session_id, market_ticker, seq, exchange_ts_ms, "
    "received_at_ns, side, price, delta) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
)


def _records(sid: int, n: int) -> list[DeltaRecord]:
    base = time.time_ns()
    return [
        DeltaRecord(sid, f"KX-BENCH-{i % 50}", i, base // 10**6, base + i,
                    "yes" if i % 2 else "no", 1 + i % 9999, (i % 200) - 100 or 1)
        for i in range(n)
    ]  # fmt: skip


async def _session(conn: asyncpg.Connection) -> int:
    sid: int = await conn.fetchval(
        "INSERT INTO orderbook_session (environment, stream_url, market_tickers) "
        "VALUES ('simulated', 'bench', '{}') RETURNING id"
    )
    return sid


async def _bench(url: URL) -> dict[str, Any]:
    await migrations.upgrade(url)
    conn = await connect(url)
    try:
        # Write queue (the production path).
        sid = await _session(conn)
        records = _records(sid, ROWS)
        queue = WriteQueue(url, WriteQueueConfig(batch_size=BATCH, max_queued=ROWS * 2))
        await queue.start()
        started = time.perf_counter()
        for r in records:
            queue.submit(r)
        submitted = time.perf_counter()
        await queue.flush()
        queue_s = time.perf_counter() - started
        await queue.stop()
        submit_ns = (submitted - started) / ROWS * 1e9

        # Raw COPY, same batches.
        sid = await _session(conn)
        rows = [
            (sid, r.market_ticker, r.seq, r.exchange_ts_ms, r.received_at_ns, r.side, r.price,
             r.delta)
            for r in records
        ]  # fmt: skip
        started = time.perf_counter()
        for i in range(0, ROWS, BATCH):
            async with conn.transaction():
                await conn.copy_records_to_table(
                    "orderbook_delta", records=rows[i : i + BATCH], columns=DELTA_COLUMNS
                )
        copy_s = time.perf_counter() - started

        # Baseline: executemany INSERT, same batches.
        sid = await _session(conn)
        rows = [(sid, *row[1:]) for row in rows]
        started = time.perf_counter()
        for i in range(0, ROWS, BATCH):
            async with conn.transaction():
                await conn.executemany(_INSERT, rows[i : i + BATCH])
        insert_s = time.perf_counter() - started
        stored = await conn.fetchval("SELECT count(*) FROM orderbook_delta")
    finally:
        await conn.close()
    assert stored == 3 * ROWS, f"expected {3 * ROWS} rows, found {stored}"
    return {
        "rows": ROWS,
        "batch_size": BATCH,
        "write_queue_rows_per_s": round(ROWS / queue_s),
        "copy_rows_per_s": round(ROWS / copy_s),
        "executemany_rows_per_s": round(ROWS / insert_s),
        "write_queue_vs_executemany": round(insert_s / queue_s, 2),
        "copy_vs_executemany": round(insert_s / copy_s, 2),
        "submit_ns_per_record": round(submit_ns, 1),
    }


async def _admin(url: URL, sql: str) -> None:
    conn = await asyncpg.connect(**{**connect_args(url), "database": "postgres"})
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def run() -> dict[str, object]:
    external = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if external:
        base = to_async_url(external)
        name = f"kf_bench_{uuid.uuid4().hex[:10]}"
        asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
        try:
            result = asyncio.run(_bench(base.set(database=name)))
        finally:
            asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return {**result, "server": "external"}
    with tempfile.TemporaryDirectory(prefix="kf-bench-pg-", dir="/tmp") as tmp:
        Path(tmp).chmod(0o755)  # the embedded server runs as another user when we are root
        embedded = EmbeddedPostgres(Path(tmp))
        embedded.start()
        try:
            result = asyncio.run(_bench(embedded.create_database("kf_bench")))
        finally:
            embedded.stop()
    return {**result, "server": "embedded"}


if __name__ == "__main__":
    print(json.dumps(run()))
