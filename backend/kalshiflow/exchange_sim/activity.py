"""Drives the participant simulation on the asyncio loop at a settable rate.

The participants (``exchange_sim/participants``) are synchronous: each ``step()`` lets one
simulated trader act on the engine. The driver calls ``step`` ``rate`` times per second in
small batches, so the event loop stays responsive to REST and WebSocket clients, and the
admin API can change the rate (0 pauses) while it runs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Final, Protocol

log = logging.getLogger(__name__)

TICK_S: Final = 0.05
MAX_STEPS_PER_TICK: Final = 500  # a stalled loop catches up slowly instead of freezing


class Steppable(Protocol):
    def step(self) -> None: ...


class ActivityDriver:
    """Implements ``server.context.ActivityControl`` for the admin API."""

    def __init__(
        self, participants: Steppable, rate: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate < 0:
            raise ValueError(f"activity rate must be >= 0 steps per second, got {rate}")
        self._participants = participants
        self._rate = rate
        self._clock = clock
        self._due = 0.0
        self.steps_run = 0

    @property
    def rate(self) -> float:
        return self._rate

    def set_rate(self, steps_per_s: float) -> None:
        if steps_per_s < 0:
            raise ValueError(f"activity rate must be >= 0 steps per second, got {steps_per_s}")
        self._rate = steps_per_s
        self._due = 0.0

    def advance(self, elapsed_s: float) -> int:
        """Run the steps that ``elapsed_s`` seconds at the current rate make due."""
        self._due = min(self._due + elapsed_s * self._rate, float(MAX_STEPS_PER_TICK))
        steps = int(self._due)
        self._due -= steps
        for _ in range(steps):
            self._participants.step()
        self.steps_run += steps
        return steps

    def warm_up(self, steps: int) -> None:
        """Run ``steps`` steps at once (before serving), whatever the rate."""
        for _ in range(steps):
            self._participants.step()
        self.steps_run += steps

    async def run(self) -> None:
        last = self._clock()
        while True:
            await asyncio.sleep(TICK_S)
            now = self._clock()
            try:
                self.advance(now - last)
            except Exception:
                # A participant bug must not stop the market; log and keep going.
                log.exception("participant step failed")
            last = now
