"""The actor (background trader) and its decision log."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from kalshiflow.actor.events import ActorActionTaken
from kalshiflow.api.scalars import Contracts, Dollars, contracts, dollars
from kalshiflow.persistence.tables import ActorAction as ActorActionRow


@strawberry.type
class ActorStatus:
    running: bool
    paused: bool
    selector: str
    model_version: str
    updates: int
    steps: int
    orders: int
    rejected: int
    errors: int
    open_breakers: list[str] = strawberry.field(
        description="Markets whose circuit breaker is open (the actor skips them)."
    )
    throttle_ms: int = strawberry.field(description="Minimum ms between steps on one market.")
    contract_size: Contracts = strawberry.field(description="Contracts per actor order.")
    target_market_mode: str = strawberry.field(description="hot | config | all")
    target_markets: list[str] = strawberry.field(
        description="The markets the actor trades now (its current selection)."
    )


@strawberry.type(description="One actor step: what it saw, decided and what became of it.")
class ActorActionEntry:
    id: int | None = strawberry.field(description="Row id in the log; null on live events.")
    acted_at: datetime
    ticker: str
    book_seq: int | None
    action: int = strawberry.field(description="0 HOLD, 1 BUY_YES, 2 SELL_YES, 3 BUY_NO, 4 SELL_NO")
    selector: str
    model_version: str
    decision_latency_us: int
    step_latency_us: int
    client_order_id: str | None
    order_id: str | None
    order_side: str | None
    order_yes_price: Dollars | None
    order_count: Contracts | None
    outcome: str = strawberry.field(
        description="hold | no_order | placed | filled | rejected | error"
    )
    outcome_detail: str

    @classmethod
    def of_row(cls, r: ActorActionRow) -> ActorActionEntry:
        return cls(
            id=r.id,
            acted_at=r.acted_at,
            ticker=r.market_ticker,
            book_seq=r.book_seq,
            action=r.action,
            selector=r.selector,
            model_version=r.model_version,
            decision_latency_us=r.decision_latency_us,
            step_latency_us=r.step_latency_us,
            client_order_id=r.order_client_id,
            order_id=r.order_id,
            order_side=r.order_side,
            order_yes_price=None if r.order_yes_price is None else dollars(r.order_yes_price),
            order_count=None if r.order_count is None else contracts(r.order_count),
            outcome=r.outcome,
            outcome_detail=r.outcome_detail,
        )

    @classmethod
    def of_event(cls, e: ActorActionTaken) -> ActorActionEntry:
        return cls(
            id=None,
            acted_at=datetime.fromtimestamp(e.acted_ns / 1e9, UTC),
            ticker=e.ticker,
            book_seq=e.book_seq,
            action=e.action,
            selector=e.selector,
            model_version=e.model_version,
            decision_latency_us=e.decision_latency_us,
            step_latency_us=e.step_latency_us,
            client_order_id=e.client_order_id,
            order_id=e.order_id,
            order_side=e.order_side,
            order_yes_price=None if e.order_yes_price is None else dollars(e.order_yes_price),
            order_count=None if e.order_count is None else contracts(e.order_count),
            outcome=e.outcome,
            outcome_detail=e.detail,
        )
