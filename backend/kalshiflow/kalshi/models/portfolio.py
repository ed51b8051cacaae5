"""Portfolio and account wire models: balance, positions, orders, fills, settlements, limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price
from kalshiflow.kalshi.models._wire import Fields

__all__ = [
    "AccountLimits",
    "Balance",
    "BucketLimit",
    "EventPosition",
    "Fill",
    "MarketPosition",
    "Order",
    "Settlement",
    "book_side_of",
]


def book_side_of(outcome_side: str, action: str) -> str:
    """Where a legacy (side, action) order sits in the single YES book.

    Buying YES and selling NO both bid for YES; buying NO and selling YES both offer YES.
    """
    buys_yes = (outcome_side == "yes") == (action == "buy")
    return "bid" if buys_yes else "ask"


@dataclass(frozen=True, slots=True)
class Balance:
    balance: Money
    portfolio_value: Money | None
    updated_ts: int | None

    @classmethod
    def from_wire(cls, data: Any) -> Balance:
        f = Fields("Balance", data)
        # ``balance`` (int cents) is truncated; ``balance_dollars`` carries the exact value.
        return cls(
            balance=f.money("balance_dollars", "balance"),
            portfolio_value=f.opt_money("portfolio_value_dollars", "portfolio_value"),
            updated_ts=f.opt_int("updated_ts"),
        )


@dataclass(frozen=True, slots=True)
class MarketPosition:
    ticker: str
    position: Count  # signed: + YES, - NO
    market_exposure: Money
    realized_pnl: Money
    fees_paid: Money
    total_traded: Money
    resting_orders_count: int | None
    last_updated_ts: datetime | None

    @classmethod
    def from_wire(cls, data: Any) -> MarketPosition:
        f = Fields("MarketPosition", data)
        return cls(
            ticker=f.str_("ticker"),
            position=f.count("position_fp", "position"),
            market_exposure=f.money_or_zero("market_exposure_dollars", "market_exposure"),
            realized_pnl=f.money_or_zero("realized_pnl_dollars", "realized_pnl"),
            fees_paid=f.money_or_zero("fees_paid_dollars", "fees_paid"),
            total_traded=f.money_or_zero("total_traded_dollars", "total_traded"),
            resting_orders_count=f.opt_int("resting_orders_count"),
            last_updated_ts=f.time("last_updated_ts"),
        )


@dataclass(frozen=True, slots=True)
class EventPosition:
    event_ticker: str
    event_exposure: Money
    total_cost: Money
    total_cost_shares: Count
    realized_pnl: Money
    fees_paid: Money

    @classmethod
    def from_wire(cls, data: Any) -> EventPosition:
        f = Fields("EventPosition", data)
        return cls(
            event_ticker=f.str_("event_ticker"),
            event_exposure=f.money_or_zero("event_exposure_dollars", "event_exposure"),
            total_cost=f.money_or_zero("total_cost_dollars", "total_cost"),
            total_cost_shares=f.count_or_zero("total_cost_shares_fp", "total_cost_shares"),
            realized_pnl=f.money_or_zero("realized_pnl_dollars", "realized_pnl"),
            fees_paid=f.money_or_zero("fees_paid_dollars", "fees_paid"),
        )


@dataclass(frozen=True, slots=True)
class Order:
    order_id: str
    client_order_id: str
    ticker: str
    status: str  # resting | canceled | executed
    book_side: str  # bid (buy YES) | ask (sell YES)
    side: str  # legacy outcome side: yes | no
    action: str  # legacy: buy | sell
    order_type: str
    yes_price: Price
    no_price: Price
    initial_count: Count
    fill_count: Count
    remaining_count: Count
    taker_fees: Money
    maker_fees: Money
    taker_fill_cost: Money
    maker_fill_cost: Money
    created_time: datetime | None
    last_update_time: datetime | None
    expiration_time: datetime | None
    self_trade_prevention_type: str
    order_group_id: str
    user_id: str

    @property
    def is_resting(self) -> bool:
        return self.status == "resting"

    @classmethod
    def from_wire(cls, data: Any) -> Order:
        f = Fields("Order", data)
        side = f.opt_str("side")
        action = f.opt_str("action")
        book_side = f.opt_str("book_side") or (
            book_side_of(side, action) if side and action else ""
        )
        if not book_side:
            raise f.error("book_side", "missing (and no legacy 'side'/'action')")
        if not side:  # a V2 order: YES book side only
            side, action = "yes", ("buy" if book_side == "bid" else "sell")
        yes_price = f.price("yes_price_dollars", "yes_price")
        no_price = f.opt_price("no_price_dollars", "no_price")
        fill = f.count_or_zero("fill_count_fp", "fill_count")
        remaining = f.count_or_zero("remaining_count_fp", "remaining_count")
        initial = f.opt_count("initial_count_fp", "initial_count")
        return cls(
            order_id=f.str_("order_id"),
            client_order_id=f.opt_str("client_order_id"),
            ticker=f.str_("ticker"),
            status=f.str_("status"),
            book_side=book_side,
            side=side,
            action=action,
            order_type=f.opt_str("type", "limit"),
            yes_price=yes_price,
            no_price=Price(ONE_DOLLAR - yes_price) if no_price is None else no_price,
            initial_count=Count(fill + remaining) if initial is None else initial,
            fill_count=fill,
            remaining_count=remaining,
            taker_fees=f.money_or_zero("taker_fees_dollars", "taker_fees"),
            maker_fees=f.money_or_zero("maker_fees_dollars", "maker_fees"),
            taker_fill_cost=f.money_or_zero("taker_fill_cost_dollars", "taker_fill_cost"),
            maker_fill_cost=f.money_or_zero("maker_fill_cost_dollars", "maker_fill_cost"),
            created_time=f.time("created_time"),
            last_update_time=f.time("last_update_time"),
            expiration_time=f.time("expiration_time"),
            self_trade_prevention_type=f.opt_str("self_trade_prevention_type"),
            order_group_id=f.opt_str("order_group_id"),
            user_id=f.opt_str("user_id"),
        )


@dataclass(frozen=True, slots=True)
class Fill:
    fill_id: str
    trade_id: str
    order_id: str
    client_order_id: str
    ticker: str
    book_side: str
    side: str
    action: str
    count: Count
    yes_price: Price
    no_price: Price
    is_taker: bool
    fee_cost: Money
    created_time: datetime | None

    @classmethod
    def from_wire(cls, data: Any) -> Fill:
        f = Fields("Fill", data)
        trade_id = f.opt_str("trade_id")
        fill_id = f.opt_str("fill_id") or trade_id
        if not fill_id:
            raise f.error("fill_id", "missing (and no 'trade_id')")
        ticker = f.opt_str("ticker") or f.opt_str("market_ticker")
        if not ticker:
            raise f.error("ticker", "missing (and no 'market_ticker')")
        side = f.opt_str("side") or f.opt_str("outcome_side")
        action = f.opt_str("action")
        book_side = f.opt_str("book_side") or (
            book_side_of(side, action) if side and action else ""
        )
        yes_price = f.price("yes_price_dollars", "yes_price")
        no_price = f.opt_price("no_price_dollars", "no_price")
        return cls(
            fill_id=fill_id,
            trade_id=trade_id or fill_id,
            order_id=f.str_("order_id"),
            client_order_id=f.opt_str("client_order_id"),
            ticker=ticker,
            book_side=book_side,
            side=side,
            action=action,
            count=f.count("count_fp", "count"),
            yes_price=yes_price,
            no_price=Price(ONE_DOLLAR - yes_price) if no_price is None else no_price,
            is_taker=f.bool_("is_taker"),
            fee_cost=f.money_or_zero("fee_cost"),
            created_time=f.time("created_time") or f.time("ts"),
        )


@dataclass(frozen=True, slots=True)
class Settlement:
    ticker: str
    event_ticker: str
    market_result: str  # yes | no | scalar | void
    yes_count: Count
    no_count: Count
    yes_total_cost: Money
    no_total_cost: Money
    revenue: Money
    value: Price | None  # payout per YES contract
    fee_cost: Money
    settled_time: datetime | None

    @classmethod
    def from_wire(cls, data: Any) -> Settlement:
        f = Fields("Settlement", data)
        return cls(
            ticker=f.str_("ticker"),
            event_ticker=f.opt_str("event_ticker"),
            market_result=f.str_("market_result"),
            yes_count=f.count_or_zero("yes_count_fp", "yes_count"),
            no_count=f.count_or_zero("no_count_fp", "no_count"),
            yes_total_cost=f.money_or_zero("yes_total_cost_dollars", "yes_total_cost"),
            no_total_cost=f.money_or_zero("no_total_cost_dollars", "no_total_cost"),
            revenue=f.money_or_zero("revenue_dollars", "revenue"),
            value=f.opt_price("value_dollars", "value"),
            fee_cost=f.money_or_zero("fee_cost"),
            settled_time=f.time("settled_time"),
        )


@dataclass(frozen=True, slots=True)
class BucketLimit:
    refill_rate: int  # tokens per second
    bucket_capacity: int

    @classmethod
    def from_wire(cls, data: Any, model: str = "BucketLimit") -> BucketLimit:
        f = Fields(model, data)
        return cls(refill_rate=f.int_("refill_rate"), bucket_capacity=f.int_("bucket_capacity"))


@dataclass(frozen=True, slots=True)
class AccountLimits:
    usage_tier: str
    read: BucketLimit
    write: BucketLimit

    @classmethod
    def from_wire(cls, data: Any) -> AccountLimits:
        f = Fields("AccountLimits", data)
        if f.data.get("read") is None:
            raise f.error("read", "missing")
        if f.data.get("write") is None:
            raise f.error("write", "missing")
        return cls(
            usage_tier=f.str_("usage_tier"),
            read=BucketLimit.from_wire(f.data["read"], "AccountLimits.read"),
            write=BucketLimit.from_wire(f.data["write"], "AccountLimits.write"),
        )
