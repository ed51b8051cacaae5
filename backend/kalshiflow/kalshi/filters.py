"""Typed query filters of the list endpoints, shared by the REST client and its wrappers.

Used as ``**filters: Unpack[MarketFilters]`` so a misspelt filter is a type error, not a
silently ignored query parameter. Timestamps are Unix seconds, as Kalshi expects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

__all__ = [
    "EventFilters",
    "FillFilters",
    "MarketFilters",
    "OrderFilters",
    "PositionFilters",
    "SettlementFilters",
    "TradeFilters",
]


class MarketFilters(TypedDict, total=False):
    event_ticker: str
    series_ticker: str
    tickers: Sequence[str]
    status: str  # unopened | open | paused | closed | settled
    min_close_ts: int
    max_close_ts: int
    min_created_ts: int
    max_created_ts: int
    min_settled_ts: int
    max_settled_ts: int
    min_updated_ts: int
    mve_filter: str  # only | exclude


class EventFilters(TypedDict, total=False):
    status: str  # unopened | open | closed | settled
    series_ticker: str
    with_nested_markets: bool
    min_close_ts: int


class TradeFilters(TypedDict, total=False):
    ticker: str
    min_ts: int
    max_ts: int


class PositionFilters(TypedDict, total=False):
    ticker: str
    event_ticker: str
    count_filter: str  # position | total_traded


class OrderFilters(TypedDict, total=False):
    ticker: str
    event_ticker: str
    status: str  # resting | canceled | executed
    min_ts: int
    max_ts: int


class FillFilters(TypedDict, total=False):
    ticker: str
    order_id: str
    min_ts: int
    max_ts: int


class SettlementFilters(TypedDict, total=False):
    ticker: str
    event_ticker: str
    min_ts: int
    max_ts: int
