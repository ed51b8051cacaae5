"""Cash: the account's total cash, what resting orders hold, what is left for new orders.

Rules (the same as the exchange's for the part the exchange holds, plus a fee buffer):

* A resting **bid** at ``p`` holds ``p`` per contract, a resting **ask** at ``p`` (a NO buy at
  ``1 − p``) holds ``1 − p``, except for contracts that would only *close* the existing
  opposite position: those pay out rather than cost. The closing capacity goes to the orders
  that fill first (highest bids, lowest asks), as the exchange's does. This is the
  **principal**, and it is what the exchange itself holds back from ``balance``.
* On top, every order holds the taker fee it would pay filling entirely at its limit
  (`fees.worst_case_fee`: cost + fee is dearest at the limit price). Resting orders are
  usually makers and pay nothing, but an order can take liquidity when it arrives, so the
  buffer keeps ``available`` from ever promising money the fees will eat.

``cash`` is the total (including what orders hold); ``available = cash − reserved``.
Kalshi reports ``balance`` = cash minus the principal it holds for resting orders, so
`observe_exchange_balance` compares that number with ``cash − reserved_principal`` and then
adopts the exchange's figure: the exchange is the source of truth, the drift is recorded.

Every resting order must be held here (sells too, usually with zero principal) so that
``open_order_count`` and per-side resting counts are right for the risk checks.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Final

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price
from kalshiflow.trading.fees import worst_case_fee
from kalshiflow.trading.positions import FillEffect, PositionTracker, SettlementEffect
from kalshiflow.trading.types import ZERO, BookSide

DRIFT_HISTORY: Final = 256


@dataclass(frozen=True, slots=True)
class Hold:
    """One resting order as cash sees it."""

    order_id: str
    ticker: str
    side: BookSide
    yes_price: Price
    remaining: Count


@dataclass(frozen=True, slots=True)
class BalanceDrift:
    """One comparison with the exchange: ``drift = reported − expected`` (Money)."""

    expected: Money
    reported: Money
    drift: Money
    at_ms: int


def order_principal(side: BookSide, yes_price: Price, count: int) -> Money:
    """What ``count`` contracts of an opening order cost at its limit."""
    unit = yes_price if side == "bid" else ONE_DOLLAR - yes_price
    return Money(unit * count)


def market_principal(position: int, holds: list[Hold]) -> Money:
    """Principal the exchange holds for one market's resting orders given its position."""
    total = 0
    bids = sorted((h for h in holds if h.side == "bid"), key=lambda h: -h.yes_price)
    asks = sorted((h for h in holds if h.side == "ask"), key=lambda h: h.yes_price)
    for side_holds, capacity in ((bids, max(-position, 0)), (asks, max(position, 0))):
        for h in side_holds:
            covered = min(capacity, h.remaining)
            capacity -= covered
            total += order_principal(h.side, h.yes_price, h.remaining - covered)
    return Money(total)


