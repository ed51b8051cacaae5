"""What every request handler of one simulated environment needs, stored on its aiohttp app.

REST handlers, the admin API and the WebSocket handler (``server/ws*.py``) all reach the
environment through ``request.app[SIM_CONTEXT]`` (or :func:`sim_context`), so nothing is a
module-level singleton and the two environments in one process stay apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from aiohttp import web

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.server.auth import KeyRegistry
from kalshiflow.exchange_sim.server.faults import FaultInjector
from kalshiflow.exchange_sim.server.ratelimit import RateLimiter


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class ActivityControl(Protocol):
    """The participant simulation's throttle, set through the admin API."""

    @property
    def rate(self) -> float:
        """Participant steps per second (0 = paused)."""
        ...

    def set_rate(self, steps_per_s: float) -> None: ...


@dataclass(slots=True)
class SimContext:
    """One environment ("production" or "demo") as the servers see it."""

    name: str
    exchange: Exchange
    keys: KeyRegistry
    limiter: RateLimiter = field(default_factory=RateLimiter)
    faults: FaultInjector = field(default_factory=FaultInjector)
    clock_ms: Callable[[], int] = wall_clock_ms
    activity: ActivityControl | None = None


SIM_CONTEXT = web.AppKey("kalshiflow_sim_context", SimContext)


def sim_context(request: web.Request) -> SimContext:
    return request.app[SIM_CONTEXT]


# Set by the auth middleware on signed routes: who is calling.
ACCOUNT_ID = web.RequestKey("kalshiflow_sim_account_id", str)
KEY_ID = web.RequestKey("kalshiflow_sim_key_id", str)


def account_id(request: web.Request) -> str:
    """The authenticated account (only on routes behind the auth middleware)."""
    return request[ACCOUNT_ID]
