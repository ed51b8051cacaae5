"""`WriteQueue`: the recorder's bounded, lossless-within-bound path from the feed to PostgreSQL.

The feed calls `submit(record)` on its hot path; it never waits. A background task takes
batches (by size, or after a short interval) and writes them with COPY in one transaction,
together with the per-session counters. When PostgreSQL is slow or gone, the task HOLDS the
batch and retries with backoff, so nothing accepted is lost; meanwhile new records queue up to
the bound, and beyond it `submit` returns False and counts a drop for that session. Drops
are written into `orderbook_session.drops` with the next batch that reaches the database.

Single writer, single asyncio loop: `submit` must be called from the loop that runs the
queue (it touches an asyncio.Event), which is where the feed runs anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.persistence.records import DeltaRecord, Record, SnapshotRecord, TradeRecord
from kalshiflow.persistence.urls import redacted

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SNAPSHOT_COLUMNS = (
    "session_id", "market_ticker", "seq", "exchange_ts_ms", "received_at_ns",
    "yes_levels", "no_levels",
)  # fmt: skip
DELTA_COLUMNS = (
    "session_id", "market_ticker", "seq", "exchange_ts_ms", "received_at_ns",
    "side", "price", "delta",
)  # fmt: skip
# unnest keeps argument order, and nextval() runs in that order: trade ids follow receive
# order like the COPYed tables. ON CONFLICT: a trade seen again after a reconnect is kept once.
_INSERT_TRADES = """
INSERT INTO public_trade
    (trade_id, session_id, market_ticker, yes_price, count, taker_side, exchange_ts_ms)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::bigint[],
                     $6::text[], $7::bigint[])
ON CONFLICT (trade_id) DO NOTHING
RETURNING session_id
"""
_UPDATE_COUNTERS = """
UPDATE orderbook_session AS s SET
    messages = s.messages + u.messages,
    rows_written = s.rows_written + u.rows_written,
    drops = s.drops + u.drops,
    last_row_at = GREATEST(s.last_row_at, u.last_row_at)
FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::timestamptz[])
    AS u(id, messages, rows_written, drops, last_row_at)
WHERE s.id = u.id
RETURNING s.id, s.messages
"""


def connect_args(url: URL) -> dict[str, Any]:
    """asyncpg.connect() arguments for a SQLAlchemy URL, including the embedded server's
    unix-socket form (`?host=/socket/dir&port=N`)."""
    q = url.query
    host = q.get("host", url.host)
    port = q.get("port", url.port or 5432)
    return {
        "host": host if isinstance(host, str) else None,
        "port": int(str(port)),
        "user": url.username,
        "password": url.password,
        "database": url.database,
    }


async def connect(url: URL, timeout_s: float = 10.0) -> asyncpg.Connection:
    conn: asyncpg.Connection = await asyncpg.connect(**connect_args(url), timeout=timeout_s)
    return conn


@dataclass(frozen=True, slots=True)
class WriteQueueConfig:
    max_queued: int = 200_000
    """Records waiting beyond the batch being written; past it, submit drops (and counts)."""
    batch_size: int = 1_000
    flush_interval_s: float = 0.05
    """A partial batch is written at most this long after its first record arrived."""
    retry_initial_s: float = 0.05
    retry_max_s: float = 2.0
    write_timeout_s: float = 30.0
    """A write that hangs this long (a black-holed connection) is abandoned and retried."""
    connect_timeout_s: float = 5.0
    drop_warning_interval_s: float = 5.0


@dataclass(frozen=True, slots=True)
class WriteQueueStats:
    running: bool
    connected: bool
    queued: int
    in_flight: int
    accepted: int
    written: int
    dropped: int
    rejected: int
    duplicates: int
    lost: int
    batches: int
    retries: int
    last_error: str | None
    last_error_at: datetime | None
    last_write_latency_ms: float | None
    max_write_latency_ms: float | None


@dataclass(slots=True)
class _Tally:
    """What one batch adds to one session's counters."""

    messages: int = 0
    rows_written: int = 0
    drops: int = 0
    last_row_ns: int | None = None


