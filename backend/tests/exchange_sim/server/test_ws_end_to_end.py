"""The WebSocket of the whole local exchange (``start_sim``: both environments, simulated
participants trading) keeps a subscriber's book identical to the engine's."""

from __future__ import annotations

import asyncio

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kalshiflow.exchange_sim.runner import EnvironmentHandle, SimHandle
from tests.exchange_sim.server.test_ws_support import Book, WsClient, sign_headers


def _key(env: EnvironmentHandle) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(env.private_key_path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


async def test_book_follows_live_participant_activity(sim: SimHandle) -> None:
    env = sim.production
    exchange = env.context.exchange
    tickers = [m.ticker for m in exchange.markets()]
    headers = sign_headers("unused", key=_key(env))
    headers["KALSHI-ACCESS-KEY"] = env.key_id
    async with aiohttp.ClientSession() as session:
        client = WsClient(await session.ws_connect(env.ws_url, headers=headers))
        await client.subscribe(["orderbook_delta", "trade"], market_tickers=tickers)
        await asyncio.sleep(1.5)  # participants trade meanwhile
        activity = env.context.activity
        assert activity is not None
        activity.set_rate(0)
        await asyncio.sleep(0.2)
        marker = await client.send("list_subscriptions")
        _, messages = await client.recv_until(lambda m: m.get("id") == marker, timeout=20)
        await client.close()
    book = Book()
    kinds = {"orderbook_snapshot": 0, "orderbook_delta": 0, "trade": 0}
    for m in messages:
        if m["type"] in ("orderbook_snapshot", "orderbook_delta"):
            book.apply(m)
        kinds[m["type"]] = kinds.get(m["type"], 0) + 1
    assert kinds["orderbook_snapshot"] == len(tickers)
    assert kinds["orderbook_delta"] > 0
    for ticker in tickers:
        assert book.levels(ticker) == exchange.orderbook(ticker), ticker
