"""Accounts: cash, cash reserved by resting orders, and per-market positions.

Positions are signed Counts (+YES / -NO). Buying the opposite side nets: a YES buy by an
account holding NO closes NO contracts, and each closed YES+NO pair redeems for $1 at
once, which is how Kalshi turns "sell NO" into a buy of YES.

Cash is kept as the account's total cash; ``reserved`` is the part held by resting orders
and ``available = cash - reserved`` is what new orders may use (Kalshi's ``balance``).
A resting order reserves its worst-case cost: a BID at ``p`` reserves ``p`` per contract, an
ASK at ``p`` (a NO buy at ``1 - p``) reserves ``1 - p``, except the contracts that would only
close the existing opposite position (those pay out rather than cost). The closing
capacity is credited to the orders that execute first (highest bids / lowest asks), since
price priority makes them fill first; this keeps available cash from going negative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kalshiflow.exchange_sim.engine.types import (
    BookSide,
    Fill,
    MarketPositionView,
    Order,
    PositionUpdate,
    Settlement,
)
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price


@dataclass(slots=True)
class PositionState:
    ticker: str
    event_ticker: str
    position: int = 0
    position_cost: int = 0
    realized_pnl: int = 0
    fees_paid: int = 0
    volume: int = 0
    last_updated_ts_ms: int = 0
    reserved: int = 0
    resting: dict[str, Order] = field(default_factory=dict)

    def apply_fill(self, side: BookSide, price: Price, count: int) -> tuple[int, int]:
        """Book one execution; returns (cash delta in Money, pairs closed and redeemed)."""
        unit_cost: int
        if side is BookSide.BID:
            unit_cost = price
            closable = -self.position if self.position < 0 else 0
        else:
            unit_cost = ONE_DOLLAR - price
            closable = self.position if self.position > 0 else 0
        closed = min(count, closable)
        if closed:
            held = abs(self.position)
            removed = self.position_cost if closed == held else self.position_cost * closed // held
            self.position_cost -= removed
            self.realized_pnl += (ONE_DOLLAR - unit_cost) * closed - removed
        self.position_cost += unit_cost * (count - closed)
        self.position += count if side is BookSide.BID else -count
        self.volume += count
        return -unit_cost * count + ONE_DOLLAR * closed, closed

    def reservation(self, extra: Order | None = None) -> int:
        """Cash the resting orders (plus ``extra`` as if it rested) may need at worst."""
        orders = list(self.resting.values())
        if extra is not None:
            orders.append(extra)
        total = 0
        bids: list[Order] = []
        asks: list[Order] = []
        for o in orders:
            if o.side is BookSide.BID:
                if self.position < 0:
                    bids.append(o)  # may close NO: needs the capacity walk below
                else:
                    total += o.price * o.remaining_count
            elif self.position > 0:
                asks.append(o)
            else:
                total += (ONE_DOLLAR - o.price) * o.remaining_count
        if bids:
            capacity = -self.position
            for o in sorted(bids, key=lambda o: o.price, reverse=True):
                covered = min(capacity, o.remaining_count)
                capacity -= covered
                total += o.price * (o.remaining_count - covered)
        if asks:
            capacity = self.position
            for o in sorted(asks, key=lambda o: o.price):
                covered = min(capacity, o.remaining_count)
                capacity -= covered
                total += (ONE_DOLLAR - o.price) * (o.remaining_count - covered)
        return total

    def view(self) -> MarketPositionView:
        return MarketPositionView(
            ticker=self.ticker,
            event_ticker=self.event_ticker,
            position=Count(self.position),
            position_cost=Money(self.position_cost),
            realized_pnl=Money(self.realized_pnl),
            fees_paid=Money(self.fees_paid),
            volume=Count(self.volume),
            resting_orders_count=len(self.resting),
            last_updated_ts_ms=self.last_updated_ts_ms,
        )

    def update_event(self, account_id: str, ts_ms: int) -> PositionUpdate:
        return PositionUpdate(
            account_id=account_id,
            ticker=self.ticker,
            position=Count(self.position),
            position_cost=Money(self.position_cost),
            realized_pnl=Money(self.realized_pnl),
            fees_paid=Money(self.fees_paid),
            volume=Count(self.volume),
            ts_ms=ts_ms,
        )


@dataclass(slots=True)
class Account:
    account_id: str
    cash: int = 0  # total cash, including what resting orders reserve
    reserved: int = 0
    positions: dict[str, PositionState] = field(default_factory=dict)
    client_order_ids: dict[str, str] = field(default_factory=dict)  # never forgotten
    order_ids: list[str] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    settlements: list[Settlement] = field(default_factory=list)

    @property
    def available(self) -> int:
        return self.cash - self.reserved

    def position(self, ticker: str, event_ticker: str) -> PositionState:
        state = self.positions.get(ticker)
        if state is None:
            state = self.positions[ticker] = PositionState(ticker, event_ticker)
        return state

    def rereserve(self, state: PositionState) -> None:
        """Recompute one market's reservation after its orders or position changed."""
        new = state.reservation()
        self.reserved += new - state.reserved
        state.reserved = new
