"""``MarketDataService``: the market-data side as one component for the coordinator.

It wires the data stream, the orderbook client, the shared books, the market catalog and
discovery together, and gives the coordinator the usual ``start``/``stop``/``health``.

``start()`` returns as soon as the stream and the consumer run; choosing and subscribing the
markets (REST listing + subscribe) happens in the background and is retried with backoff,
so an unreachable exchange degrades the component instead of blocking the whole start-up.
``wait_ready()`` waits for that bootstrap (tests, ``kalshiflow record``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from kalshiflow.events import EventBus
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_config import StreamConfig
from kalshiflow.kalshi.stream_connection import HeaderSigner
from kalshiflow.marketdata.catalog import MarketCatalog
from kalshiflow.marketdata.discovery import MarketDiscovery, MarketMode
from kalshiflow.marketdata.orderbook_client import OrderbookClient, RecordSink
from kalshiflow.marketdata.shared_state import SharedOrderbookState

log = logging.getLogger(__name__)

BOOTSTRAP_RETRY_MAX_S = 30.0


def build_stream(ws_url: str, auth: HeaderSigner | None) -> KalshiStream:
    """The market-data WebSocket with the defaults that suit Kalshi production."""
    return KalshiStream(StreamConfig(url=ws_url), auth=auth)


class MarketDataService:
    name = "marketdata"

    def __init__(
        self,
        data: KalshiDataClient,
        stream: KalshiStream,
        sink: RecordSink,
        bus: EventBus,
        *,
        session_id: int,
        mode: MarketMode = "discovery",
        market_limit: int = 100,
        market_tickers: Sequence[str] = (),
        refresh_interval_s: float | None = 300.0,
    ) -> None:
        self.bus = bus
        self.books = SharedOrderbookState()
        self.catalog = MarketCatalog()
        self.client = OrderbookClient(
            stream, sink, bus, session_id=session_id, books=self.books, catalog=self.catalog
        )
        self.discovery = MarketDiscovery(
            data,
            self.client,
            bus,
            mode=mode,
            limit=market_limit,
            tickers=market_tickers,
            refresh_interval_s=refresh_interval_s,
        )
        self._bootstrap: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._last_error: str | None = None

    async def start(self) -> None:
        await self.client.start()
        if self._bootstrap is None:
            self._bootstrap = asyncio.create_task(self._select_markets(), name="marketdata-boot")

    async def _select_markets(self) -> None:
        delay = 0.5
        while True:
            try:
                await self.discovery.start()
            except Exception as exc:
                self._last_error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "market selection failed (%s); retrying in %.1fs", self._last_error, delay
                )
                await self.discovery.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, BOOTSTRAP_RETRY_MAX_S)
                continue
            self._last_error = None
            self._ready.set()
            return

    async def wait_ready(self) -> None:
        """Wait until the initial markets are chosen and subscribed (bound it with a timeout)."""
        await self._ready.wait()

    async def stop(self) -> None:
        task, self._bootstrap = self._bootstrap, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.discovery.stop()
        await self.client.stop()

    def health(self) -> ComponentHealth:
        inner = self.client.component_health(self.name)
        if self._bootstrap is not None and not self._ready.is_set():
            state = ComponentState.DEGRADED if self._last_error else ComponentState.STARTING
            why = f"choosing markets failed: {self._last_error}" if self._last_error else ""
            return ComponentHealth(self.name, state, why or "choosing markets")
        return inner


__all__ = ["MarketDataService", "build_stream"]
