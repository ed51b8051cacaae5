"""End-to-end lag from the exchange sending a delta to the book having applied it, at a
target rate of 5,000 deltas/s, over real sockets.

The local exchange runs as a child process (`kalshiflow sim`, its own core); this process
runs the real `KalshiStream` + `OrderbookClient` + `SharedOrderbookState`. Participant
activity is raised until the feed carries about 5,000 deltas/s. The client hands every
applied delta to its record sink right after the book apply, so the sink measures
`now - ts_ms` (the exchange's send stamp, same machine clock). Resolution is 1 ms (Kalshi's
`ts_ms`). Baseline in the same run: the lag at a light load (about 500 deltas/s).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

MARKETS = 300
WARMUP_S = 3.0
MEASURE_S = 10.0
TARGET_RATE = 5_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LagSink:
    """Stands where the WriteQueue stands: called after each apply."""

    def __init__(self) -> None:
        self.lags_ms: list[int] = []
        self.recording = False

    def submit(self, record: Any) -> bool:
        ts = getattr(record, "exchange_ts_ms", None)
        if self.recording and ts is not None and hasattr(record, "delta"):
            self.lags_ms.append(time.time_ns() // 1_000_000 - ts)
        return True


def _percentile(values: list[int], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(q * len(ordered)))])


async def _phase(
    http: aiohttp.ClientSession, admin: str, sink: LagSink, rate: float
) -> dict[str, float]:
    async with http.post(admin + "/activity", json={"rate": rate}) as resp:
        resp.raise_for_status()
    await asyncio.sleep(WARMUP_S)
    sink.lags_ms.clear()
    sink.recording = True
    started = time.monotonic()
    await asyncio.sleep(MEASURE_S)
    sink.recording = False
    elapsed = time.monotonic() - started
    lags = list(sink.lags_ms)
    return {
        "activity_steps_per_s": rate,
        "deltas_per_s": round(len(lags) / elapsed),
        "lag_p50_ms": _percentile(lags, 0.50),
        "lag_p99_ms": _percentile(lags, 0.99),
        "lag_mean_ms": round(statistics.fmean(lags), 2) if lags else float("nan"),
    }


def _start_sim(prod: int, demo: int, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kalshiflow", "sim", "--production-port", str(prod),
         "--demo-port", str(demo), "--markets", str(MARKETS), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


async def _measure(data_dir: Path) -> dict[str, object]:
    from kalshiflow.events import EventBus
    from kalshiflow.kalshi.auth import KalshiAuth
    from kalshiflow.kalshi.stream import KalshiStream
    from kalshiflow.kalshi.stream_config import StreamConfig
    from kalshiflow.marketdata.orderbook_client import OrderbookClient

    prod, demo = _free_port(), _free_port()
    child = _start_sim(prod, demo, data_dir)
    base = f"http://127.0.0.1:{prod}"
    admin = f"{base}/_sim/admin"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(admin + "/status") as resp:
                        if resp.status == 200:
                            break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the local exchange did not start")
            registry = json.loads((data_dir / "keys" / "registry.json").read_text())
            key = next(k for k in registry["keys"] if k["environment"] == "production")
            auth = KalshiAuth.from_key_file(
                key["key_id"], data_dir / "keys" / key["private_key_file"]
            )
            async with http.get(f"{base}/trade-api/v2/markets?limit=1000&status=open") as resp:
                tickers = [m["ticker"] for m in (await resp.json())["markets"]]
            sink = LagSink()
            stream = KalshiStream(
                StreamConfig(url=f"ws://127.0.0.1:{prod}/trade-api/ws/v2"), auth=auth
            )
            client = OrderbookClient(stream, sink, EventBus(), session_id=1)
            await client.start()
            await client.add_markets(tickers)
            # Calibrate: the light phase tells how many deltas one participant step makes.
            light = await _phase(http, admin, sink, TARGET_RATE / 40)
            per_step = max(light["deltas_per_s"], 1) / light["activity_steps_per_s"]
            rate = round(TARGET_RATE / per_step)
            # Deltas per step fall as books fill up; steer the rate towards the target.
            for _ in range(3):
                loaded = await _phase(http, admin, sink, rate)
                achieved = max(loaded["deltas_per_s"], 1)
                if abs(achieved - TARGET_RATE) <= TARGET_RATE * 0.05:
                    break
                rate = round(rate * TARGET_RATE / achieved)
            await client.stop()
            return {"markets": len(tickers), "baseline_light_load": light,
                    "target_5000_per_s": loaded}  # fmt: skip
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, 2)
        child.wait(15)


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="kf-bench-lag-") as tmp:
        return asyncio.run(_measure(Path(tmp)))


if __name__ == "__main__":
    print(json.dumps(run()))