class CashManager:
    """Cash, reservations of resting orders, available cash, and drift against the exchange."""

    def __init__(self, positions: PositionTracker, cash: Money = ZERO) -> None:
        self._positions = positions
        self._cash = int(cash)
        self._holds: dict[str, Hold] = {}
        self._by_market: dict[str, dict[str, Hold]] = {}
        self._principal_by_market: dict[str, int] = {}
        self._principal = 0
        self._fee_buffer = 0
        self.drifts: deque[BalanceDrift] = deque(maxlen=DRIFT_HISTORY)
        self.synced = False  # True once the exchange's balance has been adopted

    # --- reads ------------------------------------------------------------------------

    @property
    def cash(self) -> Money:
        return Money(self._cash)

    @property
    def reserved_principal(self) -> Money:
        return Money(self._principal)

    @property
    def reserved(self) -> Money:
        """Principal plus fee buffer of every resting order."""
        return Money(self._principal + self._fee_buffer)

    @property
    def available(self) -> Money:
        return Money(self._cash - self._principal - self._fee_buffer)

    @property
    def expected_exchange_balance(self) -> Money:
        """What Kalshi's ``balance`` should read if our books are right."""
        return Money(self._cash - self._principal)

    @property
    def open_order_count(self) -> int:
        return len(self._holds)

    @property
    def last_drift(self) -> BalanceDrift | None:
        return self.drifts[-1] if self.drifts else None

    def holds(self, ticker: str | None = None) -> tuple[Hold, ...]:
        if ticker is None:
            return tuple(self._holds.values())
        return tuple(self._by_market.get(ticker, {}).values())

    def resting_count(self, ticker: str, side: BookSide) -> Count:
        """Contracts still resting on ``side`` in ``ticker``."""
        return Count(
            sum(h.remaining for h in self._by_market.get(ticker, {}).values() if h.side == side)
        )

    def principal_for(self, ticker: str, side: BookSide, yes_price: Price, count: Count) -> Money:
        """Principal a new order would add if it rested: the exposure it opens (zero for
        contracts that only close the current position)."""
        market = list(self._by_market.get(ticker, {}).values())
        before = self._principal_by_market.get(ticker, 0)
        after = market_principal(
            self._positions.position(ticker),
            [*market, Hold("", ticker, side, yes_price, count)],
        )
        return Money(after - before)

    def reservation_for(self, ticker: str, side: BookSide, yes_price: Price, count: Count) -> Money:
        """What a new order would add to ``reserved``: principal plus fee buffer."""
        principal = self.principal_for(ticker, side, yes_price, count)
        return Money(principal + worst_case_fee(yes_price, count))

    # --- resting orders ---------------------------------------------------------------

    def hold(
        self, order_id: str, ticker: str, side: BookSide, yes_price: Price, count: Count
    ) -> None:
        """An order is resting (or about to): hold its principal and fee buffer.

        ``order_id`` is any unique key of the order; the client_order_id is the natural
        one, because it exists before submission, so the hold (and the open-order count the
        risk checks read) covers an order from the moment it is sent, not only once the
        exchange acknowledges it.
        """
        if order_id in self._holds:
            raise ValueError(f"order {order_id} is already held; use update_remaining")
        if count <= 0:
            raise ValueError(f"order {order_id}: count must be positive, got {count}")
        if not 0 < yes_price < ONE_DOLLAR:
            raise ValueError(f"order {order_id}: yes_price {yes_price} outside (0, {ONE_DOLLAR})")
        h = Hold(order_id, ticker, side, yes_price, count)
        self._holds[order_id] = h
        self._by_market.setdefault(ticker, {})[order_id] = h
        self._fee_buffer += worst_case_fee(yes_price, count)
        self._rereserve(ticker)

    def update_remaining(self, order_id: str, remaining: Count) -> None:
        """The order's remaining count changed (partial fill, decrease); 0 releases it."""
        old = self._holds.get(order_id)
        if old is None:
            raise KeyError(f"order {order_id} is not held")
        if remaining < 0:
            raise ValueError(f"order {order_id}: remaining must not be negative, got {remaining}")
        if remaining == 0:
            self.release(order_id)
            return
        new = Hold(order_id, old.ticker, old.side, old.yes_price, remaining)
        self._holds[order_id] = new
        self._by_market[old.ticker][order_id] = new
        self._fee_buffer += worst_case_fee(new.yes_price, remaining) - worst_case_fee(
            old.yes_price, old.remaining
        )
        self._rereserve(old.ticker)

    def release(self, order_id: str) -> bool:
        """The order is gone (canceled, executed, expired); False if it was not held."""
        h = self._holds.pop(order_id, None)
        if h is None:
            return False
        market = self._by_market[h.ticker]
        del market[order_id]
        if not market:
            del self._by_market[h.ticker]
        self._fee_buffer -= worst_case_fee(h.yes_price, h.remaining)
        self._rereserve(h.ticker)
        return True

    # --- cash movements ---------------------------------------------------------------

    def apply_fill(self, effect: FillEffect) -> None:
        """Move cash for a fill already booked in the PositionTracker (its closing count
        changed the market's principal too)."""
        self._cash += effect.cash_delta
        self._rereserve(effect.ticker)

    def apply_settlement(self, effect: SettlementEffect) -> None:
        self._cash += effect.payout
        self._rereserve(effect.ticker)

    def adjust(self, delta: Money) -> None:
        """A cash movement the trader did not cause (deposit, withdrawal)."""
        self._cash += delta

    def observe_exchange_balance(self, balance: Money, at_ms: int) -> BalanceDrift:
        """Compare Kalshi's ``balance`` with ours, record the drift, adopt the exchange's."""
        expected = self.expected_exchange_balance
        drift = BalanceDrift(expected, balance, Money(balance - expected), at_ms)
        self.drifts.append(drift)
        self._cash = balance + self._principal
        self.synced = True
        return drift

    def _rereserve(self, ticker: str) -> None:
        holds = list(self._by_market.get(ticker, {}).values())
        new = market_principal(self._positions.position(ticker), holds) if holds else 0
        old = self._principal_by_market.pop(ticker, 0)
        if holds:
            self._principal_by_market[ticker] = new
        self._principal += new - old
