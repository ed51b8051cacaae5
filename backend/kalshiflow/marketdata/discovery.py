"""Which markets to watch: the most active open markets, followed through their lifecycle.

``RL_MARKET_MODE=discovery``: at start, every open market is listed over REST and the top
``ORDERBOOK_MARKET_LIMIT`` by activity (24 h volume, then total volume, then open interest)
are watched. Multivariate combo markets (``KXMV...``) are skipped: their books are empty on
Kalshi and they would only take slots. The ``market_lifecycle_v2`` channel then keeps the set
current without reconnecting: markets that open join while there is room, markets that
close, pause, are determined or settle leave, and each change is one ``update_subscription``.
Slots freed this way are refilled from the REST ranking every ``refresh_interval_s``.

``RL_MARKET_MODE=config``: exactly the configured tickers, never changed by lifecycle.

Every change is announced with ``MarketsChanged`` (new markets carry their metadata, which
the recorder stores in the ``market`` table).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

from kalshiflow.events import EventBus, MarketsChanged
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.errors import KalshiClientError
from kalshiflow.kalshi.models import Market
from kalshiflow.marketdata.catalog import MarketCatalog, MarketInfo
from kalshiflow.marketdata.orderbook_client import OrderbookClient

log = logging.getLogger(__name__)

MarketMode = Literal["discovery", "config"]
MAX_MARKETS: Final = 1000

# Lifecycle event types after which a market no longer trades (Kalshi's "deactivated" is a
# pause; it comes back with "activated" and is then re-added if there is room).
_ENDED: Final = frozenset({"deactivated", "determined", "settled"})
_STARTED: Final = frozenset({"created", "activated"})
_STATUS_AFTER: Final = {
    "activated": "active",
    "deactivated": "inactive",
    "determined": "determined",
    "settled": "settled",
}


def is_multivariate(ticker: str) -> bool:
    """Kalshi's combo markets (multivariate events) live in ``KXMV...`` series."""
    upper = ticker.upper()
    return upper.startswith(("KXMV", "MVE")) or "-MVE" in upper


def activity_key(market: Market | MarketInfo) -> tuple[int, int, int]:
    return (int(market.volume_24h), int(market.volume), int(market.open_interest))


def rank_markets(markets: Iterable[Market], limit: int) -> list[Market]:
    """The ``limit`` most active open single markets, most active first (ties by ticker)."""
    candidates = [m for m in markets if m.is_open and not is_multivariate(m.ticker)]
    candidates.sort(key=lambda m: m.ticker)
    candidates.sort(key=activity_key, reverse=True)  # stable: equal activity stays by ticker
    return candidates[:limit]


