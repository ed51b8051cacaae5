"""Read a recorded session back as the records the feed submitted, in receive order.

Snapshot, delta and trade rows take their `id` from one sequence in the order the feed
accepted them, so `ORDER BY id` over the three tables is exactly the stream as received
(PostgreSQL merges the three `(session_id, id)` index scans; nothing is sorted). Rows are
streamed through a server-side cursor, so a session larger than memory can be replayed.

`rebuild_books` applies the records to marketdata's `OrderbookState`, the same book code
the live feed uses, so a replayed book is the book the actor saw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from kalshiflow.marketdata.orderbook import APPLIED, OrderbookSnapshot, OrderbookState
from kalshiflow.persistence.records import DeltaRecord, Record, SnapshotRecord, TradeRecord
from kalshiflow.persistence.write_queue import connect

_SNAPSHOTS = """
SELECT id, 0 AS kind, market_ticker, seq, exchange_ts_ms, received_at_ns, yes_levels,
       no_levels, NULL::text AS side, NULL::int AS price, NULL::bigint AS amount,
       NULL::text AS trade_id, NULL::text AS taker_side
FROM orderbook_snapshot WHERE session_id = $1 {market_filter}"""
_DELTAS = """
SELECT id, 1, market_ticker, seq, exchange_ts_ms, received_at_ns, NULL, NULL,
       side, price, delta, NULL, NULL
FROM orderbook_delta WHERE session_id = $1 {market_filter}"""
_TRADES = """
SELECT id, 2, market_ticker, NULL, exchange_ts_ms, NULL, NULL, NULL,
       NULL, yes_price, count, trade_id, taker_side
FROM public_trade WHERE session_id = $1 {market_filter}"""


def _query(include_trades: bool, filtered: bool) -> str:
    market_filter = "AND market_ticker = ANY($2::text[])" if filtered else ""
    parts = [_SNAPSHOTS, _DELTAS] + ([_TRADES] if include_trades else [])
    return "\nUNION ALL".join(p.format(market_filter=market_filter) for p in parts) + (
        "\nORDER BY id"
    )


def _levels(value: Sequence[Sequence[int]] | None) -> tuple[tuple[int, int], ...]:
    return tuple((int(p), int(c)) for p, c in value) if value else ()


def _record(session_id: int, row: asyncpg.Record) -> Record:
    kind = row[1]
    if kind == 1:
        return DeltaRecord(
            session_id, row[2], row[3], row[4], row[5], row[8], row[9], row[10]
        )  # fmt: skip
    if kind == 0:
        return SnapshotRecord(
            session_id, row[2], row[3], row[4], row[5], _levels(row[6]), _levels(row[7])
        )  # fmt: skip
    return TradeRecord(session_id, row[11], row[2], row[9], row[10], row[12], row[4])


async def iter_session(
    conn: asyncpg.Connection,
    session_id: int,
    *,
    tickers: Iterable[str] | None = None,
    include_trades: bool = True,
    prefetch: int = 2_000,
) -> AsyncIterator[Record]:
    """Yield the session's records in receive order, optionally only some markets'.

    Runs in a read-only transaction on `conn` (a server-side cursor needs one)."""
    args: list[Any] = [session_id]
    if tickers is not None:
        args.append(sorted(set(tickers)))
    query = _query(include_trades, tickers is not None)
    async with conn.transaction(readonly=True):
        async for row in conn.cursor(query, *args, prefetch=prefetch):
            yield _record(session_id, row)


async def read_session(
    url: URL,
    session_id: int,
    *,
    tickers: Iterable[str] | None = None,
    include_trades: bool = True,
) -> AsyncIterator[Record]:
    """`iter_session` on a connection of its own (closed when the iteration ends)."""
    conn = await connect(url)
    try:
        async for record in iter_session(
            conn, session_id, tickers=tickers, include_trades=include_trades
        ):
            yield record
    finally:
        await conn.close()


async def load_session(url: URL, session_id: int, **kwargs: Any) -> list[Record]:
    return [r async for r in read_session(url, session_id, **kwargs)]


@dataclass(slots=True)
class ReplayedBooks:
    """Books rebuilt from a record stream, with what could not be applied."""

    books: dict[str, OrderbookState] = field(default_factory=dict)
    rejected_deltas: int = 0
    """Deltas the book refused (before a snapshot, or below zero): a gap in the recording."""

    def snapshots(self) -> dict[str, OrderbookSnapshot]:
        return {ticker: book.snapshot() for ticker, book in self.books.items()}


class BookReplayer:
    """Applies records one by one, so a training loop can step the books as it reads."""

    def __init__(self) -> None:
        self.result = ReplayedBooks()

    def apply(self, record: Record) -> OrderbookState | None:
        """Apply a snapshot or delta to its market's book and return the book (None for a
        trade, which does not change the book)."""
        if type(record) is TradeRecord:
            return None
        books = self.result.books
        book = books.get(record.market_ticker)
        if book is None:
            book = books[record.market_ticker] = OrderbookState(record.market_ticker)
        if type(record) is DeltaRecord:
            code = book.apply_delta(
                record.side == "yes", record.price, record.delta, record.seq,
                record.received_at_ns, record.exchange_ts_ms,
            )  # fmt: skip
            if code != APPLIED:
                self.result.rejected_deltas += 1
        elif type(record) is SnapshotRecord:
            book.apply_snapshot(
                record.yes_levels, record.no_levels, record.seq,
                record.received_at_ns, record.exchange_ts_ms,
            )  # fmt: skip
        return book


def rebuild_books(records: Iterable[Record]) -> ReplayedBooks:
    """The books at the end of `records` (which must be in receive order)."""
    replayer = BookReplayer()
    for record in records:
        replayer.apply(record)
    return replayer.result
