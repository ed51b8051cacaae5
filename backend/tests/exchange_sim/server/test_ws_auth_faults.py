"""Signed upgrades, heartbeat pings, fault hooks and the slow-client guard, over real sockets."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from kalshiflow.exchange_sim.engine import BookSide, MarketSpec
from kalshiflow.exchange_sim.server.ws import HEARTBEAT_PAYLOAD
from kalshiflow.exchange_sim.server.ws_fanout import WsConfig
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Price, parse_money
from tests.exchange_sim.server.test_ws_support import (
    EVENT,
    TICKERS,
    Sim,
    make_exchange,
    order,
    run_sim,
    sign_headers,
)

A = TICKERS[0]


async def _handshake_status(sim: Sim, headers: dict[str, str]) -> int:
    with pytest.raises(aiohttp.WSServerHandshakeError) as info:
        await sim.session.ws_connect(sim.url, headers=headers)
    return info.value.status


async def _body(sim: Sim, headers: dict[str, str]) -> tuple[int, object]:
    async with sim.session.get(sim.url, headers=headers) as resp:
        return resp.status, orjson.loads(await resp.read())


async def test_upgrade_requires_a_valid_signature() -> None:
    async with run_sim() as sim:
        now = time.time_ns() // 1_000_000
        cases: list[tuple[dict[str, str], dict[str, object]]] = [
            (
                {},
                {
                    "error": {
                        "code": "signature_is_missing_from_headers",
                        "message": "signature is missing from headers",
                    }
                },
            ),
            (
                {**sign_headers("alice"), "KALSHI-ACCESS-KEY": "key-nobody"},
                {
                    "error": {
                        "code": "authentication_error",
                        "message": "authentication_error",
                        "details": "NOT_FOUND",
                    }
                },
            ),
            (
                # Signed with a key that is not the registered one.
                sign_headers("alice", key=rsa.generate_private_key(65537, 2048)),
                {
                    "error": {
                        "code": "authentication_error",
                        "message": "authentication_error",
                        "details": "INCORRECT_API_KEY_SIGNATURE",
                    }
                },
            ),
            (
                # The REST prefix signed instead of the WebSocket path.
                sign_headers("alice", path="/trade-api/v2"),
                {
                    "error": {
                        "code": "authentication_error",
                        "message": "authentication_error",
                        "details": "INCORRECT_API_KEY_SIGNATURE",
                    }
                },
            ),
            (
                sign_headers("alice", pss=False),
                {
                    "error": {
                        "code": "authentication_error",
                        "message": "authentication_error",
                        "details": "INCORRECT_API_KEY_SIGNATURE",
                    }
                },
            ),
            (
                sign_headers("alice", ts_ms=now - 60_000),
                {
                    "error": {
                        "code": "header_timestamp_expired",
                        "message": "header timestamp expired",
                    }
                },
            ),
        ]
        for headers, body in cases:
            assert await _handshake_status(sim, headers) == 401
            assert await _body(sim, headers) == (401, body)
        # The correctly signed upgrade succeeds and works.
        client = await sim.connect("alice")
        await client.subscribe(["trade"])


async def test_refused_upgrades_for_a_while() -> None:
    async with run_sim() as sim:
        sim.faults.refuse_ws_upgrades(503, 0.3)
        assert await _handshake_status(sim, sign_headers("alice")) == 503
        sim.faults.refuse_ws_upgrades(502, 0.3)
        assert await _handshake_status(sim, sign_headers("alice")) == 502
        await asyncio.sleep(0.35)
        client = await sim.connect("alice")
        await client.subscribe(["trade"])


async def test_drop_all_closes_without_close_frame() -> None:
    async with run_sim() as sim:
        first = await sim.connect("alice")
        second = await sim.connect("bob")
        await first.subscribe(["trade"])
        await second.subscribe(["trade"])
        assert sim.faults.open_ws_connections == 2
        assert sim.faults.drop_all_ws() == 2
        for client in (first, second):
            msg = await client.ws.receive(timeout=5)
            # No CLOSE frame from the server: the client sees the stream end abnormally.
            assert msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
            assert client.ws.close_code != 1000
        for _ in range(50):
            if not sim.hub.connections:
                break
            await asyncio.sleep(0.02)
        assert not sim.hub.connections
        # Reconnecting works at once.
        again = await sim.connect("alice")
        await again.subscribe(["trade"])


async def test_skip_seq_makes_a_gap_once() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["orderbook_delta"], market_ticker=A)
        assert [m["seq"] for m in await client.drain()] == [1]
        sim.faults.skip_seq()
        order(sim.exchange, "bob", A, BookSide.BID, "0.3000", "1.00")
        order(sim.exchange, "bob", A, BookSide.BID, "0.3100", "1.00")
        assert [m["seq"] for m in await client.drain()] == [3, 4]
        # The client resyncs with get_snapshot; the stream continues from there.
        await client.send("update_subscription", {"sid": 1, "action": "get_snapshot"})
        got = await client.drain()
        assert [(m["type"], m.get("seq")) for m in got] == [("ok", 4), ("orderbook_snapshot", 5)]


async def test_delayed_messages() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["orderbook_delta"], market_ticker=A)
        await client.drain()
        sim.faults.delay_ws_messages(0.3, duration_s=5)
        started = time.monotonic()
        order(sim.exchange, "bob", A, BookSide.BID, "0.3000", "1.00")
        delta = await client.recv()
        assert delta["type"] == "orderbook_delta"
        assert time.monotonic() - started >= 0.29
        sim.faults.delay_ws_messages(0)
        started = time.monotonic()
        order(sim.exchange, "bob", A, BookSide.BID, "0.3100", "1.00")
        await client.recv()
        assert time.monotonic() - started < 0.25


async def test_server_pings_with_heartbeat_payload() -> None:
    async with run_sim(WsConfig(ping_interval_s=0.1)) as sim:
        ws = await sim.session.ws_connect(sim.url, headers=sign_headers("alice"), autoping=False)
        try:
            pings = []
            for _ in range(2):
                msg = await ws.receive(timeout=2)
                assert msg.type == aiohttp.WSMsgType.PING
                pings.append(msg.data)
                await ws.pong(msg.data)
            assert pings == [HEARTBEAT_PAYLOAD, HEARTBEAT_PAYLOAD]
        finally:
            await ws.close()


async def test_slow_client_is_closed_with_error_25_and_exchange_never_blocks() -> None:
    config = WsConfig(ping_interval_s=30, max_queue_bytes=20_000, close_timeout_s=0.5)
    async with run_sim(config) as sim:
        slow = await sim.connect("alice")
        fast = await sim.connect("bob")
        await slow.subscribe(["orderbook_delta"], market_tickers=list(TICKERS))
        await fast.subscribe(["orderbook_delta"], market_tickers=list(TICKERS))
        await slow.drain()
        await fast.drain()
        # The delay fault stalls every writer; the slow client's queue then outgrows its
        # limit while the engine keeps running at full speed.
        sim.faults.delay_ws_messages(10, duration_s=0.5)
        started = time.monotonic()
        for i in range(200):
            order(sim.exchange, "carol", A, BookSide.BID, f"0.{10 + i % 40:02d}00", "1.00")
        assert time.monotonic() - started < 2
        error = await slow.recv(timeout=5)
        assert error == {
            "type": "error",
            "sid": 1,
            "msg": {"code": 25, "msg": "Subscription buffer overflow"},
        }
        closing = await slow.ws.receive(timeout=5)
        assert closing.type == aiohttp.WSMsgType.CLOSE
        assert closing.data == 1008
        assert "overflow" in str(closing.extra)
        # Bob's connection overflowed too (same stall); after the stall a new client works.
        sim.faults.delay_ws_messages(0)
        fresh = await sim.connect("carol")
        await fresh.subscribe(["orderbook_delta"], market_ticker=A)
        snapshot = (await fresh.drain())[0]
        assert snapshot["type"] == "orderbook_snapshot"
        assert len(snapshot["msg"]["yes_dollars_fp"]) == 40


async def test_handler_mounted_without_setup_creates_its_hub() -> None:
    # app.py mounts handle_ws directly; the first upgrade builds the hub for that app.
    async with run_sim(lazy=True) as sim:
        client = await sim.connect()
        await client.subscribe(["orderbook_delta"], market_ticker=A)
        order(sim.exchange, "bob", A, BookSide.BID, "0.3000", "1.00")
        got = await client.drain()
        assert [m["type"] for m in got] == ["orderbook_snapshot", "orderbook_delta"]


async def test_client_that_stops_reading_is_cut_off_by_tcp_backpressure() -> None:
    # No fault injection: the client simply stops reading, so the kernel buffers fill, the
    # transport stops taking data, the server-side queue outgrows its limit and the server
    # drops the connection. Meanwhile the engine and a reading client carry on unharmed.
    ex, clock = make_exchange()
    ex.add_market(
        MarketSpec(
            ticker="KXTEST-26NOV22-FINE",
            event_ticker=EVENT,
            title="fine ticks",
            open_time=clock.now // 1000 - 60,
            close_time=clock.now // 1000 + 3600,
            price_ranges=((Price(0), ONE_DOLLAR, Price(1)),),
        )
    )
    makers = [f"maker-{k}" for k in range(40)]
    for maker in makers:
        ex.create_account(maker, parse_money("1000"))
    for i in range(2000):  # spread over accounts: the engine's per-account work grows with orders
        account = makers[i % len(makers)]
        order(ex, account, "KXTEST-26NOV22-FINE", BookSide.BID, f"0.{1000 + i:04d}", "1.00")
    config = WsConfig(ping_interval_s=30, max_queue_bytes=1_000_000, close_timeout_s=0.3)
    async with run_sim(config, exchange=(ex, clock)) as sim:
        stalled = await sim.connect("alice")
        healthy = await sim.connect("carol")
        await stalled.subscribe(["orderbook_delta"], market_ticker="KXTEST-26NOV22-FINE")
        await healthy.subscribe(["orderbook_delta"], market_ticker=A)
        for _ in range(400):  # ~45 KB snapshot each, never read by the client
            await stalled.send("update_subscription", {"sid": 1, "action": "get_snapshot"})
        for _ in range(200):
            if not any(c.subs and c.account_id == "alice" for c in sim.hub.connections):
                break
            await asyncio.sleep(0.05)
        assert not any(c.account_id == "alice" for c in sim.hub.connections)
        started = time.monotonic()
        order(ex, "bob", A, BookSide.BID, "0.2000", "1.00")
        assert time.monotonic() - started < 0.5
        got = await healthy.drain()
        assert [m["type"] for m in got] == ["orderbook_snapshot", "orderbook_delta"]
        # The stalled client, reading at last, finds a truncated stream that ends.
        received = 0
        while True:
            msg = await stalled.ws.receive(timeout=5)
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            received += 1
        assert received < 400
