"""Every channel's message shapes over a real socket, and private-channel isolation."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import aiohttp
import orjson

from kalshiflow.exchange_sim.engine import BookSide, Event, MarketSpec, TimeInForce
from kalshiflow.exchange_sim.server.ws_channels import envelope, levels_fp, market_id, rfc3339_ms
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Price, format_money, parse_money
from tests.exchange_sim.server.test_ws_support import (
    EVENT,
    SERIES,
    TICKERS,
    add_market,
    make_exchange,
    order,
    run_sim,
)

A, B, C = TICKERS


def _types(messages: list[dict[str, Any]]) -> list[str]:
    return [m["type"] for m in messages]


async def test_orderbook_snapshot_and_delta_shapes() -> None:
    async with run_sim() as sim:
        order(sim.exchange, "bob", A, BookSide.BID, "0.4700", "3.00")
        order(sim.exchange, "bob", A, BookSide.ASK, "0.5200", "2.00")  # NO bid at 0.48
        client = await sim.connect("alice")
        await client.subscribe(["orderbook_delta"], market_tickers=[A, B])
        snaps = await client.drain()
        uuid.UUID(snaps[0]["msg"]["market_id"])
        assert snaps == [
            {
                "type": "orderbook_snapshot",
                "sid": 1,
                "seq": 1,
                "msg": {
                    "market_ticker": A,
                    "market_id": market_id(A),
                    "yes_dollars_fp": [["0.4700", "3.00"]],
                    "no_dollars_fp": [["0.4800", "2.00"]],
                },
            },
            # An empty book has neither side key.
            {
                "type": "orderbook_snapshot",
                "sid": 1,
                "seq": 2,
                "msg": {"market_ticker": B, "market_id": market_id(B)},
            },
        ]
        order(sim.exchange, "bob", A, BookSide.BID, "0.4600", "1.50")
        delta = await client.recv()
        ts_ms = delta["msg"]["ts_ms"]
        assert isinstance(ts_ms, int)
        assert delta == {
            "type": "orderbook_delta",
            "sid": 1,
            "seq": 3,
            "msg": {
                "market_ticker": A,
                "market_id": market_id(A),
                "price_dollars": "0.4600",
                "delta_fp": "1.50",
                "side": "yes",
                "ts": delta["msg"]["ts"],
                "ts_ms": ts_ms,
            },
        }
        assert delta["msg"]["ts"].endswith("Z")


async def test_client_order_id_only_on_own_deltas() -> None:
    async with run_sim() as sim:
        alice = await sim.connect("alice")
        bob = await sim.connect("bob")
        await alice.subscribe(["orderbook_delta"], market_ticker=A)
        await bob.subscribe(["orderbook_delta"], market_ticker=A)
        await alice.drain()
        await bob.drain()
        order(sim.exchange, "alice", A, BookSide.ASK, "0.6000", "1.00", client_order_id="mine-1")
        own = await alice.recv()
        other = await bob.recv()
        assert own["msg"]["client_order_id"] == "mine-1"
        assert own["msg"]["side"] == "no"
        assert own["msg"]["price_dollars"] == "0.4000"  # NO side in NO prices
        assert "client_order_id" not in other["msg"]
        assert {k: v for k, v in own["msg"].items() if k != "client_order_id"} == other["msg"]


async def test_ticker_channel() -> None:
    async with run_sim() as sim:
        order(sim.exchange, "bob", A, BookSide.BID, "0.4500", "5.00")
        order(sim.exchange, "bob", A, BookSide.ASK, "0.5500", "4.00")
        client = await sim.connect()
        await client.subscribe(["ticker"], market_tickers=[A], send_initial_snapshot=True)
        initial = await client.recv()
        assert initial["type"] == "ticker"
        assert initial["sid"] == 1
        assert "seq" not in initial
        msg = initial["msg"]
        assert msg["yes_bid_dollars"] == "0.4500"
        assert msg["yes_ask_dollars"] == "0.5500"
        assert msg["yes_bid_size_fp"] == "5.00"
        assert msg["yes_ask_size_fp"] == "4.00"
        assert msg["volume_fp"] == "0.00"
        # A taker sweeping two levels: one coalesced ticker update with the final state.
        order(sim.exchange, "bob", A, BookSide.ASK, "0.5600", "1.00")
        await client.drain()
        order(sim.exchange, "carol", A, BookSide.BID, "0.5600", "5.00", tif=TimeInForce.IOC)
        updates = await client.drain()
        assert _types(updates) == ["ticker"]
        msg = updates[0]["msg"]
        assert set(msg) == {
            "market_ticker",
            "market_id",
            "price_dollars",
            "yes_bid_dollars",
            "yes_ask_dollars",
            "yes_bid_size_fp",
            "yes_ask_size_fp",
            "last_trade_size_fp",
            "volume_fp",
            "open_interest_fp",
            "dollar_volume",
            "dollar_open_interest",
            "ts",
            "ts_ms",
            "time",
        }
        assert msg["price_dollars"] == "0.5600"
        assert msg["yes_ask_dollars"] == "1.0000"  # NO side emptied
        assert msg["yes_ask_size_fp"] == "0.00"
        assert msg["volume_fp"] == "5.00"
        assert msg["last_trade_size_fp"] == "1.00"
        # No ticker field changes -> no ticker message (a book change away from the top).
        order(sim.exchange, "bob", A, BookSide.BID, "0.1000", "1.00")
        assert await client.drain() == []
        # Markets not subscribed stay silent.
        order(sim.exchange, "bob", B, BookSide.BID, "0.1000", "1.00")
        assert await client.drain() == []


async def test_trade_channel_filters_markets() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["trade"], market_ticker=A)
        order(sim.exchange, "bob", B, BookSide.BID, "0.3000", "1.00")
        order(sim.exchange, "carol", B, BookSide.ASK, "0.3000", "1.00")
        order(sim.exchange, "bob", A, BookSide.ASK, "0.6100", "2.00")
        order(sim.exchange, "carol", A, BookSide.BID, "0.6100", "2.00")
        trade = await client.recv()
        assert await client.drain() == []
        msg = trade["msg"]
        uuid.UUID(msg["trade_id"])
        assert trade["type"] == "trade"
        assert "seq" not in trade
        assert msg == {
            "trade_id": msg["trade_id"],
            "market_ticker": A,
            "yes_price_dollars": "0.6100",
            "no_price_dollars": "0.3900",
            "count_fp": "2.00",
            "taker_side": "yes",
            "taker_outcome_side": "yes",
            "taker_book_side": "bid",
            "is_block_trade": False,
            "ts": msg["ts_ms"] // 1000,
            "ts_ms": msg["ts_ms"],
        }


async def test_private_channels_deliver_only_own_account_data() -> None:
    async with run_sim() as sim:
        alice = await sim.connect("alice")
        bob = await sim.connect("bob")
        await alice.subscribe(["fill", "market_positions", "user_orders"])
        await bob.subscribe(["fill", "market_positions", "user_orders"])
        order(sim.exchange, "alice", A, BookSide.BID, "0.4000", "2.00", client_order_id="a-1")
        order(sim.exchange, "bob", A, BookSide.ASK, "0.4000", "2.00", client_order_id="b-1")
        # A third account's activity reaches neither.
        order(sim.exchange, "carol", B, BookSide.BID, "0.2000", "1.00")
        got_alice = await alice.drain()
        got_bob = await bob.drain()
        for messages, account, cid in ((got_alice, "alice", "a-1"), (got_bob, "bob", "b-1")):
            fills = [m for m in messages if m["type"] == "fill"]
            positions = [m for m in messages if m["type"] == "market_position"]
            orders = [m for m in messages if m["type"] == "user_order"]
            assert len(fills) == 1
            assert fills[0]["msg"]["client_order_id"] == cid
            assert all(m["msg"]["user_id"] == account for m in positions + orders)
            assert {m["msg"]["ticker"] for m in orders} == {A}
            assert all(m["msg"]["client_order_id"] == cid for m in orders)
        alice_fill = next(m for m in got_alice if m["type"] == "fill")
        assert alice_fill["sid"] == 1
        assert alice_fill["msg"]["is_taker"] is False
        assert alice_fill["msg"]["outcome_side"] == "yes"
        assert alice_fill["msg"]["book_side"] == "bid"
        assert alice_fill["msg"]["post_position_fp"] == "2.00"
        assert alice_fill["msg"]["count_fp"] == "2.00"
        assert alice_fill["msg"]["yes_price_dollars"] == "0.4000"
        bob_fill = next(m for m in got_bob if m["type"] == "fill")
        assert bob_fill["msg"]["is_taker"] is True
        assert bob_fill["msg"]["post_position_fp"] == "-2.00"
        engine_fee = sim.exchange.fills("bob")[0].fee
        assert engine_fee > 0
        assert bob_fill["msg"]["fee_cost"] == format_money(engine_fee)
        bob_position = [m for m in got_bob if m["type"] == "market_position"][-1]
        assert bob_position["sid"] == 2
        assert bob_position["msg"] == {
            "user_id": "bob",
            "market_ticker": A,
            "position_fp": "-2.00",
            "position_cost_dollars": bob_position["msg"]["position_cost_dollars"],
            "realized_pnl_dollars": "0.000000",
            "fees_paid_dollars": format_money(engine_fee),
            "position_fee_cost_dollars": format_money(engine_fee),
            "volume_fp": "2.00",
        }
        alice_orders = [m["msg"] for m in got_alice if m["type"] == "user_order"]
        assert alice_orders[0]["status"] == "resting"
        assert alice_orders[-1]["status"] == "executed"
        assert alice_orders[-1]["fill_count_fp"] == "2.00"
        assert alice_orders[-1]["remaining_count_fp"] == "0.00"
        assert alice_orders[-1]["yes_price_dollars"] == "0.4000"
        assert alice_orders[-1]["outcome_side"] == "yes"
        assert alice_orders[-1]["is_yes"] is True


async def test_private_channel_market_filter() -> None:
    async with run_sim() as sim:
        alice = await sim.connect("alice")
        await alice.subscribe(["user_orders"], market_ticker=B)
        order(sim.exchange, "alice", A, BookSide.BID, "0.1000", "1.00")
        order(sim.exchange, "alice", B, BookSide.BID, "0.1000", "1.00")
        got = await alice.drain()
        assert [m["msg"]["ticker"] for m in got] == [B]
        await alice.send(
            "update_subscription", {"sid": 1, "action": "add_markets", "market_tickers": [A]}
        )
        assert (await alice.recv())["msg"] == {"market_tickers": [B, A]}
        order(sim.exchange, "alice", A, BookSide.BID, "0.1100", "1.00")
        assert [m["msg"]["ticker"] for m in await alice.drain()] == [A]
        await alice.send(
            "update_subscription", {"sid": 1, "action": "delete_markets", "market_tickers": [B]}
        )
        assert (await alice.recv())["msg"] == {"market_tickers": [A]}
        order(sim.exchange, "alice", B, BookSide.BID, "0.1100", "1.00")
        assert await alice.drain() == []


async def test_market_and_event_lifecycle() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["market_lifecycle_v2"])
        sim.exchange.add_event(Event("KXNEW-26NOV23", SERIES, "A new event", sub_title="Nov 23"))
        add_market(sim.exchange, sim.clock, "KXNEW-26NOV23-X", event="KXNEW-26NOV23")
        got = await client.drain()
        assert _types(got) == ["event_lifecycle", "market_lifecycle_v2", "market_lifecycle_v2"]
        assert got[0]["msg"] == {
            "event_ticker": "KXNEW-26NOV23",
            "exchange_index": 0,
            "title": "A new event",
            "subtitle": "Nov 23",
            "collateral_return_type": "MECNET",
            "series_ticker": SERIES,
        }
        created = got[1]["msg"]
        assert created["event_type"] == "created"
        assert created["market_ticker"] == "KXNEW-26NOV23-X"
        assert created["price_level_structure"] == "linear_cent"
        assert created["price_ranges"] == [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}]
        assert created["additional_metadata"]["event_ticker"] == "KXNEW-26NOV23"
        assert isinstance(created["open_ts"], int)
        assert isinstance(created["close_ts"], int)
        assert got[2]["msg"] == {
            "market_ticker": "KXNEW-26NOV23-X",
            "event_type": "activated",
            "is_deactivated": False,
        }
        # A second market of the same event does not announce the event again.
        add_market(sim.exchange, sim.clock, "KXNEW-26NOV23-Y", event="KXNEW-26NOV23")
        assert "event_lifecycle" not in _types(await client.drain())
        sim.exchange.close_market(A)
        sim.exchange.determine_market(A, "yes")
        sim.exchange.settle_market(A)
        got = [m["msg"] for m in await client.drain()]
        kinds = [m["event_type"] for m in got]
        assert kinds[-2:] == ["determined", "settled"]
        determined = got[-2]
        assert determined["result"] == "yes"
        assert determined["settlement_value"] == "1.0000"
        assert isinstance(determined["determination_ts"], int)
        assert set(got[-1]) == {"market_ticker", "event_type", "settled_ts"}


async def test_large_snapshot_frames_round_trip() -> None:
    # A 0.0001 tick market with thousands of levels: the snapshot frame needs the 64-bit
    # length encoding, ordinary deltas the 7-bit one, mid-size ones the 16-bit one.
    ex, clock = make_exchange(())
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
    for i in range(4000):  # spread over accounts: the engine's per-account work grows with orders
        account = makers[i % len(makers)]
        order(ex, account, "KXTEST-26NOV22-FINE", BookSide.BID, f"0.{1000 + i:04d}", "1.00")
    async with run_sim(exchange=(ex, clock)) as sim:
        client = await sim.connect()
        await client.subscribe(["orderbook_delta"], market_ticker="KXTEST-26NOV22-FINE")
        snapshot = await client.recv()
        assert len(orjson.dumps(snapshot)) > 65_536
        assert len(snapshot["msg"]["yes_dollars_fp"]) == 4000
        yes, _no = ex.orderbook("KXTEST-26NOV22-FINE")
        assert snapshot["msg"]["yes_dollars_fp"] == levels_fp(yes)
        order(ex, "bob", "KXTEST-26NOV22-FINE", BookSide.BID, "0.0500", "2.00")
        delta = await client.recv()
        assert delta["msg"]["price_dollars"] == "0.0500"


async def test_app_shutdown_closes_sockets_going_away() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["trade"])
        started = time.monotonic()
        shutdown = asyncio.create_task(sim.app.shutdown())
        msg = await client.ws.receive(timeout=5)
        assert msg.type == aiohttp.WSMsgType.CLOSE
        assert msg.data == 1001
        await shutdown
        assert time.monotonic() - started < 2


async def test_use_yes_price_reports_no_levels_at_yes_prices() -> None:
    async with run_sim() as sim:
        order(sim.exchange, "bob", A, BookSide.ASK, "0.6000", "2.00")  # NO bid at 0.40
        client = await sim.connect("alice")
        plain = await client.subscribe(["orderbook_delta"], market_ticker=A)
        yes_priced = await client.subscribe(
            ["orderbook_delta"], market_ticker=A, use_yes_price=True
        )
        assert plain[0]["msg"]["sid"] != yes_priced[0]["msg"]["sid"]
        snaps = {m["sid"]: m["msg"] for m in await client.drain()}
        assert snaps[1]["no_dollars_fp"] == [["0.4000", "2.00"]]
        assert snaps[2]["no_dollars_fp"] == [["0.6000", "2.00"]]
        order(sim.exchange, "bob", A, BookSide.ASK, "0.6500", "1.00")
        order(sim.exchange, "bob", A, BookSide.BID, "0.3000", "1.00")
        deltas = await client.drain()
        by_sid = {
            sid: [(m["msg"]["side"], m["msg"]["price_dollars"]) for m in deltas if m["sid"] == sid]
            for sid in (1, 2)
        }
        assert by_sid == {
            1: [("no", "0.3500"), ("yes", "0.3000")],
            2: [("no", "0.6500"), ("yes", "0.3000")],
        }


def test_wire_helpers() -> None:
    assert rfc3339_ms(1_781_159_489_957) == "2026-06-11T06:31:29.957Z"
    assert rfc3339_ms(1_781_159_489_000) == "2026-06-11T06:31:29.000Z"
    assert market_id("T") == market_id("T") != market_id("U")
    assert envelope("trade", 3, None, b'{"a":1}') == b'{"type":"trade","sid":3,"msg":{"a":1}}'
    assert envelope("orderbook_delta", 1, 9, b"{}") == (
        b'{"type":"orderbook_delta","sid":1,"seq":9,"msg":{}}'
    )
