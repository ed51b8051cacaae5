"""The market-data service against the real local exchange (real sockets, real participants)
and, for recording, the real WriteQueue on PostgreSQL.

* After a stretch of simulated trading over 60 markets, every in-memory book equals the
  exchange's REST orderbook, and the recorded session replays to the very same books.
* A sequence gap injected by the exchange's admin API is detected, the books are resynced
  from fresh snapshots (visible in health and as FeedHealthChanged), and they match again;
  so do they after the exchange drops the connection and the stream reconnects.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import URL

from kalshiflow.events import EventBus, FeedHealthChanged, OrderbookUpdated
from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import EnvironmentHandle, SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.rest import KalshiRestClient
from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_config import StreamConfig
from kalshiflow.marketdata.orderbook_client import RecordSink
from kalshiflow.marketdata.service import MarketDataService
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.recording import RecordingSessions
from kalshiflow.persistence.records import Record
from kalshiflow.persistence.replay import load_session, rebuild_books
from kalshiflow.persistence.write_queue import WriteQueue

N_MARKETS = 60


@pytest.fixture
def sim_config(tmp_path: Path) -> SimConfig:
    return SimConfig(
        host="127.0.0.1",
        production_port=0,
        demo_port=0,
        data_dir=tmp_path / "sim",
        seed=99,
        n_markets=N_MARKETS,
        activity_rate=80.0,
        demo_activity_rate=0.0,
        rate_limits_enabled=False,
        listing_interval_s=0,  # no spontaneous listings: the tests create markets themselves
    )


async def eventually(
    condition: Callable[[], bool], timeout: float, what: str, step: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(step)


def data_client(env: EnvironmentHandle) -> KalshiDataClient:
    auth = KalshiAuth.from_key_file(env.key_id, env.private_key_path)
    return KalshiDataClient(KalshiRestClient(env.rest_url, auth, timeout_s=5.0))


def data_stream(env: EnvironmentHandle) -> KalshiStream:
    auth = KalshiAuth.from_key_file(env.key_id, env.private_key_path)
    config = StreamConfig(url=env.ws_url, liveness_timeout=10.0, backoff_base=0.05, proxy=None)
    return KalshiStream(config, auth=auth)


async def admin(
    session: aiohttp.ClientSession, env: EnvironmentHandle, path: str, body: object
) -> None:
    async with session.post(env.admin_url + path, json=body) as resp:
        assert resp.status in (200, 201), await resp.text()


async def quiet(service: MarketDataService, quiet_s: float = 0.6, timeout: float = 15.0) -> None:
    """Wait until no data message arrived for ``quiet_s`` (activity paused)."""
    deadline = time.monotonic() + timeout
    last, since = service.client.counters.messages, time.monotonic()
    while time.monotonic() - since < quiet_s:
        if time.monotonic() > deadline:
            raise AssertionError("the feed never went quiet")
        await asyncio.sleep(0.05)
        now = service.client.counters.messages
        if now != last:
            last, since = now, time.monotonic()


async def books_equal_rest(service: MarketDataService, data: KalshiDataClient) -> list[str]:
    """Tickers whose in-memory book differs from GET /markets/{t}/orderbook."""
    differ = []
    for ticker in service.books.tickers():
        rest = await data.get_orderbook(ticker)
        mine = service.books.get(ticker)
        assert mine is not None
        rest_yes = tuple((lv.price, lv.count) for lv in reversed(rest.yes))
        rest_no = tuple((lv.price, lv.count) for lv in reversed(rest.no))
        if (mine.yes_bids, mine.no_bids) != (rest_yes, rest_no) or not service.books.is_ready(
            ticker
        ):
            differ.append(ticker)
    return differ


async def settle_and_compare(
    service: MarketDataService, data: KalshiDataClient, attempts: int = 3
) -> None:
    """Books equal REST once quiet (a resting order may still expire between two reads, so
    a mismatch is re-checked after the next quiet period before failing)."""
    differ: list[str] = []
    for _ in range(attempts):
        await quiet(service)
        differ = await books_equal_rest(service, data)
        if not differ:
            return
    raise AssertionError(f"books differ from the exchange's REST orderbooks: {differ}")


class MemorySink:
    def __init__(self) -> None:
        self.count = 0

    def submit(self, record: Record) -> bool:
        self.count += 1
        return True


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def running_service(
    sim: SimHandle, sink: RecordSink, bus: EventBus, session_id: int
) -> tuple[MarketDataService, KalshiDataClient]:
    data = data_client(sim.production)
    service = MarketDataService(
        data,
        data_stream(sim.production),
        sink,
        bus,
        session_id=session_id,
        mode="discovery",
        market_limit=N_MARKETS,
        refresh_interval_s=None,
    )
    await service.start()
    await asyncio.wait_for(service.wait_ready(), 20)
    await eventually(
        lambda: service.books.stats().ready == N_MARKETS, 20, "every book's first snapshot"
    )
    return service, data


async def stopped(service: MarketDataService, data: KalshiDataClient) -> None:
    await service.stop()
    await data.aclose()


async def test_books_match_exchange_and_recording_replays_them(
    sim: SimHandle, http: aiohttp.ClientSession, database_url: URL
) -> None:
    database = Database(database_url)
    queue = WriteQueue(database_url)
    await queue.start()
    sessions = RecordingSessions(database)
    session_id = await sessions.open(sim.production.ws_url)
    bus = EventBus()
    updates = bus.subscribe(OrderbookUpdated, policy="drop_oldest", maxsize=1_000_000)
    service, data = await running_service(sim, queue, bus, session_id)
    try:
        assert len(service.books) == N_MARKETS
        await asyncio.sleep(8.0)  # participants trade, quote and cancel
        await admin(http, sim.production, "/activity", {"rate": 0})
        await settle_and_compare(service, data)

        health = service.client.health()
        assert health.deltas > 500, health  # the comparison covered real churn
        assert health.rejects == 0
        assert health.record_drops == 0
        assert service.health().state == "running"
        # Every accepted update was published; nothing else was.
        assert health.published == health.recorded == health.snapshots + health.deltas
        assert updates.delivered + len(updates) == health.published

        await queue.flush()
        records = await load_session(database_url, session_id, include_trades=False)
        assert len(records) == health.recorded
        replayed = rebuild_books(records)
        assert replayed.rejected_deltas == 0
        live = service.books.snapshots()
        assert replayed.snapshots() == live
    finally:
        await stopped(service, data)
        await queue.stop()
        await sessions.close(session_id)
        await database.engine.dispose()


async def test_sequence_gap_and_dropped_connection_are_recovered(
    sim: SimHandle, http: aiohttp.ClientSession
) -> None:
    bus = EventBus()
    feed = bus.subscribe(FeedHealthChanged, maxsize=10_000)
    service, data = await running_service(sim, MemorySink(), bus, session_id=1)
    try:
        await asyncio.sleep(1.0)
        await admin(http, sim.production, "/faults/ws/skip_seq", {"count": 3})
        await eventually(
            lambda: service.client.health().stream.gaps >= 1, 15, "the stream to see the gap"
        )
        await eventually(lambda: service.client.health().resyncs >= 1, 5, "a book resync")
        states = []
        while (event := feed.get_nowait()) is not None:
            states.append(event.state)
        assert "resync" in states
        # Fresh snapshots rebuild every dropped book.
        await eventually(
            lambda: service.books.stats().ready == N_MARKETS, 15, "books ready after the resync"
        )
        await asyncio.sleep(2.0)
        await admin(http, sim.production, "/activity", {"rate": 0})
        await settle_and_compare(service, data)
        health = service.client.health()
        assert health.rejects == 0  # the stream discarded the stale messages, not the books
        assert health.stream.resyncs >= 1

        # A dropped connection: every book is dropped, then rebuilt after the reconnect.
        await admin(http, sim.production, "/activity", {"rate": 80})
        await admin(http, sim.production, "/faults/ws/drop", {})
        await eventually(
            lambda: service.client.health().stream.reconnects >= 1, 15, "the reconnect"
        )
        await eventually(
            lambda: service.books.stats().ready == N_MARKETS, 15, "books ready after reconnect"
        )
        states = []
        while (event := feed.get_nowait()) is not None:
            states.append(event.state)
        assert states[:2] == ["disconnected", "reconnected"]
        await asyncio.sleep(1.0)
        await admin(http, sim.production, "/activity", {"rate": 0})
        await settle_and_compare(service, data)
        assert service.client.health().rejects == 0
    finally:
        await stopped(service, data)
