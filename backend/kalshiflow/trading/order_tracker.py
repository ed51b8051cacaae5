"""`OrderTracker`: every order from intent to end, keyed by client order id and order id.

It only keeps records; it sends nothing and moves no cash. Every change returns the new
immutable `TrackedOrder` (or None when nothing changed) so the caller can persist it and
publish an `OrderUpdated`.

Three sources report on an order and may arrive in any order: the create/amend/cancel
answers, the private ``user_orders`` channel (or a REST read) and the fills. So the rules
are monotonic, which makes every arrival order converge on the exchange's state:

* ``filled`` only grows: the larger of the exchange's ``fill_count`` and the sum of fills
  seen for the order;
* ``remaining`` only shrinks, except through our own amendment (`amended`);
* a terminal status (executed, canceled, rejected) is never left again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.kalshi.models import Order
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import OrderSource, OrderStatus, OrderUpdated
from kalshiflow.trading.types import BookSide


@dataclass(frozen=True, slots=True)
class TrackedOrder:
    client_order_id: str
    order_id: str | None
    ticker: str
    side: BookSide
    yes_price: Price
    count: Count  # total ordered; an amendment changes it
    filled: Count
    remaining: Count
    status: OrderStatus
    source: OrderSource
    created_ms: int
    updated_ms: int
    rejection_rule: str | None = None
    rejection_reason: str | None = None
    fills_seen: int = 0  # sum of the fills booked for this order (Count units)

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def is_resting(self) -> bool:
        """On the book with something left to fill (what cash must hold for)."""
        return self.status in (OrderStatus.RESTING, OrderStatus.PARTIALLY_FILLED) and bool(
            self.remaining
        )

    def event(self) -> OrderUpdated:
        return OrderUpdated(
            client_order_id=self.client_order_id,
            order_id=self.order_id,
            ticker=self.ticker,
            side=self.side,
            yes_price=self.yes_price,
            count=self.count,
            filled=self.filled,
            remaining=self.remaining,
            status=self.status,
            source=self.source,
            rejection_rule=self.rejection_rule,
            rejection_reason=self.rejection_reason,
            at_ms=self.updated_ms,
        )


_TERMINAL = frozenset({OrderStatus.EXECUTED, OrderStatus.CANCELED, OrderStatus.REJECTED})


def _live_status(filled: int, remaining: int) -> OrderStatus:
    if remaining == 0:
        return OrderStatus.EXECUTED
    return OrderStatus.PARTIALLY_FILLED if filled else OrderStatus.RESTING


class UnknownOrderError(KeyError):
    """The order is not tracked (neither by client order id nor by order id)."""


class OrderTracker:
    def __init__(self) -> None:
        self._by_client: dict[str, TrackedOrder] = {}
        self._client_of: dict[str, str] = {}  # order id -> client order id
        self.version = 0  # bumped on every change: lets a reader detect concurrent updates

    # --- reads ------------------------------------------------------------------------

    def get(self, key: str) -> TrackedOrder | None:
        """By client order id or by exchange order id."""
        found = self._by_client.get(key)
        if found is None:
            client = self._client_of.get(key)
            found = self._by_client.get(client) if client is not None else None
        return found

    def require(self, key: str) -> TrackedOrder:
        found = self.get(key)
        if found is None:
            raise UnknownOrderError(f"no tracked order with client order id or order id {key!r}")
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[TrackedOrder]:
        return iter(tuple(self._by_client.values()))

    def __len__(self) -> int:
        return len(self._by_client)

    def open_orders(self) -> tuple[TrackedOrder, ...]:
        return tuple(o for o in self._by_client.values() if o.is_open)

    def resting_orders(self) -> tuple[TrackedOrder, ...]:
        return tuple(o for o in self._by_client.values() if o.is_resting)

    # --- changes ----------------------------------------------------------------------

    def restore(self, order: TrackedOrder) -> None:
        """Put back a record loaded from the database (restart)."""
        self._store(order)

    def add_pending(
        self,
        client_order_id: str,
        ticker: str,
        side: BookSide,
        yes_price: Price,
        count: Count,
        source: OrderSource,
        at_ms: int,
    ) -> TrackedOrder:
        if client_order_id in self._by_client:
            raise ValueError(f"client order id {client_order_id!r} is already tracked")
        order = TrackedOrder(
            client_order_id, None, ticker, side, yes_price, count, Count(0), count,
            OrderStatus.PENDING, source, at_ms, at_ms,
        )  # fmt: skip
        return self._store(order)

    def reject(self, key: str, rule: str, reason: str, at_ms: int) -> TrackedOrder:
        """Refused by risk or by the exchange; nothing rests."""
        old = self.require(key)
        new = dataclasses.replace(
            old,
            status=OrderStatus.REJECTED,
            remaining=Count(0),
            rejection_rule=rule,
            rejection_reason=reason,
            updated_ms=at_ms,
        )
        return self._store(new)

    def acknowledge(
        self, client_order_id: str, order_id: str, filled: Count, remaining: Count, at_ms: int
    ) -> TrackedOrder | None:
        """The exchange answered the create: it has ``order_id``. An IOC-like answer with
        nothing left and nothing filled means the exchange canceled the rest at once."""
        old = self.require(client_order_id)
        status = (
            OrderStatus.CANCELED
            if remaining == 0 and max(filled, old.filled) < old.count
            else _live_status(max(filled, old.filled), remaining)
        )
        return self._merge(old, order_id, old.count, filled, remaining, status, at_ms)

    def apply_exchange_order(
        self, order: Order, at_ms: int, *, source: OrderSource = OrderSource.RECONCILIATION
    ) -> TrackedOrder | None:
        """Merge the exchange's view of an order (REST read or ``user_order`` message).
        An order not tracked yet is adopted with ``source``."""
        old = self.get(order.client_order_id) if order.client_order_id else None
        if old is None:
            old = self.get(order.order_id)
        status = {
            "resting": _live_status(order.fill_count, order.remaining_count),
            "executed": OrderStatus.EXECUTED,
            "canceled": OrderStatus.CANCELED,
        }.get(order.status, OrderStatus.CANCELED)
        if old is None:
            adopted = TrackedOrder(
                client_order_id=order.client_order_id or order.order_id,
                order_id=order.order_id,
                ticker=order.ticker,
                side="bid" if order.book_side == "bid" else "ask",
                yes_price=order.yes_price,
                count=order.initial_count,
                filled=order.fill_count,
                remaining=order.remaining_count,
                status=status,
                source=source,
                created_ms=at_ms,
                updated_ms=at_ms,
            )
            return self._store(adopted)
        count = max(old.count, order.initial_count) if old.order_id else order.initial_count
        return self._merge(
            old, order.order_id, Count(count), order.fill_count, order.remaining_count, status,
            at_ms, price=order.yes_price,
        )  # fmt: skip

    def apply_fill(
        self, order_id: str, count: Count, at_ms: int, client_order_id: str = ""
    ) -> TrackedOrder | None:
        """A fill of ``order_id`` was booked (each fill once: the FillProcessor de-duplicates).
        It may come before the create answer: then the order is found by client order id.
        None when the order is not tracked (e.g. placed elsewhere before adoption)."""
        old = self.get(order_id)
        if old is None and client_order_id:
            old = self.get(client_order_id)
            if old is not None and old.order_id is None:
                old = dataclasses.replace(old, order_id=order_id)
        if old is None:
            return None
        seen = Count(old.fills_seen + count)
        filled = max(old.filled, seen)
        remaining = max(0, min(old.remaining, old.count - filled))
        status = old.status
        if status not in _TERMINAL:
            status = _live_status(filled, remaining)
        new = dataclasses.replace(
            old,
            fills_seen=seen,
            filled=Count(filled),
            remaining=Count(remaining),
            status=status,
            updated_ms=at_ms,
        )
        return self._store(new)

    def amended(
        self,
        key: str,
        yes_price: Price,
        count: Count,
        filled: Count,
        remaining: Count,
        at_ms: int,
        *,
        order_id: str | None = None,
    ) -> TrackedOrder:
        """Our own amendment (or decrease) was accepted: the one change that may grow
        ``remaining``. ``order_id`` when the exchange gave the amended order a new id."""
        old = self.require(key)
        if order_id is not None and order_id != old.order_id:
            old = dataclasses.replace(old, order_id=order_id)
        filled_now = Count(max(old.filled, filled))
        status = old.status if old.status in _TERMINAL else _live_status(filled_now, remaining)
        new = dataclasses.replace(
            old,
            yes_price=yes_price,
            count=count,
            filled=filled_now,
            remaining=remaining,
            status=status,
            updated_ms=at_ms,
        )
        return self._store(new)

    def canceled(self, key: str, at_ms: int) -> TrackedOrder | None:
        """The rest of the order is gone (cancel answered, or the exchange says it is no
        longer resting and has not executed)."""
        old = self.require(key)
        if old.status in _TERMINAL:
            return None
        status = OrderStatus.EXECUTED if old.filled >= old.count else OrderStatus.CANCELED
        return self._store(
            dataclasses.replace(old, status=status, remaining=Count(0), updated_ms=at_ms)
        )

    def _merge(
        self,
        old: TrackedOrder,
        order_id: str,
        count: Count,
        filled: Count,
        remaining: Count,
        status: OrderStatus,
        at_ms: int,
        *,
        price: Price | None = None,
    ) -> TrackedOrder | None:
        filled_now = Count(max(old.filled, filled))
        if old.status in _TERMINAL:
            status = old.status
            remaining_now = Count(0)
        else:
            remaining_now = Count(max(0, min(remaining, count - filled_now)))
            if status not in _TERMINAL:
                status = _live_status(filled_now, remaining_now)
            else:
                remaining_now = Count(0)
        new = dataclasses.replace(
            old,
            order_id=order_id,
            count=count,
            filled=filled_now,
            remaining=remaining_now,
            status=status,
            yes_price=old.yes_price if price is None else price,
            updated_ms=at_ms,
        )
        if new == dataclasses.replace(old, updated_ms=at_ms) and old.order_id == order_id:
            return None
        return self._store(new)

    def _store(self, order: TrackedOrder) -> TrackedOrder:
        self.version += 1
        self._by_client[order.client_order_id] = order
        if order.order_id is not None:
            self._client_of[order.order_id] = order.client_order_id
        return order


def sync_cash_hold(cash: CashManager, order: TrackedOrder) -> None:
    """Make cash hold exactly what ``order`` still rests with (nothing once it is done).
    Holds are keyed by the exchange order id: only acknowledged orders rest."""
    if order.order_id is None:
        return
    held = next((h for h in cash.holds(order.ticker) if h.order_id == order.order_id), None)
    if order.is_resting:
        if held is not None and held.yes_price == order.yes_price:
            if held.remaining != order.remaining:
                cash.update_remaining(order.order_id, order.remaining)
            return
        if held is not None:  # amended to another price: hold it anew
            cash.release(order.order_id)
        cash.hold(order.order_id, order.ticker, order.side, order.yes_price, order.remaining)
    elif held is not None:
        cash.release(order.order_id)
