"""Shared pieces of the WebSocket server tests: a real engine behind a real aiohttp server on
127.0.0.1:0, RSA keys per account, a signing helper written here with ``cryptography`` (so
the tests do not depend on the client package), and a small JSON client over aiohttp.

(The file name starts with ``test_ws`` only because that is the namespace these tests own;
it holds no tests itself.)
"""

from __future__ import annotations

import asyncio
import base64
import functools
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson
from aiohttp import web
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kalshiflow.exchange_sim.engine import (
    BookSide,
    Event,
    Exchange,
    MarketSpec,
    OrderRequest,
    PlaceResult,
    Series,
    TimeInForce,
)
from kalshiflow.exchange_sim.server.auth import KeyRegistry
from kalshiflow.exchange_sim.server.context import SIM_CONTEXT, SimContext
from kalshiflow.exchange_sim.server.faults import FaultInjector
from kalshiflow.exchange_sim.server.ws import WS_CONFIG, WS_PATH, handle_ws, setup_ws
from kalshiflow.exchange_sim.server.ws_fanout import WsConfig, WsHub
from kalshiflow.kalshi.fixedpoint import Count, Price, parse_count, parse_money, parse_price

SERIES = "KXTEST"
EVENT = "KXTEST-26NOV22"
TICKERS = ("KXTEST-26NOV22-A", "KXTEST-26NOV22-B", "KXTEST-26NOV22-C")
ACCOUNTS = ("alice", "bob", "carol")


class Clock:
    """The exchange's clock: wall time unless a test moves it."""

    def __init__(self) -> None:
        self.now = time.time_ns() // 1_000_000

    def __call__(self) -> int:
        return self.now


