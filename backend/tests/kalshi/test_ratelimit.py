"""Client token buckets: tier sizing, costs, waiting instead of 429s."""

from __future__ import annotations

import asyncio

import pytest

from kalshiflow.kalshi.ratelimit import (
    CANCEL_COST,
    DEFAULT_COST,
    GET_ORDER_COST,
    RateLimiter,
    TokenBucket,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_basic_tier_sizes_and_costs() -> None:
    exact = RateLimiter("basic", headroom=0)
    assert (exact.read.rate, exact.read.capacity) == (200, 200)
    assert (exact.write.rate, exact.write.capacity) == (100, 100)
    default = RateLimiter("basic")  # 10% below the server's buckets
    assert (default.read.rate, default.read.capacity) == pytest.approx((180, 180))
    assert (default.write.rate, default.write.capacity) == pytest.approx((90, 90))
    assert (DEFAULT_COST, CANCEL_COST, GET_ORDER_COST) == (10, 2, 2)


def test_unknown_tier_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown Kalshi usage tier 'gold'"):
        RateLimiter("gold")


def test_bucket_refills_at_rate_up_to_capacity() -> None:
    clock = FakeClock()
    bucket = TokenBucket(100, 100, clock=clock)
    for _ in range(10):
        assert bucket.try_acquire(DEFAULT_COST)
    assert not bucket.try_acquire(DEFAULT_COST)  # 10 orders/s on Basic write
    clock.now += 0.05
    assert bucket.available() == pytest.approx(5)
    clock.now += 10
    assert bucket.available() == 100  # capped


def test_cost_larger_than_capacity_is_refused() -> None:
    bucket = TokenBucket(100, 100)
    with pytest.raises(ValueError, match="split the batch"):
        bucket.try_acquire(101)


async def test_acquire_waits_for_refill_in_real_time() -> None:
    bucket = TokenBucket(200, 20)  # 20 tokens, refill 200/s
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(6):  # 2 immediate, 4 waiting ~0.05 s each
        await bucket.acquire(10)
    elapsed = loop.time() - start
    assert 0.15 <= elapsed < 1.0


async def test_waiters_are_served_in_order() -> None:
    bucket = TokenBucket(1000, 10)
    await bucket.acquire(10)
    order: list[int] = []

    async def take(i: int, cost: int) -> None:
        await bucket.acquire(cost)
        order.append(i)

    await asyncio.gather(take(0, 10), take(1, 1), take(2, 1))
    assert order == [0, 1, 2]


def test_drain_and_configure() -> None:
    clock = FakeClock()
    limiter = RateLimiter("basic", headroom=0, clock=clock)
    limiter.read.drain()
    assert limiter.read.available() == 0
    limiter.configure(
        read_rate=300, read_capacity=600, write_rate=300, write_capacity=600, tier="advanced"
    )
    assert limiter.tier == "advanced"
    assert limiter.write.capacity == 600
    clock.now += 1
    assert limiter.read.available() == 300
