"""Subscriptions over a real graphql-transport-ws connection to `kalshiflow up`."""

from __future__ import annotations

import json

from tests.api.client import data, open_ws, recv, subscribe
from tests.api.conftest import SharedApp


async def test_orderbook_sends_the_current_book_first(shared_app: SharedApp) -> None:
    ticker = data(
        shared_app.app, "{ markets(first: 1) { nodes { ticker watched } } }", shared_app.token
    )["markets"]["nodes"][0]
    ws = await open_ws(shared_app.app, {"token": shared_app.token})
    try:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(
            ws,
            "b",
            "subscription($t: String!) { orderbook(ticker: $t, depth: 3) "
            "{ ticker source yesBids { price size } } }",
            {"t": ticker["ticker"]},
        )
        first = await recv(ws)
        assert first["type"] == "next", first
        assert first["payload"]["data"]["orderbook"]["ticker"] == ticker["ticker"]
        if ticker["watched"]:  # the live feed is wired: the busy local exchange moves books
            second = await recv(ws, timeout=30)
            assert second["type"] == "next", second
            assert second["payload"]["data"]["orderbook"]["source"] == "LIVE"
        await ws.send(json.dumps({"id": "b", "type": "complete"}))
    finally:
        await ws.close()


async def test_system_health_streams_the_system(shared_app: SharedApp) -> None:
    ws = await open_ws(shared_app.app, {"Authorization": f"Bearer {shared_app.token}"})
    try:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(
            ws, "h", "subscription { systemHealth { status mode components { name state } } }"
        )
        message = await recv(ws)
        assert message["type"] == "next"
        system = message["payload"]["data"]["systemHealth"]
        assert system["mode"] == "sandbox"
        assert {c["name"] for c in system["components"]} >= {"database"}
    finally:
        await ws.close()


async def test_bad_subscription_argument_is_an_error_not_a_dead_socket(
    shared_app: SharedApp,
) -> None:
    ws = await open_ws(shared_app.app, {"token": shared_app.token})
    try:
        assert (await recv(ws))["type"] == "connection_ack"
        await subscribe(ws, "x", 'subscription { orderbook(ticker: "X", depth: 1000) { ticker } }')
        message = await recv(ws)
        assert message["type"] in ("next", "error")
        text = json.dumps(message["payload"])
        assert "depth must be between 1 and 100" in text
        await subscribe(ws, "y", "subscription { systemHealth { status } }")
        later = [await recv(ws), await recv(ws)]  # "complete" for x may come first
        assert any(m["id"] == "y" and m["type"] == "next" for m in later), later
    finally:
        await ws.close()
