"""New markets appearing while the local exchange runs, in both environments at once.

Kalshi lists markets all day; a feed that only ever sees its start-up set never exercises
discovery following the lifecycle channel. The runner builds a universe larger than the
listed set and keeps the rest here; every `interval_s` the next market is listed on
production and demo together (same ticker, like the real pair), opening now and living as
long as its spec said. `Exchange.add_market` announces it on `market_lifecycle_v2`.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Sequence

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.engine.types import Event, ExchangeError, MarketSpec, Series
from kalshiflow.exchange_sim.participants.universe import Universe


def split_universe(universe: Universe, listed: int) -> tuple[Universe, list[MarketSpec]]:
    """The first `listed` markets (with their events and series) and the pending rest."""
    now, later = universe.markets[:listed], universe.markets[listed:]
    events = {m.event_ticker for m in now}
    kept_events = tuple(e for e in universe.events if e.event_ticker in events)
    series = {e.series_ticker for e in kept_events}
    first = Universe(
        series=tuple(s for s in universe.series if s.ticker in series),
        events=kept_events,
        markets=now,
        initial_fair={m.ticker: universe.initial_fair[m.ticker] for m in now},
    )
    return first, list(later)


class ListingSchedule:
    """Lists pending markets one at a time on every given exchange."""

    def __init__(
        self,
        universe: Universe,
        pending: Sequence[MarketSpec],
        exchanges: Sequence[Exchange],
    ) -> None:
        self._events: dict[str, Event] = {e.event_ticker: e for e in universe.events}
        self._series: dict[str, Series] = {s.ticker: s for s in universe.series}
        self._pending = deque(pending)
        self._exchanges = list(exchanges)
        self.listed: list[str] = []

    @property
    def remaining(self) -> int:
        return len(self._pending)

    def list_next(self, now_s: int) -> str | None:
        """List the next pending market, open from `now_s`; its ticker, or None when done."""
        if not self._pending:
            return None
        spec = self._pending.popleft()
        life = spec.close_time - spec.open_time
        fresh = dataclasses.replace(
            spec,
            open_time=now_s,
            close_time=now_s + life,
            expected_expiration_time=None,
        )
        event = self._events[spec.event_ticker]
        for exchange in self._exchanges:
            self._ensure_event(exchange, event)
            exchange.add_market(fresh)
        self.listed.append(fresh.ticker)
        return fresh.ticker

    def _ensure_event(self, exchange: Exchange, event: Event) -> None:
        try:
            exchange.series(event.series_ticker)
        except ExchangeError:
            exchange.add_series(self._series[event.series_ticker])
        try:
            exchange.event(event.event_ticker)
        except ExchangeError:
            exchange.add_event(event)
