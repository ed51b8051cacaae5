"""The rows the recorder persists: the agreed interface between marketdata and persistence.

The OrderbookClient builds these from stream messages and hands them to
`WriteQueue.submit`; replay yields them back. They are plain frozen values so building one
on the feed's hot path costs one allocation. Prices are `Price` units (1/10,000 $) and sizes
`Count` units (1/100 contract), see kalshiflow.kalshi.fixedpoint; never floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Side = Literal["yes", "no"]
Level = tuple[int, int]
"""One book level: (price in Price units, resting size in Count units)."""


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    """A full book for one market, as sent by `orderbook_snapshot`."""

    session_id: int
    market_ticker: str
    seq: int
    exchange_ts_ms: int | None
    received_at_ns: int
    yes_levels: tuple[Level, ...]
    no_levels: tuple[Level, ...]


@dataclass(frozen=True, slots=True)
class DeltaRecord:
    """A signed change of resting size at one price level (`orderbook_delta`)."""

    session_id: int
    market_ticker: str
    seq: int
    exchange_ts_ms: int | None
    received_at_ns: int
    side: Side
    price: int
    delta: int


@dataclass(frozen=True, slots=True)
class TradeRecord:
    """A public trade (`trade` channel). `trade_id` is unique across sessions: the same trade
    seen twice (after a reconnect, or by two sessions) is stored once."""

    session_id: int
    trade_id: str
    market_ticker: str
    yes_price: int
    count: int
    taker_side: str
    exchange_ts_ms: int | None


BookRecord = SnapshotRecord | DeltaRecord
Record = SnapshotRecord | DeltaRecord | TradeRecord


@dataclass(frozen=True, slots=True)
class MarketRecord:
    """Market metadata to upsert into the `market` table (discovery, lifecycle)."""

    ticker: str
    event_ticker: str
    series_ticker: str | None
    title: str
    status: str
    close_at: datetime | None
