"""Query resolvers over the trading service and the actor (attached to ``Query``)."""

from __future__ import annotations

from sqlalchemy import select
from strawberry.types import Info

from kalshiflow.actor.action_log import ActorActionRepository
from kalshiflow.api.context import Context
from kalshiflow.api.scalars import contracts
from kalshiflow.api.types.actor import ActorActionEntry, ActorStatus
from kalshiflow.api.types.orders import Order
from kalshiflow.api.types.trading import Fill, Portfolio, PortfolioPoint
from kalshiflow.persistence.tables import Fill as FillRow
from kalshiflow.persistence.tables import PortfolioSnapshot

MAX_ROWS = 1000


def _check_limit(name: str, value: int) -> None:
    if not 1 <= value <= MAX_ROWS:
        raise ValueError(f"{name} must be between 1 and {MAX_ROWS}, got {value}")


def resolve_orders(
    info: Info[Context, None],
    status: str | None = None,
    ticker: str | None = None,
    open_only: bool = False,
    first: int = 100,
) -> list[Order]:
    """Newest first, from the trading service's records (restored from the database at
    start, so they include earlier runs' open orders)."""
    _check_limit("first", first)
    tracker = info.context.services.order_tracker()
    if tracker is None:  # trading not running: no orders to show (`system` says why)
        return []
    chosen = [
        o
        for o in tracker
        if (status is None or o.status.value == status)
        and (ticker is None or o.ticker == ticker)
        and (not open_only or o.is_open)
    ]
    chosen.sort(key=lambda o: (o.created_ms, o.client_order_id), reverse=True)
    return [Order(tracked=o) for o in chosen[:first]]


def resolve_order(info: Info[Context, None], id: str) -> Order | None:
    tracker = info.context.services.order_tracker()
    found = None if tracker is None else tracker.get(id)
    return None if found is None else Order(tracked=found)


async def resolve_fills(
    info: Info[Context, None], ticker: str | None = None, first: int = 100
) -> list[Fill]:
    """Our fills, newest first, from the database."""
    _check_limit("first", first)
    db = info.context.services.require_database()
    query = select(FillRow).order_by(FillRow.executed_at.desc(), FillRow.id.desc()).limit(first)
    if ticker is not None:
        query = query.where(FillRow.ticker == ticker)
    async with db.session() as s:
        return [Fill.of_row(r) for r in await s.scalars(query)]


def resolve_portfolio(info: Info[Context, None]) -> Portfolio | None:
    """The account now; null while the trading service is not running."""
    portfolio = info.context.services.portfolio()
    return None if portfolio is None else Portfolio.of(portfolio.view("query"))


async def resolve_portfolio_history(
    info: Info[Context, None], first: int = 200
) -> list[PortfolioPoint]:
    """Portfolio snapshots, newest first."""
    _check_limit("first", first)
    db = info.context.services.require_database()
    query = select(PortfolioSnapshot).order_by(PortfolioSnapshot.taken_at.desc()).limit(first)
    async with db.session() as s:
        return [PortfolioPoint.of_row(r) for r in await s.scalars(query)]


def resolve_actor(info: Info[Context, None]) -> ActorStatus | None:
    """The actor's state; null when it is not running (RL_ACTOR_ENABLED=false)."""
    actor = info.context.services.actor()
    if actor is None:
        return None
    stats = actor.stats
    return ActorStatus(
        running=actor.running,
        paused=actor.paused,
        selector=actor.selector.name,
        model_version=actor.selector.version,
        updates=stats.updates,
        steps=stats.steps,
        orders=stats.orders,
        rejected=stats.rejected,
        errors=stats.errors,
        open_breakers=list(actor.open_breakers()),
        throttle_ms=round(actor.throttle_s * 1000),
        contract_size=contracts(actor.action_space.contract_size),
        target_market_mode=actor.markets.mode,
        target_markets=list(actor.markets.selected()),
    )


async def resolve_actor_actions(
    info: Info[Context, None], limit: int = 100, ticker: str | None = None
) -> list[ActorActionEntry]:
    """The actor's decision log, newest first."""
    _check_limit("limit", limit)
    db = info.context.services.require_database()
    rows = await ActorActionRepository(db).recent(limit, ticker)
    return [ActorActionEntry.of_row(r) for r in rows]
