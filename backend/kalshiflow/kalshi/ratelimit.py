"""Client-side token buckets mirroring Kalshi's read/write rate limits.

Kalshi (since 2026-04-23) charges each request tokens from a read or a write bucket
(default cost 10, V2 cancel 2, GET one order 2) and answers 429 when the bucket is empty,
without a Retry-After. Waiting locally before sending is cheaper than eating 429s and
keeps order placement latency predictable.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "CANCEL_COST",
    "DEFAULT_COST",
    "DEFAULT_HEADROOM",
    "GET_ORDER_COST",
    "TIERS",
    "BucketKind",
    "RateLimiter",
    "TierLimits",
    "TokenBucket",
]

DEFAULT_COST: Final = 10
CANCEL_COST: Final = 2
GET_ORDER_COST: Final = 2

BucketKind = Literal["read", "write"]


@dataclass(frozen=True, slots=True)
class TierLimits:
    read_rate: float
    read_capacity: float
    write_rate: float
    write_capacity: float


# Refill rates from Kalshi's tier table; capacities as observed on /account/limits for Basic
# (1 s of budget) and documented "mostly 2 s" for higher tiers.
TIERS: Final[dict[str, TierLimits]] = {
    "basic": TierLimits(200, 200, 100, 100),
    "advanced": TierLimits(300, 600, 300, 600),
    "expert": TierLimits(600, 1200, 600, 1200),
    "premier": TierLimits(1000, 2000, 1000, 2000),
    "paragon": TierLimits(2000, 2000, 2000, 4000),
    "prime": TierLimits(4000, 4000, 4000, 8000),
    "prestige": TierLimits(10000, 10000, 8000, 16000),
}


class TokenBucket:
    """Async token bucket. Waiters are served first-come first-served."""

    __slots__ = ("_capacity", "_clock", "_lock", "_rate", "_tokens", "_updated")

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError(f"rate and capacity must be positive, got {rate}, {capacity}")
        self._rate = float(rate)
        self._capacity = float(capacity)
        self._tokens = float(capacity)
        self._clock = clock
        self._updated = clock()
        # One lock = FIFO: a big request is not starved by a stream of small ones.
        self._lock = asyncio.Lock()

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def capacity(self) -> float:
        return self._capacity

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._updated = now
        self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)

    def available(self) -> float:
        self._refill()
        return self._tokens

    def try_acquire(self, cost: float) -> bool:
        """Take ``cost`` tokens now if possible, without waiting."""
        self._check(cost)
        if self._lock.locked():
            return False
        self._refill()
        if self._tokens >= cost:
            self._tokens -= cost
            return True
        return False

    def _check(self, cost: float) -> None:
        if cost < 0:
            raise ValueError(f"cost must be >= 0, got {cost}")
        if cost > self._capacity:
            raise ValueError(
                f"a request costing {cost} tokens can never fit a bucket of {self._capacity}; "
                "split the batch"
            )

    async def acquire(self, cost: float) -> float:
        """Wait until ``cost`` tokens are available and take them; returns seconds waited."""
        self._check(cost)
        waited = 0.0
        async with self._lock:
            while True:
                self._refill()
                if self._tokens >= cost:
                    self._tokens -= cost
                    return waited
                delay = (cost - self._tokens) / self._rate
                await asyncio.sleep(delay)
                waited += delay

    def drain(self) -> None:
        """Empty the bucket, e.g. after the server said 429: it knows better than we do."""
        self._refill()
        self._tokens = 0.0

    def reconfigure(self, rate: float, capacity: float) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError(f"rate and capacity must be positive, got {rate}, {capacity}")
        self._refill()
        self._rate = float(rate)
        self._capacity = float(capacity)
        self._tokens = min(self._tokens, self._capacity)


DEFAULT_HEADROOM: Final = 0.1


class RateLimiter:
    """The read and the write bucket of one API key.

    ``headroom`` keeps the local buckets a fraction below the server's: the server's bucket
    starts when our first request *arrives*, so a later request that travels faster than the
    first one would find the server a little emptier than our clock says. 10% covers tens
    of milliseconds of jitter; a 429 that still slips through is retried by the transport.
    """

    __slots__ = ("headroom", "read", "tier", "write")

    def __init__(
        self,
        tier: str = "basic",
        *,
        headroom: float = DEFAULT_HEADROOM,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        limits = TIERS.get(tier.lower())
        if limits is None:
            raise ValueError(f"unknown Kalshi usage tier {tier!r}; expected one of {sorted(TIERS)}")
        if not 0 <= headroom < 1:
            raise ValueError(f"headroom must be in [0, 1), got {headroom}")
        self.tier = tier.lower()
        self.headroom = headroom
        keep = 1 - headroom
        self.read = TokenBucket(limits.read_rate * keep, limits.read_capacity * keep, clock=clock)
        self.write = TokenBucket(
            limits.write_rate * keep, limits.write_capacity * keep, clock=clock
        )

    def bucket(self, kind: BucketKind) -> TokenBucket:
        return self.read if kind == "read" else self.write

    async def acquire(self, kind: BucketKind, cost: float = DEFAULT_COST) -> float:
        return await self.bucket(kind).acquire(cost)

    def configure(
        self,
        *,
        read_rate: float,
        read_capacity: float,
        write_rate: float,
        write_capacity: float,
        tier: str | None = None,
    ) -> None:
        """Adopt the limits the server reports on ``GET /account/limits`` (minus headroom)."""
        keep = 1 - self.headroom
        self.read.reconfigure(read_rate * keep, read_capacity * keep)
        self.write.reconfigure(write_rate * keep, write_capacity * keep)
        if tier:
            self.tier = tier.lower()
