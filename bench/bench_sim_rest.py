"""Order-acknowledgement latency of the local exchange over REST.

A client in a child process (so its JSON and signing work does not share the server's
core) sends a few hundred signed V2 create + cancel pairs, one at a time, to the demo
environment and times each round trip: request sent -> 201/200 received. The simulator
runs in this process with participants off and rate limits off, so only the server and
engine are measured. Baseline measured in the same run: unsigned ``GET /exchange/status``
round trips (the HTTP floor of this server on this machine).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

N_PAIRS = 300
N_BASELINE = 300

_CLIENT = r"""
import asyncio, base64, json, statistics, sys, time
import aiohttp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

rest_url, key_id, key_path, ticker, n_pairs, n_base = sys.argv[1:7]
key = serialization.load_pem_private_key(open(key_path, "rb").read(), password=None)
pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
prefix = "/" + rest_url.split("/", 3)[3]

def headers(method, path):
    ts = str(time.time_ns() // 1_000_000)
    sig = key.sign(f"{ts}{method}{prefix}{path}".encode(), pss, hashes.SHA256())
    return {"KALSHI-ACCESS-KEY": key_id, "KALSHI-ACCESS-TIMESTAMP": ts,
            "KALSHI-ACCESS-SIGNATURE": base64.b64encode(sig).decode()}

def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1e3

async def main():
    create, cancel, base = [], [], []
    async with aiohttp.ClientSession() as s:
        for _ in range(int(n_base)):
            t = time.perf_counter()
            async with s.get(rest_url + "/exchange/status") as r:
                await r.read()
            base.append(time.perf_counter() - t)
        for i in range(int(n_pairs)):
            body = {"ticker": ticker, "side": "bid", "price": "0.%02d00" % (10 + i % 30),
                    "count": "1", "time_in_force": "good_till_canceled",
                    "self_trade_prevention_type": "taker_at_cross"}
            h = headers("POST", "/portfolio/events/orders")
            t = time.perf_counter()
            async with s.post(rest_url + "/portfolio/events/orders", json=body, headers=h) as r:
                assert r.status == 201, await r.text()
                order_id = (await r.json())["order_id"]
            create.append(time.perf_counter() - t)
            path = "/portfolio/events/orders/" + order_id
            h = headers("DELETE", path)
            t = time.perf_counter()
            async with s.delete(rest_url + path, headers=h) as r:
                assert r.status == 200, await r.text()
                await r.read()
            cancel.append(time.perf_counter() - t)
    print(json.dumps({
        "create_p50_ms": pct(create, 0.50), "create_p99_ms": pct(create, 0.99),
        "cancel_p50_ms": pct(cancel, 0.50), "cancel_p99_ms": pct(cancel, 0.99),
        "baseline_status_p50_ms": pct(base, 0.50), "baseline_status_p99_ms": pct(base, 0.99),
        "pairs": len(create),
    }))

asyncio.run(main())
"""


async def _measure() -> dict[str, Any]:
    from kalshiflow.exchange_sim.config import SimConfig
    from kalshiflow.exchange_sim.runner import start_sim

    with tempfile.TemporaryDirectory() as tmp:
        config = SimConfig(
            production_port=0,
            demo_port=0,
            data_dir=Path(tmp),
            n_markets=20,
            with_participants=False,
            rate_limits_enabled=False,
        )
        async with await start_sim(config) as sim:
            demo = sim.demo
            ticker = demo.context.exchange.markets()[0].ticker
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                _CLIENT,
                demo.rest_url,
                demo.key_id,
                str(demo.private_key_path),
                ticker,
                str(N_PAIRS),
                str(N_BASELINE),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            out, err = await proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"benchmark client failed: {err.decode()[-2000:]}")
            result: dict[str, Any] = json.loads(out)
            return {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}


def run() -> dict[str, object]:
    return {"sim_rest_order_ack": asyncio.run(_measure())}


if __name__ == "__main__":
    print(json.dumps(run()))
