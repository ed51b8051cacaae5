"""`SessionDataLoader`: recorded sessions back from PostgreSQL as per-market decision points.

A session is replayed record by record (persistence.replay: the same `OrderbookState` code
the live feed uses) through the same `HistoryTracker` the live actor feeds, so each point
carries the book and the temporal features the live actor had for that very update. Public
trades are attached to the next point of their market (the simulated order manager fills
resting orders from them).

Only updates the live feed published become points: a delta the book refuses on replay
(a gap in the recording) was never an `OrderbookUpdated` either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import URL

from kalshiflow.actor.history import HistoryTracker, Temporal
from kalshiflow.marketdata.orderbook import OrderbookSnapshot
from kalshiflow.persistence.records import Record, TradeRecord
from kalshiflow.persistence.replay import BookReplayer, read_session


@dataclass(frozen=True, slots=True)
class MarketPoint:
    """One accepted update of one market: the moment an actor step can happen."""

    received_ns: int
    seq: int | None
    book: OrderbookSnapshot
    temporal: Temporal
    trades: tuple[TradeRecord, ...] = ()  # this market's public trades since its last point


@dataclass(slots=True)
class RecordedSession:
    session_id: int
    points: dict[str, list[MarketPoint]] = field(default_factory=dict)
    rejected_deltas: int = 0
    records: int = 0

    def markets(self, min_points: int = 1) -> list[str]:
        """Tickers with at least ``min_points`` points, most active first."""
        tickers = [t for t, pts in self.points.items() if len(pts) >= min_points]
        return sorted(tickers, key=lambda t: (-len(self.points[t]), t))

    @property
    def point_count(self) -> int:
        return sum(len(p) for p in self.points.values())


def build_points(session_id: int, records: Iterable[Record]) -> RecordedSession:
    """Replay ``records`` (receive order) into per-market points. Pure; no I/O."""
    session = RecordedSession(session_id)
    replayer = BookReplayer()
    history = HistoryTracker()
    trades: dict[str, list[TradeRecord]] = {}
    for record in records:
        session.records += 1
        if type(record) is TradeRecord:
            trades.setdefault(record.market_ticker, []).append(record)
            continue
        rejected = replayer.result.rejected_deltas
        book_state = replayer.apply(record)
        if book_state is None or replayer.result.rejected_deltas != rejected:
            continue
        ticker = record.market_ticker
        book = book_state.snapshot()
        received_ns = record.received_at_ns  # type: ignore[union-attr]
        temporal = history.observe(ticker, book, received_ns)
        pending = trades.pop(ticker, None)
        session.points.setdefault(ticker, []).append(
            MarketPoint(received_ns, book.seq, book, temporal, tuple(pending or ()))
        )
    session.rejected_deltas = replayer.result.rejected_deltas
    return session


class SessionDataLoader:
    """Reads sessions from the database at ``url`` (an asyncpg-compatible SQLAlchemy URL)."""

    def __init__(self, url: URL) -> None:
        self.url = url

    async def load(self, session_id: int, tickers: Iterable[str] | None = None) -> RecordedSession:
        records = [r async for r in read_session(self.url, session_id, tickers=tickers)]
        if not records:
            raise LookupError(
                f"recording session {session_id} has no rows (wrong id, or nothing recorded); "
                "list sessions with `kalshiflow db sessions` or record with `kalshiflow record`"
            )
        return build_points(session_id, records)

    async def load_many(self, session_ids: Sequence[int]) -> list[RecordedSession]:
        return [await self.load(s) for s in session_ids]


__all__ = ["MarketPoint", "RecordedSession", "SessionDataLoader", "build_points"]