class MarketDiscovery:
    def __init__(
        self,
        data: KalshiDataClient,
        client: OrderbookClient,
        bus: EventBus,
        *,
        mode: MarketMode = "discovery",
        limit: int = 100,
        tickers: Sequence[str] = (),
        refresh_interval_s: float | None = 300.0,
    ) -> None:
        if not 1 <= limit <= MAX_MARKETS:
            raise ValueError(f"ORDERBOOK_MARKET_LIMIT must be 1-{MAX_MARKETS}, got {limit}")
        if mode == "config" and not tickers:
            raise ValueError("RL_MARKET_MODE=config needs RL_MARKET_TICKERS (comma-separated)")
        if mode not in ("discovery", "config"):
            raise ValueError(f"RL_MARKET_MODE must be discovery or config, got {mode!r}")
        self.data = data
        self.client = client
        self.bus = bus
        self.mode: MarketMode = mode
        self.limit = limit
        self.config_tickers = tuple(dict.fromkeys(tickers))
        self.refresh_interval_s = refresh_interval_s
        self.catalog: MarketCatalog = client.catalog
        self.lifecycle_events = 0
        self._queue: asyncio.Queue[Mapping[str, Any]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Pick the initial markets and subscribe them; then follow the lifecycle."""
        if self._started:
            return
        if self.mode == "config":
            await self._start_config()
            self._started = True
            return
        # Listen before listing so that no market opening meanwhile is missed; the queue
        # holds those messages until the initial set is in place.
        self.client.lifecycle_listeners.append(self._on_lifecycle)
        await self.client.watch_lifecycle()
        ranked = await self._ranked()
        await self._add([MarketInfo.from_market(m) for m in ranked], "discovery")
        self._tasks.append(asyncio.create_task(self._follow(), name="discovery-lifecycle"))
        if self.refresh_interval_s is not None:
            self._tasks.append(asyncio.create_task(self._refresh_loop(), name="discovery-refresh"))
        self._started = True  # only now: a failed start can simply be retried

    async def stop(self) -> None:
        self._started = False
        with contextlib.suppress(ValueError):
            self.client.lifecycle_listeners.remove(self._on_lifecycle)
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _start_config(self) -> None:
        infos: list[MarketInfo] = []
        for ticker in self.config_tickers:
            try:
                infos.append(MarketInfo.from_market(await self.data.get_market(ticker)))
            except KalshiClientError as exc:
                # Still watched: the book works without metadata, and a typo shows up in the
                # log and as a market that never becomes ready.
                log.warning("RL_MARKET_TICKERS: no metadata for %s: %s", ticker, exc)
                infos.append(_bare_info(ticker))
        await self._add(infos, "config")

    # --- selection --------------------------------------------------------------------

    async def _ranked(self) -> list[Market]:
        markets = [m async for m in self.data.iter_markets(status="open", mve_filter="exclude")]
        return rank_markets(markets, self.limit)

    async def refresh(self) -> list[str]:
        """Fill free slots with the most active markets not yet watched; returns them."""
        free = self.limit - len(self.client.books)
        if free <= 0:
            return []
        watched = set(self.client.books.tickers())
        ranked = await self._ranked()
        fresh = [MarketInfo.from_market(m) for m in ranked if m.ticker not in watched][:free]
        return await self._add(fresh, "refresh")

    async def _refresh_loop(self) -> None:
        assert self.refresh_interval_s is not None
        while True:
            await asyncio.sleep(self.refresh_interval_s)
            try:
                await self.refresh()
            except Exception:
                log.exception("market discovery refresh failed; trying again later")

    async def _add(self, infos: Sequence[MarketInfo], reason: str) -> list[str]:
        for info in infos:
            self.catalog.upsert(info)
        added = await self.client.add_markets(info.ticker for info in infos)
        if added:
            new = set(added)
            self._announce(tuple(i for i in infos if i.ticker in new), (), reason)
        return added

    async def _remove(self, tickers: Sequence[str], reason: str) -> list[str]:
        removed = await self.client.remove_markets(tickers)
        if removed:
            self._announce((), tuple(removed), reason)
        return removed

    def _announce(self, added: tuple[MarketInfo, ...], removed: tuple[str, ...], why: str) -> None:
        log.info(
            "watched markets: +%d -%d (%s), now %d",
            len(added),
            len(removed),
            why,
            len(self.client.books),
        )
        self.bus.publish(MarketsChanged(added, removed, self.client.books.tickers(), why))

    # --- lifecycle --------------------------------------------------------------------

    def _on_lifecycle(self, message: Mapping[str, Any]) -> None:
        if message.get("type") == "market_lifecycle_v2":
            self._queue.put_nowait(message)

    async def _follow(self) -> None:
        while True:
            message = await self._queue.get()
            try:
                await self.handle_lifecycle(message)
            except Exception:
                log.exception("market lifecycle message not applied: %r", message)

    async def handle_lifecycle(self, message: Mapping[str, Any]) -> None:
        body = message.get("msg")
        if not isinstance(body, Mapping):
            return
        ticker, kind = body.get("market_ticker"), body.get("event_type")
        if not isinstance(ticker, str) or not isinstance(kind, str):
            return
        self.lifecycle_events += 1
        close_ts = body.get("close_ts")
        close = close_ts if isinstance(close_ts, int) and not isinstance(close_ts, bool) else None
        watched = ticker in self.client.books
        if kind in _STATUS_AFTER or close is not None:
            status = _STATUS_AFTER.get(kind)
            info = self.catalog.get(ticker)
            self.catalog.set_status(ticker, status or (info.status if info else ""), close)
        if kind in _ENDED or (
            kind == "close_date_updated" and close is not None and close <= time.time()
        ):
            if watched:
                await self._remove([ticker], f"{ticker} {kind}")
            return
        if kind in _STARTED and not watched and not is_multivariate(ticker):
            if len(self.client.books) >= self.limit:
                return  # full: it competes for a slot at the next refresh
            market = await self.data.get_market(ticker)
            if market.is_open:
                await self._add([MarketInfo.from_market(market)], f"{ticker} {kind}")


def _bare_info(ticker: str) -> MarketInfo:
    return MarketInfo(
        ticker=ticker,
        event_ticker="",
        title="",
        subtitle="",
        status="",
        open_time=None,
        close_time=None,
        volume=0,
        volume_24h=0,
        open_interest=0,
        last_price=None,
    )


__all__ = [
    "MAX_MARKETS",
    "MarketDiscovery",
    "MarketMode",
    "activity_key",
    "is_multivariate",
    "rank_markets",
]
