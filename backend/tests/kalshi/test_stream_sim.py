"""KalshiStream against the local exchange (``kalshiflow sim``): real signing with KalshiAuth,
live participant activity, and the simulator's own fault injection driven through its admin
HTTP API. After each fault the client must recover by itself and the book rebuilt from what
it delivered must equal the exchange's REST orderbook."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import aiohttp
import httpx
import pytest

from kalshiflow.exchange_sim.runner import EnvironmentHandle, SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_events import StreamEventKind
from kalshiflow.kalshi.stream_protocol import KalshiWsError, WsErrorCode
from tests.fixtures.sim import KalshiTestClient, v2_order
from tests.kalshi.test_stream import fast_config
from tests.kalshi.test_stream_support import BookBuilder, converge, drain, wait_for


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        yield client


async def open_tickers(http: httpx.AsyncClient, env: EnvironmentHandle, n: int) -> list[str]:
    response = await http.get(f"{env.rest_url}/markets", params={"status": "open", "limit": n})
    response.raise_for_status()
    tickers = [m["ticker"] for m in response.json()["markets"]]
    assert len(tickers) == n, "the sim fixture should have enough open markets"
    return tickers


async def admin(http: httpx.AsyncClient, env: EnvironmentHandle, path: str, **body: object) -> None:
    response = await http.post(f"{env.admin_url}/{path}", json=body)
    assert response.status_code == 200, response.text


async def sim_stream(env: EnvironmentHandle) -> KalshiStream:
    auth = KalshiAuth.from_key_file(env.key_id, env.private_key_path)
    config = fast_config(env.ws_url, command_timeout=5.0)
    stream = KalshiStream(config, auth=auth, rng=random.Random(3))
    await stream.start()
    return stream


async def settle(
    stream: KalshiStream,
    builder: BookBuilder,
    http: httpx.AsyncClient,
    env: EnvironmentHandle,
    tickers: list[str],
) -> None:
    """Stop the participants so the book holds still, then compare with REST."""
    await admin(http, env, "activity", rate=0)
    await converge(stream, builder, http, env.rest_url, tickers, timeout=10)


async def test_sim_snapshot_deltas_and_commands(
    sim: SimHandle, http: httpx.AsyncClient, http_session: aiohttp.ClientSession
) -> None:
    env = sim.production
    tickers = await open_tickers(http, env, 4)
    stream = await sim_stream(env)
    try:
        (info,) = await stream.subscribe("orderbook_delta", tickers[:2])
        builder = BookBuilder()
        # Our own resting order guarantees a delta on a subscribed market.
        await admin(http, env, f"accounts/{env.account_id}/fund", amount_dollars="10.00")
        trader = KalshiTestClient.for_env(http_session, env)
        status, body = await trader.post(
            "/portfolio/events/orders", json=v2_order(tickers[0], "bid", "0.0100", "2.00")
        )
        assert status == 201, body
        await wait_for(
            stream, builder, lambda: any(e.type == "orderbook_delta" for e in builder.events)
        )
        info = await stream.update_subscription(info.key, add_markets=[tickers[2]])
        assert info.market_tickers == frozenset(tickers[:3])
        with pytest.raises(KalshiWsError) as bad:
            await stream.subscribe("orderbook_delta", ["NO-SUCH-MARKET"])
        assert bad.value.code == WsErrorCode.MARKET_NOT_FOUND
        listed = await stream.list_subscriptions()
        assert [(e["channel"], e["sid"]) for e in listed] == [("orderbook_delta", info.sid)]
        await stream.request_snapshot(info.key)
        await settle(stream, builder, http, env, tickers[:3])
        types = {e.type for e in builder.events if e.kind is StreamEventKind.MESSAGE}
        assert types == {"orderbook_snapshot", "orderbook_delta"}
        assert builder.orphan_deltas == 0
        assert stream.health().gaps == 0
    finally:
        await stream.aclose()


async def test_sim_faults_recover_and_books_match(sim: SimHandle, http: httpx.AsyncClient) -> None:
    env = sim.production
    tickers = await open_tickers(http, env, 5)
    stream = await sim_stream(env)
    try:
        (book,) = await stream.subscribe("orderbook_delta", tickers)
        await stream.subscribe("trade", tickers)
        builder = BookBuilder()
        await wait_for(stream, builder, lambda: len(builder.books) == len(tickers))

        # 1. Every connection dropped without a close frame.
        await admin(http, env, "faults/ws/drop")
        await wait_for(stream, builder, lambda: stream.health().reconnects == 1)

        # 2. Drop, then upgrades refused with 502 and 503 for a while.
        for status in (502, 503):
            before = stream.health().reconnects
            await admin(http, env, "faults/ws/refuse", status=status, seconds=0.4)
            await admin(http, env, "faults/ws/drop")
            await wait_for(stream, builder, lambda b=before: stream.health().reconnects > b)

        # 3. A sequenced message jumps its seq number: that subscription resyncs.
        await admin(http, env, "faults/ws/skip_seq", count=1)
        await wait_for(stream, builder, lambda: stream.health().gaps >= 1, timeout=10)

        # 4. Slow delivery for a moment.
        await admin(http, env, "faults/ws/delay", seconds=0.01, duration_s=0.3)
        await asyncio.sleep(0.4)

        await settle(stream, builder, http, env, tickers)
        health = stream.health()
        assert health.connected
        reasons = [e.reason for e in builder.events if e.kind is StreamEventKind.DISCONNECTED]
        # At least one per injected drop; a loaded CI machine may add a command timeout.
        assert health.reconnects >= 3, reasons
        assert health.connect_failures >= 2
        assert health.gaps >= 1
        assert health.resyncs >= 1
        assert builder.orphan_deltas == 0
        resyncs = [e for e in builder.events if e.kind is StreamEventKind.RESYNC]
        assert resyncs
        assert all(e.sub_key == book.key or e.channel == "trade" for e in resyncs)
        assert builder.kinds().count(StreamEventKind.RECONNECTED) == health.reconnects
        listed = await stream.list_subscriptions()
        assert sorted(e["channel"] for e in listed) == ["orderbook_delta", "trade"]
    finally:
        await stream.aclose()


async def test_sim_refuses_unsigned_upgrade(sim: SimHandle) -> None:
    stream = KalshiStream(fast_config(sim.production.ws_url))
    async with stream:
        await asyncio.sleep(0.3)
        health = stream.health()
        assert not health.connected
        assert health.connect_failures >= 1
        assert "HTTP 401" in (health.last_error or "")
        builder = BookBuilder()
        await drain(stream, builder)
        assert StreamEventKind.CONNECTED not in builder.kinds()
