"""Subscription resolvers (graphql-transport-ws). Each one drains its own bounded bus
queue (``kalshiflow.api.streams``), so no client can slow the feed or another client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from typing import Final

import strawberry
from strawberry.types import Info

from kalshiflow.actor.events import ActorActionTaken
from kalshiflow.api.budget import ExchangeReadBudget
from kalshiflow.api.context import Context
from kalshiflow.api.decorators import subscription
from kalshiflow.api.queries import build_system
from kalshiflow.api.streams import relay
from kalshiflow.api.types.actor import ActorActionEntry
from kalshiflow.api.types.market import _check_depth, production_book
from kalshiflow.api.types.orderbook import Orderbook
from kalshiflow.api.types.system import System
from kalshiflow.api.types.ticker import MarketTicker
from kalshiflow.api.types.trading import Fill, OrderUpdate, Portfolio
from kalshiflow.events import TickerUpdated
from kalshiflow.trading.events import FillReceived, OrderUpdated, PortfolioChanged

# A book changes many times a second on a busy market; a screen cannot show more than this.
BOOK_MIN_INTERVAL_S: Final = 0.05
HEALTH_POLL_S: Final = 1.0


@strawberry.type
class Subscription:
    @subscription(
        description="One market's book: the current book first, then every change (a slow "
        "client gets the newest book, never a backlog)."
    )
    async def orderbook(
        self, info: Info[Context, None], ticker: str, depth: int = 10
    ) -> AsyncGenerator[Orderbook, None]:
        depth = _check_depth(depth)
        services = info.context.services
        # Listen before reading the current book, so no change between the two is lost.
        listener = services.book_router.listen(ticker)
        try:
            # Each subscription reads at most one book over REST (a WebSocket's context
            # lives as long as the connection, so its request budget does not apply).
            yield await production_book(services, ticker, depth, ExchangeReadBudget(limit=1))
            env = services.require_clients().data.environment
            last = 0.0
            while True:
                event = await listener.next()
                wait = last + BOOK_MIN_INTERVAL_S - time.monotonic()
                if wait > 0:  # too soon: whatever arrives meanwhile replaces this one
                    await asyncio.sleep(wait)
                    event = listener.take() or event
                last = time.monotonic()
                books = services.books()
                ready = books.is_ready(ticker) if books is not None else True
                views = services.book_router.views
                yield views.get(event.book, depth, environment=env, ready=ready)
        finally:
            listener.close()

    @subscription(
        description="Ticker updates (last price, top of book, volume) of the given markets "
        "(empty: all watched markets), conflated per market."
    )
    async def market_tickers(
        self, info: Info[Context, None], tickers: list[str] | None = None
    ) -> AsyncGenerator[MarketTicker, None]:
        wanted = frozenset(tickers or ())
        async for item in relay(
            info.context.services.bus(),
            (TickerUpdated,),
            lambda e: MarketTicker.of(e) if not wanted or e.ticker in wanted else None,
            policy="conflate",
            name="api:tickers",
        ):
            yield item

    @subscription(description="The system (as the `system` query) now, then whenever it changes.")
    async def system_health(self, info: Info[Context, None]) -> AsyncGenerator[System, None]:
        services = info.context.services
        last: System | None = None
        while True:
            current = build_system(services)
            if current != last:
                yield current
                last = current
            await asyncio.sleep(HEALTH_POLL_S)

    @subscription(
        description="Changes to our orders. A client that falls behind gets an error and "
        "should refetch `orders` and subscribe again."
    )
    async def order_updates(self, info: Info[Context, None]) -> AsyncGenerator[OrderUpdate, None]:
        async for item in relay(
            info.context.services.bus(),
            (OrderUpdated,),
            OrderUpdate.of,
            policy="drop_oldest",
            name="api:orders",
            strict=True,
        ):
            yield item

    @subscription(description="Our fills, as they are booked (strict, like orders).")
    async def fills(self, info: Info[Context, None]) -> AsyncGenerator[Fill, None]:
        async for item in relay(
            info.context.services.bus(),
            (FillReceived,),
            Fill.of,
            policy="drop_oldest",
            name="api:fills",
            strict=True,
        ):
            yield item

    @subscription(description="The portfolio after each change (newest wins).")
    async def portfolio(self, info: Info[Context, None]) -> AsyncGenerator[Portfolio, None]:
        async for item in relay(
            info.context.services.bus(),
            (PortfolioChanged,),
            Portfolio.of,
            policy="conflate",
            name="api:portfolio",
        ):
            yield item

    @subscription(
        description="The actor's decisions as it makes them (a slow client skips the oldest; "
        "the full log is the `actorActions` query)."
    )
    async def actor_actions(
        self, info: Info[Context, None], tickers: list[str] | None = None
    ) -> AsyncGenerator[ActorActionEntry, None]:
        wanted = frozenset(tickers or ())
        async for item in relay(
            info.context.services.bus(),
            (ActorActionTaken,),
            lambda e: ActorActionEntry.of_event(e) if not wanted or e.ticker in wanted else None,
            policy="drop_oldest",
            name="api:actor",
        ):
            yield item
