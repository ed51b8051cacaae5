"""Kalshi's token-bucket rate limits (Basic tier) as a client meets them over HTTP."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import aiohttp
import pytest

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.exchange_sim.server.ratelimit import Bucket, RateLimiter, tier
from tests.fixtures.sim import KalshiTestClient, v2_order

ORDERS = "/portfolio/events/orders"


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    return replace(
        sim_config, with_participants=False, rate_limits_enabled=True, rate_limit_tier="basic"
    )


async def count_until_429(client: KalshiTestClient, path: str, tries: int) -> tuple[int, int]:
    """(successes before the first 429, index of that 429 or -1)."""
    for i in range(tries):
        status, body = await client.get(path)
        if status == 429:
            assert body == {"error": "too many requests"}
            return i, i
        assert status == 200
    return tries, -1


async def test_read_bucket_empties_then_refills(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    client = KalshiTestClient.for_env(http_session, sim.demo)
    ok, first_429 = await count_until_429(client, "/portfolio/balance", 60)
    assert first_429 != -1
    # 200 tokens at 10 a request, plus whatever refilled (200/s) while the requests ran.
    assert ok >= 20
    await asyncio.sleep(0.1)  # 20 tokens: two more requests
    status, _ = await client.get("/portfolio/balance")
    assert status == 200


async def test_get_order_costs_two(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    client = KalshiTestClient.for_env(http_session, sim.demo)
    ticker = sim.demo.context.exchange.markets()[0].ticker
    status, created = await client.post(ORDERS, json=v2_order(ticker, "bid", "0.1000", "1"))
    assert status == 201
    ok, _ = await count_until_429(client, f"/portfolio/orders/{created['order_id']}", 60)
    assert ok >= 60  # 60 x 2 = 120 tokens fit in 200; at the default cost of 10 only ~20 would


async def test_batch_must_fit_at_once(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    client = KalshiTestClient.for_env(http_session, sim.demo)
    ticker = sim.demo.context.exchange.markets()[0].ticker
    eleven = [v2_order(ticker, "bid", "0.1000", "1") for _ in range(11)]
    # 11 creates cost 110 > the write bucket's 100: refused even with a full bucket.
    status, body = await client.post(f"{ORDERS}/batched", json={"orders": eleven})
    assert (status, body) == (429, {"error": "too many requests"})
    status, body = await client.post(f"{ORDERS}/batched", json={"orders": eleven[:10]})
    assert status == 201
    assert len(body["orders"]) == 10
    # The write bucket is now empty; reads are a separate bucket.
    status, _ = await client.post(ORDERS, json=v2_order(ticker, "bid", "0.1000", "1"))
    assert status == 429
    status, _ = await client.get("/portfolio/balance")
    assert status == 200


async def test_account_limits(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    status, body = await KalshiTestClient.for_env(http_session, sim.demo).get("/account/limits")
    assert status == 200
    assert body == {
        "usage_tier": "basic",
        "read": {"refill_rate": 200, "bucket_capacity": 200},
        "write": {"refill_rate": 100, "bucket_capacity": 100},
        "grants": [],
    }


def test_bucket_refill_is_exact_with_a_fake_clock() -> None:
    now = [0.0]
    limiter = RateLimiter(tier("basic"), clock=lambda: now[0])
    assert all(limiter.try_acquire("k", Bucket.WRITE, 10) for _ in range(10))
    assert not limiter.try_acquire("k", Bucket.WRITE, 10)
    assert limiter.try_acquire("other", Bucket.WRITE, 10)  # per client
    now[0] += 0.05  # 5 tokens
    assert not limiter.try_acquire("k", Bucket.WRITE, 10)
    assert limiter.try_acquire("k", Bucket.WRITE, 2)  # a cancel fits
    now[0] += 100  # refill caps at capacity
    assert all(limiter.try_acquire("k", Bucket.WRITE, 10) for _ in range(10))
    assert not limiter.try_acquire("k", Bucket.WRITE, 10)


def test_unknown_tier_names_the_choices() -> None:
    with pytest.raises(ValueError, match="basic"):
        tier("gold")
