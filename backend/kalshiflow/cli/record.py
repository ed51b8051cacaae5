"""`kalshiflow record`: run the recorder alone (database + market-data feed; no actor, no API).

The recorder is a session around the stream: at start, sessions a crash left `active` are
marked `crashed`; a new session is opened for the data stream's URL; the OrderbookClient
feeds every snapshot, delta and trade into the WriteQueue while discovery picks the
markets; the session's ticker list and the `market` table follow discovery. Ctrl-C stops
the feed first, drains the queue, then closes the session.

`RecorderService` is the recorder as a coordinator component (start/stop/health). The
coordinator does not build one yet; this command composes it next to the coordinator's
database, local exchange (sandbox mode) and client pair.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from typing import Any

from kalshiflow import logs
from kalshiflow.cli.common import EXIT_CONFIG, load_settings_or_exit
from kalshiflow.components.endpoints import Endpoint, data_endpoint
from kalshiflow.config import DataFeedSettings, Settings, SettingsError
from kalshiflow.coordinator import Coordinator
from kalshiflow.events import EventBus
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_config import StreamConfig
from kalshiflow.marketdata.discovery import MarketDiscovery
from kalshiflow.marketdata.orderbook_client import OrderbookClient
from kalshiflow.persistence.database import Database, DatabaseUnavailableError
from kalshiflow.persistence.recording import (
    MarketRepository,
    RecordingSessions,
    environment_for_url,
)
from kalshiflow.persistence.records import MarketRecord
from kalshiflow.persistence.write_queue import WriteQueue, WriteQueueConfig

log = logging.getLogger("kalshiflow.recorder")


def register(commands: Any) -> None:
    p = commands.add_parser(
        "record",
        help="record production orderbooks to PostgreSQL (no actor, no API)",
        description="Run only the database and the market-data feed, and persist every "
        "orderbook snapshot, delta and public trade in a recording session (for training). "
        "Markets: RL_MARKET_MODE / RL_MARKET_TICKERS / ORDERBOOK_MARKET_LIMIT. "
        "Ctrl-C drains the write queue and closes the session.",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings_or_exit()
    logs.configure(settings.api.log_level)
    try:
        asyncio.run(record(settings))
    except SettingsError as err:
        print(err, file=sys.stderr)
        return EXIT_CONFIG
    except DatabaseUnavailableError as err:
        print(f"kalshiflow cannot record: {err}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        pass
    return 0


async def record(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Record until `stop` is set (or SIGINT/SIGTERM)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await _record(settings, stop)
    finally:
        for sig in signals:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


async def _record(settings: Settings, stop: asyncio.Event) -> None:
    coordinator = Coordinator(settings)
    await coordinator.start()
    try:
        endpoint = _data_endpoint(coordinator)
        recorder = RecorderService(
            coordinator.database.database,
            stream_url=endpoint.ws_url,
            auth=endpoint.auth(),
            data_client=coordinator.clients.pair.data,
            feed=settings.data_feed,
        )
        await recorder.start()
        try:
            # One line with a stable prefix: users read it, and tests parse it.
            print(f"kalshiflow recording: session {recorder.session_id} "
                  f"({recorder.environment}) from {endpoint.ws_url}", flush=True)  # fmt: skip
            await stop.wait()
        finally:
            await recorder.stop()
    finally:
        await coordinator.stop()


def _data_endpoint(coordinator: Coordinator) -> Endpoint:
    if coordinator.sandbox is not None:
        return coordinator.sandbox.data_endpoint
    return data_endpoint(coordinator.settings)


class RecorderService:
    """Session lifecycle + WriteQueue + OrderbookClient + MarketDiscovery, as one component.

    Start order: close crashed sessions, open ours, start the queue, then the feed (so the
    first snapshot has somewhere to go). Stop order is the reverse, and the session is
    closed only after the queue drained, so its counters are final when it says `closed`.
    """

    name = "recorder"

    def __init__(
        self,
        database: Database,
        *,
        stream_url: str,
        auth: KalshiAuth | None,
        data_client: KalshiDataClient,
        feed: DataFeedSettings,
        queue_config: WriteQueueConfig | None = None,
        stream_config: Callable[[str], StreamConfig] = StreamConfig,
        sync_interval_s: float = 5.0,
        bus: EventBus | None = None,
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
        self._client: OrderbookClient | None = None
        self._discovery: MarketDiscovery | None = None
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
    def client(self) -> OrderbookClient:
        if self._client is None:
            raise RuntimeError("recorder is not started")
        return self._client

    @property
    def environment(self) -> str:
        return environment_for_url(self._stream_url)

    async def start(self) -> None:
        self._state = ComponentState.STARTING
        crashed = await self.sessions.close_crashed()
        if crashed:
            log.warning("marked %d recording session(s) left active by a crash: %s",
                        len(crashed), ", ".join(map(str, crashed)))  # fmt: skip
        tickers = self._feed.market_tickers if self._feed.market_mode == "config" else ()
        self._session_id = await self.sessions.open(self._stream_url, tickers)
        await self.queue.start()
        stream = KalshiStream(self._stream_config(self._stream_url), auth=self._auth)
        self._client = OrderbookClient(stream, self.queue, self.bus, session_id=self._session_id)
        await self._client.start()
        self._discovery = MarketDiscovery(
            self._data_client,
            self._client,
            self.bus,
            mode=self._feed.market_mode,
            limit=self._feed.market_limit,
            tickers=self._feed.market_tickers,
        )
        await self._discovery.start()
        await self.sync()
        self._sync_task = asyncio.create_task(self._sync_loop(), name="recorder-sync")
        self._state = ComponentState.RUNNING
        self._detail = f"session {self._session_id} from {self._stream_url}"
        log.info("recording session %d from %s", self._session_id, self._stream_url)

    async def sync(self) -> None:
        """Bring the session's tickers and the `market` table up to date with discovery."""
        if self._client is None or self._session_id is None:
            return
        tickers = tuple(sorted(self._client.watched()))
        if tickers != self._recorded_tickers:
            await self.sessions.update_tickers(self._session_id, tickers)
            self._recorded_tickers = tickers
        changed = [
            rec
            for rec in (info.to_record() for info in self._client.catalog.all())
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
        if self._discovery is not None:
            await self._discovery.stop()
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self.sync()
            await self._client.stop()
        await self.queue.stop(flush=True)
        if self._session_id is not None:
            await self.sessions.close(self._session_id)
        self._state = ComponentState.STOPPED

    def health(self) -> ComponentHealth:
        if self._state is not ComponentState.RUNNING:
            return ComponentHealth(self.name, self._state, self._detail)
        queue = self.queue.health()
        detail = f"{self._detail} · {queue.detail}"
        return ComponentHealth(self.name, queue.state, detail)