@dataclass(slots=True)
class _Outcome:
    written: int = 0
    rejected: int = 0
    duplicates: int = 0
    tallies: dict[int, _Tally] = field(default_factory=dict)

    def tally(self, session_id: int) -> _Tally:
        t = self.tallies.get(session_id)
        if t is None:
            t = self.tallies[session_id] = _Tally()
        return t


def _is_data_error(err: BaseException) -> bool:
    if isinstance(err, asyncpg.PostgresError):
        # Class 22 (data exception) and 23 (integrity violation, e.g. an unknown session):
        # the same rows would fail again.
        return (err.sqlstate or "")[:2] in ("22", "23")
    # asyncpg's client-side encoder errors are ValueError/TypeError/OverflowError.
    return isinstance(err, (ValueError, TypeError, OverflowError))


def _add_drops(outcome: _Outcome, drops: dict[int, int]) -> None:
    # A dropped record was still a message of its session.
    for sid, n in drops.items():
        t = outcome.tally(sid)
        t.drops += n
        t.messages += n


def _array2d(levels: tuple[tuple[int, int], ...]) -> list[list[int]]:
    # asyncpg reads a nested tuple as a composite value; a 2-D array wants nested lists.
    return [[price, count] for price, count in levels]


def _row_ns(record: Record) -> int | None:
    if type(record) is TradeRecord:
        ts = record.exchange_ts_ms
        return None if ts is None else ts * 1_000_000
    return record.received_at_ns  # type: ignore[union-attr]


