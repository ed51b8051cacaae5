"""Soak: ten simulated minutes of participant activity over 500 markets (fast-forwarded).

Throughout, every book rebuilt from the emitted BookChanges equals the engine's book and is
uncrossed, every trade has one fill per side, every position equals the sum of its fills,
cash is conserved, and markets that close during the run are determined and settled.
"""

from __future__ import annotations

import pytest

from kalshiflow.exchange_sim.engine import Exchange, MarketStatus
from kalshiflow.exchange_sim.participants import (
    Population,
    SimClock,
    build_universe,
    fast_forward,
)
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR
from tests.exchange_sim.engine.replay import Replay

T0 = 1_795_000_000_000
MARKETS = 500
MINUTES = 10
STEPS_PER_SECOND = 100


def check_conservation(ex: Exchange, population: Population, deposits: int) -> None:
    total: int = ex.fees_collected()
    for account_id in ex.accounts():
        assert ex.balance(account_id) >= 0
        total += ex.balance(account_id) + ex.reserved(account_id)
    total += sum(m.open_interest for m in ex.markets()) * ONE_DOLLAR
    assert total == deposits


@pytest.mark.slow
def test_ten_simulated_minutes_over_500_markets_stay_consistent() -> None:
    clock = SimClock(T0)
    ex = Exchange(clock, id_seed=42)
    # Lives of 2 to 50 minutes: some markets close, get determined and settle mid-run.
    universe = build_universe(42, MARKETS, start_ms=T0, min_life_s=120, max_life_s=3_000)
    universe.install(ex)
    replay = Replay(ex)
    population = Population(ex, seed=42, initial_fair=universe.initial_fair)
    deposits = sum(ex.balance(a) for a in ex.accounts())
    for _ in range(MINUTES):
        fast_forward(ex, population, clock, duration_ms=60_000, steps_per_second=STEPS_PER_SECOND)
        replay.check()
        replay.check_positions()
        check_conservation(ex, population, deposits)
    assert population.steps == MINUTES * 60 * STEPS_PER_SECOND
    assert sum(replay.trade_counts.values()) > 0
    assert replay.book_changes > 50_000
    statuses = [m.status for m in ex.markets()]
    assert statuses.count(MarketStatus.FINALIZED) >= 5
    assert statuses.count(MarketStatus.ACTIVE) > 400
