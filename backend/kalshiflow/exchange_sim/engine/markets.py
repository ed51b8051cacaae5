"""The listing: series, events and markets, plus the schedule of time-based transitions.

Only bookkeeping lives here; the ``Exchange`` performs transitions because closing a
market also cancels its resting orders. The schedule is a heap of (due time, ticker); an
entry is re-checked against the market when it comes due, so moving a close time just
pushes a new entry and leaves the stale one to be ignored.
"""

from __future__ import annotations

import heapq

from kalshiflow.exchange_sim.engine.types import (
    Event,
    ExchangeError,
    Market,
    MarketSpec,
    MarketStatus,
    Series,
)
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR


def _not_found(what: str, key: str) -> ExchangeError:
    return ExchangeError(404, "not_found", f"{what} {key!r} not found")


class MarketRegistry:
    def __init__(self) -> None:
        self.series: dict[str, Series] = {}
        self.events: dict[str, Event] = {}
        self.markets: dict[str, Market] = {}
        self._schedule: list[tuple[int, str]] = []  # (epoch s, ticker)

    def add_series(self, series: Series) -> None:
        if series.ticker in self.series:
            raise ExchangeError(409, "already_exists", f"series {series.ticker!r} exists")
        self.series[series.ticker] = series

    def add_event(self, event: Event) -> None:
        if event.series_ticker not in self.series:
            raise _not_found("series", event.series_ticker)
        if event.event_ticker in self.events:
            raise ExchangeError(409, "already_exists", f"event {event.event_ticker!r} exists")
        self.events[event.event_ticker] = event

    def add_market(self, spec: MarketSpec, now_ms: int) -> Market:
        event = self.events.get(spec.event_ticker)
        if event is None:
            raise _not_found("event", spec.event_ticker)
        if spec.ticker in self.markets:
            raise ExchangeError(409, "already_exists", f"market {spec.ticker!r} exists")
        if spec.close_time <= spec.open_time:
            raise ExchangeError(400, "invalid_parameters", "close_time must be after open_time")
        for start, end, step in spec.price_ranges:
            if not (0 <= start < end <= ONE_DOLLAR and step > 0 and (end - start) % step == 0):
                raise ExchangeError(400, "invalid_parameters", "bad price range")
        market = Market(
            ticker=spec.ticker,
            event_ticker=spec.event_ticker,
            series_ticker=event.series_ticker,
            title=spec.title,
            yes_sub_title=spec.yes_sub_title,
            no_sub_title=spec.no_sub_title,
            open_time=spec.open_time,
            close_time=spec.close_time,
            expected_expiration_time=spec.expected_expiration_time or spec.close_time,
            price_ranges=spec.price_ranges,
            rules_primary=spec.rules_primary,
            strike_type=spec.strike_type,
            floor_strike=spec.floor_strike,
            cap_strike=spec.cap_strike,
            can_close_early=spec.can_close_early,
            status=MarketStatus.INITIALIZED,
            created_ts_ms=now_ms,
            updated_ts_ms=now_ms,
        )
        self.markets[spec.ticker] = market
        self.schedule(market)
        return market

    def get(self, ticker: str) -> Market:
        market = self.markets.get(ticker)
        if market is None:
            raise _not_found("market", ticker)
        return market

    def schedule(self, market: Market) -> None:
        """Queue the market's next time-based transition (open or close)."""
        if market.status is MarketStatus.INITIALIZED:
            heapq.heappush(self._schedule, (market.open_time, market.ticker))
        elif market.status is MarketStatus.ACTIVE:
            heapq.heappush(self._schedule, (market.close_time, market.ticker))

    def due(self, now_s: int) -> list[Market]:
        """Markets with a transition due by ``now_s`` (possibly stale; the caller re-checks)."""
        out: list[Market] = []
        while self._schedule and self._schedule[0][0] <= now_s:
            _, ticker = heapq.heappop(self._schedule)
            out.append(self.markets[ticker])
        return out


def on_grid(market: Market, price: int) -> bool:
    """Is ``price`` a valid order price: strictly inside (0, 1) and on a tick of a range."""
    if not 0 < price < ONE_DOLLAR:
        return False
    return any(
        start <= price <= end and (price - start) % step == 0
        for start, end, step in market.price_ranges
    )
