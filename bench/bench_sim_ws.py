"""Sustained orderbook changes per second the simulator produces AND serves over its
WebSocket to one ``orderbook_delta`` subscriber of 1,000 markets (target >= 5,000/s).

The simulator (engine + aiohttp WebSocket server) runs in this process on one event loop,
so on one core. The subscriber runs in a child process (its JSON parsing must not eat the
simulator's core) and checks every frame: seq continuity per sid and the delta count.

A driver task places and cancels resting orders (one book change each) as fast as the
server keeps up; it yields whenever the subscriber's send queue holds more than
``backlog_limit`` frames, so the measured rate is what the server can *serve*, not what
it can queue. The rate is delivered deltas / time until the last one left the server.
Baseline measured in the same run: the same driver against the engine alone (no server).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

from kalshiflow.exchange_sim.engine import (
    BookChange,
    BookSide,
    Event,
    Exchange,
    MarketSpec,
    OrderRequest,
    Series,
)
from kalshiflow.exchange_sim.server.auth import KeyRegistry
from kalshiflow.exchange_sim.server.context import SIM_CONTEXT, SimContext
from kalshiflow.exchange_sim.server.ws import setup_ws
from kalshiflow.exchange_sim.server.ws_fanout import WsConfig
from kalshiflow.kalshi.fixedpoint import Count, Price, parse_money

N_MARKETS = 1000
DURATION_S = 5.0
BACKLOG_LIMIT = 2000  # queued frames before the driver yields to the writer
WS_PATH = "/trade-api/ws/v2"


# --- subscriber (child process) ---------------------------------------------------------------


async def _client(url: str, key_path: str, key_id: str, tickers: list[str]) -> dict[str, Any]:
    import aiohttp
    import orjson
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = serialization.load_pem_private_key(Path(key_path).read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    ts = str(time.time_ns() // 1_000_000)
    sig = key.sign(
        f"{ts}GET{WS_PATH}".encode(),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH),
        hashes.SHA256(),
    )
    headers = {
        "KALSHI-ACCESS-KEY": key_id,
        "KALSHI-ACCESS-TIMESTAMP": ts,
        "KALSHI-ACCESS-SIGNATURE": base64.b64encode(sig).decode(),
    }
    deltas = snapshots = gaps = 0
    last_seq: dict[int, int] = {}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url, headers=headers, max_msg_size=0) as ws,
    ):
        cmd = {"id": 1, "cmd": "subscribe", "params": {"channels": ["orderbook_delta"]}}
        cmd["params"]["market_tickers"] = tickers  # type: ignore[index]
        await ws.send_bytes(orjson.dumps(cmd))
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            data = orjson.loads(msg.data)
            kind = data["type"]
            if kind == "orderbook_delta":
                deltas += 1
            elif kind == "orderbook_snapshot":
                snapshots += 1
            else:
                continue
            sid, seq = data["sid"], data["seq"]
            if seq != last_seq.get(sid, 0) + 1:
                gaps += 1
            last_seq[sid] = seq
    return {"deltas": deltas, "snapshots": snapshots, "seq_gaps": gaps}


# --- simulator (this process) -----------------------------------------------------------------


def _build_exchange(now_ms: int) -> tuple[Exchange, list[str]]:
    ex = Exchange(lambda: time.time_ns() // 1_000_000, id_seed=1)
    ex.add_series(Series("KXBENCH", "Bench"))
    tickers = []
    for e in range(N_MARKETS // 10):
        event = f"KXBENCH-E{e:03d}"
        ex.add_event(Event(event, "KXBENCH", f"Bench event {e}"))
        for m in range(10):
            ticker = f"{event}-M{m}"
            ex.add_market(
                MarketSpec(ticker, event, ticker, now_ms // 1000 - 60, now_ms // 1000 + 86_400)
            )
            tickers.append(ticker)
    for account in ("mm1", "mm2", "mm3", "sub"):
        ex.create_account(account, parse_money("100000000"))
    return ex, tickers


class _Driver:
    """Resting orders placed and canceled at random: every operation is one book change."""

    def __init__(self, ex: Exchange, tickers: list[str], seed: int) -> None:
        self.ex = ex
        self.rng = random.Random(seed)
        self.live: deque[tuple[str, str]] = deque()
        requests = []
        for _ in range(4000):
            side = self.rng.choice((BookSide.BID, BookSide.ASK))
            cents = self.rng.randint(1, 45) if side is BookSide.BID else self.rng.randint(55, 99)
            requests.append(
                OrderRequest(
                    account_id=self.rng.choice(("mm1", "mm2", "mm3")),
                    ticker=self.rng.choice(tickers),
                    side=side,
                    price=Price(cents * 100),
                    count=Count(self.rng.randint(1, 1000)),
                )
            )
        self.requests = requests
        self.i = 0

    def step(self) -> None:
        if len(self.live) > 3000 or (self.live and self.rng.random() < 0.4):
            account, order_id = self.live.popleft()
            self.ex.cancel_order(account, order_id)
            return
        req = self.requests[self.i % len(self.requests)]
        self.i += 1
        result = self.ex.place_order(req)
        self.live.append((req.account_id, result.order.order_id))


def _engine_only_rate(duration_s: float) -> float:
    ex, tickers = _build_exchange(time.time_ns() // 1_000_000)
    changes = [0]

    def count(event: object) -> None:
        if type(event) is BookChange:
            changes[0] += 1

    ex.subscribe(count)
    driver = _Driver(ex, tickers, seed=2)
    started = time.perf_counter()
    while time.perf_counter() - started < duration_s:
        for _ in range(200):
            driver.step()
    return changes[0] / (time.perf_counter() - started)


async def _served_rate(duration_s: float) -> dict[str, Any]:
    from aiohttp import web
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    ex, tickers = _build_exchange(time.time_ns() // 1_000_000)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    registry = KeyRegistry()
    registry.add("bench-key", key.public_key(), "sub")
    app = web.Application()
    app[SIM_CONTEXT] = SimContext(name="bench", exchange=ex, keys=registry)
    hub = setup_ws(app, WsConfig(max_queue_bytes=256 * 1024 * 1024))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]

    changes = [0]

    def count(event: object) -> None:
        if isinstance(event, BookChange) and event.delta:
            changes[0] += 1

    ex.subscribe(count)
    with tempfile.TemporaryDirectory() as tmp:
        key_path = Path(tmp) / "bench.pem"
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        tickers_path = Path(tmp) / "tickers.json"
        tickers_path.write_text(json.dumps(tickers))
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--client",
            f"http://127.0.0.1:{port}{WS_PATH}",
            str(key_path),
            "bench-key",
            str(tickers_path),
            stdout=subprocess.PIPE,
        )
        # Wait for the subscription and its 1,000 snapshots to leave the server.
        while not hub.connections or not any(c.subs for c in hub.connections):
            await asyncio.sleep(0.01)
        conn = next(iter(hub.connections))
        while conn.queued_frames:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)

        driver = _Driver(ex, tickers, seed=2)
        changes[0] = 0
        started = time.perf_counter()
        cpu_started = time.process_time()
        yields = 0
        while time.perf_counter() - started < duration_s:
            for _ in range(50):
                driver.step()
            # Let the writer run; wait for it when the subscriber is far behind.
            await asyncio.sleep(0)
            while conn.queued_frames > BACKLOG_LIMIT:
                yields += 1
                await asyncio.sleep(0)
        produced = changes[0]
        while conn.queued_frames:
            await asyncio.sleep(0)
        served_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu_started
        await runner.cleanup()  # closes the socket; the child reports what it saw
        out, _ = await child.communicate()
    report = json.loads(out)
    return {
        "book_changes_produced": produced,
        "deltas_received_by_subscriber": report["deltas"],
        "snapshots_received": report["snapshots"],
        "seq_gaps": report["seq_gaps"],
        "served_seconds": round(served_s, 3),
        "served_book_changes_per_s": round(report["deltas"] / served_s),
        # The machine is shared: per CPU-second of the simulator process is the steadier
        # measure of what one core sustains.
        "simulator_cpu_seconds": round(cpu_s, 3),
        "served_book_changes_per_cpu_s": round(report["deltas"] / cpu_s),
        "driver_backpressure_yields": yields,
    }


def run() -> dict[str, object]:
    engine_only = _engine_only_rate(2.0)
    served = asyncio.run(_served_rate(DURATION_S))
    return {
        "markets": N_MARKETS,
        "subscribers": 1,
        "target_book_changes_per_s": 5000,
        **served,
        "baseline_engine_only_book_changes_per_s": round(engine_only),
        "cpu_count": os.cpu_count(),
    }


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        url, key_path, key_id, tickers_path = sys.argv[2:6]
        tickers = json.loads(Path(tickers_path).read_text())
        print(json.dumps(asyncio.run(_client(url, key_path, key_id, tickers))))
    else:
        print(json.dumps(run()))