@functools.cache
def private_key(account: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_id(account: str) -> str:
    return f"key-{account}"


def sign_headers(
    account: str,
    *,
    ts_ms: int | None = None,
    path: str = WS_PATH,
    key: rsa.RSAPrivateKey | None = None,
    pss: bool = True,
) -> dict[str, str]:
    ts = str(ts_ms if ts_ms is not None else time.time_ns() // 1_000_000)
    signer = key if key is not None else private_key(account)
    pad: padding.AsymmetricPadding = (
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
        if pss
        else padding.PKCS1v15()
    )
    signature = signer.sign(f"{ts}GET{path}".encode(), pad, hashes.SHA256())
    return {
        "KALSHI-ACCESS-KEY": key_id(account),
        "KALSHI-ACCESS-TIMESTAMP": ts,
        "KALSHI-ACCESS-SIGNATURE": base64.b64encode(signature).decode(),
    }


def make_exchange(tickers: tuple[str, ...] = TICKERS) -> tuple[Exchange, Clock]:
    clock = Clock()
    ex = Exchange(clock, id_seed=11)
    ex.add_series(Series(SERIES, "Test series"))
    ex.add_event(Event(EVENT, SERIES, "Test event", sub_title="Nov 22"))
    for ticker in tickers:
        add_market(ex, clock, ticker)
    for account in ACCOUNTS:
        ex.create_account(account, parse_money("100000"))
    return ex, clock


def add_market(ex: Exchange, clock: Clock, ticker: str, event: str = EVENT) -> None:
    ex.add_market(
        MarketSpec(
            ticker=ticker,
            event_ticker=event,
            title=f"Market {ticker}",
            open_time=clock.now // 1000 - 3600,
            close_time=clock.now // 1000 + 86_400,
            yes_sub_title="yes",
        )
    )


def order(
    ex: Exchange,
    account: str,
    ticker: str,
    side: BookSide,
    price: str,
    count: str,
    *,
    tif: TimeInForce = TimeInForce.GTC,
    client_order_id: str | None = None,
) -> PlaceResult:
    return ex.place_order(
        OrderRequest(
            account_id=account,
            ticker=ticker,
            side=side,
            price=parse_price(price),
            count=parse_count(count),
            time_in_force=tif,
            client_order_id=client_order_id,
        )
    )


@dataclass
class Sim:
    exchange: Exchange
    clock: Clock
    faults: FaultInjector
    registry: KeyRegistry
    app: web.Application
    url: str
    session: aiohttp.ClientSession
    clients: list[WsClient] = field(default_factory=list)

    @property
    def hub(self) -> WsHub:
        from kalshiflow.exchange_sim.server.ws import hub_for

        return hub_for(self.app)

    async def connect(self, account: str = "alice", **kwargs: Any) -> WsClient:
        headers = kwargs.pop("headers", None)
        ws = await self.session.ws_connect(
            self.url, headers=headers if headers is not None else sign_headers(account), **kwargs
        )
        client = WsClient(ws)
        self.clients.append(client)
        return client


@asynccontextmanager
async def run_sim(
    config: WsConfig | None = None,
    *,
    tickers: tuple[str, ...] = TICKERS,
    lazy: bool = False,
    exchange: tuple[Exchange, Clock] | None = None,
) -> AsyncIterator[Sim]:
    """Serve a fresh engine over a real socket. ``lazy`` mounts the handler the way app.py
    does (no ``setup_ws``), so the hub is created by the first upgrade."""
    ex, clock = exchange if exchange is not None else make_exchange(tickers)
    registry = KeyRegistry()
    for account in ACCOUNTS:
        registry.add(key_id(account), private_key(account).public_key(), account)
    faults = FaultInjector()
    app = web.Application()
    app[SIM_CONTEXT] = SimContext(name="test", exchange=ex, keys=registry, faults=faults)
    cfg = config if config is not None else WsConfig(ping_interval_s=30)
    if lazy:
        app[WS_CONFIG] = cfg
        app.router.add_get(WS_PATH, handle_ws)
    else:
        setup_ws(app, cfg)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    session = aiohttp.ClientSession()
    sim = Sim(ex, clock, faults, registry, app, f"http://127.0.0.1:{port}{WS_PATH}", session)
    try:
        yield sim
    finally:
        for client in sim.clients:
            await client.close()
        await session.close()
        await runner.cleanup()


class WsClient:
    """A test client: sends commands, reads JSON frames with a timeout."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 1
        # Messages read past while waiting for command replies; recv() returns them first.
        self.pending: deque[dict[str, Any]] = deque()

    async def close(self) -> None:
        if not self.ws.closed:
            await self.ws.close()

    async def send(self, cmd: str, params: dict[str, Any] | None = None) -> int:
        cmd_id = self.next_id
        self.next_id += 1
        frame: dict[str, Any] = {"id": cmd_id, "cmd": cmd}
        if params is not None:
            frame["params"] = params
        await self.ws.send_str(orjson.dumps(frame).decode())
        return cmd_id

    async def send_raw(self, text: str) -> None:
        await self.ws.send_str(text)

    async def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        if self.pending:
            return self.pending.popleft()
        msg = await self.ws.receive(timeout=timeout)
        if msg.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"expected a text frame, got {msg.type} {msg.data!r}")
        data = orjson.loads(msg.data)
        assert isinstance(data, dict)
        return data

    async def recv_until(
        self, pred: Callable[[dict[str, Any]], bool], timeout: float = 5.0
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The first message matching ``pred`` and the ones skipped before it."""
        skipped: list[dict[str, Any]] = []
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"no matching message within {timeout}s; got {skipped}")
            msg = await self.recv(remaining)
            if pred(msg):
                return msg, skipped
            skipped.append(msg)

    async def drain(self, quiet_s: float = 0.15) -> list[dict[str, Any]]:
        """Every message until none arrives for ``quiet_s``."""
        out: list[dict[str, Any]] = []
        while True:
            try:
                out.append(await self.recv(quiet_s))
            except TimeoutError:
                return out

    async def subscribe(self, channels: list[str], **params: Any) -> list[dict[str, Any]]:
        """Subscribe and return the ``subscribed`` replies (one per channel); every other
        message (snapshots) stays readable in order through :meth:`recv`."""
        cmd_id = await self.send("subscribe", {"channels": channels, **params})
        replies = []
        others: list[dict[str, Any]] = []
        for _ in channels:
            reply, skipped = await self.recv_until(
                lambda m: m.get("id") == cmd_id and m["type"] in ("subscribed", "error")
            )
            others.extend(skipped)
            assert reply["type"] == "subscribed", reply
            replies.append(reply)
        self.pending.extendleft(reversed(others))
        return replies


class Book:
    """A client-side book rebuilt from snapshots and deltas, to compare with the engine."""

    def __init__(self) -> None:
        self.sides: dict[str, dict[str, dict[Price, Count]]] = {}

    def apply(self, msg: dict[str, Any]) -> None:
        body = msg["msg"]
        ticker = body["market_ticker"]
        if msg["type"] == "orderbook_snapshot":
            self.sides[ticker] = {
                side: {
                    parse_price(p): parse_count(c) for p, c in body.get(f"{side}_dollars_fp", [])
                }
                for side in ("yes", "no")
            }
            return
        assert msg["type"] == "orderbook_delta", msg
        levels = self.sides[ticker][body["side"]]
        price = parse_price(body["price_dollars"])
        size = Count(levels.get(price, 0) + parse_count(body["delta_fp"]))
        assert size >= 0, f"negative level after {msg}"
        if size:
            levels[price] = size
        else:
            levels.pop(price, None)

    def levels(self, ticker: str) -> tuple[list[tuple[Price, Count]], list[tuple[Price, Count]]]:
        sides = self.sides[ticker]
        return sorted(sides["yes"].items()), sorted(sides["no"].items())
