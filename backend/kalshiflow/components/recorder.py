"""The recorder: a recording session around the market-data feed, as one component.

Composition: `RecordingSessions` (a row per session, crashed ones closed at start), the
`WriteQueue` (COPY batches into PostgreSQL) and `MarketDataService` (stream -> books ->
queue -> bus, plus discovery). The bus only hears of an update once the queue accepted
it, so the actor never trades on something the training data will lack.

Start order: close crashed sessions, open ours, start the queue, then the feed (so the
first snapshot has somewhere to go). Stop is the reverse, and the session is closed only
after the queue drained, so its counters are final when it says `closed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from kalshiflow.config import DataFeedSettings
from kalshiflow.events import EventBus
from kalshiflow.health import ComponentHealth, ComponentState, worst
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_config import StreamConfig
from kalshiflow.kalshi.stream_connection import HeaderSigner
from kalshiflow.marketdata.catalog import MarketCatalog
from kalshiflow.marketdata.orderbook_client import OrderbookClient
from kalshiflow.marketdata.service import MarketDataService
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.recording import (
    MarketRepository,
    RecordingSessions,
    environment_for_url,
)
from kalshiflow.persistence.records import MarketRecord
from kalshiflow.persistence.write_queue import WriteQueue, WriteQueueConfig

log = logging.getLogger(__name__)


class RecorderComponent:
    name = "recorder"

    def __init__(
        self,
        database: Database,
        *,
        stream_url: str,
        auth: HeaderSigner | None,
        data_client: KalshiDataClient,
        feed: DataFeedSettings,
        bus: EventBus | None = None,
        queue_config: WriteQueueConfig | None = None,
        stream_config: Callable[[str], StreamConfig] = StreamConfig,
        sync_interval_s: float = 5.0,
    ) -> None:
        self.sessions = RecordingSessions(database)
        self.markets = MarketRepository(database)
        self.queue = WriteQueue(database.url, queue_config)
        self.bus = bus or EventBus()
        self._stream_url = stream_url
        self._auth = auth
        self._data_client = data_client
        self._feed = feed
        self._stream_config = stream_config
        self._sync_interval_s = sync_interval_s
        self._session_id: int | None = None
        self._service: MarketDataService | None = None
        self._sync_task: asyncio.Task[None] | None = None
        self._recorded_tickers: tuple[str, ...] = ()
        self._recorded_markets: dict[str, MarketRecord] = {}
        self._state = ComponentState.STOPPED
        self._detail = ""

    @property
    def session_id(self) -> int:
        if self._session_id is None:
            raise RuntimeError("recorder is not started")
        return self._session_id

    @property
    def market_data(self) -> MarketDataService:
        if self._service is None:
            raise RuntimeError("recorder is not started")
        return self._service

    @property
    def client(self) -> OrderbookClient:
        return self.market_data.client

    @property
    def books(self) -> SharedOrderbookState:
        return self.market_data.books

    @property
    def catalog(self) -> MarketCatalog:
        return self.market_data.catalog

    @property
    def environment(self) -> str:
        return environment_for_url(self._stream_url)

    async def start(self) -> None:
        self._state = ComponentState.STARTING
        crashed = await self.sessions.close_crashed()
        if crashed:
            log.warning("marked %d recording session(s) left active by a crash: %s",
                        len(crashed), ", ".join(map(str, crashed)))  # fmt: skip
        feed = self._feed
        tickers = feed.market_tickers if feed.market_mode == "config" else ()
        self._session_id = await self.sessions.open(self._stream_url, tickers)
        await self.queue.start()
        stream = KalshiStream(self._stream_config(self._stream_url), auth=self._auth)
        self._service = MarketDataService(
            self._data_client,
            stream,
            self.queue,
            self.bus,
            session_id=self._session_id,
            mode=feed.market_mode,
            market_limit=feed.market_limit,
            market_tickers=feed.market_tickers,
        )
        # Returns at once: markets are chosen in the background, so an unreachable exchange
        # degrades this component instead of blocking the whole start.
        await self._service.start()
        self._sync_task = asyncio.create_task(self._sync_loop(), name="recorder-sync")
        self._state = ComponentState.RUNNING
        self._detail = f"session {self._session_id} from {self._stream_url}"
        log.info("recording session %d from %s", self._session_id, self._stream_url)

    async def wait_ready(self) -> None:
        """Wait until the first markets are chosen and subscribed (bound it with a timeout)."""
        await self.market_data.wait_ready()

    async def sync(self) -> None:
        """Bring the session's tickers and the `market` table up to date with discovery."""
        if self._service is None or self._session_id is None:
            return
        tickers = tuple(sorted(self._service.client.watched()))
        if tickers != self._recorded_tickers:
            await self.sessions.update_tickers(self._session_id, tickers)
            self._recorded_tickers = tickers
        changed = [
            rec
            for rec in (info.to_record() for info in self._service.catalog.all())
            if self._recorded_markets.get(rec.ticker) != rec
        ]
        if changed:
            await self.markets.upsert(changed)
            self._recorded_markets.update((m.ticker, m) for m in changed)

    async def _sync_loop(self) -> None:
        while True:
            await asyncio.sleep(self._sync_interval_s)
            try:
                await self.sync()
            except Exception as err:  # the database may be down; the WriteQueue holds rows
                log.warning("recorder could not update session %s metadata: %s",
                            self._session_id, err)  # fmt: skip

    async def stop(self) -> None:
        task, self._sync_task = self._sync_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._service is not None:
            with contextlib.suppress(Exception):
                await self.sync()
            await self._service.stop()
        await self.queue.stop(flush=True)
        if self._session_id is not None:
            await self.sessions.close(self._session_id)
        self._state = ComponentState.STOPPED

    def health(self) -> ComponentHealth:
        if self._state is not ComponentState.RUNNING or self._service is None:
            return ComponentHealth(self.name, self._state, self._detail)
        feed = self._service.health()
        queue = self.queue.health()
        detail = f"{self._detail} · {feed.detail} · {queue.detail}"
        return ComponentHealth(self.name, worst(feed.state, queue.state), detail)
