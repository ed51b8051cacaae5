"""Latency of the GraphQL API over real HTTP and WebSocket, and its subscription fan-out.

Everything runs in this process: the local exchange (no participants, no rate limits), an
embedded PostgreSQL, a real trading core (`TradingComponent`) and the API served by
uvicorn on a free port; the HTTP client (httpx) shares the event loop, so client
work is included in every number. Measured:

* ``markets_first_100``: `markets(first: 100)` (exact decimal strings for 100 markets);
  ``baseline_health``: the trivial `health` query in the same run, i.e. the floor of one
  authenticated GraphQL round trip;
* ``portfolio``: `portfolio` with positions;
* ``place_order``: `placeOrder` round trip to the local exchange (validation, trader gate,
  risk, durable pending row, signed REST create); ``baseline_order_manager``: the same
  order through `OrderManager.place` directly, so the difference is what the API adds;
* ``fanout_500``: one book update published on the event bus, received by each of 500
  concurrent `orderbook` subscribers over WebSocket (p50/p99 over every delivery; the
  subscribers run in a child process), with the server process's RSS before the
  subscribers connected and while they are connected.
"""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx
import uvicorn

from kalshiflow.api.app import create_app
from kalshiflow.components.trading import TradingComponent
from kalshiflow.config import RiskSettings, RunMode, Settings
from kalshiflow.coordinator import Coordinator
from kalshiflow.events import EventBus, OrderbookUpdated
from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import start_sim
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.kalshi.hybrid import HybridClientPair, build_client_pair
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.persistence import migrations
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.embedded import EmbeddedPostgres
from kalshiflow.trading.events import OrderSource
from kalshiflow.trading.types import OrderIntent

TOKEN = "bench-token"  # noqa: S105 - a throwaway token for this process
REQUESTS = 200
ORDERS = 150
WARMUP = 10
SUBSCRIBERS = 500
FANOUT_EVENTS = 20
MARKETS = 120


