"""WebSocket commands over a real socket: replies, sids, seq in replies and numbered errors."""

from __future__ import annotations

from typing import Any

from kalshiflow.exchange_sim.engine import BookSide
from kalshiflow.exchange_sim.server.ws_fanout import WsConfig
from tests.exchange_sim.server.test_ws_support import TICKERS, WsClient, order, run_sim

A, B, C = TICKERS


async def _error(client: WsClient, raw: str | None = None, **kwargs: Any) -> dict[str, Any]:
    if raw is not None:
        await client.send_raw(raw)
    else:
        await client.send(kwargs.pop("cmd"), kwargs.pop("params", None))
    reply, _ = await client.recv_until(lambda m: m["type"] == "error")
    return reply


async def test_subscribe_replies_once_per_channel_with_own_sid() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        replies = await client.subscribe(
            ["orderbook_delta", "ticker", "trade"], market_tickers=[A, B]
        )
        assert [r["msg"] for r in replies] == [
            {"channel": "orderbook_delta", "sid": 1},
            {"channel": "ticker", "sid": 2},
            {"channel": "trade", "sid": 3},
        ]
        assert all(r["id"] == 1 for r in replies)
        more = await client.subscribe(["market_lifecycle_v2"])
        assert more[0]["msg"] == {"channel": "market_lifecycle_v2", "sid": 4}


async def test_resubscribe_is_idempotent() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        first = await client.subscribe(["trade"], market_tickers=[A])
        await client.drain()
        again = await client.subscribe(["trade"], market_ticker=A)
        assert again[0]["msg"]["sid"] == first[0]["msg"]["sid"]
        other = await client.subscribe(["trade"], market_tickers=[B])
        assert other[0]["msg"]["sid"] != first[0]["msg"]["sid"]


async def test_list_subscriptions() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["orderbook_delta"], market_ticker=A)
        await client.subscribe(["fill", "user_orders"])
        await client.drain()
        cmd_id = await client.send("list_subscriptions")
        reply = await client.recv()
        assert reply == {
            "id": cmd_id,
            "type": "ok",
            "msg": [
                {"channel": "orderbook_delta", "sid": 1},
                {"channel": "fill", "sid": 2},
                {"channel": "user_orders", "sid": 3},
            ],
        }


async def test_unsubscribe_reports_seq_and_stops_messages() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["orderbook_delta"], market_tickers=[A, B])
        await client.subscribe(["trade"], market_ticker=A)
        await client.drain()  # two snapshots: seq 1, 2
        order(sim.exchange, "bob", A, BookSide.BID, "0.4000", "1.00")
        delta = await client.recv()
        assert delta["type"] == "orderbook_delta"
        assert delta["seq"] == 3
        cmd_id = await client.send("unsubscribe", {"sids": [1, 2]})
        assert await client.recv() == {"id": cmd_id, "sid": 1, "seq": 3, "type": "unsubscribed"}
        assert await client.recv() == {"id": cmd_id, "sid": 2, "type": "unsubscribed"}
        order(sim.exchange, "bob", A, BookSide.BID, "0.4100", "1.00")
        order(sim.exchange, "carol", A, BookSide.ASK, "0.4100", "1.00")
        assert await client.drain() == []
        cmd_id = await client.send("list_subscriptions")
        assert (await client.recv())["msg"] == []


async def test_update_subscription_add_delete_and_get_snapshot() -> None:
    async with run_sim() as sim:
        order(sim.exchange, "bob", C, BookSide.BID, "0.3000", "2.00")
        client = await sim.connect()
        await client.subscribe(["orderbook_delta"], market_ticker=A)
        assert [m["seq"] for m in await client.drain()] == [1]
        # add_markets with the single-sid spelling: ok (full list, seq) then C's snapshot.
        cmd_id = await client.send(
            "update_subscription", {"sid": 1, "action": "add_markets", "market_tickers": [B, C]}
        )
        ok = await client.recv()
        assert ok == {
            "id": cmd_id,
            "sid": 1,
            "seq": 1,
            "type": "ok",
            "msg": {"market_tickers": [A, B, C]},
        }
        snaps = [await client.recv(), await client.recv()]
        assert [(s["type"], s["seq"], s["msg"]["market_ticker"]) for s in snaps] == [
            ("orderbook_snapshot", 2, B),
            ("orderbook_snapshot", 3, C),
        ]
        assert snaps[1]["msg"]["yes_dollars_fp"] == [["0.3000", "2.00"]]
        # delete_markets with the sids:[x] spelling: no more deltas for A.
        cmd_id = await client.send(
            "update_subscription", {"sids": [1], "action": "delete_markets", "market_ticker": A}
        )
        assert (await client.recv())["msg"] == {"market_tickers": [B, C]}
        order(sim.exchange, "bob", A, BookSide.BID, "0.2000", "1.00")
        assert await client.drain() == []
        # get_snapshot re-sends snapshots without changing the subscription.
        cmd_id = await client.send(
            "update_subscription", {"sids": [1], "action": "get_snapshot", "market_tickers": [C]}
        )
        ok = await client.recv()
        assert ok["type"] == "ok"
        assert ok["id"] == cmd_id
        assert ok["seq"] == 3
        snap = await client.recv()
        assert (snap["type"], snap["seq"], snap["msg"]["market_ticker"]) == (
            "orderbook_snapshot",
            4,
            C,
        )
        order(sim.exchange, "bob", C, BookSide.BID, "0.3000", "1.00")
        delta = await client.recv()
        assert delta["type"] == "orderbook_delta"
        assert delta["seq"] == 5


