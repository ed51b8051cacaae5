"""`SimulatedOrderManager`: the training environment's exchange, filling against the
recorded book with the trading core's own accounting (PositionTracker, CashManager,
RiskManager, fees).

Fill model, as far as a recording allows:

* **Taking.** An order that crosses the recorded book fills at once against the opposite
  levels at or better than its limit (level by level, at the level's price), paying the
  taker fee of trading.fees. The recording cannot show our impact, so the liquidity taken is
  not removed from later recorded books.
* **Resting.** The rest of the order joins the back of the queue at its price: ``queue
  ahead`` = the recorded size at that level when it was placed. Recorded size decreases at
  the level shrink the queue ahead (cancels and fills in front of us); a public trade at our
  price first consumes the queue ahead, then fills us; a trade through our price, or the
  recorded book crossing our price, fills us completely. Resting fills are maker fills
  (no fee). Orders older than ``order_ttl_ns`` are cancelled.

Every order passes the trading core's `RiskManager.check` first, with the recording's clock.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Final

from kalshiflow.actor.features import PortfolioState, RestingOrder
from kalshiflow.actor.portfolio import TrackerPortfolio
from kalshiflow.config import RiskSettings
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price
from kalshiflow.marketdata.orderbook import OrderbookSnapshot
from kalshiflow.persistence.records import TradeRecord
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.fees import taker_fee
from kalshiflow.trading.positions import PositionTracker, position_value
from kalshiflow.trading.risk import MarketConditions, RiskManager
from kalshiflow.trading.types import BookSide, Mark, OrderIntent

DEFAULT_CASH: Final = Money(1_000 * 1_000_000)
DEFAULT_TTL_NS: Final = 60_000_000_000


@dataclass(slots=True)
class SimOrder:
    order_id: str
    side: BookSide
    yes_price: Price
    remaining: int
    queue_ahead: int
    placed_ns: int


@dataclass(frozen=True, slots=True)
class SimFill:
    order_id: str
    side: BookSide
    yes_price: Price
    count: Count
    fee: Money
    taker: bool


def _our_level(book: OrderbookSnapshot, side: BookSide, yes_price: int) -> int:
    """Recorded resting size at our order's level: bids rest on the YES ladder at p, asks
    (sell YES at p = buy NO at 1 − p) on the NO ladder at 1 − p."""
    if side == "bid":
        return book.size_at("yes", yes_price)
    return book.size_at("no", ONE_DOLLAR - yes_price)


class SimulatedOrderManager:
    def __init__(
        self,
        ticker: str,
        *,
        cash: Money = DEFAULT_CASH,
        risk: RiskSettings | None = None,
        order_ttl_ns: int = DEFAULT_TTL_NS,
    ) -> None:
        self.ticker = ticker
        self.positions = PositionTracker()
        self.cash = CashManager(self.positions, cash)
        self._now_ns = 0
        self._mark: Mark | None = None
        settings = risk or RiskSettings()
        self.risk = RiskManager(
            settings,
            self.positions,
            self.cash,
            lambda: self._now_ns // 1_000_000,
            lambda _t: self._mark,
        )
        self.portfolio = TrackerPortfolio(
            self.positions, self.cash, self.risk.limits.max_contracts_per_market,
            clock_ns=lambda: self._now_ns,
        )  # fmt: skip
        self.order_ttl_ns = order_ttl_ns
        self.orders: dict[str, SimOrder] = {}
        self._ids = itertools.count(1)
        self.fills: list[SimFill] = []
        self.rejections: dict[str, int] = {}
        self.fees_paid = 0

    # --- state ----------------------------------------------------------------------------

    def portfolio_state(self) -> PortfolioState:
        return self.portfolio.portfolio_state(self.ticker)

    def resting_orders(self) -> tuple[RestingOrder, ...]:
        return tuple(self.portfolio.resting_orders(self.ticker))

    @property
    def position(self) -> Count:
        return self.positions.position(self.ticker)

    def value(self, mark: Mark | None) -> Money:
        """Cash plus the position valued at ``mark`` (YES price; None: at cost)."""
        position = self.positions.position(self.ticker)
        if not position:
            return self.cash.cash
        if mark is None:
            return Money(self.cash.cash + self.positions.snapshot(self.ticker).cost)
        return Money(self.cash.cash + position_value(position, mark))

    def advance(self, now_ns: int, mark: Mark | None) -> None:
        self._now_ns = now_ns
        if mark is not None:
            self._mark = mark

    # --- orders ---------------------------------------------------------------------------

    def place(self, intent: OrderIntent, book: OrderbookSnapshot) -> str:
        """Risk check, take what crosses, rest the remainder. Returns the outcome."""
        conditions = MarketConditions(True, None, self._now_ns // 1_000_000)
        rejection = self.risk.check(intent, conditions)
        if rejection is not None:
            self.rejections[rejection.rule] = self.rejections.get(rejection.rule, 0) + 1
            return "rejected"
        order_id = f"sim-{next(self._ids)}"
        remaining = int(intent.count)
        side, limit = intent.side, intent.yes_price
        # Opposite levels as (YES price, size), best first.
        if side == "bid":
            levels = [(ONE_DOLLAR - q, s) for q, s in book.no_bids]
        else:
            levels = list(book.yes_bids)
        for price, size in levels:
            crosses = price <= limit if side == "bid" else price >= limit
            if remaining <= 0 or not crosses:
                break
            take = min(remaining, size)
            self._fill(order_id, side, Price(price), Count(take), taker=True)
            remaining -= take
        if remaining <= 0:
            return "filled"
        self.orders[order_id] = SimOrder(
            order_id, side, limit, remaining, _our_level(book, side, limit), self._now_ns
        )
        self.cash.hold(order_id, self.ticker, side, limit, Count(remaining))
        self.portfolio.note_placed(order_id, self._now_ns)
        return "placed"

    def _fill(
        self, order_id: str, side: BookSide, price: Price, count: Count, *, taker: bool
    ) -> None:
        fee = taker_fee(price, count) if taker else Money(0)
        effect = self.positions.apply_fill(self.ticker, side, price, count, fee)
        self.cash.apply_fill(effect)
        self.fees_paid += fee
        self.fills.append(SimFill(order_id, side, price, count, fee, taker))

    def on_point(self, book: OrderbookSnapshot, trades: tuple[TradeRecord, ...]) -> None:
        """The recording moved on: fill or age our resting orders against it."""
        for order in list(self.orders.values()):
            filled = self._resting_fill(order, book, trades)
            if filled > 0:
                self._fill(order.order_id, order.side, order.yes_price, Count(filled), taker=False)
                order.remaining -= filled
            if order.remaining > 0 and self._now_ns - order.placed_ns > self.order_ttl_ns:
                order.remaining = 0  # cancelled: too old
            if order.remaining <= 0:
                del self.orders[order.order_id]
                self.cash.release(order.order_id)
            elif filled > 0:
                self.cash.update_remaining(order.order_id, Count(order.remaining))

    @staticmethod
    def _resting_fill(
        order: SimOrder, book: OrderbookSnapshot, trades: tuple[TradeRecord, ...]
    ) -> int:
        p, bid = order.yes_price, order.side == "bid"
        filled = 0
        for trade in trades:
            # taker bought NO = sold YES into YES bids; taker bought YES = took YES offers
            hits_us = trade.taker_side == ("no" if bid else "yes")
            if not hits_us:
                continue
            through = trade.yes_price < p if bid else trade.yes_price > p
            if through:
                filled += trade.count
            elif trade.yes_price == p:
                beyond = trade.count - order.queue_ahead
                order.queue_ahead = max(0, order.queue_ahead - trade.count)
                filled += max(0, beyond)
        level = _our_level(book, order.side, p)
        order.queue_ahead = min(order.queue_ahead, level)
        best_opposite = book.best_yes_ask if bid else book.best_yes_bid
        if best_opposite is not None and (best_opposite <= p if bid else best_opposite >= p):
            filled = order.remaining  # the book traded through our price
        return min(filled, order.remaining)


__all__ = ["DEFAULT_CASH", "SimFill", "SimOrder", "SimulatedOrderManager"]
