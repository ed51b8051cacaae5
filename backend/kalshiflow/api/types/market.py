"""Markets, their books, trades and stats; events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import strawberry
from strawberry.types import Info

from kalshiflow.api.budget import ExchangeReadBudget
from kalshiflow.api.context import Context
from kalshiflow.api.decorators import field
from kalshiflow.api.scalars import Contracts, Dollars, contracts, dollars
from kalshiflow.api.services import Services
from kalshiflow.api.types.orderbook import Orderbook, from_rest, from_snapshot
from kalshiflow.kalshi.models import Event as KalshiEvent
from kalshiflow.kalshi.models import Trade as KalshiTrade
from kalshiflow.marketdata.catalog import MarketInfo

MAX_BOOK_DEPTH = 100
MAX_TRADES = 200


def _check_depth(depth: int) -> int:
    if not 1 <= depth <= MAX_BOOK_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_BOOK_DEPTH}, got {depth}")
    return depth


@strawberry.type(description="A public trade on the market-data environment.")
class Trade:
    trade_id: str
    ticker: str
    created_time: datetime | None
    count: Contracts
    yes_price: Dollars
    no_price: Dollars
    taker_side: str = strawberry.field(description="The outcome the taker bought: yes | no.")

    @classmethod
    def of(cls, t: KalshiTrade) -> Trade:
        return cls(
            trade_id=t.trade_id,
            ticker=t.ticker,
            created_time=t.created_time,
            count=contracts(t.count),
            yes_price=dollars(t.yes_price),
            no_price=dollars(t.no_price),
            taker_side=t.taker_outcome_side,
        )


@strawberry.type(description="One band of the tick grid: prices from start to end in steps.")
class PriceRange:
    start: Dollars
    end: Dollars
    step: Dollars


@strawberry.type(description="Activity and top of book of one market.")
class MarketStats:
    volume: Contracts
    volume_24h: Contracts
    open_interest: Contracts
    last_price: Dollars | None
    best_yes_bid: Dollars | None
    best_yes_ask: Dollars | None
    spread: Dollars | None
    book_levels: int = strawberry.field(description="Price levels in the live book (0: none).")


@strawberry.type(description="A Kalshi market (metadata from the market-data environment).")
class Market:
    info: strawberry.Private[MarketInfo]

    @strawberry.field
    def ticker(self) -> str:
        return self.info.ticker

    @strawberry.field
    def event_ticker(self) -> str:
        return self.info.event_ticker

    @strawberry.field
    def series_ticker(self) -> str | None:
        return self.info.series_ticker

    @strawberry.field
    def title(self) -> str:
        return self.info.title

    @field(description="What YES means in a multi-market event.")
    def subtitle(self) -> str:
        return self.info.subtitle

    @field(
        description="The tick grid: an order's price must lie on one band's steps "
        "(empty when the exchange did not say: assume whole cents)."
    )
    def price_ranges(self) -> list[PriceRange]:
        return [
            PriceRange(start=dollars(r.start), end=dollars(r.end), step=dollars(r.step))
            for r in self.info.price_ranges
        ]

    @field(description="Kalshi's status: active, closed, determined, settled, ...")
    def status(self) -> str:
        return self.info.status

    @strawberry.field
    def open_time(self) -> datetime | None:
        return self.info.open_time

    @strawberry.field
    def close_time(self) -> datetime | None:
        return self.info.close_time

    @strawberry.field
    def volume(self) -> Contracts:
        return contracts(self.info.volume)

    @strawberry.field
    def volume_24h(self) -> Contracts:
        return contracts(self.info.volume_24h)

    @strawberry.field
    def open_interest(self) -> Contracts:
        return contracts(self.info.open_interest)

    @strawberry.field
    def last_price(self) -> Dollars | None:
        p = self.info.last_price
        return None if p is None else dollars(p)

    @field(description="True when the book is maintained live from the WebSocket.")
    def watched(self, info: Info[Context, None]) -> bool:
        books = info.context.services.books()
        return books is not None and self.info.ticker in books

    @field(description="The market-data (production) book: live when watched, else one REST read.")
    async def orderbook(self, info: Info[Context, None], depth: int = 10) -> Orderbook:
        context = info.context
        return await production_book(
            context.services, self.info.ticker, _check_depth(depth), context.exchange_reads
        )

    @field(
        description="The trading environment's (demo's) book, read over REST (cached 1 s), to "
        "compare with `orderbook`. Null when the market is not listed there."
    )
    async def demo_orderbook(self, info: Info[Context, None], depth: int = 10) -> Orderbook | None:
        from kalshiflow.kalshi.errors import NotFoundError

        services = info.context.services
        env = services.require_clients().trading.environment
        info.context.exchange_reads.take("demoOrderbook")
        try:
            book = await services.demo_books.get(self.info.ticker, _check_depth(depth))
        except NotFoundError:
            return None
        return from_rest(book, depth, environment=env)

    @field(description="Newest public trades first.")
    async def recent_trades(self, info: Info[Context, None], limit: int = 20) -> list[Trade]:
        if not 1 <= limit <= MAX_TRADES:
            raise ValueError(f"limit must be between 1 and {MAX_TRADES}, got {limit}")
        pair = info.context.services.require_clients()
        info.context.exchange_reads.take("recentTrades")
        page = await pair.data.get_trades(limit=limit, ticker=self.info.ticker)
        trades = sorted(page.items, key=lambda t: (t.created_time is None, t.created_time))
        return [Trade.of(t) for t in reversed(trades)][:limit]

    @strawberry.field
    def stats(self, info: Info[Context, None]) -> MarketStats:
        books = info.context.services.books()
        snap = None if books is None else books.get(self.info.ticker)
        bid = None if snap is None else snap.best_yes_bid
        ask = None if snap is None else snap.best_yes_ask
        last = self.info.last_price
        return MarketStats(
            volume=contracts(self.info.volume),
            volume_24h=contracts(self.info.volume_24h),
            open_interest=contracts(self.info.open_interest),
            last_price=None if last is None else dollars(last),
            best_yes_bid=None if bid is None else dollars(bid),
            best_yes_ask=None if ask is None else dollars(ask),
            spread=None if bid is None or ask is None else dollars(ask - bid),
            book_levels=0 if snap is None else len(snap.yes_bids) + len(snap.no_bids),
        )


async def production_book(
    services: Services, ticker: str, depth: int, budget: ExchangeReadBudget
) -> Orderbook:
    env = services.require_clients().data.environment
    books = services.books()
    if books is not None and ticker in books:
        snap = books.get(ticker)
        if snap is not None:
            return from_snapshot(snap, depth, environment=env, ready=books.is_ready(ticker))
    budget.take("orderbook")
    book = await services.require_clients().data.get_orderbook(ticker, depth)
    return from_rest(book, depth, environment=env)


@strawberry.enum
class MarketSort(StrEnum):
    ACTIVITY = "activity"  # 24h volume, then total volume: what is trading now
    VOLUME = "volume"  # total volume
    CLOSE_TIME = "close_time"  # soonest close first


@strawberry.input(description="Every given condition must hold.")
class MarketFilter:
    status: str | None = strawberry.field(
        default=None, description="Kalshi's status word, e.g. active, closed, settled."
    )
    event_ticker: str | None = None
    series_ticker: str | None = None
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive text in the ticker, title or subtitle."
    )


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class MarketEdge:
    cursor: str
    node: Market


@strawberry.type
class MarketConnection:
    edges: list[MarketEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Markets matching the filter, all pages.")

    @strawberry.field
    def nodes(self) -> list[Market]:
        return [e.node for e in self.edges]


@strawberry.type(description="A Kalshi event: a group of related markets.")
class Event:
    event_ticker: str
    series_ticker: str
    title: str
    sub_title: str
    category: str
    mutually_exclusive: bool
    strike_date: datetime | None
    market_tickers: list[str]

    @classmethod
    def of(cls, e: KalshiEvent) -> Event:
        return cls(
            event_ticker=e.event_ticker,
            series_ticker=e.series_ticker,
            title=e.title,
            sub_title=e.sub_title,
            category=e.category,
            mutually_exclusive=e.mutually_exclusive,
            strike_date=e.strike_date,
            market_tickers=[m.ticker for m in e.markets],
        )
