"""Trading events as the API streams them: order updates, fills, portfolio snapshots."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from kalshiflow.api.scalars import Contracts, Dollars, Money, contracts, dollars, money
from kalshiflow.persistence.tables import Fill as FillRow
from kalshiflow.persistence.tables import PortfolioSnapshot
from kalshiflow.trading import events as ev


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _opt_money(value: int | None) -> Money | None:
    return None if value is None else money(value)


@strawberry.type(description="An order changed: created, acknowledged, filled, canceled, ...")
class OrderUpdate:
    client_order_id: str
    order_id: str | None
    ticker: str
    side: str = strawberry.field(description="bid = buy YES, ask = sell YES (buy NO).")
    yes_price: Dollars
    count: Contracts
    filled: Contracts
    remaining: Contracts
    status: str = strawberry.field(
        description="pending | resting | partially_filled | executed | canceled | rejected"
    )
    source: str = strawberry.field(description="actor | manual | reconciliation")
    rejection_rule: str | None
    rejection_reason: str | None
    at: datetime

    @classmethod
    def of(cls, e: ev.OrderUpdated) -> OrderUpdate:
        return cls(
            client_order_id=e.client_order_id,
            order_id=e.order_id,
            ticker=e.ticker,
            side=e.side,
            yes_price=dollars(e.yes_price),
            count=contracts(e.count),
            filled=contracts(e.filled),
            remaining=contracts(e.remaining),
            status=e.status.value,
            source=e.source.value,
            rejection_rule=e.rejection_rule,
            rejection_reason=e.rejection_reason,
            at=_at(e.at_ms),
        )


@strawberry.type(description="One execution of one of our orders.")
class Fill:
    trade_id: str
    order_id: str
    client_order_id: str
    ticker: str
    side: str = strawberry.field(description="bid = bought YES, ask = sold YES (bought NO).")
    yes_price: Dollars
    count: Contracts
    fee: Money
    is_taker: bool
    position_after: Contracts | None = strawberry.field(
        description="The position right after this fill (live events only)."
    )
    realized_delta: Money | None = strawberry.field(
        description="Realized P&L of this fill (live events only)."
    )
    via: str = strawberry.field(description="ws (live fill channel) | rest (backfill)")
    at: datetime

    @classmethod
    def of(cls, e: ev.FillReceived) -> Fill:
        return cls(
            trade_id=e.trade_id,
            order_id=e.order_id,
            client_order_id=e.client_order_id,
            ticker=e.ticker,
            side=e.side,
            yes_price=dollars(e.yes_price),
            count=contracts(e.count),
            fee=money(e.fee),
            is_taker=e.is_taker,
            position_after=contracts(e.position_after),
            realized_delta=money(e.realized_delta),
            via=e.via,
            at=_at(e.at_ms),
        )

    @classmethod
    def of_row(cls, row: FillRow) -> Fill:
        return cls(
            trade_id=row.trade_id,
            order_id=row.order_id,
            client_order_id=row.client_order_id,
            ticker=row.ticker,
            side=row.side,
            yes_price=dollars(row.yes_price),
            count=contracts(row.count),
            fee=money(row.fee),
            is_taker=row.is_taker,
            position_after=None,
            realized_delta=None,
            via=row.via,
            at=row.executed_at,
        )


@strawberry.type
class PositionValue:
    ticker: str
    position: Contracts
    cost: Money
    average_cost: Dollars | None
    realized: Money
    fees_paid: Money
    unrealized_production: Money | None
    unrealized_demo: Money | None

    @classmethod
    def of(cls, p: ev.PositionValue) -> PositionValue:
        return cls(
            ticker=p.ticker,
            position=contracts(p.position),
            cost=money(p.cost),
            average_cost=None if p.average_cost is None else dollars(p.average_cost),
            realized=money(p.realized),
            fees_paid=money(p.fees_paid),
            unrealized_production=_opt_money(p.unrealized_production),
            unrealized_demo=_opt_money(p.unrealized_demo),
        )


@strawberry.type(description="The account: cash, holds, value and P&L, per position too.")
class Portfolio:
    balance: Money
    cash: Money
    reserved: Money
    available: Money
    value: Money
    realized: Money
    unrealized_production: Money
    unrealized_demo: Money
    fees_paid: Money
    positions: list[PositionValue]
    reason: str
    at: datetime

    @classmethod
    def of(cls, e: ev.PortfolioChanged) -> Portfolio:
        return cls(
            balance=money(e.balance),
            cash=money(e.cash),
            reserved=money(e.reserved),
            available=money(e.available),
            value=money(e.value),
            realized=money(e.realized),
            unrealized_production=money(e.unrealized_production),
            unrealized_demo=money(e.unrealized_demo),
            fees_paid=money(e.fees_paid),
            positions=[PositionValue.of(p) for p in e.positions],
            reason=e.reason,
            at=_at(e.at_ms),
        )


@strawberry.type(description="The account's totals at one moment (history).")
class PortfolioPoint:
    at: datetime
    balance: Money
    cash: Money
    reserved: Money
    available: Money
    value: Money
    realized: Money
    unrealized_production: Money
    unrealized_demo: Money
    fees_paid: Money
    reason: str

    @classmethod
    def of_row(cls, r: PortfolioSnapshot) -> PortfolioPoint:
        return cls(
            at=r.taken_at,
            balance=money(r.balance),
            cash=money(r.cash),
            reserved=money(r.reserved),
            available=money(r.available),
            value=money(r.value),
            realized=money(r.realized),
            unrealized_production=money(r.unrealized_production),
            unrealized_demo=money(r.unrealized_demo),
            fees_paid=money(r.fees_paid),
            reason=r.reason,
        )
