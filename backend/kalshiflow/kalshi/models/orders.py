"""V2 order writes (``/portfolio/events/orders``): the request and its response bodies.

V2 quotes everything on the single YES book: ``bid`` buys YES, ``ask`` sells YES (which is
buying NO at ``1 - price``). ``OrderRequest.for_outcome`` converts the familiar
"buy NO at 0.40" into that form so callers do not repeat the arithmetic.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from kalshiflow.kalshi.errors import ErrorBody, parse_error_body
from kalshiflow.kalshi.fixedpoint import (
    ONE_DOLLAR,
    Count,
    Price,
    format_count,
    format_price,
)
from kalshiflow.kalshi.models._wire import Fields
from kalshiflow.kalshi.models.portfolio import Order

__all__ = [
    "AmendOrderResponse",
    "BatchCancelResult",
    "BatchCreateResult",
    "BookSide",
    "CancelOrderResponse",
    "CreateOrderResponse",
    "DecreaseOrderResponse",
    "OrderRequest",
    "SelfTradePrevention",
    "TimeInForce",
    "new_client_order_id",
]

BookSide = Literal["bid", "ask"]
TimeInForce = Literal["good_till_canceled", "immediate_or_cancel", "fill_or_kill"]
SelfTradePrevention = Literal["taker_at_cross", "maker"]


def new_client_order_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """One V2 limit order. ``client_order_id`` is always set: it is what makes a retried
    create idempotent (Kalshi rejects a reused id with 409 forever)."""

    ticker: str
    side: BookSide
    count: Count
    price: Price  # YES price
    time_in_force: TimeInForce = "good_till_canceled"
    self_trade_prevention_type: SelfTradePrevention = "taker_at_cross"
    client_order_id: str = field(default_factory=new_client_order_id)
    post_only: bool = False
    reduce_only: bool = False
    cancel_order_on_pause: bool = False
    expiration_time: int | None = None  # Unix seconds; GTC only
    order_group_id: str | None = None
    subaccount: int | None = None

    def __post_init__(self) -> None:
        if self.side not in ("bid", "ask"):
            raise ValueError(f"order side must be 'bid' or 'ask', got {self.side!r}")
        if self.count <= 0:
            raise ValueError(f"order count must be positive, got {format_count(self.count)}")
        if not 0 < self.price < ONE_DOLLAR:
            raise ValueError(
                "order price must be strictly between 0 and 1 dollar, "
                f"got {format_price(self.price)}"
            )
        if not self.client_order_id:
            raise ValueError("client_order_id must not be empty")

    @classmethod
    def for_outcome(
        cls,
        ticker: str,
        outcome_side: Literal["yes", "no"],
        action: Literal["buy", "sell"],
        count: Count,
        price: Price,
        **options: Any,
    ) -> OrderRequest:
        """Build from (outcome, action, price of that outcome): buy NO at q == ask YES at 1-q."""
        if outcome_side not in ("yes", "no") or action not in ("buy", "sell"):
            raise ValueError(f"expected yes|no and buy|sell, got {outcome_side!r}, {action!r}")
        buys_yes = (outcome_side == "yes") == (action == "buy")
        yes_price = price if outcome_side == "yes" else Price(ONE_DOLLAR - price)
        return cls(ticker, "bid" if buys_yes else "ask", count, yes_price, **options)

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ticker": self.ticker,
            "client_order_id": self.client_order_id,
            "side": self.side,
            "count": format_count(self.count),
            "price": format_price(self.price),
            "time_in_force": self.time_in_force,
            "self_trade_prevention_type": self.self_trade_prevention_type,
        }
        if self.post_only:
            body["post_only"] = True
        if self.reduce_only:
            body["reduce_only"] = True
        if self.cancel_order_on_pause:
            body["cancel_order_on_pause"] = True
        if self.expiration_time is not None:
            body["expiration_time"] = self.expiration_time
        if self.order_group_id is not None:
            body["order_group_id"] = self.order_group_id
        if self.subaccount is not None:
            body["subaccount"] = self.subaccount
        return body


@dataclass(frozen=True, slots=True)
class CreateOrderResponse:
    order_id: str
    client_order_id: str
    fill_count: Count
    remaining_count: Count
    average_fill_price: Price | None
    average_fee_paid: Price | None
    ts_ms: int | None
    # True when the client rebuilt this from GET /portfolio/orders after an ambiguous failure
    # or a 409 (the order was already on the exchange); averages are then unknown.
    recovered: bool = False

    @classmethod
    def from_order(cls, order: Order) -> CreateOrderResponse:
        return cls(
            order_id=order.order_id,
            client_order_id=order.client_order_id,
            fill_count=order.fill_count,
            remaining_count=order.remaining_count,
            average_fill_price=None,
            average_fee_paid=None,
            ts_ms=None,
            recovered=True,
        )

    @classmethod
    def from_wire(cls, data: Any) -> CreateOrderResponse:
        f = Fields("CreateOrderResponse", data)
        return cls(
            order_id=f.str_("order_id"),
            client_order_id=f.opt_str("client_order_id"),
            fill_count=f.count_or_zero("fill_count"),
            remaining_count=f.count("remaining_count"),
            average_fill_price=f.opt_price("average_fill_price"),
            average_fee_paid=f.opt_price("average_fee_paid"),
            ts_ms=f.opt_int("ts_ms"),
        )


@dataclass(frozen=True, slots=True)
class CancelOrderResponse:
    order_id: str
    client_order_id: str
    reduced_by: Count
    ts_ms: int | None

    @classmethod
    def from_wire(cls, data: Any) -> CancelOrderResponse:
        f = Fields("CancelOrderResponse", data)
        return cls(
            order_id=f.str_("order_id"),
            client_order_id=f.opt_str("client_order_id"),
            reduced_by=f.count_or_zero("reduced_by"),
            ts_ms=f.opt_int("ts_ms"),
        )


@dataclass(frozen=True, slots=True)
class AmendOrderResponse:
    order_id: str
    client_order_id: str
    remaining_count: Count | None
    fill_count: Count | None
    average_fill_price: Price | None
    average_fee_paid: Price | None
    ts_ms: int | None

    @classmethod
    def from_wire(cls, data: Any) -> AmendOrderResponse:
        f = Fields("AmendOrderResponse", data)
        return cls(
            order_id=f.str_("order_id"),
            client_order_id=f.opt_str("client_order_id"),
            remaining_count=f.opt_count("remaining_count"),
            fill_count=f.opt_count("fill_count"),
            average_fill_price=f.opt_price("average_fill_price"),
            average_fee_paid=f.opt_price("average_fee_paid"),
            ts_ms=f.opt_int("ts_ms"),
        )


@dataclass(frozen=True, slots=True)
class DecreaseOrderResponse:
    order_id: str
    client_order_id: str
    remaining_count: Count
    ts_ms: int | None

    @classmethod
    def from_wire(cls, data: Any) -> DecreaseOrderResponse:
        f = Fields("DecreaseOrderResponse", data)
        return cls(
            order_id=f.str_("order_id"),
            client_order_id=f.opt_str("client_order_id"),
            remaining_count=f.count("remaining_count"),
            ts_ms=f.opt_int("ts_ms"),
        )


def _item_error(f: Fields) -> ErrorBody | None:
    raw = f.data.get("error")
    if raw is None:
        return None
    return parse_error_body(400, {"error": raw} if not isinstance(raw, str) else raw)


@dataclass(frozen=True, slots=True)
class BatchCreateResult:
    """One item of a batch create: either an order (``error is None``) or a per-item error."""

    client_order_id: str
    order_id: str
    fill_count: Count
    remaining_count: Count
    ts_ms: int | None
    error: ErrorBody | None

    @classmethod
    def from_wire(cls, data: Any) -> BatchCreateResult:
        f = Fields("BatchCreateResult", data)
        return cls(
            client_order_id=f.opt_str("client_order_id"),
            order_id=f.opt_str("order_id"),
            fill_count=f.count_or_zero("fill_count"),
            remaining_count=f.count_or_zero("remaining_count"),
            ts_ms=f.opt_int("ts_ms"),
            error=_item_error(f),
        )


@dataclass(frozen=True, slots=True)
class BatchCancelResult:
    order_id: str
    client_order_id: str
    reduced_by: Count
    ts_ms: int | None
    error: ErrorBody | None

    @classmethod
    def from_wire(cls, data: Any) -> BatchCancelResult:
        f = Fields("BatchCancelResult", data)
        return cls(
            order_id=f.str_("order_id"),
            client_order_id=f.opt_str("client_order_id"),
            reduced_by=f.count_or_zero("reduced_by"),
            ts_ms=f.opt_int("ts_ms"),
            error=_item_error(f),
        )
