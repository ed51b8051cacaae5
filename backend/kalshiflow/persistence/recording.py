"""Recording sessions and market metadata: the small, low-rate writes around the stream.

A session is one run of the recorder on one stream. It is opened before the feed starts,
its tickers follow market discovery, and it is closed after the WriteQueue has drained.
A process that dies leaves its session `active`; the next start marks it `crashed`, ending
at the receive time of its last stored row, so training knows where the data stops.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from kalshiflow.persistence.database import Database
from kalshiflow.persistence.records import MarketRecord
from kalshiflow.persistence.tables import Market, OrderbookSession

Environment = Literal["demo", "production", "simulated"]
SessionStatus = Literal["active", "closed", "crashed"]


def environment_for_url(stream_url: str) -> Environment:
    """Which Kalshi environment a stream URL points at.

    Kalshi demo lives under kalshi.co (e.g. external-api-ws.demo.kalshi.co), production
    under kalshi.com. Anything else (loopback, a local exchange, an unknown host) is
    "simulated": a recording is only labelled real when it demonstrably came from Kalshi.
    """
    host = (urlsplit(stream_url).hostname or "").lower().rstrip(".")
    if host == "kalshi.co" or host.endswith(".kalshi.co"):
        return "demo"
    if host == "kalshi.com" or host.endswith(".kalshi.com"):
        return "production"
    return "simulated"


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: int
    environment: Environment
    stream_url: str
    market_tickers: tuple[str, ...]
    status: SessionStatus
    started_at: datetime
    ended_at: datetime | None
    last_row_at: datetime | None
    messages: int
    rows_written: int
    drops: int


def _info(row: OrderbookSession) -> SessionInfo:
    return SessionInfo(
        id=row.id,
        # Both are held to these values by check constraints.
        environment=row.environment,  # type: ignore[arg-type]
        stream_url=row.stream_url,
        market_tickers=tuple(row.market_tickers),
        status=row.status,  # type: ignore[arg-type]
        started_at=row.started_at,
        ended_at=row.ended_at,
        last_row_at=row.last_row_at,
        messages=row.messages,
        rows_written=row.rows_written,
        drops=row.drops,
    )


class RecordingSessions:
    """Open, follow and close `orderbook_session` rows. Counters are the WriteQueue's."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def open(self, stream_url: str, tickers: Iterable[str] = ()) -> int:
        """Start a session for `stream_url`; the environment is derived from the URL."""
        async with self._db.session() as s, s.begin():
            row = OrderbookSession(
                environment=environment_for_url(stream_url),
                stream_url=stream_url,
                market_tickers=sorted(set(tickers)),
                status="active",
            )
            s.add(row)
            await s.flush()
            return row.id

    async def update_tickers(self, session_id: int, tickers: Iterable[str]) -> None:
        """Record the markets the session now follows (discovery added or removed some)."""
        await self._update(session_id, market_tickers=sorted(set(tickers)))

    async def close(self, session_id: int) -> None:
        """Mark an active session closed, now. Call after the WriteQueue has drained."""
        async with self._db.session() as s, s.begin():
            await s.execute(
                update(OrderbookSession)
                .where(OrderbookSession.id == session_id, OrderbookSession.status == "active")
                .values(status="closed", ended_at=func.now())
            )

    async def close_crashed(self) -> list[int]:
        """Mark every session still `active` as `crashed`, ended at its last stored row
        (its start when it has none). Call at start, before opening a new session.

        Assumes one recorder per database; a second live recorder's session would be
        closed too (scale-out would hold an advisory lock per shard instead)."""
        async with self._db.session() as s, s.begin():
            result = await s.execute(
                update(OrderbookSession)
                .where(OrderbookSession.status == "active")
                .values(
                    status="crashed",
                    ended_at=func.coalesce(
                        OrderbookSession.last_row_at, OrderbookSession.started_at
                    ),
                )
                .returning(OrderbookSession.id)
            )
            return sorted(result.scalars())

    async def get(self, session_id: int) -> SessionInfo | None:
        async with self._db.session() as s:
            row = await s.get(OrderbookSession, session_id, populate_existing=True)
            return None if row is None else _info(row)

    async def list(self, limit: int = 100) -> list[SessionInfo]:
        """Newest first."""
        async with self._db.session() as s:
            rows = await s.scalars(
                select(OrderbookSession).order_by(OrderbookSession.id.desc()).limit(limit)
            )
            return [_info(r) for r in rows]

    async def _update(self, session_id: int, **values: object) -> None:
        async with self._db.session() as s, s.begin():
            result = await s.execute(
                update(OrderbookSession)
                .where(OrderbookSession.id == session_id)
                .values(**values)
                .returning(OrderbookSession.id)
            )
            if result.scalar_one_or_none() is None:
                raise LookupError(f"orderbook_session {session_id} does not exist")


def _upsert(chunk: Sequence[MarketRecord]) -> Any:
    stmt = insert(Market).values(
        [
            {
                "ticker": m.ticker,
                "event_ticker": m.event_ticker,
                "series_ticker": m.series_ticker,
                "title": m.title,
                "status": m.status,
                "close_at": m.close_at,
            }
            for m in chunk
        ]
    )
    return stmt.on_conflict_do_update(
        index_elements=[Market.ticker],
        set_={
            "event_ticker": stmt.excluded.event_ticker,
            "series_ticker": stmt.excluded.series_ticker,
            "title": stmt.excluded.title,
            "status": stmt.excluded.status,
            "close_at": stmt.excluded.close_at,
            "updated_at": func.now(),
        },
    )


class MarketRepository:
    """Market metadata (discovery and lifecycle write it; the API and training read it)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def upsert(self, markets: Sequence[MarketRecord]) -> None:
        """Insert new markets and overwrite known ones with the latest metadata."""
        latest = list({m.ticker: m for m in markets}.values())  # one row per ticker
        if not latest:
            return
        async with self._db.session() as s, s.begin():
            # 6 parameters a row; PostgreSQL takes at most 32,767 per statement.
            for start in range(0, len(latest), 1_000):
                await s.execute(_upsert(latest[start : start + 1_000]))

    async def get(self, ticker: str) -> MarketRecord | None:
        async with self._db.session() as s:
            row = await s.get(Market, ticker, populate_existing=True)
            if row is None:
                return None
            return MarketRecord(
                ticker=row.ticker,
                event_ticker=row.event_ticker,
                series_ticker=row.series_ticker,
                title=row.title,
                status=row.status,
                close_at=row.close_at,
            )
