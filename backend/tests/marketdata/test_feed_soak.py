"""Minutes of local-exchange activity over 200 markets, recorded: every in-memory book
equals the exchange's REST orderbook at each checkpoint, and the recorded session replays
into the same books. Duration: KALSHIFLOW_SOAK_SECONDS (default 120)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import URL

from kalshiflow.events import EventBus
from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.marketdata.service import MarketDataService
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.recording import RecordingSessions
from kalshiflow.persistence.replay import load_session, rebuild_books
from kalshiflow.persistence.write_queue import WriteQueue
from tests.marketdata.test_feed_integration import (
    admin,
    data_client,
    data_stream,
    eventually,
    settle_and_compare,
)

N_MARKETS = 200
SOAK_SECONDS = float(os.environ.get("KALSHIFLOW_SOAK_SECONDS", "120"))
CHECKPOINTS = 3


@pytest.fixture
def sim_config(tmp_path: Path) -> SimConfig:
    return SimConfig(
        host="127.0.0.1",
        production_port=0,
        demo_port=0,
        data_dir=tmp_path / "sim",
        seed=2026,
        n_markets=N_MARKETS,
        activity_rate=100.0,
        demo_activity_rate=0.0,
        rate_limits_enabled=False,
        listing_interval_s=0,
    )


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.mark.timeout(SOAK_SECONDS + 240)
async def test_minutes_over_200_markets_keep_books_exact_and_replayable(
    sim: SimHandle, http: aiohttp.ClientSession, database_url: URL
) -> None:
    database = Database(database_url)
    queue = WriteQueue(database_url)
    await queue.start()
    sessions = RecordingSessions(database)
    session_id = await sessions.open(sim.production.ws_url)
    data = data_client(sim.production)
    service = MarketDataService(
        data, data_stream(sim.production), queue, EventBus(), session_id=session_id,
        mode="discovery", market_limit=N_MARKETS, refresh_interval_s=None,
    )  # fmt: skip
    await service.start()
    try:
        await asyncio.wait_for(service.wait_ready(), 30)
        await eventually(lambda: service.books.stats().ready == N_MARKETS, 30, "all books")
        for _ in range(CHECKPOINTS):
            await admin(http, sim.production, "/activity", {"rate": 100})
            await asyncio.sleep(SOAK_SECONDS / CHECKPOINTS)
            await admin(http, sim.production, "/activity", {"rate": 0})
            await settle_and_compare(service, data)
        health = service.client.health()
        assert health.deltas > 20 * SOAK_SECONDS, health  # real churn, not a quiet feed
        assert (health.rejects, health.record_drops) == (0, 0)

        # Capture synchronously: no update can be applied between these two reads (resting
        # orders may still expire on the exchange afterwards and move the books on).
        live = service.books.snapshots()
        accepted = queue.stats().accepted
        await queue.flush()
        records = await load_session(database_url, session_id)
        assert len(records) >= accepted
        assert rebuild_books(records[:accepted]).snapshots() == live
    finally:
        await service.stop()
        await data.aclose()
        await queue.stop()
        await sessions.close(session_id)
        await database.engine.dispose()
