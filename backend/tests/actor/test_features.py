"""The 52-feature observation: exact values on known books, ranges on any book, the
temporal formulas, and the documented table in docs/OBSERVATION.md."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.actor.features import (
    FEATURE_NAMES,
    OBSERVATION_SIZE,
    PortfolioState,
    RestingOrder,
    activity_score,
    build_observation,
    momentum,
)
from kalshiflow.actor.history import ZERO_TEMPORAL, HistoryTracker
from kalshiflow.kalshi.fixedpoint import Count as C
from kalshiflow.kalshi.fixedpoint import Money as M
from kalshiflow.kalshi.fixedpoint import Price as P
from kalshiflow.trading.types import StaticBook

IX = {n: i for i, n in enumerate(FEATURE_NAMES)}
DOC = Path(__file__).resolve().parents[3] / "docs" / "OBSERVATION.md"
FLAT = PortfolioState(
    C(0), M(0), M(0), M(1_000_000_000), M(1_000_000_000), M(0), C(10_000)
)  # $1000, 100 contracts
# YES bids 0.45 × 10, 0.44 × 20; NO bids 0.50 × 30 (YES ask 0.50)
BOOK = StaticBook(((4500, 1000), (4400, 2000)), ((5000, 3000),))


def obs(book: StaticBook = BOOK, portfolio: PortfolioState = FLAT, orders=(), now=0):  # type: ignore[no-untyped-def]
    return build_observation(book, ZERO_TEMPORAL, portfolio, orders, now)


def test_fifty_two_named_features_in_float32() -> None:
    o = obs()
    assert o.shape == (OBSERVATION_SIZE,) == (52,)
    assert o.dtype == np.float32
    assert len(set(FEATURE_NAMES)) == 52


def test_book_features_of_a_known_book() -> None:
    o = obs()
    assert o[IX["yes_bid"]] == np.float32(0.45)
    assert o[IX["yes_ask"]] == np.float32(0.50)
    assert o[IX["no_bid"]] == np.float32(0.50)
    assert o[IX["no_ask"]] == np.float32(0.55)
    assert o[IX["spread"]] == np.float32(0.05)
    assert o[IX["mid"]] == np.float32(0.475)
    assert o[IX["spread_ticks"]] == np.float32(5 / 20)
    # depth 1: 10 YES vs 30 NO; depth 3: 30 YES vs 30 NO
    assert o[IX["imbalance_1"]] == np.float32(-0.5)
    assert o[IX["imbalance_3"]] == 0.0
    assert o[IX["yes_depth_1"]] == np.float32(math.log1p(10) / math.log1p(10_000))
    assert o[IX["yes_second_gap"]] == np.float32(0.01)
    # microprice: (0.45×30 + 0.50×10)/40 = 0.4625; (0.4625 − 0.475) / 0.025 = −0.5
    assert o[IX["microprice_offset"]] == np.float32(-0.5)
    assert o[IX["has_yes_bid"]] == o[IX["has_no_bid"]] == 1.0


def test_one_sided_and_empty_books_use_the_documented_defaults() -> None:
    empty = obs(StaticBook())
    assert empty[IX["yes_ask"]] == 1.0
    assert empty[IX["mid"]] == 0.5
    assert empty[IX["spread"]] == 1.0
    assert empty[IX["has_yes_bid"]] == 0.0
    one = obs(StaticBook(((4500, 100),)))
    assert one[IX["yes_bid"]] == np.float32(0.45)
    assert one[IX["no_bid"]] == 0.0
    assert one[IX["imbalance_1"]] == 1.0


def test_portfolio_and_order_features() -> None:
    # long 20 YES bought at 0.40 ($8 cost); mid 0.475 -> unrealized 20 × 0.075 = $1.50
    p = PortfolioState(
        C(2000), M(8_000_000), M(500_000), M(992_000_000), M(990_000_000), M(10_000_000),
        C(10_000),
    )  # fmt: skip
    orders = (
        RestingOrder("bid", P(4300), C(500), 0),
        RestingOrder("ask", P(5200), C(300), 30_000_000_000),
    )
    o = obs(portfolio=p, orders=orders, now=60_000_000_000)
    assert o[IX["position"]] == np.float32(0.2)
    assert o[IX["holds_yes"]] == 1.0
    assert o[IX["holds_no"]] == 0.0
    assert o[IX["unrealized_pnl"]] == np.float32(math.tanh(1.5 / 10))
    assert o[IX["realized_pnl"]] == np.float32(math.tanh(0.5 / 10))
    assert o[IX["cost_vs_mid"]] == np.float32(0.075)
    assert o[IX["open_orders"]] == np.float32(0.2)
    assert o[IX["bid_distance"]] == np.float32(0.02)  # 0.45 touch, ours 0.43
    assert o[IX["ask_distance"]] == np.float32(0.02)  # ours 0.52, touch 0.50
    assert o[IX["oldest_order_age"]] == np.float32(math.log1p(60) / math.log1p(3600))
    assert o[IX["resting_share"]] == np.float32(0.08)


levels = st.lists(
    st.tuples(st.integers(1, 99).map(lambda c: c * 100), st.integers(1, 10**7)),
    max_size=30,
    unique_by=lambda lv: lv[0],
)


@settings(max_examples=200, deadline=None)
@given(
    yes=levels,
    no=levels,
    position=st.integers(-(10**6), 10**6),
    cost=st.integers(0, 10**9),
    realized=st.integers(-(10**9), 10**9),
    cash=st.integers(0, 10**10),
)
def test_every_feature_stays_in_minus_one_to_one(  # type: ignore[no-untyped-def]
    yes, no, position, cost, realized, cash
) -> None:
    book = StaticBook(tuple(yes), tuple(no))
    history = HistoryTracker()
    temporal = ZERO_TEMPORAL
    for i in range(4):
        temporal = history.observe("T", book, i * 10**9)
    p = PortfolioState(
        C(position), M(cost if position else 0), M(realized), M(cash), M(cash // 2), M(cost),
        C(10_000),
    )  # fmt: skip
    o = build_observation(book, temporal, p, (RestingOrder("bid", P(100), C(100), 0),), 10**12)
    assert np.all(o >= -1.0)
    assert np.all(o <= 1.0)
    assert np.all(np.isfinite(o))


def test_momentum_formula_and_its_zero_denominator() -> None:
    assert momentum([100, 102]) == 0.0  # fewer than three mids
    assert momentum([100, 102, 106]) == math.tanh((4 - 2) / 2)
    assert momentum([100, 104, 102]) == math.tanh((-2 - 4) / 4)
    assert momentum([100, 100, 103]) == 1.0  # prev = 0: the limit sign(recent)
    assert momentum([100, 100, 97]) == -1.0
    assert momentum([100, 100, 100]) == 0.0


def test_activity_score_formula() -> None:
    assert activity_score(3, 100.0) == 3 * math.log1p(100.0) / 1000
    assert activity_score(1000, 10**6) == 1.0


def test_history_time_gap_momentum_and_activity() -> None:
    h = HistoryTracker()
    t = h.observe("A", StaticBook(((4500, 100),), ((5000, 100),)), 0)
    assert t[0] == 0.0  # first update: no gap
    h.observe("B", StaticBook(((4500, 100),), ((5000, 100),)), 1 * 10**9)
    t = h.observe("A", StaticBook(((4600, 100),), ((5000, 100),)), 10 * 10**9)
    assert t[0] == math.log1p(10) / math.log1p(3600)
    assert t[1] == activity_score(2, 2.0)  # two markets in the window, 2 contracts resting
    t = h.observe("A", StaticBook(((4800, 100),), ((5000, 100),)), 11 * 10**9)
    # mids ×2: 9500, 9600, 9800 -> recent 200, prev 100
    assert t[2] == math.tanh((200 - 100) / 100)
    # B's update leaves the 60 s window
    t = h.observe("A", StaticBook(((4800, 100),), ((5000, 100),)), 70 * 10**9)
    assert t[9] == 1 / 100
    assert h.active_markets() == 1


def test_the_documented_table_lists_every_feature_in_order() -> None:
    text = DOC.read_text()
    documented: list[str] = []
    for line in text.splitlines():
        m = re.match(r"\| (\d+)(?:–(\d+))? \| ([a-z_0-9/]+) \|", line)
        if not m:
            continue
        name = m.group(3)
        if "/" in name:  # "yes_depth_1/3/5/10" -> four names
            stem, *rest = name.split("/")
            base = stem.rsplit("_", 1)[0]
            documented += [stem] + [f"{base}_{r}" for r in rest]
        else:
            documented.append(name)
    assert documented == list(FEATURE_NAMES)
