"""Our orders, with their fills (DataLoader) and their realism gap (the two ledgers)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from fractions import Fraction

import strawberry
from strawberry.types import Info

from kalshiflow.api.context import Context
from kalshiflow.api.decorators import field
from kalshiflow.api.scalars import Contracts, Dollars, Money, contracts, dollars, money
from kalshiflow.api.types.trading import Fill
from kalshiflow.trading.ledger import OrderRecord
from kalshiflow.trading.order_tracker import TrackedOrder


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _money_rounded(value: Fraction) -> Money:
    """A Money fraction rounded to the micro-dollar (averages over fills can fall between)."""
    return money(round(value))


@strawberry.type(description="Demo fill vs the production book at decision time.")
class RealismGap:
    production_bid: Dollars | None
    production_ask: Dollars | None
    shadow_count: Contracts = strawberry.field(
        description="What would have filled on production at decision time."
    )
    actual_count: Contracts
    gap: Money | None = strawberry.field(
        description="(actual avg - shadow avg) x actual filled, rounded to $0.000001; null "
        "unless both filled."
    )
    adverse_gap: Money | None = strawberry.field(
        description="`gap` signed so that positive means demo filled worse for us."
    )

    @classmethod
    def of(cls, r: OrderRecord) -> RealismGap:
        gap, adverse = r.realism_gap, r.adverse_gap
        return cls(
            production_bid=None if r.production_bid is None else dollars(r.production_bid),
            production_ask=None if r.production_ask is None else dollars(r.production_ask),
            shadow_count=contracts(r.shadow.count),
            actual_count=contracts(r.actual_count),
            gap=None if gap is None else _money_rounded(gap),
            adverse_gap=None if adverse is None else _money_rounded(adverse),
        )


@strawberry.type(description="One of our orders on the trading environment.")
class Order:
    tracked: strawberry.Private[TrackedOrder]

    @strawberry.field
    def client_order_id(self) -> str:
        return self.tracked.client_order_id

    @strawberry.field
    def order_id(self) -> str | None:
        return self.tracked.order_id

    @strawberry.field
    def ticker(self) -> str:
        return self.tracked.ticker

    @field(description="bid = buy YES, ask = sell YES (buy NO).")
    def side(self) -> str:
        return self.tracked.side

    @strawberry.field
    def yes_price(self) -> Dollars:
        return dollars(self.tracked.yes_price)

    @strawberry.field
    def count(self) -> Contracts:
        return contracts(self.tracked.count)

    @strawberry.field
    def filled(self) -> Contracts:
        return contracts(self.tracked.filled)

    @strawberry.field
    def remaining(self) -> Contracts:
        return contracts(self.tracked.remaining)

    @field(description="pending | resting | partially_filled | executed | canceled | rejected")
    def status(self) -> str:
        return self.tracked.status.value

    @field(description="actor | manual | reconciliation")
    def source(self) -> str:
        return self.tracked.source.value

    @strawberry.field
    def rejection_rule(self) -> str | None:
        return self.tracked.rejection_rule

    @strawberry.field
    def rejection_reason(self) -> str | None:
        return self.tracked.rejection_reason

    @strawberry.field
    def created_at(self) -> datetime:
        return _at(self.tracked.created_ms)

    @strawberry.field
    def updated_at(self) -> datetime:
        return _at(self.tracked.updated_ms)

    @field(description="Fills of this order, oldest first (batched: one query per request).")
    async def fills(self, info: Info[Context, None]) -> list[Fill]:
        return await info.context.loaders.fills_by_order.load(self.tracked.client_order_id)

    @field(description="Null when the order was not compared (no production book then).")
    def realism_gap(self, info: Info[Context, None]) -> RealismGap | None:
        ledgers = info.context.services.ledgers()
        record = None if ledgers is None else ledgers.get(self.tracked.client_order_id)
        return None if record is None else RealismGap.of(record)


@strawberry.enum(description="Which contract: YES or NO.")
class Outcome(StrEnum):
    YES = "yes"
    NO = "no"


@strawberry.enum
class OrderAction(StrEnum):
    BUY = "buy"
    SELL = "sell"


@strawberry.enum(description="What a user error is about, for programs; `message` for people.")
class UserErrorCode(StrEnum):
    INVALID_PRICE = "invalid_price"
    PRICE_OFF_GRID = "price_off_grid"
    INVALID_COUNT = "invalid_count"
    UNKNOWN_MARKET = "unknown_market"
    MARKET_CLOSED = "market_closed"
    NOT_ON_TRADING_ENVIRONMENT = "not_on_trading_environment"
    RISK_REJECTED = "risk_rejected"
    EXCHANGE_REJECTED = "exchange_rejected"
    EXCHANGE_UNREACHABLE = "exchange_unreachable"
    UNKNOWN_ORDER = "unknown_order"
    NOT_CHANGEABLE = "not_changeable"
    INVALID_LIMITS = "invalid_limits"
    DUPLICATE_CLIENT_ORDER_ID = "duplicate_client_order_id"
    INVALID_ACTOR_CONFIG = "invalid_actor_config"
    UNAVAILABLE = "unavailable"


@strawberry.type(description="Bad input or a refused request, naming the field it is about.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field (camelCase), e.g. price; null when not about one."
    )
    code: UserErrorCode
    message: str
    rule: str | None = strawberry.field(
        default=None, description="The risk rule that refused (RISK_REJECTED)."
    )


@strawberry.input
class PlaceOrderInput:
    ticker: str
    outcome: Outcome
    action: OrderAction
    price: Dollars = strawberry.field(
        description="Limit price in the chosen outcome's terms (a NO price for NO)."
    )
    count: Contracts
    client_order_id: str | None = strawberry.field(
        default=None,
        description="Your id for this order: placing again with the same id returns the "
        "first order instead of placing a second one (idempotency).",
    )
    reduce_only: bool = False


@strawberry.input
class AmendOrderInput:
    id: str = strawberry.field(description="Client order id or exchange order id.")
    price: Dollars = strawberry.field(description="New limit price in YES terms.")
    count: Contracts = strawberry.field(description="New total count (filled + resting).")


@strawberry.type
class OrderPayload:
    order: Order | None
    user_errors: list[UserError]
