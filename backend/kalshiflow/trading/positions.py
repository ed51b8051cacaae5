"""Positions and P&L per market, from fills and settlements.

One signed position per market: + YES contracts, - NO contracts (Kalshi's convention). A
fill on the opposite side of a position *closes* contracts first: each closed YES+NO pair
redeems for $1 at once, which is how Kalshi turns "sell YES" into "buy NO" and back. So
closing NO by buying YES at ``p`` realizes ``(1 − p) − average NO cost`` per contract.

Cost basis is the total cost of the open contracts (Money); closing ``k`` of ``n`` contracts
removes ``cost × k // n`` of it (the remainder stays on the open contracts, and closing the
last one removes all of it, so nothing is lost to rounding). The same rule as the local
exchange's accounts, so the two can be compared position by position.

Realized P&L is **net of fees**: every fee is a realized loss when paid. With that, for every
market and every mark ``m`` (a YES price), exactly:

    realized + unrealized(m) == cash flow + position value at m

where cash flow is what fills, fees, redemptions and settlement moved in or out of cash, and
position value is ``|position| × m`` for YES or ``|position| × (1 − m)`` for NO.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price
from kalshiflow.trading.types import ZERO, BookSide, Mark

SettlementResult = Literal["yes", "no"]


@dataclass(frozen=True, slots=True)
class FillEffect:
    """What one fill did: the cash it moved (cost, redemption and fee; negative = paid), the
    contracts it closed and the realized P&L (net of its fee) it booked."""

    ticker: str
    cash_delta: Money
    closed: Count
    realized_delta: Money
    position_after: Count


@dataclass(frozen=True, slots=True)
class SettlementEffect:
    """A determined market paid out: ``payout`` is the cash credited (settlement fee already
    deducted), ``realized_delta`` the P&L it booked (payout − cost basis − fee)."""

    ticker: str
    settlement_value: Price
    position: Count
    payout: Money
    realized_delta: Money


@dataclass(frozen=True, slots=True)
class PositionSnapshot:
    """An immutable copy of one market's numbers (what the API and the risk checks read)."""

    ticker: str
    position: Count
    cost: Money  # cost basis of the open contracts
    realized_gross: Money  # P&L from closing and settlement, before fees
    fees_paid: Money
    cash_flow: Money  # net cash this market moved, fees and redemptions included
    volume: Count
    settled: bool

    @property
    def realized(self) -> Money:
        """Realized P&L net of fees."""
        return Money(self.realized_gross - self.fees_paid)

    @property
    def average_cost(self) -> Fraction | None:
        """Average cost per contract of the open position in Price units (in the held
        outcome's own price: a NO position's cost is in NO price), None when flat."""
        if self.position == 0:
            return None
        return Fraction(self.cost, abs(self.position))


@dataclass(slots=True)
class _Market:
    position: int = 0
    cost: int = 0
    realized_gross: int = 0
    fees_paid: int = 0
    cash_flow: int = 0
    volume: int = 0
    settled: bool = False


def position_value(position: int, mark: Mark) -> Money:
    """Value of a signed position at YES price ``mark``, rounded down to the Money unit (only
    a half-unit mid can need rounding; down keeps valuations conservative)."""
    value = abs(position) * (mark if position >= 0 else ONE_DOLLAR - mark)
    return Money(value if type(value) is int else math.floor(value))


