"""The recorder end to end: the local exchange's stream, the real OrderbookClient and
discovery, the WriteQueue and a real PostgreSQL. What was recorded replays into the very
books the live feed held."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy.engine import URL

from kalshiflow.components.recorder import RecorderComponent
from kalshiflow.config import DataFeedSettings
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.rest import KalshiRestClient
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.records import SnapshotRecord
from kalshiflow.persistence.replay import load_session, rebuild_books


async def test_a_recorded_session_replays_into_the_live_books(
    sim: SimHandle, database_url: URL
) -> None:
    env = sim.production
    auth = KalshiAuth.from_key_file(env.key_id, env.private_key_path)
    db = Database(database_url)
    data = KalshiDataClient(KalshiRestClient(env.rest_url, auth))
    recorder = RecorderComponent(
        db,
        stream_url=env.ws_url,
        auth=auth,
        data_client=data,
        feed=DataFeedSettings(market_mode="discovery", market_limit=5),
        sync_interval_s=0.2,
    )
    # A session a previous run left active: the recorder must mark it crashed at start.
    stale = await recorder.sessions.open("ws://127.0.0.1:1/old", ["OLD"])
    await recorder.start()
    try:
        sid = recorder.session_id
        client = recorder.client
        deadline = time.monotonic() + 20
        while client.counters.deltas < 60 or len(client.watched()) < 5:
            assert time.monotonic() < deadline, client.counters
            await asyncio.sleep(0.05)
        # Synchronous capture: no record can be accepted between these two reads.
        accepted = recorder.queue.stats().accepted
        live = {t: b.snapshot() for t, b in client.books.books().items() if b.ready}
        watched = tuple(sorted(client.watched()))
        await asyncio.sleep(0.3)  # keep recording past the capture point (if it is busy)
    finally:
        await recorder.stop()

    info = await recorder.sessions.get(sid)
    stale_info = await recorder.sessions.get(stale)
    markets = [await recorder.markets.get(t) for t in watched]
    await data.aclose()
    await db.dispose()

    assert stale_info is not None
    assert stale_info.status == "crashed"
    assert info is not None
    assert (info.status, info.environment) == ("closed", "simulated")
    assert info.market_tickers == watched
    assert info.drops == 0
    assert info.rows_written == recorder.queue.stats().written >= accepted
    assert all(m is not None and m.event_ticker for m in markets)

    records = await load_session(database_url, sid)
    assert len(records) == info.rows_written
    assert {r.market_ticker for r in records if isinstance(r, SnapshotRecord)} == set(watched)
    replayed = rebuild_books(records[:accepted])
    assert replayed.rejected_deltas == 0
    assert live
    assert {t: replayed.books[t].snapshot() for t in live} == live
