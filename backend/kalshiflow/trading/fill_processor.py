"""`FillProcessor`: every fill of the account booked exactly once.

Fills arrive on the private WebSocket ``fill`` channel and, after a reconnect or on the
periodic check, from REST ``/portfolio/fills`` (the backfill). Both paths go through
`apply`, which de-duplicates by trade id, so a fill that shows up twice is booked once and
a fill the WebSocket lost is booked when the backfill finds it.

Booking a fill updates, in this order: the `PositionTracker` (position, cost, realized P&L,
fees), the `CashManager` (cash, and the principal the closing part frees), the
`OrderTracker` (filled/remaining/status) and the cash hold of that order, then the demo side
of the `TwoLedgers` record. The caller's ``on_fill`` hook receives the result (to persist it
and publish `FillReceived` / `OrderUpdated`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kalshiflow.kalshi.fixedpoint import Count, Money, Price
from kalshiflow.kalshi.models import Fill
from kalshiflow.kalshi.trading_client import KalshiTradingClient
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import FillReceived
from kalshiflow.trading.ledger import OrderRecord, TwoLedgers
from kalshiflow.trading.order_tracker import OrderTracker, TrackedOrder, sync_cash_hold
from kalshiflow.trading.positions import PositionTracker
from kalshiflow.trading.types import BookSide, Clock

log = logging.getLogger(__name__)

# A backfill re-reads fills this far before the newest one already booked: Kalshi filters
# by whole seconds and clocks differ a little; de-duplication makes the overlap free.
BACKFILL_OVERLAP_S = 60


@dataclass(frozen=True, slots=True)
class BookedFill:
    """One newly booked fill and what it changed."""

    event: FillReceived
    order: TrackedOrder | None
    ledger: OrderRecord | None


FillHook = Callable[[BookedFill], None]


def _side(fill: Fill) -> BookSide:
    if fill.book_side == "bid":
        return "bid"
    if fill.book_side == "ask":
        return "ask"
    raise ValueError(f"fill {fill.trade_id}: unknown book side {fill.book_side!r}")


def _fill_ms(fill: Fill, default: int) -> int:
    return int(fill.created_time.timestamp() * 1000) if fill.created_time else default


class FillProcessor:
    def __init__(
        self,
        positions: PositionTracker,
        cash: CashManager,
        tracker: OrderTracker,
        ledgers: TwoLedgers,
        clock: Clock,
        on_fill: FillHook | None = None,
    ) -> None:
        self._positions = positions
        self._cash = cash
        self._tracker = tracker
        self._ledgers = ledgers
        self._clock = clock
        self.on_fill = on_fill
        self._seen: set[str] = set()
        self.newest_ms: int | None = None  # execution time of the newest booked fill
        self.booked = 0
        self.duplicates = 0
        self.backfilled = 0

    # --- state ------------------------------------------------------------------------

    def seen(self, trade_id: str) -> bool:
        return trade_id in self._seen

    @property
    def seen_count(self) -> int:
        return len(self._seen)

    def mark_seen(self, trade_ids: Iterable[str], newest_ms: int | None = None) -> None:
        """Fills already accounted for elsewhere (restored from the database, or history
        from before this trader that reconciliation adopts as positions)."""
        self._seen.update(trade_ids)
        if newest_ms is not None:
            self.newest_ms = max(self.newest_ms or newest_ms, newest_ms)

    # --- booking ----------------------------------------------------------------------

    def replay(
        self, ticker: str, side: BookSide, yes_price: Price, count: Count, fee: Money
    ) -> None:
        """Re-apply a stored fill to positions only (restart: cash comes from the exchange's
        balance, orders from their own rows)."""
        self._positions.apply_fill(ticker, side, yes_price, count, fee)

    def apply(self, fill: Fill, via: str) -> BookedFill | None:
        """Book ``fill`` unless its trade id was booked before (then None)."""
        if fill.trade_id in self._seen:
            self.duplicates += 1
            return None
        now = self._clock()
        at_ms = _fill_ms(fill, now)
        side = _side(fill)
        self._seen.add(fill.trade_id)
        try:
            effect = self._positions.apply_fill(
                fill.ticker, side, fill.yes_price, fill.count, fill.fee_cost
            )
        except ValueError:
            # A fill after we booked the market's settlement: the exchange's later numbers
            # win at the next reconciliation; booking it would double count.
            log.warning("fill %s on settled market %s not booked", fill.trade_id, fill.ticker)
            return None
        self._cash.apply_fill(effect)
        order = self._tracker.apply_fill(fill.order_id, fill.count, now, fill.client_order_id)
        if order is not None:
            sync_cash_hold(self._cash, order)
        key = fill.client_order_id or (order.client_order_id if order is not None else "")
        ledger: OrderRecord | None = None
        if key and self._ledgers.get(key) is not None:
            try:
                ledger = self._ledgers.record_fill(key, fill.yes_price, fill.count, fill.fee_cost)
            except ValueError as err:  # more than ordered: an amendment grew the order
                log.warning("ledger of %s not updated: %s", key, err)
        self.booked += 1
        if via == "rest":
            self.backfilled += 1
        self.newest_ms = max(self.newest_ms or at_ms, at_ms)
        event = FillReceived(
            trade_id=fill.trade_id,
            order_id=fill.order_id,
            client_order_id=key,
            ticker=fill.ticker,
            side=side,
            yes_price=fill.yes_price,
            count=fill.count,
            fee=fill.fee_cost,
            is_taker=fill.is_taker,
            position_after=effect.position_after,
            realized_delta=effect.realized_delta,
            via=via,
            at_ms=at_ms,
        )
        booked = BookedFill(event, order, ledger)
        if self.on_fill is not None:
            self.on_fill(booked)
        return booked

    async def backfill(self, client: KalshiTradingClient, *, book: bool = True) -> list[BookedFill]:
        """Read REST fills since shortly before the newest booked one and book the missing
        ones oldest first (the exchange lists newest first). With ``book=False`` they are
        only marked as seen: history that reconciliation adopts as positions instead."""
        since = None if self.newest_ms is None else self.newest_ms // 1000 - BACKFILL_OVERLAP_S
        fresh: list[Fill] = []
        if since is None:
            iterator = client.iter_fills(page_size=200)
        else:
            iterator = client.iter_fills(page_size=200, min_ts=since)
        async for fill in iterator:
            if fill.trade_id not in self._seen:
                fresh.append(fill)
        fresh.reverse()
        if not book:
            self.mark_seen((f.trade_id for f in fresh), None)
            for f in fresh:
                if f.created_time is not None:
                    self.mark_seen((), _fill_ms(f, 0))
            return []
        booked: list[BookedFill] = []
        for fill in fresh:
            result = self.apply(fill, "rest")
            if result is not None:
                booked.append(result)
        return booked
