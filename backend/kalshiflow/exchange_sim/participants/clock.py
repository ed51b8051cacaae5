"""A settable clock and a fast-forward driver, for running the participants off wall time."""

from __future__ import annotations

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.participants.population import Population


class SimClock:
    """Epoch-ms clock that only moves when told to; pass it as the ``Exchange`` clock."""

    def __init__(self, now_ms: int) -> None:
        self.now_ms = now_ms

    def __call__(self) -> int:
        return self.now_ms

    def set(self, now_ms: int) -> None:
        if now_ms < self.now_ms:
            raise ValueError("the clock cannot go backwards")
        self.now_ms = now_ms


def fast_forward(
    exchange: Exchange,
    population: Population,
    clock: SimClock,
    *,
    duration_ms: int,
    steps_per_second: float,
    tick_every_ms: int = 1_000,
) -> int:
    """Advance ``clock`` by ``duration_ms``, spreading ``steps_per_second`` participant steps
    evenly over it and calling ``exchange.tick()`` every ``tick_every_ms``. Returns steps run."""
    start = clock.now_ms
    total = int(duration_ms * steps_per_second / 1000)
    next_tick = start + tick_every_ms
    for i in range(total):
        now = start + (i * duration_ms) // max(total, 1)
        clock.set(now)
        if now >= next_tick:
            exchange.tick()
            next_tick += tick_every_ms
        population.step()
    clock.set(start + duration_ms)
    exchange.tick()
    return total
