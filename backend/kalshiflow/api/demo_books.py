"""Order books of the trading environment (demo), read over REST and cached briefly.

The live books come from production; orders go to demo, whose book is thinner and
different. The dashboard shows both side by side, so the API reads demo's public orderbook
endpoint with its own unsigned client: it needs no key, and keeps the trading client
(and its rate-limit bucket) for orders.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final

from kalshiflow.kalshi.models import Orderbook
from kalshiflow.kalshi.rest import KalshiRestClient

if TYPE_CHECKING:
    from kalshiflow.api.services import Services

DEMO_BOOK_TTL_S: Final = 1.0
_MAX_CACHED: Final = 256


class DemoBooks:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._client: KalshiRestClient | None = None
        self._cache: dict[tuple[str, int | None], tuple[float, Orderbook]] = {}

    async def get(self, ticker: str, depth: int | None) -> Orderbook:
        key = (ticker, depth)
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and now - hit[0] < DEMO_BOOK_TTL_S:
            return hit[1]
        book = await self._rest().get_orderbook(ticker, depth)
        if len(self._cache) >= _MAX_CACHED:
            self._cache.clear()
        self._cache[key] = (now, book)
        return book

    def _rest(self) -> KalshiRestClient:
        base = self._services.require_clients().trading.base_url
        if self._client is None or self._client.base_url != base:
            self._client = KalshiRestClient(base, None)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
