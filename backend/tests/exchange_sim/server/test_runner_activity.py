"""The participants make both environments live; the admin API sets their pace."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from kalshiflow.exchange_sim.runner import EnvironmentHandle, SimHandle
from tests.fixtures.sim import KalshiTestClient


async def quoted_markets(client: KalshiTestClient) -> dict[str, Any]:
    status, body = await client.get("/markets", params={"limit": "1000"})
    assert status == 200
    return {
        m["ticker"]: (m["yes_bid_dollars"], m["yes_ask_dollars"])
        for m in body["markets"]
        if m["yes_bid_dollars"] != "0.0000" and m["yes_ask_dollars"] != "1.0000"
    }


async def set_rate(session: aiohttp.ClientSession, env: EnvironmentHandle, rate: float) -> None:
    async with session.post(f"{env.admin_url}/activity", json={"rate": rate}) as resp:
        assert resp.status == 200
        assert (await resp.json())["activity_rate"] == rate


async def test_participants_quote_and_trade_in_both_environments(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    for env in (sim.production, sim.demo):
        await set_rate(http_session, env, 400.0)
    production = KalshiTestClient(http_session, sim.production.rest_url)
    demo = KalshiTestClient(http_session, sim.demo.rest_url)
    for _ in range(50):
        await asyncio.sleep(0.1)
        prod_quotes = await quoted_markets(production)
        demo_quotes = await quoted_markets(demo)
        if len(prod_quotes) >= 10 and demo_quotes:
            break
    assert len(prod_quotes) >= 10
    assert demo_quotes
    # Same listing in both environments.
    _, prod_listing = await production.get("/markets", params={"limit": "1000"})
    _, demo_listing = await demo.get("/markets", params={"limit": "1000"})
    assert [m["ticker"] for m in prod_listing["markets"]] == [
        m["ticker"] for m in demo_listing["markets"]
    ]
    _, trades = await production.get("/markets/trades", params={"limit": "5"})
    assert trades["trades"]


async def test_rate_zero_pauses_the_market(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    await set_rate(http_session, sim.production, 0.0)
    activity = sim.production.context.activity
    assert activity is not None
    await asyncio.sleep(0.15)
    before = len(sim.production.context.exchange.trades())
    book_before = [
        sim.production.context.exchange.orderbook(m.ticker)
        for m in sim.production.context.exchange.markets()
    ]
    await asyncio.sleep(0.3)
    assert len(sim.production.context.exchange.trades()) == before
    assert [
        sim.production.context.exchange.orderbook(m.ticker)
        for m in sim.production.context.exchange.markets()
    ] == book_before


async def test_books_are_quoted_before_the_first_client(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    # No waiting: the warm-up ran before start_sim returned.
    quotes = await quoted_markets(KalshiTestClient(http_session, sim.production.rest_url))
    assert len(quotes) >= len(sim.production.context.exchange.markets()) // 2
