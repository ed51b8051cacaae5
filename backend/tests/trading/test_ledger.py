"""Two ledgers: the shadow fill walks the production book; realism gap per order, market, day."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.trading.ledger import (
    TwoLedgers,
    shadow_fill,
    summarise_by_day,
    summarise_by_market,
)
from kalshiflow.trading.types import MS_PER_DAY, OrderIntent, StaticBook
from tests.trading.support import c, m, p

# YES bids 0.45 × 5, 0.44 × 10; NO bids 0.50 × 3, 0.49 × 8, 0.45 × 20,
# i.e. YES offers 0.50 × 3, 0.51 × 8, 0.55 × 20.
BOOK = StaticBook(
    yes_bids=((p("0.45"), c("5")), (p("0.44"), c("10"))),
    no_bids=((p("0.50"), c("3")), (p("0.49"), c("8")), (p("0.45"), c("20"))),
)
DAY1 = 1_795_000_000_000  # 2026-11-18 UTC
DAY2 = DAY1 + MS_PER_DAY


def test_a_bid_walks_several_offer_levels_up_to_its_limit() -> None:
    s = shadow_fill(BOOK, "bid", p("0.52"), c("10"))
    # 3 at 0.50 + 7 at 0.51 = 1.50 + 3.57 = 5.07 for 10: average 0.507
    assert s.levels == ((p("0.50"), c("3")), (p("0.51"), c("7")))
    assert (s.count, s.notional, s.avg_price) == (c("10"), m("5.07"), Fraction(p("0.507")))


def test_the_limit_stops_the_walk_and_the_rest_is_not_filled() -> None:
    s = shadow_fill(BOOK, "bid", p("0.51"), c("20"))
    # 3 at 0.50 + 8 at 0.51; the 0.55 offers are beyond the limit
    assert (s.count, s.notional) == (c("11"), m("5.58"))
    assert s.avg_price == Fraction(5_580_000, 1_100)


def test_an_ask_walks_the_bids_down() -> None:
    s = shadow_fill(BOOK, "ask", p("0.44"), c("12"))
    # 5 at 0.45 + 7 at 0.44 = 2.25 + 3.08 = 5.33
    assert s.levels == ((p("0.45"), c("5")), (p("0.44"), c("7")))
    assert (s.count, s.notional) == (c("12"), m("5.33"))
    nothing = shadow_fill(BOOK, "ask", p("0.46"), c("1"))
    assert (nothing.count, nothing.avg_price, nothing.levels) == (0, None, ())


def test_realism_gap_per_order() -> None:
    ledgers = TwoLedgers()
    buy = OrderIntent("A", "bid", p("0.52"), c("10"))
    rec = ledgers.record_decision("o1", buy, BOOK, at_ms=DAY1)
    assert (rec.production_bid, rec.production_ask, rec.production_mid) == (
        p("0.45"),
        p("0.50"),
        Fraction(p("0.475")),
    )
    assert rec.realism_gap is None  # nothing filled on demo yet
    ledgers.record_fill("o1", p("0.52"), c("4"), fee=m("0.07"))
    rec = ledgers.record_fill("o1", p("0.515"), c("6"))
    # demo: 4 × 0.52 + 6 × 0.515 = 2.08 + 3.09 = 5.17, average 0.517; shadow average 0.507
    # gap = (0.517 − 0.507) × 10 = +$0.10: demo paid more, adverse for a buy
    assert rec.actual_avg_price == Fraction(p("0.517"))
    assert rec.realism_gap == m("0.10")
    assert rec.adverse_gap == m("0.10")
    assert rec.fill_ratio_gap == 0
    assert rec.actual_fees == m("0.07")

    sell = OrderIntent("A", "ask", p("0.44"), c("12"))
    ledgers.record_decision("o2", sell, BOOK, at_ms=DAY1 + 1)
    rec = ledgers.record_fill("o2", p("0.46"), c("6"))
    # shadow average 5.33 / 12 = 0.444166…; demo sold 6 at 0.46:
    # gap = (0.46 − 0.4441666…) × 6 = 0.095; selling higher is better: adverse −0.095
    assert rec.realism_gap == m("0.095")
    assert rec.adverse_gap == -m("0.095")
    assert rec.fill_ratio_gap == Fraction(6 - 12, 12)


def test_summaries_by_market_and_by_day() -> None:
    ledgers = TwoLedgers()
    ledgers.record_decision("o1", OrderIntent("A", "bid", p("0.52"), c("10")), BOOK, DAY1)
    ledgers.record_fill("o1", p("0.517"), c("10"))  # +0.10 adverse
    ledgers.record_decision("o2", OrderIntent("A", "ask", p("0.44"), c("12")), BOOK, DAY2)
    ledgers.record_fill("o2", p("0.46"), c("6"))  # −0.095 adverse
    ledgers.record_decision("o3", OrderIntent("B", "ask", p("0.46"), c("2")), BOOK, DAY2)
    # o3: the shadow would fill nothing (no bid at 0.46 or better), demo nothing yet

    by_market = summarise_by_market(ledgers.records())
    a = by_market["A"]
    assert (a.orders, a.ordered, a.actual_filled, a.shadow_filled, a.compared_orders) == (
        2,
        c("22"),
        c("16"),
        c("22"),
        2,
    )
    assert a.adverse_gap == m("0.005")  # 0.10 − 0.095
    assert a.realism_gap == m("0.195")
    assert a.fill_ratio_gap == Fraction(16 - 22, 22)
    b = by_market["B"]
    assert (b.orders, b.compared_orders, b.realism_gap, b.fill_ratio_gap) == (
        1,
        0,
        Fraction(0),
        Fraction(0),
    )

    by_day = summarise_by_day(ledgers.records())
    assert list(by_day) == ["2026-11-18", "2026-11-19"]
    assert by_day["2026-11-18"].adverse_gap == m("0.10")
    assert by_day["2026-11-19"].orders == 2


def test_ledger_refuses_inconsistent_input() -> None:
    ledgers = TwoLedgers()
    ledgers.record_decision("o1", OrderIntent("A", "bid", p("0.52"), c("1")), BOOK, DAY1)
    with pytest.raises(ValueError, match="already"):
        ledgers.record_decision("o1", OrderIntent("A", "bid", p("0.52"), c("1")), BOOK, DAY1)
    with pytest.raises(KeyError, match="never recorded"):
        ledgers.record_fill("nope", p("0.5"), c("1"))
    with pytest.raises(ValueError, match="exceed"):
        ledgers.record_fill("o1", p("0.5"), c("2"))
    assert ledgers.get("o1") is not None


levels = st.lists(
    st.tuples(st.integers(1, 9_999), st.integers(1, 5_000)), max_size=6, unique_by=lambda x: x[0]
)


@settings(max_examples=300, deadline=None)
@given(
    yes=levels,
    no=levels,
    side=st.sampled_from(["bid", "ask"]),
    limit=st.integers(1, 9_999),
    count=st.integers(0, 20_000),
)
def test_shadow_fill_properties(
    yes: list[tuple[int, int]], no: list[tuple[int, int]], side: str, limit: int, count: int
) -> None:
    book = StaticBook(tuple(yes), tuple(no))
    s = shadow_fill(book, side, limit, count)  # type: ignore[arg-type]
    if side == "bid":
        eligible = [(10_000 - q, n) for q, n in no if 10_000 - q <= limit]
    else:
        eligible = [(q, n) for q, n in yes if q >= limit]
    # fills exactly what the book offers within the limit, up to the order's size
    assert s.count == min(count, sum(n for _, n in eligible))
    assert s.notional == sum(price * n for price, n in s.levels)
    assert sum(n for _, n in s.levels) == s.count
    assert all(price <= limit if side == "bid" else price >= limit for price, _ in s.levels)
    prices = [price for price, _ in s.levels]
    assert prices == sorted(prices, reverse=(side == "ask"))  # best first
    if s.avg_price is not None:
        assert min(prices) <= s.avg_price <= max(prices)
