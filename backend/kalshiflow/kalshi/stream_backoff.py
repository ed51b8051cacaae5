"""Exponential reconnect backoff with jitter.

Many clients losing the same exchange at the same moment would reconnect in lock-step and hit
it together; the random jitter spreads them out. The delay grows geometrically up to a cap so
a long outage costs few attempts, and ``reset()`` returns to the base once a connection proved
stable (not merely opened: a server that accepts and drops at once must not get a tight loop).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# 2**62 seconds is far beyond any sane cap; stopping the exponent there keeps float math finite.
_MAX_EXPONENT = 62


@dataclass(slots=True)
class Backoff:
    """Delays ``base * factor**n`` capped at ``maximum``, each shrunk by up to ``jitter``.

    With ``jitter=0.5`` a delay whose ceiling is 8 s is drawn uniformly from [4 s, 8 s].
    """

    base: float
    maximum: float
    factor: float = 2.0
    jitter: float = 0.5
    rng: random.Random = field(default_factory=random.Random)
    attempts: int = 0

    def __post_init__(self) -> None:
        if self.base <= 0:
            raise ValueError(f"backoff base must be > 0 seconds, got {self.base}")
        if self.maximum < self.base:
            raise ValueError(
                f"backoff maximum ({self.maximum}) must be >= backoff base ({self.base})"
            )
        if self.factor < 1:
            raise ValueError(f"backoff factor must be >= 1, got {self.factor}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"backoff jitter must be within [0, 1], got {self.jitter}")

    def ceiling(self) -> float:
        """Upper bound of the next delay (before jitter)."""
        exponent = min(self.attempts, _MAX_EXPONENT)
        return float(min(self.maximum, self.base * self.factor**exponent))

    def next_delay(self) -> float:
        """Return the delay before the next attempt and count the attempt."""
        ceiling = self.ceiling()
        self.attempts += 1
        return ceiling * (1.0 - self.jitter * self.rng.random())

    def reset(self) -> None:
        self.attempts = 0
