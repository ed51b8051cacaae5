"""New markets appear while the sim runs: on both environments, announced on the
lifecycle channel, and quoted by the participants."""

from __future__ import annotations

import asyncio
import dataclasses

import orjson
import pytest
from aiohttp import ClientSession, WSMsgType

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from tests.fixtures.sim import load_private_key, sign_headers


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    # A timer long enough not to fire on its own: the test lists explicitly.
    return dataclasses.replace(sim_config, listing_reserve=3, listing_interval_s=3600)


async def test_new_market_is_listed_on_both_environments_and_announced(sim: SimHandle) -> None:
    production = sim.production.context.exchange
    demo = sim.demo.context.exchange
    before = {m.ticker for m in production.markets()}
    assert before == {m.ticker for m in demo.markets()}

    ws_path = "/trade-api/ws/v2"
    key = load_private_key(sim.production.private_key_path)
    headers = sign_headers(sim.production.key_id, key, "GET", ws_path)
    async with (
        ClientSession() as http,
        http.ws_connect(sim.production.ws_url, headers=headers) as ws,
    ):
        await ws.send_json({"id": 1, "cmd": "subscribe",
                            "params": {"channels": ["market_lifecycle_v2"]}})  # fmt: skip
        assert (await ws.receive_json(timeout=5))["type"] == "subscribed"
        ticker = sim.list_new_market()
        assert ticker is not None
        assert ticker not in before
        created = None
        async with asyncio.timeout(5):
            while created is None:
                msg = await ws.receive()
                assert msg.type is WSMsgType.TEXT
                body = orjson.loads(msg.data)
                if (
                    body.get("type") == "market_lifecycle_v2"
                    and body["msg"].get("event_type") == "created"
                    and body["msg"]["market_ticker"] == ticker
                ):
                    created = body
    assert production.market(ticker).status.value == "active"
    assert demo.market(ticker).status.value == "active"
    assert sim.listings is not None
    assert sim.listings.remaining == 2
    # The simulated market makers pick the new market up and quote it.
    async with asyncio.timeout(10):
        while not any(production.orderbook(ticker)):
            await asyncio.sleep(0.1)


async def test_listing_stops_when_the_reserve_is_used(sim: SimHandle) -> None:
    listed = [sim.list_new_market() for _ in range(4)]
    assert listed[3] is None
    assert len(set(listed[:3])) == 3
