"""``KalshiDataClient``: market data from (normally) Kalshi production, read-only by design.

It wraps a ``KalshiRestClient`` and exposes only market-data reads. There is no write
method to call by mistake, and the wrapped client is not reachable through a public
attribute: the production key used for data can never place an order through this object.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import Unpack

from kalshiflow.kalshi.environment import Environment, detect_environment
from kalshiflow.kalshi.filters import EventFilters, MarketFilters, TradeFilters
from kalshiflow.kalshi.models import Event, ExchangeStatus, Market, Orderbook, Series, Trade
from kalshiflow.kalshi.rest import KalshiRestClient, Page

__all__ = ["KalshiDataClient"]


class KalshiDataClient:
    __slots__ = ("_rest",)

    def __init__(self, rest: KalshiRestClient) -> None:
        self._rest = rest

    @property
    def base_url(self) -> str:
        return self._rest.base_url

    @property
    def key_id(self) -> str | None:
        return self._rest.key_id

    @property
    def environment(self) -> Environment:
        return detect_environment(self._rest.base_url)

    async def get_exchange_status(self) -> ExchangeStatus:
        return await self._rest.get_exchange_status()

    async def get_markets(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **filters: Unpack[MarketFilters],
    ) -> Page[Market]:
        return await self._rest.get_markets(limit=limit, cursor=cursor, **filters)

    def iter_markets(
        self, *, page_size: int = 1000, **filters: Unpack[MarketFilters]
    ) -> AsyncIterator[Market]:
        return self._rest.iter_markets(page_size=page_size, **filters)

    async def get_market(self, ticker: str) -> Market:
        return await self._rest.get_market(ticker)

    async def get_orderbook(self, ticker: str, depth: int | None = None) -> Orderbook:
        return await self._rest.get_orderbook(ticker, depth)

    async def get_orderbooks(self, tickers: Sequence[str]) -> list[Orderbook]:
        return await self._rest.get_orderbooks(tickers)

    async def get_events(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **filters: Unpack[EventFilters],
    ) -> Page[Event]:
        return await self._rest.get_events(limit=limit, cursor=cursor, **filters)

    def iter_events(
        self, *, page_size: int = 200, **filters: Unpack[EventFilters]
    ) -> AsyncIterator[Event]:
        return self._rest.iter_events(page_size=page_size, **filters)

    async def get_event(self, event_ticker: str, *, with_nested_markets: bool = False) -> Event:
        return await self._rest.get_event(event_ticker, with_nested_markets=with_nested_markets)

    async def get_series(self, series_ticker: str) -> Series:
        return await self._rest.get_series(series_ticker)

    async def get_trades(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **filters: Unpack[TradeFilters],
    ) -> Page[Trade]:
        return await self._rest.get_trades(limit=limit, cursor=cursor, **filters)

    def iter_trades(
        self, *, page_size: int = 1000, **filters: Unpack[TradeFilters]
    ) -> AsyncIterator[Trade]:
        return self._rest.iter_trades(page_size=page_size, **filters)

    async def aclose(self) -> None:
        await self._rest.aclose()

    async def __aenter__(self) -> KalshiDataClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"KalshiDataClient(base_url={self.base_url!r}, key_id={self.key_id!r})"