class PositionTracker:
    """Per-market signed positions, cost basis, realized and unrealized P&L, fees paid."""

    def __init__(self) -> None:
        self._markets: dict[str, _Market] = {}
        # Sums over all markets, kept up to date so risk checks read them in O(1).
        self._total_cost = 0
        self._total_realized = 0

    # --- updates ----------------------------------------------------------------------

    def apply_fill(
        self, ticker: str, side: BookSide, yes_price: Price, count: Count, fee: Money = ZERO
    ) -> FillEffect:
        """Book one execution: ``side`` of the YES book at ``yes_price`` for ``count``
        (Count units) paying ``fee`` (Money, as the exchange charged it)."""
        if side not in ("bid", "ask"):
            raise ValueError(f"side must be 'bid' or 'ask', got {side!r}")
        if not 0 <= yes_price <= ONE_DOLLAR:
            raise ValueError(f"{ticker}: yes_price {yes_price} outside [0, {ONE_DOLLAR}]")
        if count <= 0:
            raise ValueError(f"{ticker}: fill count must be positive, got {count}")
        if fee < 0:
            raise ValueError(f"{ticker}: fee must not be negative, got {fee}")
        m = self._markets.setdefault(ticker, _Market())
        if m.settled:
            raise ValueError(f"{ticker}: market is settled; a fill after settlement is a bug")
        unit_cost: int
        if side == "bid":
            unit_cost = yes_price
            closable = -m.position if m.position < 0 else 0
        else:
            unit_cost = ONE_DOLLAR - yes_price
            closable = m.position if m.position > 0 else 0
        closed = min(count, closable)
        gross = 0
        cost_before = m.cost
        if closed:
            held = abs(m.position)
            removed = m.cost if closed == held else m.cost * closed // held
            m.cost -= removed
            gross = (ONE_DOLLAR - unit_cost) * closed - removed
        m.cost += unit_cost * (count - closed)
        m.position += count if side == "bid" else -count
        m.realized_gross += gross
        m.fees_paid += fee
        cash = -unit_cost * count + ONE_DOLLAR * closed - fee
        m.cash_flow += cash
        m.volume += count
        self._total_cost += m.cost - cost_before
        self._total_realized += gross - fee
        return FillEffect(ticker, Money(cash), Count(closed), Money(gross - fee), Count(m.position))

    def settle(
        self,
        ticker: str,
        result: SettlementResult | Price,
        fee: Money = ZERO,
    ) -> SettlementEffect:
        """The market was determined: pay ``$1`` per winning contract (or, for a scalar
        result, the given YES settlement value per YES contract and ``1 − value`` per NO)."""
        value: int
        if isinstance(result, str):
            if result not in ("yes", "no"):
                raise ValueError(f"{ticker}: result must be 'yes' or 'no', got {result!r}")
            value = ONE_DOLLAR if result == "yes" else 0
        else:
            value = result
        if not 0 <= value <= ONE_DOLLAR:
            raise ValueError(f"{ticker}: settlement value {value} outside [0, {ONE_DOLLAR}]")
        m = self._markets.setdefault(ticker, _Market())
        if m.settled:
            raise ValueError(f"{ticker}: market already settled")
        position = m.position
        payout = position_value(position, value) - fee
        gross = position_value(position, value) - m.cost
        self._total_cost -= m.cost
        self._total_realized += gross - fee
        m.realized_gross += gross
        m.fees_paid += fee
        m.cash_flow += payout
        m.position = 0
        m.cost = 0
        m.settled = True
        return SettlementEffect(
            ticker, Price(value), Count(position), Money(payout), Money(gross - fee)
        )

    def adopt(
        self,
        ticker: str,
        position: Count,
        cost: Money,
        realized_gross: Money | None = None,
        fees_paid: Money | None = None,
    ) -> None:
        """Take the exchange's numbers for a market (reconciliation: the exchange wins).

        ``cost`` is the exchange's position cost (``market_exposure``). Realized P&L and fees
        are kept unless given. Cash flow is re-derived so the P&L identity keeps holding.
        """
        if cost < 0:
            raise ValueError(f"{ticker}: cost must not be negative, got {cost}")
        if position == 0 and cost != 0:
            raise ValueError(f"{ticker}: a flat position cannot have cost {cost}")
        m = self._markets.setdefault(ticker, _Market())
        self._total_cost += cost - m.cost
        new_gross = m.realized_gross if realized_gross is None else realized_gross
        new_fees = m.fees_paid if fees_paid is None else fees_paid
        self._total_realized += (new_gross - new_fees) - (m.realized_gross - m.fees_paid)
        m.position, m.cost = position, cost
        m.realized_gross, m.fees_paid = new_gross, new_fees
        m.cash_flow = m.realized_gross - m.fees_paid - m.cost
        m.settled = False

    # --- reads ------------------------------------------------------------------------

    def position(self, ticker: str) -> Count:
        m = self._markets.get(ticker)
        return Count(m.position if m else 0)

    def snapshot(self, ticker: str) -> PositionSnapshot:
        m = self._markets.get(ticker) or _Market()
        return PositionSnapshot(
            ticker=ticker,
            position=Count(m.position),
            cost=Money(m.cost),
            realized_gross=Money(m.realized_gross),
            fees_paid=Money(m.fees_paid),
            cash_flow=Money(m.cash_flow),
            volume=Count(m.volume),
            settled=m.settled,
        )

    def snapshots(self) -> Iterator[PositionSnapshot]:
        for ticker in sorted(self._markets):
            yield self.snapshot(ticker)

    def tickers(self) -> tuple[str, ...]:
        return tuple(sorted(self._markets))

    def open_tickers(self) -> tuple[str, ...]:
        return tuple(sorted(t for t, m in self._markets.items() if m.position))

    def realized(self, ticker: str) -> Money:
        """Realized P&L of one market, net of fees."""
        m = self._markets.get(ticker)
        return Money(m.realized_gross - m.fees_paid if m else 0)

    def fees_paid(self, ticker: str) -> Money:
        m = self._markets.get(ticker)
        return Money(m.fees_paid if m else 0)

    def unrealized(self, ticker: str, mark: Mark) -> Money:
        """P&L of the open contracts if they were worth ``mark`` (a YES price, e.g. the
        production mid or the demo mid): position value − cost basis."""
        if not 0 <= mark <= ONE_DOLLAR:
            raise ValueError(f"{ticker}: mark {mark} outside [0, {ONE_DOLLAR}] Price units")
        m = self._markets.get(ticker)
        if m is None or m.position == 0:
            return Money(0)
        return Money(position_value(m.position, mark) - m.cost)

    @property
    def total_cost(self) -> Money:
        """Cost basis of every open position (the position part of total exposure)."""
        return Money(self._total_cost)

    @property
    def total_realized(self) -> Money:
        return Money(self._total_realized)

    def total_unrealized(self, mark_of: Callable[[str], Mark | None]) -> Money:
        """Unrealized P&L over all open positions; a market without a mark counts at cost
        (unrealized 0) rather than at a guessed price."""
        total = 0
        for ticker, m in self._markets.items():
            position = m.position
            if position:
                mark = mark_of(ticker)
                if mark is not None:
                    # position_value() inlined: this loop runs in every pre-trade check
                    value = position * mark if position > 0 else -position * (ONE_DOLLAR - mark)
                    if type(value) is not int:
                        value = math.floor(value)
                    total += value - m.cost
        return Money(total)

    def total_pnl(self, mark_of: Callable[[str], Mark | None]) -> Money:
        """Realized (net of fees) plus unrealized P&L over every market."""
        return Money(self._total_realized + self.total_unrealized(mark_of))
