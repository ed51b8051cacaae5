"""The markets the API lists: the live catalog when market data runs, else a short-lived
copy of the exchange's open markets over REST (so the API is useful before, or without,
the market-data service)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Final

from kalshiflow.kalshi.errors import NotFoundError
from kalshiflow.marketdata.catalog import MarketInfo

if TYPE_CHECKING:
    from kalshiflow.api.services import Services

# One REST page: enough for the sandbox and for a browsing fallback on Kalshi, where the
# market-data service (with discovery) is the real source.
REST_MARKET_LIMIT: Final = 1000
REST_TTL_S: Final = 5.0


class MarketDirectory:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._cached: tuple[MarketInfo, ...] = ()
        self._cached_at = float("-inf")
        self._lock = asyncio.Lock()

    async def all(self) -> tuple[MarketInfo, ...]:
        catalog = self._services.catalog()
        if catalog is not None and len(catalog):
            return catalog.all()
        return await self._from_rest()

    async def get(self, ticker: str) -> MarketInfo | None:
        catalog = self._services.catalog()
        if catalog is not None:
            info = catalog.get(ticker)
            if info is not None:
                return info
        for info in self._cached:
            if info.ticker == ticker:
                return info
        pair = self._services.require_clients()
        try:
            return MarketInfo.from_market(await pair.data.get_market(ticker))
        except NotFoundError:
            return None

    async def _from_rest(self) -> tuple[MarketInfo, ...]:
        async with self._lock:  # one refresh for a burst of requests, not one each
            if time.monotonic() - self._cached_at < REST_TTL_S:
                return self._cached
            pair = self._services.require_clients()
            page = await pair.data.get_markets(limit=REST_MARKET_LIMIT, status="open")
            self._cached = tuple(
                sorted((MarketInfo.from_market(m) for m in page.items), key=lambda i: i.ticker)
            )
            self._cached_at = time.monotonic()
            return self._cached
