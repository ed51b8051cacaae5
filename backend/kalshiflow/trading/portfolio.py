"""`Portfolio`: the account valued at a moment, as the API, the dashboard and the snapshot
tables see it.

Pure reads over the `PositionTracker` and `CashManager`; marks come from two callables:
the production mid (the book the actor prices from) and the demo mid (the book the orders
actually meet). Where a mark is missing a position counts at cost (unrealized 0 in the
totals, ``None`` per position), never at a guessed price.
"""

from __future__ import annotations

from collections.abc import Callable

from kalshiflow.kalshi.fixedpoint import Money, Price
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import PortfolioChanged, PositionValue
from kalshiflow.trading.positions import PositionTracker
from kalshiflow.trading.types import Clock, Mark

MarkSource = Callable[[str], Mark | None]


def _no_mark(_ticker: str) -> Mark | None:
    return None


class Portfolio:
    def __init__(
        self,
        positions: PositionTracker,
        cash: CashManager,
        clock: Clock,
        production_mark: MarkSource,
        demo_mark: MarkSource = _no_mark,
    ) -> None:
        self._positions = positions
        self._cash = cash
        self._clock = clock
        self.production_mark = production_mark
        self.demo_mark = demo_mark

    def positions(self) -> tuple[PositionValue, ...]:
        """Every market ever traded (flat ones too: they carry realized P&L and fees)."""
        out = []
        for snap in self._positions.snapshots():
            avg = snap.average_cost
            prod = self.production_mark(snap.ticker) if snap.position else None
            demo = self.demo_mark(snap.ticker) if snap.position else None
            out.append(
                PositionValue(
                    ticker=snap.ticker,
                    position=snap.position,
                    cost=snap.cost,
                    average_cost=None if avg is None else Price(avg.numerator // avg.denominator),
                    realized=snap.realized,
                    fees_paid=snap.fees_paid,
                    unrealized_production=(
                        None if prod is None else self._positions.unrealized(snap.ticker, prod)
                    ),
                    unrealized_demo=(
                        None if demo is None else self._positions.unrealized(snap.ticker, demo)
                    ),
                )
            )
        return tuple(out)

    def view(self, reason: str) -> PortfolioChanged:
        """The whole account now. ``value`` = exchange balance + principal held by resting
        orders + open positions marked at the production mid (at cost without a mid), i.e.
        what the account is worth if every order were canceled and positions sold at mid."""
        positions = self.positions()
        cash = self._cash
        unrealized_prod = sum(p.unrealized_production or 0 for p in positions)
        unrealized_demo = sum(p.unrealized_demo or 0 for p in positions)
        cost = self._positions.total_cost
        return PortfolioChanged(
            balance=cash.expected_exchange_balance,
            cash=cash.cash,
            reserved=cash.reserved,
            available=cash.available,
            value=Money(cash.cash + cost + unrealized_prod),
            realized=self._positions.total_realized,
            unrealized_production=Money(unrealized_prod),
            unrealized_demo=Money(unrealized_demo),
            fees_paid=Money(sum(p.fees_paid for p in positions)),
            positions=positions,
            reason=reason,
            at_ms=self._clock(),
        )
