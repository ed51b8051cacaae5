"""Selectors: the documented hardcoded rules, the seeded 75/25 baseline, market selection."""

from __future__ import annotations

import asyncio
from collections import Counter

import numpy as np

from kalshiflow.actor.features import FEATURE_NAMES, OBSERVATION_SIZE
from kalshiflow.actor.market_selection import MarketSelection
from kalshiflow.actor.selectors import BaselineSelector, HardcodedSelector, HoldSelector
from kalshiflow.trading.types import Action, StaticBook

IX = {n: i for i, n in enumerate(FEATURE_NAMES)}


def observation(**values: float) -> np.ndarray:
    o = np.zeros(OBSERVATION_SIZE, dtype=np.float32)
    o[IX["has_yes_bid"]] = o[IX["has_no_bid"]] = 1.0
    o[IX["spread"]] = 0.02
    for name, value in values.items():
        o[IX[name]] = value
    return o


def test_hardcoded_rules() -> None:
    s = HardcodedSelector()
    assert s.choose(observation(imbalance_3=0.6, momentum=0.2)) == Action.BUY_YES
    assert s.choose(observation(imbalance_3=-0.6, momentum=-0.2)) == Action.BUY_NO
    assert s.choose(observation(imbalance_3=0.6, momentum=-0.2)) == Action.HOLD  # no confirmation
    assert s.choose(observation(imbalance_3=0.1)) == Action.HOLD
    # exits come before entries
    assert s.choose(observation(position=0.3, imbalance_3=-0.35)) == Action.SELL_YES
    assert s.choose(observation(position=-0.3, momentum=0.95)) == Action.SELL_NO
    # at the position limit no more buying
    assert s.choose(observation(position=1.0, imbalance_3=0.9, momentum=0.1)) == Action.HOLD
    # a wide spread or a one-sided book: hold
    assert s.choose(observation(imbalance_3=0.9, spread=0.2)) == Action.HOLD
    assert s.choose(observation(imbalance_3=0.9, has_no_bid=0.0)) == Action.HOLD
    assert asyncio.run(s.select(observation(imbalance_3=0.6))) == Action.BUY_YES


def test_baseline_is_seeded_and_three_quarters_hold() -> None:
    o = observation()
    a = [BaselineSelector(seed=3).choose(o) for _ in range(1)]
    first = BaselineSelector(seed=3)
    second = BaselineSelector(seed=3)
    runs = [first.choose(o) for _ in range(4000)]
    assert runs == [second.choose(o) for _ in range(4000)]
    counts = Counter(runs)
    assert 0.72 < counts[Action.HOLD] / 4000 < 0.78
    for trade in (1, 2, 3, 4):
        assert 0.05 < counts[trade] / 4000 < 0.075
    assert a
    assert HoldSelector().choose(o) == Action.HOLD


LIQUID = StaticBook(((4500, 5000),), ((5000, 5000),))
THIN = StaticBook(((4500, 100),), ((5000, 100),))
S = 1_000_000_000


def test_hot_markets_rank_by_activity_with_a_liquidity_floor_and_hysteresis() -> None:
    sel = MarketSelection("hot", max_markets=2, window_s=10, reselect_s=1, liquidity_floor=10)
    now = 0
    # A: 5 updates/s, B: 3/s, C: 1/s, D: 10/s but thin
    for second in range(5):
        for ticker, rate, book in (("A", 5, LIQUID), ("B", 3, LIQUID), ("C", 1, LIQUID),
                                   ("D", 10, THIN)):  # fmt: skip
            for k in range(rate):
                now = second * S + k * 1000
                sel.note_update(ticker, book, now)
    sel.note_update("A", LIQUID, 6 * S)
    assert sel.selected() == ("A", "B")
    assert not sel.is_selected("D")  # most active but below the floor
    # C becomes a bit more active than B: B stays (still within the exit rank)
    for second in range(6, 9):
        for k in range(4):
            sel.note_update("C", LIQUID, second * S + k)
        sel.note_update("A", LIQUID, second * S + 10)
    assert sel.selected() == ("A", "B")
    # B goes quiet past the window: it leaves, C enters
    for second in range(9, 25):
        sel.note_update("A", LIQUID, second * S)
        sel.note_update("C", LIQUID, second * S + 1)
    assert sel.selected() == ("A", "C")


def test_config_and_all_modes() -> None:
    cfg = MarketSelection("config", ["X", "Y"])
    assert cfg.is_selected("X")
    assert not cfg.is_selected("Z")
    every = MarketSelection("all")
    every.note_update("Q", THIN, 0)
    assert every.is_selected("anything")
    assert every.selected() == ("Q",)
