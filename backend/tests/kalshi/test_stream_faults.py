"""KalshiStream recovering on its own from injected faults (real sockets): dropped
connections, refused upgrades, lost messages (seq gaps), silence, a slow consumer and terminal
channel errors. Each test ends by comparing the book rebuilt from what the stream delivered
with the exchange's REST orderbook."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import httpx
import pytest

from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_events import StreamEventKind
from kalshiflow.kalshi.stream_subscriptions import SubscriptionState
from tests.kalshi.test_stream import fast_config
from tests.kalshi.test_stream_support import (
    BookBuilder,
    FakeKalshiServer,
    FakeSigner,
    converge,
    drain,
    wait_for,
)

TICKERS = ["MKT-A", "MKT-B", "MKT-C"]


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        yield client


async def start_pair(
    server_kwargs: dict[str, object] | None = None, **config: object
) -> tuple[FakeKalshiServer, KalshiStream]:
    server = FakeKalshiServer(TICKERS, **(server_kwargs or {}))  # type: ignore[arg-type]
    await server.start()
    rng = random.Random(11)
    for _ in range(30):
        server.random_step(rng)
    stream = KalshiStream(fast_config(server.url, **config), auth=FakeSigner(), rng=rng)
    await stream.start()
    return server, stream


async def stop_pair(server: FakeKalshiServer, stream: KalshiStream) -> None:
    await stream.aclose()
    await server.stop()


async def churn(
    server: FakeKalshiServer,
    steps: int,
    seed: int,
    consumer: BookBuilder | None = None,
    stream: KalshiStream | None = None,
) -> None:
    rng = random.Random(seed)
    for _ in range(steps):
        server.random_step(rng)
        await asyncio.sleep(0)
        if consumer is not None and stream is not None:
            event = stream.next_event_nowait()
            if event is not None:
                consumer.feed(event)


async def test_dropped_connections_restore_subscriptions(http: httpx.AsyncClient) -> None:
    server, stream = await start_pair()
    try:
        (book_sub,) = await stream.subscribe("orderbook_delta", TICKERS)
        (trade_sub,) = await stream.subscribe("trade", ["MKT-A"])
        builder = BookBuilder()
        first_sid = book_sub.sid
        for round_ in range(3):
            await churn(server, 40, seed=round_)
            assert server.drop_all() == 1
            await wait_for(stream, builder, lambda r=round_: stream.health().reconnects > r)
            await churn(server, 40, seed=100 + round_)
        await converge(stream, builder, http, server.rest_url, TICKERS)

        health = stream.health()
        assert health.reconnects == 3
        assert health.disconnects == 3
        assert health.gaps == 0
        assert builder.orphan_deltas == 0
        assert builder.kinds().count(StreamEventKind.RECONNECTED) == 3
        assert builder.kinds().count(StreamEventKind.DISCONNECTED) == 3
        # Both subscriptions came back by themselves, on the new connection's sids.
        listed = await stream.list_subscriptions()
        assert sorted(e["channel"] for e in listed) == ["orderbook_delta", "trade"]
        infos = {i.key: i for i in stream.subscriptions()}
        assert infos[book_sub.key].state is SubscriptionState.ACTIVE
        assert infos[trade_sub.key].sid in {e["sid"] for e in listed}
        assert first_sid is not None
        server.publish_trade("MKT-A")
        await wait_for(
            stream,
            builder,
            lambda: any(e.type == "trade" and e.sub_key == trade_sub.key for e in builder.events),
        )
    finally:
        await stop_pair(server, stream)


@pytest.mark.parametrize("status", [502, 503])
async def test_refused_upgrades_are_retried_with_backoff(
    http: httpx.AsyncClient, status: int
) -> None:
    server, stream = await start_pair()
    try:
        await stream.subscribe("orderbook_delta", TICKERS)
        builder = BookBuilder()
        await drain(stream, builder)
        server.refuse_upgrades(status, 0.6)
        server.drop_all()
        await churn(server, 30, seed=5)
        await wait_for(stream, builder, lambda: stream.health().reconnects >= 1)
        await converge(stream, builder, http, server.rest_url, TICKERS)
        health = stream.health()
        assert health.connect_failures >= 2  # several attempts within the 0.6 s refusal
        assert health.reconnects == 1
        assert builder.orphan_deltas == 0
    finally:
        await stop_pair(server, stream)


@pytest.mark.parametrize("support_get_snapshot", [True, False])
async def test_skipped_seq_resyncs_only_that_subscription(
    http: httpx.AsyncClient, support_get_snapshot: bool
) -> None:
    server, stream = await start_pair({"support_get_snapshot": support_get_snapshot})
    try:
        (sub_ab,) = await stream.subscribe("orderbook_delta", ["MKT-A", "MKT-B"])
        (sub_c,) = await stream.subscribe("orderbook_delta", ["MKT-C"])
        builder = BookBuilder()
        await drain(stream, builder)
        server.skip_seq(1)
        server.apply("MKT-A", "yes", 5500, 10)  # lost: its seq number is skipped
        server.apply("MKT-A", "yes", 5600, 10)  # arrives with a gap -> resync
        await churn(server, 20, seed=9)
        await converge(stream, builder, http, server.rest_url, TICKERS)

        health = stream.health()
        assert health.gaps == 1
        assert health.resyncs == 1
        assert health.reconnects == 0
        resyncs = [e for e in builder.events if e.kind is StreamEventKind.RESYNC]
        assert len(resyncs) == 1
        assert resyncs[0].sub_key == sub_ab.key
        assert resyncs[0].market_tickers == frozenset({"MKT-A", "MKT-B"})
        assert "gap" in resyncs[0].reason
        assert builder.orphan_deltas == 0
        assert stream.subscription(sub_ab.key).state is SubscriptionState.ACTIVE
        assert stream.subscription(sub_c.key).sid == sub_c.sid  # untouched
        actions = [c["params"].get("action") for c in server.commands]
        assert "get_snapshot" in actions
        if not support_get_snapshot:
            # Fallback: unsubscribe + subscribe gave the subscription a new sid.
            assert stream.subscription(sub_ab.key).sid != sub_ab.sid
            assert any(c["cmd"] == "unsubscribe" for c in server.commands)
    finally:
        await stop_pair(server, stream)


async def test_silent_connection_is_replaced(http: httpx.AsyncClient) -> None:
    server, stream = await start_pair(liveness_timeout=0.4, ping_interval=0.1)
    try:
        await stream.subscribe("orderbook_delta", TICKERS)
        builder = BookBuilder()
        await asyncio.sleep(0.6)  # pings answered: quiet but alive, no reconnect
        assert stream.health().reconnects == 0
        server.freeze()
        await churn(server, 10, seed=3)
        await wait_for(stream, builder, lambda: stream.health().reconnects >= 1)
        await converge(stream, builder, http, server.rest_url, TICKERS)
        health = stream.health()
        assert health.silences >= 1
        assert health.last_message_age is not None
        assert health.last_message_age < 0.4
    finally:
        await stop_pair(server, stream)


async def test_slow_consumer_never_blocks_reader_and_resyncs(http: httpx.AsyncClient) -> None:
    server, stream = await start_pair(queue_max_messages=20, queue_low_water=5)
    try:
        (sub,) = await stream.subscribe("orderbook_delta", TICKERS)
        await churn(server, 200, seed=4)  # nobody consumes meanwhile
        await asyncio.sleep(0.2)
        health = stream.health()
        assert health.messages_received >= 200  # the reader kept reading
        assert health.overflows == 1
        assert health.dropped_messages > 0
        assert stream.subscription(sub.key).state is SubscriptionState.OVERFLOWED

        builder = BookBuilder()
        await converge(stream, builder, http, server.rest_url, TICKERS)
        resyncs = [e for e in builder.events if e.kind is StreamEventKind.RESYNC]
        assert len(resyncs) == 1
        assert "fell behind" in resyncs[0].reason
        assert stream.subscription(sub.key).state is SubscriptionState.ACTIVE
        assert builder.orphan_deltas == 0
    finally:
        await stop_pair(server, stream)


async def test_terminal_channel_error_resubscribes(http: httpx.AsyncClient) -> None:
    server, stream = await start_pair()
    try:
        (sub,) = await stream.subscribe("orderbook_delta", TICKERS)
        builder = BookBuilder()
        await drain(stream, builder)
        assert sub.sid is not None
        server.send_channel_error(sub.sid, 17)
        await churn(server, 20, seed=6)
        await converge(stream, builder, http, server.rest_url, TICKERS)
        assert stream.subscription(sub.key).sid not in (None, sub.sid)
        assert stream.health().resyncs == 1
    finally:
        await stop_pair(server, stream)


async def test_changes_while_disconnected_apply_on_reconnect(http: httpx.AsyncClient) -> None:
    server, stream = await start_pair()
    try:
        (sub,) = await stream.subscribe("orderbook_delta", ["MKT-A"])
        server.refuse_upgrades(503, 0.5)
        server.drop_all()
        await asyncio.sleep(0.05)
        assert not stream.health().connected
        info = await asyncio.wait_for(stream.update_subscription(sub.key, add_markets=["MKT-C"]), 5)
        assert info.market_tickers == frozenset({"MKT-A", "MKT-C"})
        builder = BookBuilder()
        await converge(stream, builder, http, server.rest_url, ["MKT-A", "MKT-C"])
        subscribes = [c for c in server.commands if c["cmd"] == "subscribe"]
        assert subscribes[-1]["params"]["market_tickers"] == ["MKT-A", "MKT-C"]
    finally:
        await stop_pair(server, stream)


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
async def test_delayed_messages_and_chaos_converge(http: httpx.AsyncClient, seed: int) -> None:
    server, stream = await start_pair()
    try:
        await stream.subscribe("orderbook_delta", TICKERS)
        builder = BookBuilder()
        server.delay = 0.002
        rng = random.Random(seed)
        for step in range(6):
            await churn(server, 25, seed=seed * 100 + step, consumer=builder, stream=stream)
            fault = rng.choice(["drop", "skip", "refuse", "skip_twice"])
            if fault == "drop":
                server.drop_all()
            elif fault == "skip":
                server.skip_seq(1)
            elif fault == "skip_twice":
                server.skip_seq(2)
            else:
                server.refuse_upgrades(503, 0.2)
                server.drop_all()
            await asyncio.sleep(0.05)
        server.delay = 0.0
        await converge(stream, builder, http, server.rest_url, TICKERS, timeout=10)
        assert builder.orphan_deltas == 0
        health = stream.health()
        assert health.reconnects + health.resyncs >= 1
    finally:
        await stop_pair(server, stream)


async def test_vanished_market_is_dropped_alone_on_restore(http: httpx.AsyncClient) -> None:
    server, stream = await start_pair()
    try:
        (sub,) = await stream.subscribe("orderbook_delta", TICKERS)
        builder = BookBuilder()
        await drain(stream, builder)
        del server.books["MKT-B"]  # delisted while the client is disconnected
        server.drop_all()
        await wait_for(stream, builder, lambda: stream.health().reconnects == 1)
        await converge(stream, builder, http, server.rest_url, ["MKT-A", "MKT-C"])
        errors = [e for e in builder.events if e.kind is StreamEventKind.SUBSCRIPTION_ERROR]
        assert len(errors) == 1
        assert errors[0].sub_key == sub.key
        assert errors[0].market_tickers == frozenset({"MKT-B"})
        assert "error 16" in errors[0].reason
        info = stream.subscription(sub.key)
        assert info.market_tickers == frozenset({"MKT-A", "MKT-C"})
        assert info.state is SubscriptionState.ACTIVE
    finally:
        await stop_pair(server, stream)


async def test_refused_restore_removes_the_subscription(http: httpx.AsyncClient) -> None:
    server, stream = await start_pair()
    try:
        (sub,) = await stream.subscribe("orderbook_delta", ["MKT-B"])
        (kept,) = await stream.subscribe("trade", ["MKT-A"])
        builder = BookBuilder()
        del server.books["MKT-B"]
        server.drop_all()
        await wait_for(
            stream,
            builder,
            lambda: StreamEventKind.SUBSCRIPTION_ERROR in builder.kinds(),
        )
        assert [i.key for i in stream.subscriptions()] == [kept.key]
        (error,) = [e for e in builder.events if e.kind is StreamEventKind.SUBSCRIPTION_ERROR]
        assert error.sub_key == sub.key
        assert error.market_tickers == frozenset({"MKT-B"})
    finally:
        await stop_pair(server, stream)


async def test_get_snapshot_without_snapshots_falls_back_to_resubscribe(
    http: httpx.AsyncClient,
) -> None:
    server, stream = await start_pair(command_timeout=0.3)
    server.mute_get_snapshot = True
    try:
        (sub,) = await stream.subscribe("orderbook_delta", TICKERS)
        builder = BookBuilder()
        await drain(stream, builder)
        server.skip_seq(1)
        await churn(server, 20, seed=8)
        await converge(stream, builder, http, server.rest_url, TICKERS)
        cmds = [c["cmd"] for c in server.commands]
        assert "unsubscribe" in cmds
        assert stream.subscription(sub.key).sid != sub.sid
        assert stream.subscription(sub.key).state is SubscriptionState.ACTIVE
        assert stream.health().reconnects == 0
    finally:
        await stop_pair(server, stream)


async def test_gap_during_resync_asks_again_without_waiting(http: httpx.AsyncClient) -> None:
    # A long command timeout: recovering by the timeout fallback would miss the deadline.
    server, stream = await start_pair(command_timeout=5.0)
    try:
        (sub,) = await stream.subscribe("orderbook_delta", TICKERS)
        builder = BookBuilder()
        await drain(stream, builder)

        def second_gap() -> None:
            server.skip_seq(1)
            server.apply("MKT-A", "no", 300, 7)  # lost
            server.apply("MKT-C", "no", 300, 7)  # gap, between the resync's snapshots

        server.after_first_resync_snapshot = second_gap
        server.skip_seq(1)
        server.apply("MKT-B", "yes", 300, 5)  # lost
        server.apply("MKT-B", "yes", 400, 5)  # first gap
        await converge(stream, builder, http, server.rest_url, TICKERS, timeout=2.0)
        health = stream.health()
        assert health.gaps == 2
        assert health.resyncs == 2
        snapshot_requests = [
            c for c in server.commands if c["params"].get("action") == "get_snapshot"
        ]
        assert len(snapshot_requests) == 2
        assert stream.subscription(sub.key).sid == sub.sid  # no resubscribe was needed
    finally:
        await stop_pair(server, stream)
