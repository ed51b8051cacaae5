"""Valid order prices of a market (its ``price_ranges``), for snapping model prices to ticks."""

from __future__ import annotations

import bisect
from functools import lru_cache

from kalshiflow.exchange_sim.engine.types import PriceRange
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Price


@lru_cache(maxsize=64)
def ticks(price_ranges: tuple[PriceRange, ...]) -> tuple[Price, ...]:
    """Every orderable price strictly inside (0, 1), ascending (at most 999 for deci-cent)."""
    out: set[int] = set()
    for start, end, step in price_ranges:
        out.update(p for p in range(start, end + 1, step) if 0 < p < ONE_DOLLAR)
    return tuple(Price(p) for p in sorted(out))


def snap_down(grid: tuple[Price, ...], price: int) -> Price:
    """Highest tick <= price (the lowest tick if price is below the grid)."""
    i = bisect.bisect_right(grid, price)
    return grid[max(i - 1, 0)]


def snap_up(grid: tuple[Price, ...], price: int) -> Price:
    """Lowest tick >= price (the highest tick if price is above the grid)."""
    i = bisect.bisect_left(grid, price)
    return grid[min(i, len(grid) - 1)]


def step(grid: tuple[Price, ...], price: Price, n: int) -> Price:
    """The tick ``n`` ticks above (n > 0) or below ``price`` (a tick), clamped to the grid."""
    i = bisect.bisect_left(grid, price) + n
    return grid[min(max(i, 0), len(grid) - 1)]
