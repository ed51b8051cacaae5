"""Query resolvers: thin reads over the services (via ``info.context.services``)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kalshiflow.api.context import Context
from kalshiflow.api.decorators import field
from kalshiflow.api.pagination import encode_cursor, paginate
from kalshiflow.api.services import Services
from kalshiflow.api.trading_queries import (
    resolve_actor,
    resolve_actor_actions,
    resolve_fills,
    resolve_order,
    resolve_orders,
    resolve_portfolio,
    resolve_portfolio_history,
)
from kalshiflow.api.types.actor import ActorActionEntry, ActorStatus
from kalshiflow.api.types.health import ComponentHealth, Health
from kalshiflow.api.types.market import (
    Event,
    Market,
    MarketConnection,
    MarketEdge,
    MarketFilter,
    MarketSort,
    PageInfo,
)
from kalshiflow.api.types.orders import Order
from kalshiflow.api.types.realism import RealismSummary, resolve_realism_summary
from kalshiflow.api.types.recording import RecordingSession
from kalshiflow.api.types.risk import RiskLimits
from kalshiflow.api.types.system import ExchangeEnvironment, StreamStatus, System
from kalshiflow.api.types.trading import Fill, Portfolio, PortfolioPoint
from kalshiflow.kalshi.stream import StreamHealth
from kalshiflow.marketdata.catalog import MarketInfo
from kalshiflow.persistence.recording import RecordingSessions
from kalshiflow.trading.risk import RiskLimits as DomainLimits

MAX_EVENTS = 200
MAX_SESSIONS = 500
_FAR_FUTURE = 2**62


def _matches(m: MarketInfo, f: MarketFilter | None) -> bool:
    if f is None:
        return True
    if f.status is not None and m.status != f.status:
        return False
    if f.event_ticker is not None and m.event_ticker != f.event_ticker:
        return False
    if f.series_ticker is not None and m.series_ticker != f.series_ticker:
        return False
    if f.search:
        needle = f.search.lower()
        hay = f"{m.ticker}\n{m.title}\n{m.subtitle}".lower()
        return needle in hay
    return True


def _sort_key(sort: MarketSort) -> object:
    if sort is MarketSort.VOLUME:
        return lambda m: (-m.volume, m.ticker)
    if sort is MarketSort.CLOSE_TIME:
        return lambda m: (
            _FAR_FUTURE if m.close_time is None else int(m.close_time.timestamp()),
            m.ticker,
        )
    return lambda m: (-m.volume_24h, -m.volume, m.ticker)


def resolve_health(info: Info[Context, None]) -> Health:
    coordinator = info.context.coordinator
    return Health(
        status=coordinator.overall_state(),
        version=coordinator.version,
        mode=coordinator.mode.value,
        components=[ComponentHealth.of(h) for h in coordinator.health()],
    )


def _stream_status(health: StreamHealth | None) -> StreamStatus | None:
    return None if health is None else StreamStatus.of(health)


def build_system(services: Services) -> System:
    coordinator = services.coordinator
    pair = services.clients()
    data = trading = None
    if pair is not None:
        data = ExchangeEnvironment(
            environment=pair.data.environment,
            rest_url=pair.data.base_url,
            ws_url=pair.data_ws_url,
            key_id=pair.data.key_id,
            connection=_stream_status(services.data_stream_health()),
        )
        trading = ExchangeEnvironment(
            environment=pair.trading.environment,
            rest_url=pair.trading.base_url,
            ws_url=pair.trading_ws_url,
            key_id=pair.trading.key_id,
            connection=_stream_status(services.trading_stream_health()),
        )
    machine = services.trader_state()
    books = services.books()
    return System(
        status=coordinator.overall_state(),
        version=coordinator.version,
        mode=coordinator.mode.value,
        components=[ComponentHealth.of(h) for h in coordinator.health()],
        trader_state=None if machine is None else machine.state.value,
        data=data,
        trading=trading,
        production_trading_confirmed=services.settings.trading.production_confirmed,
        watched_markets=0 if books is None else len(books),
    )


@strawberry.type
class Query:
    health: Health = strawberry.field(
        resolver=resolve_health, description="Overall state and every component's health."
    )
    orders: list[Order] = strawberry.field(
        resolver=resolve_orders,
        description="Our orders, newest first (filters: status, ticker, openOnly).",
    )
    order: Order | None = strawberry.field(
        resolver=resolve_order, description="One order by client order id or exchange order id."
    )
    fills: list[Fill] = strawberry.field(
        resolver=resolve_fills, description="Our fills, newest first."
    )
    portfolio: Portfolio | None = strawberry.field(
        resolver=resolve_portfolio,
        description="Cash, holds, value and P&L now; null while trading is not running.",
    )
    realism_summary: list[RealismSummary] = strawberry.field(
        resolver=resolve_realism_summary,
        description="Demo fills vs the production book at decision time, per market or day.",
    )
    portfolio_history: list[PortfolioPoint] = strawberry.field(
        resolver=resolve_portfolio_history, description="Portfolio snapshots, newest first."
    )
    actor: ActorStatus | None = strawberry.field(
        resolver=resolve_actor, description="The background trader; null when not running."
    )
    actor_actions: list[ActorActionEntry] = strawberry.field(
        resolver=resolve_actor_actions, description="The actor's decision log, newest first."
    )

    @field(description="Components, trader state, data and trading environments.")
    def system(self, info: Info[Context, None]) -> System:
        return build_system(info.context.services)

    @field(
        description="Markets (the watched set when market data runs, else the exchange's open "
        "markets), filtered, sorted and paginated with `first`/`after`."
    )
    async def markets(
        self,
        info: Info[Context, None],
        filter: MarketFilter | None = None,
        sort: MarketSort = MarketSort.ACTIVITY,
        first: int = 50,
        after: str | None = None,
    ) -> MarketConnection:
        everything = await info.context.services.markets.all()
        chosen = [m for m in everything if _matches(m, filter)]
        page = paginate(chosen, _sort_key(sort), first, after)  # type: ignore[arg-type]
        edges = [MarketEdge(cursor=encode_cursor(k), node=Market(info=m)) for k, m in page.items]
        return MarketConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
            ),
            total_count=page.total,
        )

    @field(description="One market by ticker; null when the exchange has none.")
    async def market(self, info: Info[Context, None], ticker: str) -> Market | None:
        found = await info.context.services.markets.get(ticker)
        return None if found is None else Market(info=found)

    @field(description="Events of the market-data environment (REST).")
    async def events(
        self,
        info: Info[Context, None],
        status: str | None = "open",
        series_ticker: str | None = None,
        first: int = 50,
    ) -> list[Event]:
        if not 1 <= first <= MAX_EVENTS:
            raise ValueError(f"first must be between 1 and {MAX_EVENTS}, got {first}")
        pair = info.context.services.require_clients()
        filters: dict[str, str] = {}
        if status:
            filters["status"] = status
        if series_ticker:
            filters["series_ticker"] = series_ticker
        page = await pair.data.get_events(limit=first, with_nested_markets=True, **filters)  # type: ignore[arg-type]
        return [Event.of(e) for e in page.items]

    @field(description="Recorder sessions, newest first.")
    async def recording_sessions(
        self, info: Info[Context, None], limit: int = 50
    ) -> list[RecordingSession]:
        if not 1 <= limit <= MAX_SESSIONS:
            raise ValueError(f"limit must be between 1 and {MAX_SESSIONS}, got {limit}")
        db = info.context.services.require_database()
        return [RecordingSession.of(s) for s in await RecordingSessions(db).list(limit)]

    @field(description="The risk limits in force (configured ones until trading runs).")
    def risk_limits(self, info: Info[Context, None]) -> RiskLimits:
        services = info.context.services
        risk = services.risk()
        if risk is not None:
            return RiskLimits.of(
                risk.limits, engaged=risk.engaged, reason=risk.kill_switch_reason, enforced=True
            )
        limits = DomainLimits.from_settings(services.settings.risk)
        return RiskLimits.of(limits, engaged=False, reason="", enforced=False)