async def test_update_subscription_on_trade_channel_and_skip_ticker_ack() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["trade"], market_ticker=A, skip_ticker_ack=True)
        cmd_id = await client.send(
            "update_subscription", {"sid": 1, "action": "add_markets", "market_tickers": [B]}
        )
        # Unsequenced channels get no seq; skip_ticker_ack leaves out the ticker list.
        assert await client.recv() == {"id": cmd_id, "sid": 1, "type": "ok", "msg": {}}
        order(sim.exchange, "bob", B, BookSide.BID, "0.5000", "1.00")
        order(sim.exchange, "carol", B, BookSide.ASK, "0.5000", "1.00")
        trade = await client.recv()
        assert trade["type"] == "trade"
        assert trade["msg"]["market_ticker"] == B


async def test_error_codes_over_the_socket() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        assert (await _error(client, "{nope"))["msg"]["code"] == 1
        reply = await _error(client, cmd="subscribe")
        assert reply == {"id": 1, "type": "error", "msg": {"code": 2, "msg": "Params required"}}
        assert (await _error(client, cmd="subscribe", params={}))["msg"]["code"] == 3
        assert (await _error(client, cmd="unsubscribe", params={"sids": []}))["msg"]["code"] == 4
        assert (await _error(client, cmd="dance", params={}))["msg"]["code"] == 5
        reply = await _error(client, cmd="unsubscribe", params={"sids": [99]})
        assert reply["msg"]["code"] == 7
        reply = await _error(client, cmd="subscribe", params={"channels": ["ticker", "bogus"]})
        assert reply["msg"]["code"] == 8
        reply = await _error(
            client, cmd="subscribe", params={"channels": ["trade"], "market_tickers": [1]}
        )
        assert reply["msg"]["code"] == 11
        reply = await _error(
            client,
            cmd="update_subscription",
            params={"sids": [1, 2], "action": "add_markets"},
        )
        assert reply["msg"]["code"] == 12
        reply = await _error(
            client, cmd="update_subscription", params={"sid": 1, "action": "teleport"}
        )
        assert reply["msg"]["code"] == 13
        reply = await _error(client, cmd="subscribe", params={"channels": ["orderbook_delta"]})
        assert reply["msg"]["code"] == 14
        reply = await _error(client, cmd="update_subscription", params={"sid": 1})
        assert reply["msg"]["code"] == 15
        reply = await _error(
            client,
            cmd="subscribe",
            params={"channels": ["orderbook_delta"], "market_tickers": [A, "NOPE-1"]},
        )
        assert reply["msg"] == {"code": 16, "msg": "Market not found", "market_ticker": "NOPE-1"}
        # A failed subscribe created nothing.
        await client.send("list_subscriptions")
        assert (await client.recv())["msg"] == []


async def test_update_subscription_errors_that_need_state() -> None:
    async with run_sim() as sim:
        client = await sim.connect()
        await client.subscribe(["orderbook_delta"], market_ticker=A)
        await client.subscribe(["trade"])  # every market
        await client.subscribe(["market_lifecycle_v2"])
        await client.drain()
        reply = await _error(
            client,
            cmd="update_subscription",
            params={"sid": 9, "action": "add_markets", "market_tickers": [B]},
        )
        assert reply["msg"]["code"] == 7
        reply = await _error(
            client, cmd="update_subscription", params={"sid": 1, "action": "add_markets"}
        )
        assert reply["msg"]["code"] == 14
        reply = await _error(
            client,
            cmd="update_subscription",
            params={"sid": 1, "action": "add_markets", "market_tickers": ["NOPE"]},
        )
        assert reply["msg"]["code"] == 16
        # get_snapshot is an orderbook action; lifecycle has no market list to edit.
        reply = await _error(
            client, cmd="update_subscription", params={"sid": 2, "action": "get_snapshot"}
        )
        assert reply["msg"]["code"] == 13
        reply = await _error(
            client,
            cmd="update_subscription",
            params={"sid": 3, "action": "add_markets", "market_tickers": [A]},
        )
        assert reply["msg"]["code"] == 13
        # An every-market subscription has no list to add to.
        reply = await _error(
            client,
            cmd="update_subscription",
            params={"sid": 2, "action": "add_markets", "market_tickers": [A]},
        )
        assert reply["msg"]["code"] == 11
        # A snapshot of a market the subscription does not cover.
        reply = await _error(
            client,
            cmd="update_subscription",
            params={"sid": 1, "action": "get_snapshot", "market_tickers": [B]},
        )
        assert reply["msg"]["code"] == 11


async def test_unauthenticated_connection_gets_error_9_for_private_channels() -> None:
    # Kalshi's early-2026 mode: unsigned upgrades allowed for public channels only.
    async with run_sim(WsConfig(allow_unauthenticated=True, ping_interval_s=30)) as sim:
        client = await sim.connect(headers={})
        for channel in ("fill", "market_positions", "user_orders", "orderbook_delta"):
            params: dict[str, Any] = {"channels": [channel], "market_ticker": A}
            reply = await _error(client, cmd="subscribe", params=params)
            assert reply["msg"]["code"] == 9, reply
        replies = await client.subscribe(["trade", "ticker"], market_ticker=A)
        assert [r["msg"]["channel"] for r in replies] == ["trade", "ticker"]
