"""Kalshi's token-bucket rate limits (since 2026-04-23): separate read and write buckets.

Each API key (or, for unsigned market-data calls, each client address) has a read bucket and
a write bucket. A request costs tokens (default 10; a V2 cancel and ``GET`` of one order 2; a
batch the sum of its items) and must fit in the bucket at once, else 429. Buckets refill
continuously at ``refill_rate`` tokens/s up to ``bucket_capacity``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

DEFAULT_COST: Final = 10
CANCEL_COST: Final = 2
GET_ORDER_COST: Final = 2


class Bucket(StrEnum):
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class BucketLimit:
    refill_rate: int  # tokens per second
    bucket_capacity: int


@dataclass(frozen=True, slots=True)
class Tier:
    name: str
    read: BucketLimit
    write: BucketLimit


# Kalshi's published refill rates (rate_limits.md, 2026-08). Capacities follow the observed
# Basic answer of /account/limits (one second of budget); the docs hint some tiers hold two.
def _one_second(read: int, write: int) -> tuple[BucketLimit, BucketLimit]:
    return BucketLimit(read, read), BucketLimit(write, write)


TIERS: Final[dict[str, Tier]] = {
    name: Tier(name, *_one_second(read, write))
    for name, read, write in (
        ("basic", 200, 100),
        ("advanced", 300, 300),
        ("expert", 600, 600),
        ("premier", 1000, 1000),
        ("paragon", 2000, 2000),
        ("prime", 4000, 4000),
        ("prestige", 10000, 8000),
    )
}


def tier(name: str) -> Tier:
    try:
        return TIERS[name]
    except KeyError:
        raise ValueError(
            f"unknown rate limit tier {name!r}; choose one of {', '.join(TIERS)}"
        ) from None


@dataclass(slots=True)
class _TokenBucket:
    limit: BucketLimit
    tokens: float
    updated: float

    def try_take(self, cost: int, now: float) -> bool:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(
            float(self.limit.bucket_capacity), self.tokens + elapsed * self.limit.refill_rate
        )
        self.updated = now
        if cost > self.tokens:
            return False
        self.tokens -= cost
        return True


@dataclass(slots=True)
class RateLimiter:
    """Per-client buckets for one environment. ``enabled=False`` admits everything."""

    tier: Tier = field(default_factory=lambda: TIERS["basic"])
    clock: Callable[[], float] = time.monotonic
    enabled: bool = True
    _buckets: dict[tuple[str, Bucket], _TokenBucket] = field(default_factory=dict)

    def try_acquire(self, client: str, bucket: Bucket, cost: int) -> bool:
        """Take ``cost`` tokens from ``client``'s bucket; False (taking none) if they don't fit."""
        if not self.enabled:
            return True
        key = (client, bucket)
        now = self.clock()
        state = self._buckets.get(key)
        if state is None:
            limit = self.tier.read if bucket is Bucket.READ else self.tier.write
            state = _TokenBucket(limit, float(limit.bucket_capacity), now)
            self._buckets[key] = state
        return state.try_take(cost, now)

    def limits_body(self) -> dict[str, object]:
        """The body of ``GET /account/limits``."""
        return {
            "usage_tier": self.tier.name,
            "read": {
                "refill_rate": self.tier.read.refill_rate,
                "bucket_capacity": self.tier.read.bucket_capacity,
            },
            "write": {
                "refill_rate": self.tier.write.refill_rate,
                "bucket_capacity": self.tier.write.bucket_capacity,
            },
            "grants": [],
        }
