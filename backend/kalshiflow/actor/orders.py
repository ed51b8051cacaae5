"""Where the actor's orders go: the `OrderSink` protocol, and a minimal sink for running the
actor before (or without) the trading core's OrderManager.

The actor only needs ``await sink.place(intent, source)``; the OrderManager of
kalshiflow.trading runs the pre-trade risk checks, places the order and tracks it. Whatever
it returns is summarised by `describe_outcome` into an `OrderOutcome` for the action log
(duck-typed on the usual attribute names, so the actor does not depend on its exact type).

`DirectOrderSink` is the stand-in: `RiskManager.check` then `KalshiTradingClient.place_order`,
booking the immediate (taker) part of a fill and holding the resting rest in the CashManager.
It does not follow later fills of resting orders (the OrderManager's FillProcessor does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from kalshiflow.actor.portfolio import TrackerPortfolio
from kalshiflow.kalshi.errors import KalshiClientError
from kalshiflow.kalshi.fixedpoint import Money, format_count
from kalshiflow.kalshi.models import OrderRequest
from kalshiflow.kalshi.trading_client import KalshiTradingClient
from kalshiflow.trading.risk import MarketConditions, RiskManager

OutcomeStatus = Literal["hold", "no_order", "placed", "filled", "rejected", "error"]


class OrderSink(Protocol):
    """``trading.order_manager.OrderManager`` is one (``source``: ``OrderSource.ACTOR``)."""

    async def place(self, intent: Any, source: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class OrderOutcome:
    """What became of an actor's order: ``status`` placed (resting, maybe partly filled),
    filled (completely), rejected (risk or exchange refused it) or error."""

    status: OutcomeStatus
    detail: str = ""
    client_order_id: str | None = None
    order_id: str | None = None
    filled: int = 0  # Count units
    rule: str | None = None


def describe_outcome(outcome: Any) -> OrderOutcome:
    """Normalise whatever a sink returned into an OrderOutcome."""
    if isinstance(outcome, OrderOutcome):
        return outcome
    # trading.order_manager.PlaceResult: the tracked order, and why it was refused if it was
    order = getattr(outcome, "order", None)
    cid = getattr(order, "client_order_id", None) or getattr(outcome, "client_order_id", None)
    oid = getattr(order, "order_id", None) or getattr(outcome, "order_id", None)
    rejection = getattr(outcome, "rejection", None)
    if rejection is not None:
        return OrderOutcome(
            "rejected",
            str(getattr(rejection, "reason", rejection)),
            cid,
            oid,
            rule=getattr(rejection, "rule", None),
        )
    error = getattr(outcome, "error", None)
    if error:
        return OrderOutcome("error", str(error), cid, oid)
    if order is not None:
        state = str(getattr(order, "status", "placed"))
        filled = int(getattr(order, "filled", 0) or 0)
        remaining = int(getattr(order, "remaining", 0) or 0)
        # Counts are in Count units (1/100 contract); the log is read by people.
        detail = f"{state}: filled {format_count(filled)}, resting {format_count(remaining)}"
        kind: OutcomeStatus = "filled" if state == "executed" else "placed"
        if state == "rejected":
            kind = "rejected"
        return OrderOutcome(kind, detail, cid, oid, filled)
    raw_status = str(getattr(outcome, "status", "placed")).lower()
    status: OutcomeStatus
    if "reject" in raw_status or "refus" in raw_status:
        status = "rejected"
    elif "error" in raw_status or "fail" in raw_status:
        status = "error"
    elif "fill" in raw_status or "executed" in raw_status:
        status = "filled"
    else:
        status = "placed"
    filled = getattr(outcome, "fill_count", None) or getattr(outcome, "filled", 0) or 0
    return OrderOutcome(
        status,
        str(getattr(outcome, "reason", "") or getattr(outcome, "detail", "") or ""),
        getattr(outcome, "client_order_id", None),
        getattr(outcome, "order_id", None),
        int(filled),
        getattr(outcome, "rule", None),
    )


class DirectOrderSink:
    """Risk check + place on the trading client (see module docstring)."""

    def __init__(
        self,
        client: KalshiTradingClient,
        risk: RiskManager,
        portfolio: TrackerPortfolio,
        conditions: Callable[[str], MarketConditions],
    ) -> None:
        self.client = client
        self.risk = risk
        self.portfolio = portfolio
        self.conditions = conditions
        self.placed = 0
        self.rejected = 0

    async def place(self, intent: Any, source: str) -> OrderOutcome:
        rejection = self.risk.check(intent, self.conditions(intent.ticker))
        if rejection is not None:
            self.rejected += 1
            return OrderOutcome("rejected", rejection.reason, rule=rejection.rule)
        request = OrderRequest(
            ticker=intent.ticker,
            side=intent.side,
            count=intent.count,
            price=intent.yes_price,
            reduce_only=intent.reduce_only,
        )
        try:
            response = await self.client.place_order(request)
        except KalshiClientError as err:
            self.rejected += 1
            return OrderOutcome("error", str(err), request.client_order_id)
        self.placed += 1
        positions, cash = self.portfolio.positions, self.portfolio.cash
        if response.fill_count > 0:
            price = response.average_fill_price or intent.yes_price
            fee_per = response.average_fee_paid or 0
            effect = positions.apply_fill(
                intent.ticker, intent.side, price, response.fill_count,
                Money(fee_per * response.fill_count),
            )  # fmt: skip
            cash.apply_fill(effect)
        if response.remaining_count > 0:
            cash.hold(
                response.order_id, intent.ticker, intent.side, intent.yes_price,
                response.remaining_count,
            )  # fmt: skip
            self.portfolio.note_placed(response.order_id)
        done = response.remaining_count == 0
        return OrderOutcome(
            "filled" if done else "placed",
            f"{source}: filled {response.fill_count}, resting {response.remaining_count}",
            response.client_order_id or request.client_order_id,
            response.order_id,
            response.fill_count,
        )


__all__ = ["DirectOrderSink", "OrderOutcome", "OrderSink", "OutcomeStatus", "describe_outcome"]
