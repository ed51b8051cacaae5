"""Cost of the pre-trade risk check (µs per `RiskManager.check`).

A realistic desk: 100 markets with open positions and marks, 40 resting orders spread over
them, a funded account. Each iteration checks a new bid in a market that already has a
position and resting orders, so every rule runs (the accepted path is the slowest: nothing
short-circuits). The clock moves 1 ms per check so the order-rate window slides and prunes.
Measured in the same run: the kill-switch path (the first rule refuses: the floor of the
call), `evaluate` (every rule, nothing counted) and a check on a desk with no positions.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from kalshiflow.config import RiskSettings
from kalshiflow.kalshi.fixedpoint import Count, Money, Price
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.positions import PositionTracker
from kalshiflow.trading.risk import MarketConditions, RiskManager
from kalshiflow.trading.types import BookSide, Mark, OrderIntent

N = 20_000
REPEATS = 5
MARKETS = 100
RESTING = 40


class _Clock:
    def __init__(self) -> None:
        self.now = 1_795_000_000_000

    def __call__(self) -> int:
        self.now += 1
        return self.now


def _desk(markets: int, resting: int) -> tuple[RiskManager, _Clock]:
    clock = _Clock()
    positions = PositionTracker()
    cash = CashManager(positions)
    cash.observe_exchange_balance(Money(100_000_000_000), at_ms=clock.now)
    marks: dict[str, Mark] = {}
    for i in range(markets):
        ticker = f"KXBENCH-{i:03d}"
        side: BookSide = "bid" if i % 2 else "ask"
        positions.apply_fill(ticker, side, Price(4000 + i), Count(1000), Money(10_000))
        marks[ticker] = Price(4500)
    for j in range(resting):
        ticker = f"KXBENCH-{j % max(markets, 1):03d}"
        cash.hold(f"o{j}", ticker, "bid", Price(3000 + j), Count(500))
    settings = RiskSettings(
        max_contracts_per_market=1_000_000,
        max_total_exposure_dollars=10**9,
        max_open_orders=10_000,
        max_orders_per_second=10**9,
        max_daily_loss_dollars=10**9,
        min_cash_reserve_dollars=0,
    )
    # the clock runs 1 ms per check: a book age limit of a day keeps the fixed conditions fresh
    risk = RiskManager(settings, positions, cash, clock, marks.get, max_book_age_ms=86_400_000)
    return risk, clock


def _time(fn: Callable[[], object], n: int) -> tuple[float, float]:
    """(min, median) over REPEATS runs of µs per call."""
    per_call = []
    for _ in range(REPEATS):
        start = time.perf_counter_ns()
        for _ in range(n):
            fn()
        per_call.append((time.perf_counter_ns() - start) / n / 1000)
    return round(min(per_call), 3), round(statistics.median(per_call), 3)


def run() -> dict[str, object]:
    risk, clock = _desk(MARKETS, RESTING)
    intent = OrderIntent("KXBENCH-001", "bid", Price(4500), Count(1000))

    conditions = MarketConditions(True, clock.now + 10 * 86_400_000, clock.now)

    def accepted() -> None:
        rejection = risk.check(intent, conditions)
        if rejection is not None:
            raise AssertionError(f"the benchmark order must pass every rule: {rejection}")

    accepted_min, accepted_median = _time(accepted, N)
    evaluate_min, evaluate_median = _time(lambda: risk.evaluate(intent, conditions), N)
    risk.engage("bench")
    killed_min, killed_median = _time(lambda: risk.check(intent, conditions), N)
    risk.release("bench")

    empty, empty_clock = _desk(0, 0)
    empty_conditions = MarketConditions(True, empty_clock.now + 10 * 86_400_000, empty_clock.now)
    empty_min, empty_median = _time(lambda: empty.check(intent, empty_conditions), N)
    return {
        "markets_with_positions": MARKETS,
        "resting_orders": RESTING,
        "checks_per_repeat": N,
        "check_accepted_us": {"min": accepted_min, "median": accepted_median},
        "evaluate_all_rules_us": {"min": evaluate_min, "median": evaluate_median},
        "baseline_kill_switch_refusal_us": {"min": killed_min, "median": killed_median},
        "check_accepted_empty_desk_us": {"min": empty_min, "median": empty_median},
    }


if __name__ == "__main__":
    print(json.dumps(run()))
