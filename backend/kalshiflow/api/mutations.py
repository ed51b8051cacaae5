"""Mutations: orders, the kill switch, risk limits and actor controls.

Bad input and refusals come back as ``userErrors`` naming the field (typed, for the form
next to it), never as a server error; an error in ``errors`` means the API itself failed.
Every order goes through the trading service's ``OrderManager`` (trader-state gate, risk
check, durable pending row, idempotent send), exactly like the actor's orders.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kalshiflow.api import actor_controls
from kalshiflow.api.actor_controls import ActorConfigInput
from kalshiflow.api.context import Context
from kalshiflow.api.decorators import mutation
from kalshiflow.api.order_input import build_intent, check_count, check_price
from kalshiflow.api.scalars import Money
from kalshiflow.api.services import Services
from kalshiflow.api.types.orders import (
    AmendOrderInput,
    Order,
    OrderPayload,
    PlaceOrderInput,
    UserError,
    UserErrorCode,
)
from kalshiflow.api.types.risk import RiskLimits
from kalshiflow.kalshi.errors import KalshiClientError
from kalshiflow.trading.events import OrderSource
from kalshiflow.trading.order_manager import RiskRefusedError
from kalshiflow.trading.order_tracker import UnknownOrderError


def _unavailable(what: str) -> UserError:
    return UserError(
        field=None,
        code=UserErrorCode.UNAVAILABLE,
        message=f"the {what} is not running (see `health`); try again once it is",
    )


def _unknown_order(key: str) -> OrderPayload:
    return OrderPayload(
        order=None,
        user_errors=[
            UserError(
                field="id",
                code=UserErrorCode.UNKNOWN_ORDER,
                message=f"no order {key!r}: give a client order id or an exchange order id",
            )
        ],
    )


@strawberry.type
class CancelAllPayload:
    canceled: int
    user_errors: list[UserError]


@strawberry.type
class KillSwitchPayload:
    engaged: bool
    reason: str | None
    canceled: int = strawberry.field(description="Orders canceled by engaging it.")
    user_errors: list[UserError]


@strawberry.type
class RiskLimitsPayload:
    limits: RiskLimits | None
    user_errors: list[UserError]


@strawberry.type
class ActorPayload:
    running: bool
    paused: bool
    user_errors: list[UserError]


@strawberry.input(description="Only the given limits change; all are checked together.")
class RiskLimitsInput:
    max_contracts_per_market: int | None = None
    max_total_exposure_dollars: Money | None = None
    max_open_orders: int | None = None
    max_orders_per_second: int | None = None
    max_daily_loss_dollars: Money | None = None
    min_cash_reserve_dollars: Money | None = None
    no_new_positions_before_close_minutes: int | None = None
    max_book_age_ms: int | None = None


def _limits_of(services: Services) -> RiskLimits | None:
    risk = services.risk()
    if risk is None:
        return None
    return RiskLimits.of(
        risk.limits, engaged=risk.engaged, reason=risk.kill_switch_reason, enforced=True
    )


_SNAKE_TO_CAMEL = {
    "max_contracts_per_market": "maxContractsPerMarket",
    "max_total_exposure_dollars": "maxTotalExposureDollars",
    "max_open_orders": "maxOpenOrders",
    "max_orders_per_second": "maxOrdersPerSecond",
    "max_daily_loss_dollars": "maxDailyLossDollars",
    "min_cash_reserve_dollars": "minCashReserveDollars",
    "no_new_positions_before_close_minutes": "noNewPositionsBeforeCloseMinutes",
    "max_book_age_ms": "maxBookAgeMs",
}


@strawberry.type
class Mutation:
    @mutation(
        description="Place a limit order on the trading environment. With the same "
        "`clientOrderId` again, the first order is returned and nothing is sent."
    )
    async def place_order(self, info: Info[Context, None], input: PlaceOrderInput) -> OrderPayload:
        services = info.context.services
        manager, tracker = services.order_manager(), services.order_tracker()
        if manager is None or tracker is None:
            return OrderPayload(order=None, user_errors=[_unavailable("trading service")])
        cid = input.client_order_id
        if cid is not None:
            existing = tracker.get(cid)
            if existing is not None:
                same = existing.ticker == input.ticker
                if not same:
                    return OrderPayload(
                        order=Order(tracked=existing),
                        user_errors=[
                            UserError(
                                field="clientOrderId",
                                code=UserErrorCode.DUPLICATE_CLIENT_ORDER_ID,
                                message=f"clientOrderId {cid!r} is already used by an order "
                                f"on {existing.ticker}; use a new id for a new order",
                            )
                        ],
                    )
                return OrderPayload(order=Order(tracked=existing), user_errors=[])
        pair = services.require_clients()
        intent, errors = await build_intent(
            pair.trading,
            pair.data,
            ticker=input.ticker,
            outcome=input.outcome,
            action=input.action,
            price=input.price,
            count=input.count,
            reduce_only=input.reduce_only,
        )
        if intent is None:
            return OrderPayload(order=None, user_errors=errors)
        result = await manager.place(intent, OrderSource.MANUAL, client_order_id=cid)
        order = Order(tracked=result.order)
        if result.rejection is not None:
            return OrderPayload(
                order=order,
                user_errors=[
                    UserError(
                        field=None,
                        code=UserErrorCode.RISK_REJECTED,
                        message=result.rejection.reason,
                        rule=result.rejection.rule,
                    )
                ],
            )
        if result.error is not None:
            pending = result.order.status.value == "pending"
            return OrderPayload(
                order=order,
                user_errors=[
                    UserError(
                        field=None,
                        code=(
                            UserErrorCode.EXCHANGE_UNREACHABLE
                            if pending
                            else UserErrorCode.EXCHANGE_REJECTED
                        ),
                        message=result.error,
                        rule=result.order.rejection_rule,
                    )
                ],
            )
        return OrderPayload(order=order, user_errors=[])

    @mutation(description="Cancel the rest of an order (client order id or exchange order id).")
    async def cancel_order(self, info: Info[Context, None], id: str) -> OrderPayload:
        services = info.context.services
        manager = services.order_manager()
        if manager is None:
            return OrderPayload(order=None, user_errors=[_unavailable("trading service")])
        try:
            return OrderPayload(order=Order(tracked=await manager.cancel(id)), user_errors=[])
        except UnknownOrderError:
            return _unknown_order(id)
        except KalshiClientError as err:
            return OrderPayload(
                order=None,
                user_errors=[
                    UserError(field="id", code=UserErrorCode.EXCHANGE_REJECTED, message=str(err))
                ],
            )

    @mutation(description="Cancel every resting order (of one market when `ticker` is given).")
    async def cancel_all_orders(
        self, info: Info[Context, None], ticker: str | None = None
    ) -> CancelAllPayload:
        manager = info.context.services.order_manager()
        if manager is None:
            return CancelAllPayload(canceled=0, user_errors=[_unavailable("trading service")])
        return CancelAllPayload(canceled=await manager.cancel_all(ticker), user_errors=[])

    @mutation(description="Change a resting order's YES price and/or total count.")
    async def amend_order(self, info: Info[Context, None], input: AmendOrderInput) -> OrderPayload:
        manager = info.context.services.order_manager()
        if manager is None:
            return OrderPayload(order=None, user_errors=[_unavailable("trading service")])
        price, errors = check_price(input.price)
        count, count_errors = check_count(input.count)
        errors += count_errors
        if price is None or count is None:
            return OrderPayload(order=None, user_errors=errors)
        try:
            amended = await manager.amend(input.id, yes_price=price, count=count)
        except UnknownOrderError:
            return _unknown_order(input.id)
        except RiskRefusedError as err:
            rejection = err.rejection
            refused = UserError(
                field="count", code=UserErrorCode.RISK_REJECTED, message=rejection.reason,
                rule=rejection.rule,
            )  # fmt: skip
            return OrderPayload(order=None, user_errors=[refused])
        except ValueError as err:
            return OrderPayload(
                order=None,
                user_errors=[
                    UserError(field="id", code=UserErrorCode.NOT_CHANGEABLE, message=str(err))
                ],
            )
        except KalshiClientError as err:
            return OrderPayload(
                order=None,
                user_errors=[
                    UserError(field=None, code=UserErrorCode.EXCHANGE_REJECTED, message=str(err))
                ],
            )
        return OrderPayload(order=Order(tracked=amended), user_errors=[])

    @mutation(description="Refuse every new order and cancel every resting one.")
    async def engage_kill_switch(self, info: Info[Context, None], reason: str) -> KillSwitchPayload:
        services = info.context.services
        manager, risk = services.order_manager(), services.risk()
        if manager is None or risk is None:
            return KillSwitchPayload(
                engaged=False,
                reason=None,
                canceled=0,
                user_errors=[_unavailable("trading service")],
            )
        canceled = await manager.engage_kill_switch(reason or "engaged from the API")
        return KillSwitchPayload(
            engaged=risk.engaged, reason=risk.kill_switch_reason, canceled=canceled, user_errors=[]
        )

    @mutation(description="Accept orders again.")
    def release_kill_switch(self, info: Info[Context, None], reason: str) -> KillSwitchPayload:
        services = info.context.services
        manager, risk = services.order_manager(), services.risk()
        if manager is None or risk is None:
            return KillSwitchPayload(
                engaged=False,
                reason=None,
                canceled=0,
                user_errors=[_unavailable("trading service")],
            )
        manager.release_kill_switch(reason or "released from the API")
        return KillSwitchPayload(
            engaged=risk.engaged, reason=risk.kill_switch_reason or None, canceled=0, user_errors=[]
        )

    @mutation(description="Change risk limits at runtime (not persisted across restarts).")
    def update_risk_limits(
        self,
        info: Info[Context, None],
        input: RiskLimitsInput,
    ) -> RiskLimitsPayload:
        services = info.context.services
        risk = services.risk()
        if risk is None:
            return RiskLimitsPayload(limits=None, user_errors=[_unavailable("trading service")])
        try:
            risk.update_limits(
                max_contracts_per_market=input.max_contracts_per_market,
                max_total_exposure_dollars=input.max_total_exposure_dollars,
                max_open_orders=input.max_open_orders,
                max_orders_per_second=input.max_orders_per_second,
                max_daily_loss_dollars=input.max_daily_loss_dollars,
                min_cash_reserve_dollars=input.min_cash_reserve_dollars,
                no_new_positions_before_close_minutes=input.no_new_positions_before_close_minutes,
                max_book_age_ms=input.max_book_age_ms,
            )
        except ValueError as err:
            message = str(err)
            fields = [camel for snake, camel in _SNAKE_TO_CAMEL.items() if snake in message]
            return RiskLimitsPayload(
                limits=_limits_of(services),
                user_errors=[
                    UserError(
                        field=fields[0] if len(fields) == 1 else None,
                        code=UserErrorCode.INVALID_LIMITS,
                        message=message,
                    )
                ],
            )
        return RiskLimitsPayload(limits=_limits_of(services), user_errors=[])

    @mutation(description="Stop the actor from trading (it keeps watching).")
    def pause_actor(
        self, info: Info[Context, None], reason: str = "paused from the API"
    ) -> ActorPayload:
        actor = info.context.services.actor()
        if actor is None:
            return ActorPayload(running=False, paused=False, user_errors=[_unavailable("actor")])
        actor.pause(reason)
        return ActorPayload(running=actor.running, paused=actor.paused, user_errors=[])

    @mutation(
        description="Start the actor if it is not running (also when RL_ACTOR_ENABLED=false); "
        "it loads the configured selector or model."
    )
    async def start_actor(self, info: Info[Context, None]) -> ActorPayload:
        services = info.context.services
        component = services.actor_component()
        if component is None:
            return ActorPayload(running=False, paused=False, user_errors=[_unavailable("trader")])
        try:
            await component.start_now()
        except Exception as err:  # e.g. a model that does not fit: say why, keep serving
            message = f"the actor could not start: {type(err).__name__}: {err}"
            error = UserError(field=None, code=UserErrorCode.UNAVAILABLE, message=message)
            return ActorPayload(running=False, paused=False, user_errors=[error])
        actor = services.actor()
        running, paused = (actor.running, actor.paused) if actor else (False, False)
        return ActorPayload(running=running, paused=paused, user_errors=[])

    @mutation(
        description="Change the running actor: selector or trained model, throttle, order "
        "size, target markets. Only the given fields change; nothing changes on an error."
    )
    async def configure_actor(
        self, info: Info[Context, None], input: ActorConfigInput
    ) -> ActorPayload:
        services = info.context.services
        errors = await actor_controls.apply(services, input)
        actor = services.actor()
        running, paused = (actor.running, actor.paused) if actor else (False, False)
        return ActorPayload(running=running, paused=paused, user_errors=errors)

    @mutation(description="Let the actor trade again.")
    def resume_actor(
        self, info: Info[Context, None], reason: str = "resumed from the API"
    ) -> ActorPayload:
        actor = info.context.services.actor()
        if actor is None:
            return ActorPayload(running=False, paused=False, user_errors=[_unavailable("actor")])
        actor.resume(reason)
        return ActorPayload(running=actor.running, paused=actor.paused, user_errors=[])
