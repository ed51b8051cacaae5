"""Trading events published on the `kalshiflow.events.EventBus`.

The API and the dashboard subscribe to these; the trading services never read them back.
Every event is immutable and carries plain values (exact integer units, no live objects),
so a subscriber can keep it as long as it likes. `TraderStateChanged` and
`KillSwitchChanged` are the domain's own events, re-exported here so that subscribers
import every trading event from one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kalshiflow.kalshi.fixedpoint import Count, Money, Price
from kalshiflow.trading.risk import KillSwitchChanged
from kalshiflow.trading.state_machine import TraderStateChanged
from kalshiflow.trading.types import BookSide


class OrderStatus(StrEnum):
    """An order's life: ``pending`` (decided, not yet acknowledged by the exchange) →
    ``resting`` → ``partially_filled`` → ``executed`` | ``canceled``; or ``rejected`` (by
    risk, by the exchange, or never found on the exchange after a crash)."""

    PENDING = "pending"
    RESTING = "resting"
    PARTIALLY_FILLED = "partially_filled"
    EXECUTED = "executed"
    CANCELED = "canceled"
    REJECTED = "rejected"

    @property
    def is_open(self) -> bool:
        """Still able to fill (or, for pending, maybe already on the exchange)."""
        return self in _OPEN


_OPEN = frozenset({OrderStatus.PENDING, OrderStatus.RESTING, OrderStatus.PARTIALLY_FILLED})


class OrderSource(StrEnum):
    ACTOR = "actor"
    MANUAL = "manual"
    RECONCILIATION = "reconciliation"  # found on the exchange, not placed by this process


@dataclass(frozen=True, slots=True)
class OrderUpdated:
    """An order changed (created, acknowledged, filled, amended, canceled, rejected)."""

    client_order_id: str
    order_id: str | None
    ticker: str
    side: BookSide
    yes_price: Price
    count: Count  # total ordered (after amendments)
    filled: Count
    remaining: Count
    status: OrderStatus
    source: OrderSource
    rejection_rule: str | None
    rejection_reason: str | None
    at_ms: int


@dataclass(frozen=True, slots=True)
class FillReceived:
    """One execution of one of our orders, booked once (de-duplicated by trade id).
    ``via`` says how it arrived: ``ws`` (private fill channel) or ``rest`` (backfill)."""

    trade_id: str
    order_id: str
    client_order_id: str
    ticker: str
    side: BookSide
    yes_price: Price
    count: Count
    fee: Money
    is_taker: bool
    position_after: Count
    realized_delta: Money
    via: str
    at_ms: int


@dataclass(frozen=True, slots=True)
class PositionValue:
    """One market of a portfolio view. ``average_cost`` is in the held outcome's own price
    (Price units, rounded down), ``None`` when flat; unrealized P&L is marked at the
    production mid and at the demo mid (``None`` when that book has no mid)."""

    ticker: str
    position: Count
    cost: Money
    average_cost: Price | None
    realized: Money
    fees_paid: Money
    unrealized_production: Money | None
    unrealized_demo: Money | None


@dataclass(frozen=True, slots=True)
class PortfolioChanged:
    """The account after a fill, a reconciliation or on the snapshot interval.

    ``balance`` is the exchange's notion (cash minus what resting orders hold), ``reserved``
    what resting orders hold including the fee buffer, ``available`` what a new order may
    use. ``value`` is balance + reserved principal + positions marked at the production mid
    (at cost where there is no mid)."""

    balance: Money
    cash: Money
    reserved: Money
    available: Money
    value: Money
    realized: Money
    unrealized_production: Money
    unrealized_demo: Money
    fees_paid: Money
    positions: tuple[PositionValue, ...]
    reason: str
    at_ms: int


@dataclass(frozen=True, slots=True)
class ReconciliationDiscrepancy:
    """Local state disagreed with the exchange; the exchange's value was adopted.
    ``kind``: order_adopted | order_closed | order_changed | order_missing | fill_backfilled
    | position | balance | settlement."""

    kind: str
    ticker: str | None
    key: str | None  # order id / trade id, when the discrepancy is about one
    local: str
    exchange: str
    detail: str
    at_ms: int


@dataclass(frozen=True, slots=True)
class RiskRejected:
    """An order was refused before it was sent (``rule`` names the risk rule or the gate)."""

    client_order_id: str
    ticker: str
    side: BookSide
    yes_price: Price
    count: Count
    source: OrderSource
    rule: str
    reason: str
    at_ms: int


__all__ = [
    "FillReceived",
    "KillSwitchChanged",
    "OrderSource",
    "OrderStatus",
    "OrderUpdated",
    "PortfolioChanged",
    "PositionValue",
    "ReconciliationDiscrepancy",
    "RiskRejected",
    "TraderStateChanged",
]