def _stats(ns: list[int]) -> dict[str, float]:
    ordered = sorted(ns)
    return {
        "p50_ms": round(ordered[len(ordered) // 2] / 1e6, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1e6, 3),
        "mean_ms": round(statistics.fmean(ordered) / 1e6, 3),
        "n": len(ordered),
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return -1.0


@dataclass
class _Part:
    database: Any = None
    pair: Any = None
    books: Any = None


@dataclass
class _StandIn:
    """The attributes the API reads from the coordinator (kalshiflow.api.services)."""

    settings: Settings
    database: _Part
    clients: _Part
    trading: TradingComponent
    bus: EventBus
    marketdata: _Part
    version: str = "bench"
    mode: RunMode = RunMode.SANDBOX

    def health(self) -> list[ComponentHealth]:
        return [self.trading.health()]

    def overall_state(self) -> ComponentState:
        return ComponentState.RUNNING


def _refresh(books: SharedOrderbookState, tickers: list[str]) -> None:
    for t in tickers:
        books.add([t])
        book = books.book(t)
        assert book is not None
        book.apply_snapshot([(4000, 5000), (3900, 800)], [(5600, 5000), (5500, 900)], 1,
                            time.time_ns())  # fmt: skip


async def _timed_queries(
    client: httpx.AsyncClient, url: str, query: str, n: int, variables: Any = None
) -> list[int]:
    out: list[int] = []
    for i in range(n + WARMUP):
        body = {"query": query, "variables": variables(i) if callable(variables) else variables}
        start = time.perf_counter_ns()
        resp = await client.post(url, json=body)
        elapsed = time.perf_counter_ns() - start
        parsed = resp.json()
        if resp.status_code != 200 or "errors" in parsed:
            raise RuntimeError(f"bench query failed: {parsed}")
        if i >= WARMUP:
            out.append(elapsed)
    return out


# The subscribers run in a child process, so their own work (parsing 500 x N messages) does
# not sit on the server's event loop and inflate the server's fan-out latency. Receipt
# times are wall-clock ns (one machine, one clock) compared with the publish time.
_CLIENTS = r"""
import asyncio, json, sys, time
from websockets.asyncio.client import connect

URL, TICKER, TOKEN = sys.argv[1:4]
N, EVENTS = int(sys.argv[4]), int(sys.argv[5])
QUERY = "subscription($t: String!) { orderbook(ticker: $t, depth: 3) { seq } }"

async def one(got):
    ws = await connect(URL, subprotocols=["graphql-transport-ws"], max_queue=None)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"token": TOKEN}}))
    await ws.recv()
    await ws.send(json.dumps({"id": "1", "type": "subscribe",
                              "payload": {"query": QUERY, "variables": {"t": TICKER}}}))
    await ws.recv()
    return ws

async def main():
    receipts = [[] for _ in range(N)]
    sockets = []
    for start in range(0, N, 50):
        batch = range(start, min(start + 50, N))
        sockets += await asyncio.gather(*(one(receipts[i]) for i in batch))
    print("ready", flush=True)

    async def read(ws, got):
        for _ in range(EVENTS):
            msg = json.loads(await ws.recv())
            got.append((msg["payload"]["data"]["orderbook"]["seq"], time.time_ns()))

    await asyncio.wait_for(asyncio.gather(*(read(ws, r) for ws, r in zip(sockets, receipts))), 120)
    print(json.dumps(receipts), flush=True)
    for ws in sockets:
        await ws.close()

asyncio.run(main())
"""


async def _fanout(
    app_url: str, bus: EventBus, books: SharedOrderbookState, ticker: str
) -> dict[str, object]:
    ws_url = app_url.replace("http://", "ws://") + "graphql"
    rss_before = _rss_mb()
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _CLIENTS, ws_url, ticker, TOKEN, str(SUBSCRIBERS),
        str(FANOUT_EVENTS), stdout=asyncio.subprocess.PIPE, limit=1 << 24,
    )  # fmt: skip
    assert child.stdout is not None
    line = await asyncio.wait_for(child.stdout.readline(), 120)
    if line.strip() != b"ready":
        raise RuntimeError(f"subscriber process failed: {line!r}")
    rss_connected = _rss_mb()
    book = books.book(ticker)
    assert book is not None
    sent: dict[int, int] = {}
    for i in range(FANOUT_EVENTS):
        seq = 1000 + i
        book.apply_snapshot([(4000 + i, 5000)], [(5600, 5000)], seq, time.time_ns())
        snapshot = book.snapshot()
        sent[seq] = time.time_ns()
        bus.publish(OrderbookUpdated(ticker, seq, "snapshot", snapshot, time.time_ns(), None))
        await asyncio.sleep(0.25)  # beyond the 50 ms spacing, and time for all deliveries
    receipts = json.loads(await asyncio.wait_for(child.stdout.readline(), 120))
    await child.wait()
    latencies = [at - sent[seq] for got in receipts for seq, at in got]
    return {
        "subscribers": SUBSCRIBERS,
        "events": FANOUT_EVENTS,
        "delivered": len(latencies),
        "expected": SUBSCRIBERS * FANOUT_EVENTS,
        **_stats(latencies),
        "rss_before_mb": rss_before,
        "rss_with_subscribers_mb": rss_connected,
        "rss_per_subscriber_kb": round((rss_connected - rss_before) * 1024 / SUBSCRIBERS, 1),
    }


async def _serve(stand_in: _StandIn) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    asgi = create_app(cast(Coordinator, stand_in), Path("/nonexistent"), token=TOKEN)
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP,
    # and without it every response waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    server = uvicorn.Server(
        uvicorn.Config(asgi, log_level="warning", lifespan="off", ws="websockets-sansio")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    return server, task, f"http://127.0.0.1:{sock.getsockname()[1]}/"


async def _run() -> dict[str, object]:
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        pg = EmbeddedPostgres(Path(tmp))
        await asyncio.to_thread(pg.start)
        sim = None
        pair: HybridClientPair | None = None
        try:
            await migrations.upgrade(pg.url())
            db = Database(pg.url())
            sim = await start_sim(SimConfig(
                production_port=0, demo_port=0, data_dir=Path(tmp) / "sim", n_markets=MARKETS,
                with_participants=False, rate_limits_enabled=False,
            ))  # fmt: skip
            auth = KalshiAuth.from_key_file(sim.demo.key_id, sim.demo.private_key_path)
            pair = build_client_pair(
                data_rest_url=sim.production.rest_url, trading_rest_url=sim.demo.rest_url,
                data_auth=None, trading_auth=auth, data_ws_url=sim.production.ws_url,
                trading_ws_url=sim.demo.ws_url, trading_rate_tier="prestige",
                data_rate_tier="prestige",
            )  # fmt: skip
            tickers = [m.ticker for m in sim.demo.context.exchange.markets()]
            books = SharedOrderbookState()
            _refresh(books, tickers)
            bus = EventBus()
            risk = RiskSettings(
                max_contracts_per_market=1_000_000, max_total_exposure_dollars=10**6,
                max_open_orders=100_000, max_orders_per_second=10**9, min_cash_reserve_dollars=0,
            )  # fmt: skip
            trading = TradingComponent(
                Settings(risk=risk), lambda: pair, lambda: db, bus, lambda: auth, lambda: books,
                reconcile_interval_s=3600, snapshot_interval_s=3600,
            )  # fmt: skip
            await trading.start()
            stand_in = _StandIn(Settings(risk=risk), _Part(database=db), _Part(pair=pair),
                                trading, bus, _Part(books=books))  # fmt: skip
            server, task, base = await _serve(stand_in)
            try:
                headers = {"Authorization": f"Bearer {TOKEN}"}
                url = base + "graphql"
                async with httpx.AsyncClient(headers=headers, timeout=30) as client:
                    health = await _timed_queries(client, url, "{ health { status } }", REQUESTS)
                    markets = await _timed_queries(
                        client, url,
                        "{ markets(first: 100) { nodes { ticker title status volume lastPrice "
                        "closeTime } pageInfo { endCursor } } }",
                        REQUESTS,
                    )  # fmt: skip
                    place = (
                        "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { "
                        "status } userErrors { code message } } }"
                    )
                    _refresh(books, tickers)
                    orders = await _timed_queries(
                        client, url, place, ORDERS,
                        lambda i: {"i": {"ticker": tickers[i % len(tickers)], "outcome": "YES",
                                         "action": "BUY", "price": f"0.{1 + i % 30:02d}00",
                                         "count": "1.00"}},
                    )  # fmt: skip
                    portfolio = await _timed_queries(
                        client, url,
                        "{ portfolio { balance value available positions { ticker position } } }",
                        REQUESTS,
                    )  # fmt: skip
                manager = trading.order_manager
                direct: list[int] = []
                _refresh(books, tickers)
                for i in range(ORDERS + WARMUP):
                    intent = OrderIntent(tickers[i % len(tickers)], "bid",
                                         Price(100 * (1 + i % 30)), Count(100))  # fmt: skip
                    start = time.perf_counter_ns()
                    result = await manager.place(intent, OrderSource.MANUAL)
                    elapsed = time.perf_counter_ns() - start
                    if not result.accepted:
                        raise RuntimeError(f"bench order refused: {result}")
                    if i >= WARMUP:
                        direct.append(elapsed)
                fanout = await _fanout(base, bus, books, tickers[0])
            finally:
                server.should_exit = True
                await task
                await trading.stop()
                await db.dispose()
            return {
                "baseline_health": _stats(health),
                "markets_first_100": _stats(markets),
                "portfolio": _stats(portfolio),
                "place_order": _stats(orders),
                "baseline_order_manager": _stats(direct),
                "fanout_500": fanout,
            }
        finally:
            if pair is not None:
                await pair.aclose()
            if sim is not None:
                await sim.stop()
            await asyncio.to_thread(pg.stop)


def run() -> dict[str, object]:
    return asyncio.run(_run())


if __name__ == "__main__":
    print(json.dumps(run()))
