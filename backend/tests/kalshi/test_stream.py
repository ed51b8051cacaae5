"""KalshiStream against a real Kalshi-protocol WebSocket server on 127.0.0.1: commands,
routing, seq checking, resync, reconnect and shutdown."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace

import httpx
import pytest

from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_config import StreamConfig
from kalshiflow.kalshi.stream_events import StreamEventKind
from kalshiflow.kalshi.stream_health import ConnectionState
from kalshiflow.kalshi.stream_protocol import (
    KalshiWsError,
    StreamClosedError,
    StreamNotConnectedError,
    WsErrorCode,
)
from kalshiflow.kalshi.stream_subscriptions import SubscriptionState
from tests.kalshi.test_stream_support import (
    BookBuilder,
    FakeKalshiServer,
    FakeSigner,
    converge,
    drain,
    wait_for,
)

StreamFactory = Callable[..., Awaitable[KalshiStream]]


def fast_config(url: str, **overrides: object) -> StreamConfig:
    base = StreamConfig(
        url=url,
        backoff_base=0.02,
        backoff_max=0.2,
        liveness_timeout=5.0,
        ping_interval=None,
        open_timeout=2.0,
        command_timeout=2.0,
        proxy=None,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


@pytest.fixture
async def server() -> AsyncIterator[FakeKalshiServer]:
    srv = FakeKalshiServer()
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        yield client


@pytest.fixture
async def make_stream(server: FakeKalshiServer) -> AsyncIterator[StreamFactory]:
    streams: list[KalshiStream] = []

    async def factory(**overrides: object) -> KalshiStream:
        stream = KalshiStream(
            fast_config(server.url, **overrides), auth=FakeSigner(), rng=random.Random(7)
        )
        await stream.start()
        streams.append(stream)
        return stream

    yield factory
    for stream in streams:
        await stream.aclose()


def seed_books(server: FakeKalshiServer) -> None:
    server.apply("MKT-A", "yes", 4700, 300)
    server.apply("MKT-A", "no", 4800, 200)
    server.apply("MKT-B", "yes", 1000, 50)


async def test_subscribe_delivers_snapshot_then_deltas(
    server: FakeKalshiServer, make_stream: StreamFactory, http: httpx.AsyncClient
) -> None:
    seed_books(server)
    stream = await make_stream()
    (info,) = await stream.subscribe(["orderbook_delta"], ["MKT-A", "MKT-B"])
    assert info.channel == "orderbook_delta"
    assert info.market_tickers == frozenset({"MKT-A", "MKT-B"})
    assert info.sid is not None
    assert info.state is SubscriptionState.ACTIVE

    server.apply("MKT-A", "yes", 4700, -100)
    server.apply("MKT-A", "yes", 4900, 25)
    builder = BookBuilder()
    await converge(stream, builder, http, server.rest_url, ["MKT-A", "MKT-B"])

    messages = [e for e in builder.events if e.kind is StreamEventKind.MESSAGE]
    assert [m.type for m in messages] == [
        "orderbook_snapshot",
        "orderbook_snapshot",
        "orderbook_delta",
        "orderbook_delta",
    ]
    assert all(m.sub_key == info.key and m.channel == "orderbook_delta" for m in messages)
    assert [m.message["seq"] for m in messages] == [1, 2, 3, 4]
    assert builder.kinds()[0] is StreamEventKind.CONNECTED
    assert builder.books["MKT-A"] == {"yes": {4700: 200, 4900: 25}, "no": {4800: 200}}
    health = stream.health()
    assert health.connected
    assert health.state is ConnectionState.CONNECTED
    assert health.gaps == 0
    assert health.resyncs == 0
    assert health.reconnects == 0
    assert health.messages_received >= 5  # subscribed reply + 4 data messages


async def test_upgrade_is_signed_for_ws_path_and_secret_never_logged(
    server: FakeKalshiServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    signer = FakeSigner()
    stream = KalshiStream(fast_config(server.url), auth=signer)
    async with stream:
        await stream.subscribe("trade", ["MKT-A"])
        server.drop_all()
        await wait_for(stream, BookBuilder(), lambda: stream.health().reconnects >= 1)
        await stream.subscribe("ticker")
    assert signer.calls[:2] == [("GET", "/trade-api/ws/v2")] * 2
    assert len(server.upgrade_headers) >= 2
    assert all(h["KALSHI-ACCESS-KEY"] == "key-id" for h in server.upgrade_headers)
    # The test server's own debug log prints what it received; only the client side counts.
    client_log = [r.getMessage() for r in caplog.records if r.name != "websockets.server"]
    assert any("KALSHI-ACCESS-SIGNATURE: <redacted>" in line for line in client_log)
    assert not any(FakeSigner.SECRET in line for line in client_log)


async def test_unsigned_connection_is_refused_and_retried(server: FakeKalshiServer) -> None:
    stream = KalshiStream(fast_config(server.url))  # no auth: the server answers 401
    async with stream:
        await wait_for(stream, BookBuilder(), lambda: stream.health().connect_failures >= 2)
        health = stream.health()
        assert not health.connected
        assert health.last_error is not None
        assert "HTTP 401" in health.last_error
        assert "API key" in health.last_error


async def test_update_subscription_add_and_delete_markets(
    server: FakeKalshiServer, make_stream: StreamFactory, http: httpx.AsyncClient
) -> None:
    seed_books(server)
    stream = await make_stream()
    (info,) = await stream.subscribe("orderbook_delta", ["MKT-A"])
    builder = BookBuilder()
    await drain(stream, builder)
    assert set(builder.books) == {"MKT-A"}

    info = await stream.update_subscription(info.key, add_markets=["MKT-B"])
    assert info.market_tickers == frozenset({"MKT-A", "MKT-B"})
    await converge(stream, builder, http, server.rest_url, ["MKT-A", "MKT-B"])

    info = await stream.update_subscription(info.key, delete_markets=["MKT-A"])
    assert info.market_tickers == frozenset({"MKT-B"})
    before = len(builder.events)
    server.apply("MKT-A", "yes", 2000, 5)
    server.apply("MKT-B", "yes", 2000, 5)
    await drain(stream, builder)
    tickers = [e.message["msg"]["market_ticker"] for e in builder.events[before:]]
    assert tickers == ["MKT-B"]
    sent = [c["params"]["action"] for c in server.commands if c["cmd"] == "update_subscription"]
    assert sent == ["add_markets", "delete_markets"]


async def test_error_replies_raise_typed_errors(
    server: FakeKalshiServer, make_stream: StreamFactory
) -> None:
    stream = await make_stream()
    with pytest.raises(KalshiWsError) as unknown_channel:
        await stream.subscribe("no_such_channel")
    assert unknown_channel.value.code == WsErrorCode.UNKNOWN_CHANNEL
    assert "error 8" in str(unknown_channel.value)

    with pytest.raises(KalshiWsError) as unknown_market:
        await stream.subscribe("orderbook_delta", ["NOPE"])
    assert unknown_market.value.code == WsErrorCode.MARKET_NOT_FOUND
    assert unknown_market.value.market_ticker == "NOPE"
    assert stream.subscriptions() == ()

    (info,) = await stream.subscribe("orderbook_delta", ["MKT-A"])
    with pytest.raises(KalshiWsError) as bad_add:
        await stream.update_subscription(info.key, add_markets=["NOPE"])
    assert bad_add.value.code == WsErrorCode.MARKET_NOT_FOUND
    # The refused market is rolled back from the desired state.
    assert stream.subscription(info.key).market_tickers == frozenset({"MKT-A"})


async def test_multi_channel_subscribe_is_all_or_nothing(
    server: FakeKalshiServer, make_stream: StreamFactory
) -> None:
    stream = await make_stream()
    with pytest.raises(KalshiWsError):
        await stream.subscribe(["trade", "bogus"], ["MKT-A"])
    await asyncio.sleep(0.1)  # let the rollback unsubscribe reach the server
    assert stream.subscriptions() == ()
    assert await stream.list_subscriptions() == []

    trade, ticker = await stream.subscribe(["trade", "ticker"], ["MKT-A"])
    listed = await stream.list_subscriptions()
    assert sorted((e["channel"], e["sid"]) for e in listed) == sorted(
        [("trade", trade.sid), ("ticker", ticker.sid)]
    )
    await stream.unsubscribe(trade.key)
    assert [e["channel"] for e in await stream.list_subscriptions()] == ["ticker"]


async def test_messages_are_routed_by_sid(
    server: FakeKalshiServer, make_stream: StreamFactory
) -> None:
    stream = await make_stream()
    (book,) = await stream.subscribe("orderbook_delta", ["MKT-A"])
    (trades,) = await stream.subscribe("trade", ["MKT-A"])
    server.publish_trade("MKT-A")
    server.apply("MKT-A", "yes", 100, 1)
    builder = BookBuilder()
    await drain(stream, builder)
    routed = [(e.sub_key, e.type) for e in builder.events if e.kind is StreamEventKind.MESSAGE]
    assert (trades.key, "trade") in routed
    assert (book.key, "orderbook_delta") in routed
    assert (book.key, "orderbook_snapshot") in routed
    assert all(key == (trades.key if kind == "trade" else book.key) for key, kind in routed)


async def test_aclose_stops_every_task_and_ends_iteration(
    server: FakeKalshiServer,
) -> None:
    stream = KalshiStream(fast_config(server.url), auth=FakeSigner())
    await stream.start()
    await stream.subscribe("orderbook_delta", ["MKT-A", "MKT-B"])
    consumer = asyncio.create_task(_consume_all(stream))
    await asyncio.sleep(0.05)
    await stream.aclose()
    await asyncio.wait_for(consumer, 2)
    leftovers = [t for t in asyncio.all_tasks() if t.get_name().startswith("kalshi-stream")]
    assert leftovers == []
    assert stream.health().state is ConnectionState.CLOSED
    with pytest.raises(StreamClosedError):
        await stream.subscribe("trade")
    await asyncio.sleep(0.1)
    assert not server.conns  # the server saw the close


async def _consume_all(stream: KalshiStream) -> int:
    count = 0
    async for _event in stream.events():
        count += 1
    return count


async def test_subscribe_waits_for_connection(server: FakeKalshiServer) -> None:
    server.refuse_upgrades(503, 0.3)
    stream = KalshiStream(fast_config(server.url), auth=FakeSigner())
    async with stream:
        (info,) = await asyncio.wait_for(stream.subscribe("trade", ["MKT-A"]), 5)
        assert info.sid is not None
        assert stream.health().connect_failures >= 1
        assert "HTTP 503" in (stream.health().last_error or "")


async def test_identical_subscription_is_refused_not_shared(
    server: FakeKalshiServer, make_stream: StreamFactory
) -> None:
    server.dedupe_subscriptions = True  # Kalshi answers a repeat with the existing sid
    stream = await make_stream()
    (first,) = await stream.subscribe("orderbook_delta", ["MKT-A"])
    with pytest.raises(KalshiWsError) as dup:
        await stream.subscribe("orderbook_delta", ["MKT-A"])
    assert dup.value.code == WsErrorCode.ALREADY_SUBSCRIBED
    assert f"subscription {first.key}" in str(dup.value)
    assert [i.key for i in stream.subscriptions()] == [first.key]
    assert stream.subscription(first.key).sid == first.sid


async def test_pending_subscribe_fails_cleanly_on_close(server: FakeKalshiServer) -> None:
    server.refuse_upgrades(503, 60)
    stream = KalshiStream(fast_config(server.url), auth=FakeSigner())
    await stream.start()
    pending = asyncio.create_task(stream.subscribe("trade", ["MKT-A"]))
    await asyncio.sleep(0.1)
    assert not pending.done()
    with pytest.raises(StreamNotConnectedError):
        await stream.list_subscriptions()
    await stream.aclose()
    with pytest.raises(StreamClosedError):
        await pending


async def test_cancelled_subscribe_leaves_nothing_behind(server: FakeKalshiServer) -> None:
    server.refuse_upgrades(503, 0.3)
    stream = KalshiStream(fast_config(server.url), auth=FakeSigner())
    async with stream:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.1):
                await stream.subscribe("trade", ["MKT-A"])
        assert stream.subscriptions() == ()
        await stream.wait_connected()
        await asyncio.sleep(0.1)
        assert await stream.list_subscriptions() == []


async def test_forced_reconnect_restores_with_new_connection(
    server: FakeKalshiServer, make_stream: StreamFactory, http: httpx.AsyncClient
) -> None:
    seed_books(server)
    stream = await make_stream()
    (info,) = await stream.subscribe("orderbook_delta", ["MKT-A"])
    await stream.reconnect("operator asked")
    builder = BookBuilder()
    await wait_for(stream, builder, lambda: stream.health().reconnects == 1)
    await converge(stream, builder, http, server.rest_url, ["MKT-A"])
    disconnected = [e for e in builder.events if e.kind is StreamEventKind.DISCONNECTED]
    assert [e.reason for e in disconnected] == ["operator asked"]
    assert stream.subscription(info.key).state is SubscriptionState.ACTIVE
    assert server.accepted == 2


async def test_request_snapshot_resends_books(
    server: FakeKalshiServer, make_stream: StreamFactory
) -> None:
    seed_books(server)
    stream = await make_stream()
    (info,) = await stream.subscribe("orderbook_delta", ["MKT-A", "MKT-B"])
    builder = BookBuilder()
    await drain(stream, builder)
    await stream.request_snapshot(info.key, ["MKT-B"])
    await drain(stream, builder)
    snapshots = [
        e.message["msg"]["market_ticker"] for e in builder.events if e.type == "orderbook_snapshot"
    ]
    assert snapshots == ["MKT-A", "MKT-B", "MKT-B"]
    assert stream.health().gaps == 0
