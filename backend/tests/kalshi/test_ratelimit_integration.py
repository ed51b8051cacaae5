"""With the exchange enforcing Basic-tier buckets, the client waits instead of getting 429s."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.ratelimit import RateLimiter
from kalshiflow.kalshi.rest import KalshiRestClient
from kalshiflow.kalshi.transport import RetryPolicy


@pytest.fixture
def sim_config(tmp_path: Path) -> SimConfig:
    return SimConfig(
        production_port=0,
        demo_port=0,
        data_dir=tmp_path / "sim",
        n_markets=5,
        with_participants=False,
        rate_limits_enabled=True,
        rate_limit_tier="basic",
    )


async def test_burst_of_reads_waits_instead_of_429(sim: SimHandle) -> None:
    auth = KalshiAuth.from_key_file(sim.demo.key_id, sim.demo.private_key_path)
    # max_attempts=1: any 429 would surface as RateLimitedError instead of being retried.
    # Extra headroom: on a loaded test machine request latencies jitter by 100+ ms.
    client = KalshiRestClient(
        sim.demo.rest_url,
        auth,
        limiter=RateLimiter("basic", headroom=0.25),
        retry=RetryPolicy(max_attempts=1),
    )
    async with client:
        start = time.monotonic()
        # 30 signed reads x 10 tokens = 300 > the 200-token Basic read bucket.
        results = await asyncio.gather(*(client.get_balance() for _ in range(30)))
        elapsed = time.monotonic() - start
    assert len(results) == 30
    assert elapsed >= 0.8  # 150 tokens at once, the other 150 at 150 tokens/s


async def test_without_client_limiting_the_exchange_answers_429(sim: SimHandle) -> None:
    from kalshiflow.kalshi.errors import RateLimitedError

    auth = KalshiAuth.from_key_file(sim.demo.key_id, sim.demo.private_key_path)
    # A limiter sized far above the account's real tier lets the burst through to the server.
    client = KalshiRestClient(
        sim.demo.rest_url, auth, limiter=RateLimiter("prestige"), retry=RetryPolicy(max_attempts=1)
    )
    async with client:
        results = await asyncio.gather(
            *(client.get_balance() for _ in range(30)), return_exceptions=True
        )
    throttled = [r for r in results if isinstance(r, RateLimitedError)]
    assert len(throttled) >= 5  # 300 tokens asked of a 200-token bucket
