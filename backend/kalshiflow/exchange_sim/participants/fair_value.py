"""Latent fair probabilities: a random walk in logit space with occasional jumps.

Each market's path comes from its own RNG stream seeded by ``(seed, ticker)`` and advances
on a fixed time grid, so the path does not depend on when or how often a market is looked
at. That is what lets two environments built from the same seed (production and demo)
share one latent path while their participants act at different rates; the demo adds a
bounded, slowly wandering offset of at most ``drift``.

The model state is a float because it is a statistical latent variable, not a price;
everything that reaches the exchange is converted to integer ``Price`` ticks first.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Price

GRID_MS: Final = 5_000
NO_DRIFT: Final = Price(0)
_MAX_LOGIT: Final = 4.5  # keeps fair values within about 1%..99%


@dataclass(frozen=True, slots=True)
class FairValueParams:
    volatility_per_sqrt_hour: float = 0.6  # logit units
    jumps_per_hour: float = 0.5
    jump_sigma: float = 0.8  # logit units
    demo_wander_per_step: float = 0.05  # of the drift band, per grid step


class _Path:
    __slots__ = ("index", "logit", "offset_u", "rng", "rng_demo")

    def __init__(self, seed: int, ticker: str, initial: float, index: int) -> None:
        self.rng = random.Random(f"{seed}/{ticker}")
        self.rng_demo = random.Random(f"{seed}/{ticker}/demo")
        p = min(max(initial, 0.02), 0.98)
        self.logit = math.log(p / (1 - p))
        self.offset_u = self.rng_demo.uniform(-1.0, 1.0)
        self.index = index


class FairValues:
    """Fair YES prices of every market, evaluated lazily at a given time."""

    def __init__(
        self, seed: int, params: FairValueParams | None = None, drift: Price = NO_DRIFT
    ) -> None:
        self._seed = seed
        self._params = params or FairValueParams()
        self._drift = drift
        self._paths: dict[str, _Path] = {}
        hours_per_step = GRID_MS / 3_600_000
        self._sigma = self._params.volatility_per_sqrt_hour * math.sqrt(hours_per_step)
        self._jump_p = self._params.jumps_per_hour * hours_per_step

    def ensure(self, ticker: str, initial: float, now_ms: int) -> None:
        """Start a market's path (no-op if it already exists)."""
        if ticker not in self._paths:
            self._paths[ticker] = _Path(self._seed, ticker, initial, now_ms // GRID_MS)

    def known(self, ticker: str) -> bool:
        return ticker in self._paths

    def _advance(self, path: _Path, now_ms: int) -> None:
        target = now_ms // GRID_MS
        rng = path.rng
        while path.index < target:
            path.index += 1
            x = path.logit + self._sigma * rng.gauss(0.0, 1.0)
            if rng.random() < self._jump_p:
                x += rng.gauss(0.0, self._params.jump_sigma)
            path.logit = min(max(x, -_MAX_LOGIT), _MAX_LOGIT)
            if self._drift:
                u = path.offset_u + path.rng_demo.gauss(0.0, self._params.demo_wander_per_step)
                path.offset_u = -2.0 - u if u < -1.0 else (2.0 - u if u > 1.0 else u)

    def production_price(self, ticker: str, now_ms: int) -> Price:
        """The shared latent fair price (no demo offset), in integer Price units."""
        path = self._paths[ticker]
        self._advance(path, now_ms)
        return Price(round(ONE_DOLLAR / (1.0 + math.exp(-path.logit))))

    def price(self, ticker: str, now_ms: int) -> Price:
        """This environment's fair YES price: production's plus the demo offset."""
        base = self.production_price(ticker, now_ms)
        if not self._drift:
            return base
        offset = round(self._drift * self._paths[ticker].offset_u)
        return Price(min(max(base + offset, 100), ONE_DOLLAR - 100))