def _ns_to_datetime(ns: int | None) -> datetime | None:
    return None if ns is None else _EPOCH + timedelta(microseconds=ns // 1000)


class WriteQueue:
    """Bounded queue + one background writer task. Build with the database URL, `await
    start()`, `submit()` from the feed, `await stop()` (drains) at shutdown."""

    name = "write_queue"

    def __init__(self, url: URL, config: WriteQueueConfig | None = None) -> None:
        self._url = url
        self._config = config or WriteQueueConfig()
        self._queue: deque[Record] = deque()
        self._max_queued = self._config.max_queued
        self._batch_size = self._config.batch_size
        self._drops: dict[int, int] = {}  # counted on the hot path, not yet in the database
        self._wake = asyncio.Event()
        self._progress = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._conn: asyncpg.Connection | None = None
        self._accepting = False
        self._stopping = False
        self._urgent = False  # flush()/stop() asked: do not wait out the batch interval
        self._in_flight = 0
        # Counters for stats(); `completed` = accepted records whose fate is settled.
        self._accepted = 0
        self._completed = 0
        self._written = 0
        self._dropped = 0
        self._rejected = 0
        self._duplicates = 0
        self._lost = 0
        self._batches = 0
        self._retries = 0
        self._last_error: str | None = None
        self._last_error_at: datetime | None = None
        self._last_latency_ms: float | None = None
        self._max_latency_ms: float | None = None
        self._drops_since_warning = 0
        self._last_drop_warning = 0.0

    # -- hot path ---------------------------------------------------------------------

    def submit(self, record: Record) -> bool:
        """Accept `record` for writing (True), or drop and count it (False) when the queue is
        full or stopped. O(1), never blocks, never raises for a full queue."""
        queue = self._queue
        if not self._accepting or len(queue) >= self._max_queued:
            self._drop(record.session_id)
            return False
        queue.append(record)
        self._accepted += 1
        n = len(queue)
        if n == 1 or n >= self._batch_size:
            self._wake.set()
        return True

    def _drop(self, session_id: int) -> None:
        self._drops[session_id] = self._drops.get(session_id, 0) + 1
        self._dropped += 1
        self._drops_since_warning += 1
        now = time.monotonic()
        if now - self._last_drop_warning >= self._config.drop_warning_interval_s:
            log.warning(
                "recorder write queue full (%d queued, last error: %s): dropped %d records "
                "since the last warning; drops are counted per session",
                len(self._queue), self._last_error or "none", self._drops_since_warning,
            )  # fmt: skip
            self._drops_since_warning = 0
            self._last_drop_warning = now

    # -- life cycle ---------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is not None:
            raise RuntimeError("WriteQueue already started")
        self._accepting = True
        self._stopping = False
        self._urgent = False
        self._task = asyncio.create_task(self._run(), name="write-queue")

    async def flush(self) -> None:
        """Wait until every record accepted before this call is written (or rejected).
        Waits through outages, like the writer; wrap in a timeout if that matters."""
        target = self._accepted
        while self._completed < target or self._drops:
            if self._task is None or self._task.done():
                raise RuntimeError("WriteQueue is not running")
            self._urgent = True
            self._wake.set()
            self._progress.clear()
            await self._progress.wait()
        self._urgent = False

    async def stop(self, flush: bool = True, timeout_s: float = 30.0) -> None:
        """Stop accepting; with `flush`, write what is queued (waiting up to `timeout_s` for
        the database); whatever is still unwritten then is counted as lost and logged."""
        self._accepting = False
        task = self._task
        if task is not None:
            self._stopping = True
            self._urgent = True
            self._wake.set()
            if flush:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(task), timeout_s)
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            self._task = None
        lost = len(self._queue) + self._in_flight
        if lost:
            self._lost += lost
            log.error(
                "recorder stopped with %d records not written (database: %s)",
                lost, self._last_error or "no error recorded",
            )  # fmt: skip
        self._queue.clear()
        self._in_flight = 0
        await self._close_connection()

    def stats(self) -> WriteQueueStats:
        return WriteQueueStats(
            running=self._task is not None and not self._task.done(),
            connected=self._conn is not None and not self._conn.is_closed(),
            queued=len(self._queue),
            in_flight=self._in_flight,
            accepted=self._accepted,
            written=self._written,
            dropped=self._dropped,
            rejected=self._rejected,
            duplicates=self._duplicates,
            lost=self._lost,
            batches=self._batches,
            retries=self._retries,
            last_error=self._last_error,
            last_error_at=self._last_error_at,
            last_write_latency_ms=self._last_latency_ms,
            max_write_latency_ms=self._max_latency_ms,
        )

    def health(self) -> ComponentHealth:
        s = self.stats()
        detail = f"queued {s.queued} · written {s.written} · dropped {s.dropped}" + (
            f" · retrying: {s.last_error}" if s.last_error else ""
        )
        if not s.running:
            return ComponentHealth(self.name, ComponentState.STOPPED, detail)
        # Holding a batch (the database refused the last write) or dropping is degraded.
        failing = s.in_flight > 0 and self._last_error is not None and not s.connected
        state = ComponentState.DEGRADED if failing or self._drops else ComponentState.RUNNING
        return ComponentHealth(self.name, state, detail)

    # -- writer task --------------------------------------------------------------------

    async def _run(self) -> None:
        queue = self._queue
        while True:
            if not queue and not self._drops:
                if self._stopping:
                    return
                self._wake.clear()
                await self._wake.wait()
                continue
            if len(queue) < self._batch_size and not self._urgent:
                # Let a partial batch grow for up to one interval (submit wakes us when full).
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._config.flush_interval_s):
                        await self._wake.wait()
            n = min(len(queue), self._batch_size)
            batch = [queue.popleft() for _ in range(n)]
            self._in_flight = n
            await self._persist(batch)
            self._in_flight = 0
            self._completed += n
            self._progress.set()

    async def _persist(self, batch: list[Record]) -> None:
        """Write `batch` and the pending drops, retrying until it is in the database."""
        held_drops: dict[int, int] = {}
        # Set when a COMMIT's reply was lost: what we sent, and the counters it would leave.
        unknown: tuple[_Outcome, dict[int, int]] | None = None
        attempt = 0
        while True:
            # Drops counted since the last attempt ride along with this batch.
            for sid, n in self._drops.items():
                held_drops[sid] = held_drops.get(sid, 0) + n
            self._drops = {}
            committing = False
            try:
                conn = await self._connection()
                if unknown is not None and await self._committed(conn, unknown[1]):
                    self._note_success(unknown[0])
                    return
                unknown = None
                started = time.perf_counter()
                async with asyncio.timeout(self._config.write_timeout_s):
                    outcome, expected = await self._write_transaction(conn, batch, held_drops)
                    committing = True
                    unknown = (outcome, expected)
                    await self._commit(conn)
                self._note_latency(time.perf_counter() - started)
                self._note_success(outcome)
                return
            except Exception as err:
                if not committing:
                    unknown = None
                await self._note_failure(err, attempt)
                attempt += 1

    async def _commit(self, conn: asyncpg.Connection) -> None:
        await conn.execute("COMMIT")

    async def _write_transaction(
        self, conn: asyncpg.Connection, batch: list[Record], drops: dict[int, int]
    ) -> tuple[_Outcome, dict[int, int]]:
        """Everything but the COMMIT, so the caller knows when only the COMMIT is in doubt."""
        await conn.execute("BEGIN")
        try:
            try:
                outcome = await self._write_batch(conn, batch, drops)
            except Exception as err:
                if not _is_data_error(err):
                    raise
                await conn.execute("ROLLBACK")
                await conn.execute("BEGIN")
                outcome = await self._write_one_by_one(conn, batch, drops)
            expected = await self._update_counters(conn, outcome)
        except BaseException:
            if not conn.is_closed():
                with contextlib.suppress(Exception):
                    await conn.execute("ROLLBACK")
            raise
        return outcome, expected

    async def _write_batch(
        self, conn: asyncpg.Connection, batch: list[Record], drops: dict[int, int]
    ) -> _Outcome:
        outcome = _Outcome()
        _add_drops(outcome, drops)
        # Runs of one record type keep receive order across tables (ids come from one
        # sequence in COPY order); in steady state a batch is one long run of deltas.
        start = 0
        while start < len(batch):
            kind = type(batch[start])
            end = start + 1
            while end < len(batch) and type(batch[end]) is kind:
                end += 1
            await self._write_run(conn, kind, batch[start:end], outcome)
            start = end
        return outcome

    async def _write_one_by_one(
        self, conn: asyncpg.Connection, batch: list[Record], drops: dict[int, int]
    ) -> _Outcome:
        """A row in the batch has values PostgreSQL refuses: write each row under its own
        savepoint so only the bad ones are lost (counted as rejected and as session drops)."""
        outcome = _Outcome()
        _add_drops(outcome, drops)
        for record in batch:
            # Raw SAVEPOINTs: asyncpg's transaction() refuses to nest in a manual BEGIN.
            await conn.execute("SAVEPOINT one_row")
            try:
                await self._write_run(conn, type(record), [record], outcome)
            except Exception as err:
                if not _is_data_error(err):
                    raise
                await conn.execute("ROLLBACK TO SAVEPOINT one_row")
                log.error("recorder rejected a %s: %s", type(record).__name__, err)
                outcome.rejected += 1
                sid = getattr(record, "session_id", None)  # a non-record has no session
                if isinstance(sid, int):
                    t = outcome.tally(sid)
                    t.messages += 1
                    t.drops += 1
            else:
                await conn.execute("RELEASE SAVEPOINT one_row")
        return outcome

    async def _write_run(
        self, conn: asyncpg.Connection, kind: type, run: list[Record], outcome: _Outcome
    ) -> None:
        if kind is TradeRecord:
            trades: list[TradeRecord] = run  # type: ignore[assignment]
            inserted = await conn.fetch(
                _INSERT_TRADES,
                [t.trade_id for t in trades],
                [t.session_id for t in trades],
                [t.market_ticker for t in trades],
                [t.yes_price for t in trades],
                [t.count for t in trades],
                [t.taker_side for t in trades],
                [t.exchange_ts_ms for t in trades],
            )
            for row in inserted:
                outcome.tally(row["session_id"]).rows_written += 1
            outcome.written += len(inserted)
            outcome.duplicates += len(trades) - len(inserted)
        elif kind is SnapshotRecord:
            snaps: list[SnapshotRecord] = run  # type: ignore[assignment]
            await conn.copy_records_to_table(
                "orderbook_snapshot",
                columns=SNAPSHOT_COLUMNS,
                records=[
                    (s.session_id, s.market_ticker, s.seq, s.exchange_ts_ms, s.received_at_ns,
                     _array2d(s.yes_levels), _array2d(s.no_levels))
                    for s in snaps
                ],
            )  # fmt: skip
            self._count_rows(run, outcome)
        elif kind is DeltaRecord:
            deltas: list[DeltaRecord] = run  # type: ignore[assignment]
            await conn.copy_records_to_table(
                "orderbook_delta",
                columns=DELTA_COLUMNS,
                records=[
                    (d.session_id, d.market_ticker, d.seq, d.exchange_ts_ms, d.received_at_ns,
                     d.side, d.price, d.delta)
                    for d in deltas
                ],
            )  # fmt: skip
            self._count_rows(run, outcome)
        else:
            raise TypeError(f"WriteQueue cannot store {kind.__name__}")
        # Every record offered counts as a message of its session, stored or duplicate.
        for record in run:
            t = outcome.tally(record.session_id)
            t.messages += 1
            ns = _row_ns(record)
            if ns is not None and (t.last_row_ns is None or ns > t.last_row_ns):
                t.last_row_ns = ns

    @staticmethod
    def _count_rows(run: list[Record], outcome: _Outcome) -> None:
        outcome.written += len(run)
        for record in run:
            outcome.tally(record.session_id).rows_written += 1

    async def _update_counters(self, conn: asyncpg.Connection, outcome: _Outcome) -> dict[int, int]:
        """Add the batch's counts to its sessions in the same transaction as the rows, and
        return each session's new `messages`: after a COMMIT whose reply was lost, finding
        that value in the database proves the batch landed (only this writer moves it)."""
        ids = list(outcome.tallies)
        tallies = [outcome.tallies[i] for i in ids]
        rows = await conn.fetch(
            _UPDATE_COUNTERS,
            ids,
            [t.messages for t in tallies],
            [t.rows_written for t in tallies],
            [t.drops for t in tallies],
            [_ns_to_datetime(t.last_row_ns) for t in tallies],
        )
        return {row["id"]: row["messages"] for row in rows}

    async def _committed(self, conn: asyncpg.Connection, expected: dict[int, int]) -> bool:
        if not expected:
            return False
        rows = await conn.fetch(
            "SELECT id, messages FROM orderbook_session WHERE id = ANY($1::bigint[])",
            list(expected),
        )
        return any(expected.get(r["id"]) == r["messages"] for r in rows)

    # -- bookkeeping --------------------------------------------------------------------

    async def _connection(self) -> asyncpg.Connection:
        if self._conn is None or self._conn.is_closed():
            self._conn = await connect(self._url, self._config.connect_timeout_s)
        return self._conn

    async def _close_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            conn.terminate()

    def _note_success(self, outcome: _Outcome) -> None:
        self._written += outcome.written
        self._rejected += outcome.rejected
        self._duplicates += outcome.duplicates
        self._batches += 1
        if self._last_error is not None:
            log.info("recorder database writes resumed")
            self._last_error = None

    def _note_latency(self, seconds: float) -> None:
        ms = seconds * 1000.0
        self._last_latency_ms = ms
        self._max_latency_ms = ms if self._max_latency_ms is None else max(self._max_latency_ms, ms)

    async def _note_failure(self, err: Exception, attempt: int) -> None:
        first = self._last_error is None
        self._last_error = f"{type(err).__name__}: {str(err).strip()[:200]}"
        self._last_error_at = datetime.now(UTC)
        self._retries += 1
        if first:
            log.warning(
                "recorder cannot write to %s (%s); holding %d rows and retrying",
                redacted(self._url), self._last_error, self._in_flight,
            )  # fmt: skip
        await self._close_connection()
        delay = min(
            self._config.retry_max_s, self._config.retry_initial_s * (2 ** min(attempt, 16))
        )
        await asyncio.sleep(delay)
