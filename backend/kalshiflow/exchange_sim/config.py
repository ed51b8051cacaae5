"""Configuration of the local exchange (``kalshiflow sim`` and sandbox mode).

Plain frozen dataclass: the CLI and the app's sandbox component build it from their own
settings; tests build small, fast ones. Money and prices use the exact fixed-point units.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kalshiflow.exchange_sim.server.auth import DEFAULT_TIMESTAMP_WINDOW_MS
from kalshiflow.exchange_sim.server.ratelimit import TIERS
from kalshiflow.kalshi.fixedpoint import MONEY_SCALE, Money, Price

DEFAULT_DEMO_DRIFT: Final = Price(500)  # 5 cents
DEFAULT_DEMO_FUNDING: Final = Money(10_000 * MONEY_SCALE)  # $10,000
NO_FUNDING: Final = Money(0)


@dataclass(frozen=True, slots=True)
class SimConfig:
    host: str = "127.0.0.1"
    production_port: int = 8100  # 0 = any free port
    demo_port: int = 8200  # 0 = any free port
    data_dir: Path = Path(".kalshiflow") / "sim"  # keys live in <data_dir>/keys
    seed: int = 7
    n_markets: int = 200
    # Participant steps per second in each environment; demo is thinner, like Kalshi's.
    activity_rate: float = 50.0
    demo_activity_rate: float = 10.0
    # Participant steps per market run before serving, so books are quoted from the start.
    warmup_steps_per_market: int = 5
    # How far (at most) a demo market's fair price drifts from its production twin.
    demo_drift: Price = DEFAULT_DEMO_DRIFT
    # Cash of the demo trading account on first start (and of accounts added later).
    demo_funding: Money = DEFAULT_DEMO_FUNDING
    production_funding: Money = NO_FUNDING
    timestamp_window_ms: int = DEFAULT_TIMESTAMP_WINDOW_MS
    rate_limit_tier: str = "basic"
    rate_limits_enabled: bool = True
    admin_enabled: bool = True  # /_sim/admin (loopback peers only)
    with_participants: bool = True
    # New markets listed while running (both environments, same ticker), announced on the
    # lifecycle channel: one every `listing_interval_s` (0 = never) from a reserve of
    # `listing_reserve` markets generated with the universe.
    listing_interval_s: float = 60.0
    listing_reserve: int = 20

    def __post_init__(self) -> None:
        problems: list[str] = []
        if self.n_markets < 1:
            problems.append(f"n_markets must be at least 1, got {self.n_markets}")
        for name in ("production_port", "demo_port"):
            port = getattr(self, name)
            if not 0 <= port <= 65535:
                problems.append(f"{name} must be 0 (any free port) to 65535, got {port}")
        if self.production_port and self.production_port == self.demo_port:
            problems.append("production_port and demo_port must differ (or both be 0)")
        if self.activity_rate < 0 or self.demo_activity_rate < 0:
            problems.append("activity rates must be >= 0 steps per second")
        if self.warmup_steps_per_market < 0:
            problems.append("warmup_steps_per_market must be >= 0")
        if not 0 <= self.demo_drift < 5000:
            problems.append(f"demo_drift must be in [0, 0.5) dollars, got {self.demo_drift}")
        if self.demo_funding < 0 or self.production_funding < 0:
            problems.append("account funding must not be negative")
        if self.listing_interval_s < 0 or self.listing_reserve < 0:
            problems.append("listing_interval_s and listing_reserve must be >= 0")
        if self.timestamp_window_ms < 0:
            problems.append("timestamp_window_ms must be >= 0")
        if self.rate_limit_tier not in TIERS:
            problems.append(
                f"rate_limit_tier must be one of {', '.join(TIERS)}, got {self.rate_limit_tier!r}"
            )
        if problems:
            raise ValueError("invalid simulator configuration: " + "; ".join(problems))
