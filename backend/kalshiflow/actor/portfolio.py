"""What the actor knows about its own account when it builds an observation.

`PortfolioView` is the small read interface the observation needs (one market's position
and money, our resting orders there). `TrackerPortfolio` implements it over the trading
core's `PositionTracker` and `CashManager`, which both the OrderManager and the tests keep.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from kalshiflow.actor.features import PortfolioState, RestingOrder
from kalshiflow.kalshi.fixedpoint import Count, Money
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.positions import PositionTracker


class PortfolioView(Protocol):
    def portfolio_state(self, ticker: str) -> PortfolioState: ...

    def resting_orders(self, ticker: str) -> Sequence[RestingOrder]: ...


class TrackerPortfolio:
    """`PortfolioView` over a PositionTracker and a CashManager.

    CashManager holds do not carry a placement time, so the time is noted here when an
    order is placed (`note_placed`); an order first seen without one counts from then."""

    def __init__(
        self,
        positions: PositionTracker,
        cash: CashManager,
        max_position: Count,
        clock_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self.positions = positions
        self.cash = cash
        self.max_position = max_position
        self._clock_ns = clock_ns
        self._placed_ns: dict[str, int] = {}

    def note_placed(self, order_id: str, at_ns: int | None = None) -> None:
        self._placed_ns[order_id] = self._clock_ns() if at_ns is None else at_ns

    def portfolio_state(self, ticker: str) -> PortfolioState:
        snap = self.positions.snapshot(ticker)
        cash = self.cash
        return PortfolioState(
            position=snap.position,
            cost=snap.cost,
            realized=snap.realized,
            cash=cash.cash,
            available=cash.available,
            total_exposure=Money(self.positions.total_cost + cash.reserved_principal),
            max_position=self.max_position,
        )

    def resting_orders(self, ticker: str) -> Sequence[RestingOrder]:
        holds = self.cash.holds(ticker)
        if not holds:
            return ()
        placed = self._placed_ns
        out = []
        for h in holds:
            at = placed.get(h.order_id)
            if at is None:
                at = placed[h.order_id] = self._clock_ns()
            out.append(RestingOrder(h.side, h.yes_price, h.remaining, at))
        return tuple(out)


class FlatPortfolio:
    """No position, no orders, a fixed cash amount: for tests and benchmarks."""

    def __init__(self, state: PortfolioState) -> None:
        self.state = state

    def portfolio_state(self, ticker: str) -> PortfolioState:
        return self.state

    def resting_orders(self, ticker: str) -> Sequence[RestingOrder]:
        return ()


class OrderBookkeepingPortfolio:
    """`PortfolioView` over the running trading core: positions and cash from its
    PositionTracker / CashManager, resting orders (with their creation time) from its
    OrderTracker. Build it from `TradingComponent.parts` after the trading component started."""

    def __init__(
        self, positions: PositionTracker, cash: CashManager, tracker: Any, max_position: Count
    ) -> None:
        self._inner = TrackerPortfolio(positions, cash, max_position)
        self.tracker = tracker

    def portfolio_state(self, ticker: str) -> PortfolioState:
        return self._inner.portfolio_state(ticker)

    def resting_orders(self, ticker: str) -> Sequence[RestingOrder]:
        return tuple(
            RestingOrder(o.side, o.yes_price, o.remaining, o.created_ms * 1_000_000)
            for o in self.tracker.resting_orders()
            if o.ticker == ticker
        )


__all__ = ["FlatPortfolio", "OrderBookkeepingPortfolio", "PortfolioView", "TrackerPortfolio"]
