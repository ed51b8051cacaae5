"""Trader building blocks: grid snapping and a market maker's quotes."""

from __future__ import annotations

import random

from kalshiflow.exchange_sim.engine import (
    BookSide,
    Event,
    Exchange,
    MarketSpec,
    OrderStatus,
    Series,
)
from kalshiflow.exchange_sim.participants.grid import snap_down, snap_up, step, ticks
from kalshiflow.exchange_sim.participants.traders import MarketMaker, MarketView
from kalshiflow.kalshi.fixedpoint import MONEY_SCALE, Money, Price

T0 = 1_795_000_000_000
TAPERED = (
    (Price(0), Price(1000), Price(10)),
    (Price(1000), Price(9000), Price(100)),
    (Price(9000), Price(10000), Price(10)),
)


def test_grid_snapping_on_a_tapered_grid() -> None:
    grid = ticks(TAPERED)
    assert grid[0] == 10
    assert grid[-1] == 9990
    assert 1050 not in grid
    assert snap_down(grid, 1050) == 1000
    assert snap_up(grid, 1050) == 1100
    assert snap_up(grid, 995) == 1000
    assert step(grid, Price(1000), -1) == 990
    assert step(grid, Price(9990), 5) == 9990
    assert snap_down(grid, 3) == 10


def exchange_with_market() -> Exchange:
    ex = Exchange(lambda: T0)
    ex.add_series(Series("KXT", "t"))
    ex.add_event(Event("KXT-26NOV22", "KXT", "t"))
    ex.add_market(
        MarketSpec("KXT-26NOV22-A", "KXT-26NOV22", "a", T0 // 1000 - 1, T0 // 1000 + 3600)
    )
    ex.create_account("mm", Money(1_000_000 * MONEY_SCALE))
    return ex


def test_market_maker_quotes_levels_around_fair_and_follows_it() -> None:
    ex = exchange_with_market()
    view = MarketView("KXT-26NOV22-A", ticks(((Price(0), Price(10000), Price(100)),)))
    mm = MarketMaker(
        "mm", levels=2, min_size=5, max_size=5, half_spread_ticks=2, skew_per_contract=0.0
    )
    rng = random.Random(1)
    mm.act(ex, view, Price(5050), 0, rng)
    assert ex.orderbook(view.ticker) == ([(4800, 500), (4900, 500)], [(4700, 500), (4800, 500)])
    mm.act(ex, view, Price(6050), 0, rng)  # fair jumped: quotes follow, by amendment
    yes, no = ex.orderbook(view.ticker)
    assert [p for p, _ in yes] == [5800, 5900]
    assert [p for p, _ in no] == [3700, 3800]
    assert len(ex.orders("mm", status=OrderStatus.RESTING)) == 4


def test_huge_inventory_never_makes_a_maker_cross_itself() -> None:
    ex = exchange_with_market()
    view = MarketView("KXT-26NOV22-A", ticks(((Price(0), Price(10000), Price(100)),)))
    mm = MarketMaker(
        "mm", levels=1, min_size=1, max_size=1, half_spread_ticks=1, skew_per_contract=100.0
    )
    mm.act(ex, view, Price(5000), 1_000_000, random.Random(1))
    orders = ex.orders("mm", status=OrderStatus.RESTING)
    bid = next(o.price for o in orders if o.side is BookSide.BID)
    ask = next(o.price for o in orders if o.side is BookSide.ASK)
    assert bid < ask
