"""PositionTracker: hand-computed P&L (fees and settlement included) and properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.exchange_sim.engine.accounts import PositionState
from kalshiflow.exchange_sim.engine.types import BookSide
from kalshiflow.trading.fees import taker_fee
from kalshiflow.trading.positions import PositionTracker, position_value
from tests.trading.support import c, m, p

T = "KXTEST-26"


def test_buy_yes_sell_part_mark_and_settle_yes() -> None:
    t = PositionTracker()
    # Buy 10 YES at 0.40 as taker: cost 10 × 0.40 = $4.00, fee 0.07 × 10 × 0.4 × 0.6 = $0.168
    fee = taker_fee(p("0.40"), c("10"))
    assert fee == m("0.168")
    e1 = t.apply_fill(T, "bid", p("0.40"), c("10"), fee)
    assert e1.cash_delta == -m("4.168")  # paid 4.00 + 0.168
    assert e1.realized_delta == -m("0.168")  # the fee is a realized loss
    snap = t.snapshot(T)
    assert (snap.position, snap.cost, snap.average_cost) == (c("10"), m("4"), Fraction(p("0.40")))

    # Sell 4 YES at 0.55 (an ask; maker, no fee): buys NO at 0.45, closing 4 YES+NO pairs
    # that redeem $1 each. Realized = 4 × (0.55 − 0.40) = $0.60; cash +4 × 0.55 = +$2.20.
    e2 = t.apply_fill(T, "ask", p("0.55"), c("4"))
    assert (e2.closed, e2.realized_delta, e2.cash_delta) == (c("4"), m("0.60"), m("2.20"))
    snap = t.snapshot(T)
    # 6 YES left at the same 0.40 average: cost $2.40
    assert (snap.position, snap.cost, snap.average_cost) == (c("6"), m("2.40"), Fraction(p("0.40")))
    assert snap.realized == m("0.432")  # 0.60 − 0.168
    assert snap.fees_paid == m("0.168")

    # Marked at a production mid of 0.50: 6 × (0.50 − 0.40) = +$0.60;
    # at a demo mid of 0.35: 6 × (0.35 − 0.40) = −$0.30.
    assert t.unrealized(T, p("0.50")) == m("0.60")
    assert t.unrealized(T, p("0.35")) == -m("0.30")
    # a half-unit mid (0.40005) is exact up to the Money unit: 600 × 4000.5 = 2_400_300
    assert t.unrealized(T, Fraction(8001, 2)) == 300

    # Settles YES: 6 × $1 paid out; realized += 6.00 − 2.40 = 3.60 -> total 0.60 + 3.60 − 0.168
    s = t.settle(T, "yes")
    assert (s.payout, s.realized_delta, s.position) == (m("6"), m("3.60"), c("6"))
    snap = t.snapshot(T)
    assert (snap.position, snap.cost, snap.realized, snap.settled) == (0, 0, m("4.032"), True)
    # cash flow: −4.168 + 2.20 + 6.00 = 4.032, the same as realized P&L
    assert snap.cash_flow == m("4.032")
    assert t.unrealized(T, p("0.99")) == 0


def test_closing_no_by_buying_yes_redeems_the_pair() -> None:
    t = PositionTracker()
    # Buy 5 NO at 0.30 = an ask at YES 0.70; taker fee 0.07 × 5 × 0.7 × 0.3 = 0.0735
    t.apply_fill(T, "ask", p("0.70"), c("5"), m("0.0735"))
    snap = t.snapshot(T)
    assert (snap.position, snap.cost, snap.average_cost) == (
        -c("5"),
        m("1.50"),
        Fraction(p("0.30")),
    )
    # NO is worth 1 − mark: at a YES mark of 0.60, NO = 0.40: 5 × (0.40 − 0.30) = +0.50
    assert t.unrealized(T, p("0.60")) == m("0.50")
    # Sell NO at 0.40 = buy YES at 0.60: each YES bought pairs with a NO and redeems $1,
    # so cash −0.60 + 1.00 = +0.40 each; realized 5 × (0.40 − 0.30) = 0.50
    e = t.apply_fill(T, "bid", p("0.60"), c("5"))
    assert (e.closed, e.cash_delta, e.realized_delta, e.position_after) == (
        c("5"),
        m("2.00"),
        m("0.50"),
        0,
    )
    assert t.realized(T) == m("0.4265")  # 0.50 − 0.0735
    assert t.fees_paid(T) == m("0.0735")


def test_a_fill_through_zero_closes_then_opens_the_other_side() -> None:
    t = PositionTracker()
    t.apply_fill(T, "bid", p("0.40"), c("2"))  # 2 YES, cost 0.80
    # Ask 5 at 0.45 (= buy 5 NO at 0.55): closes 2 (realized 2 × (0.45 − 0.40) = 0.10),
    # opens 3 NO at 0.55 (cost 1.65); cash −5 × 0.55 + 2 × 1.00 = −0.75
    e = t.apply_fill(T, "ask", p("0.45"), c("5"))
    assert (e.closed, e.realized_delta, e.cash_delta) == (c("2"), m("0.10"), -m("0.75"))
    snap = t.snapshot(T)
    assert (snap.position, snap.cost, snap.average_cost) == (
        -c("3"),
        m("1.65"),
        Fraction(p("0.55")),
    )


def test_settle_no_pays_no_holders_and_zeroes_yes_holders() -> None:
    t = PositionTracker()
    t.apply_fill("A", "ask", p("0.80"), c("3"))  # 3 NO at 0.20, cost 0.60
    t.apply_fill("B", "bid", p("0.25"), c("4"))  # 4 YES at 0.25, cost 1.00
    assert t.total_cost == m("1.60")
    a = t.settle("A", "no")  # NO wins: 3 × $1
    b = t.settle("B", "no")  # YES loses everything
    assert (a.payout, a.realized_delta) == (m("3"), m("2.40"))
    assert (b.payout, b.realized_delta) == (0, -m("1"))
    assert t.total_realized == m("1.40")
    assert t.total_cost == 0
    with pytest.raises(ValueError, match="already settled"):
        t.settle("A", "yes")
    with pytest.raises(ValueError, match="settled"):
        t.apply_fill("A", "bid", p("0.5"), c("1"))


def test_scalar_settlement_and_settlement_fee() -> None:
    t = PositionTracker()
    t.apply_fill(T, "ask", p("0.50"), c("2"))  # 2 NO at 0.50, cost 1.00
    # scalar value 0.30 per YES -> NO gets 0.70 each = 1.40, minus a 0.01 settlement fee
    s = t.settle(T, p("0.30"), fee=m("0.01"))
    assert (s.payout, s.realized_delta) == (m("1.39"), m("0.39"))


def test_totals_and_marks() -> None:
    t = PositionTracker()
    t.apply_fill("A", "bid", p("0.40"), c("10"))  # +10 YES, cost 4.00
    t.apply_fill("B", "ask", p("0.60"), c("10"))  # +10 NO at 0.40, cost 4.00
    t.apply_fill("C", "bid", p("0.10"), c("1"))  # no mark available: counted at cost
    marks = {"A": p("0.45"), "B": p("0.65")}
    # A: 10 × 0.05 = +0.50; B: NO worth 0.35: 10 × −0.05 = −0.50
    assert t.total_unrealized(marks.get) == 0
    marks["B"] = p("0.55")  # NO worth 0.45: +0.50
    assert t.total_pnl(marks.get) == m("1.00")
    assert t.open_tickers() == ("A", "B", "C")


def test_adopt_takes_the_exchange_numbers_and_keeps_the_identity() -> None:
    t = PositionTracker()
    t.apply_fill(T, "bid", p("0.40"), c("10"))
    t.adopt(T, c("7"), m("3.01"), realized_gross=m("0.25"), fees_paid=m("0.05"))
    snap = t.snapshot(T)
    assert (snap.position, snap.cost, snap.realized) == (c("7"), m("3.01"), m("0.20"))
    assert t.total_cost == m("3.01")
    mark = p("0.50")
    assert t.realized(T) + t.unrealized(T, mark) == snap.cash_flow + position_value(7_00, mark)
    with pytest.raises(ValueError, match="flat position"):
        t.adopt(T, c("0"), m("1"))


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("bid", 5000, 0), "positive"),
        (("bid", 10_001, 100), "outside"),
        (("buy", 5000, 100), "side"),
    ],
)
def test_invalid_fills_are_refused(args: tuple[str, int, int], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        PositionTracker().apply_fill(T, *args)  # type: ignore[arg-type]


fills = st.lists(
    st.tuples(
        st.sampled_from(["bid", "ask"]),
        st.integers(1, 9_999),  # YES price
        st.integers(1, 5_000),  # count (up to 50 contracts, fractional ones included)
        st.integers(0, 50_000),  # fee
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(fills=fills, mark=st.integers(0, 10_000), half=st.booleans())
def test_properties_of_any_fill_sequence(
    fills: list[tuple[str, int, int, int]], mark: int, half: bool
) -> None:
    t = PositionTracker()
    expected_position = cash = fees_total = 0
    for side, price, count, fee in fills:
        e = t.apply_fill(T, side, price, count, fee)  # type: ignore[arg-type]
        expected_position += count if side == "bid" else -count
        cash += e.cash_delta
        fees_total += fee
        assert type(e.cash_delta) is int
        assert type(e.realized_delta) is int
    snap = t.snapshot(T)
    # position is the sum of the signed fills; cash flow is the sum of the effects
    assert snap.position == expected_position
    assert snap.cash_flow == cash
    assert snap.fees_paid == fees_total
    assert snap.cost >= 0
    mark_value: int | Fraction = Fraction(2 * mark - 1, 2) if half and mark else mark
    # realized + unrealized at the mark == cash flow + value of what is held at the mark
    total = t.realized(T) + t.unrealized(T, mark_value)
    assert total == cash + position_value(snap.position, mark_value)
    for value in (snap.cost, snap.realized, t.unrealized(T, mark_value), t.total_cost):
        assert type(value) is int  # never a float, never a Fraction
    # settling is the mark at 0 or 1 made real: P&L becomes pure cash
    t.settle(T, "yes" if mark >= 5000 else "no")
    after = t.snapshot(T)
    assert after.realized == after.cash_flow
    assert t.total_realized == after.realized


@settings(max_examples=200, deadline=None)
@given(fills=fills)
def test_agrees_with_the_exchange_accounting(fills: list[tuple[str, int, int, int]]) -> None:
    ours = PositionTracker()
    theirs = PositionState(T, "KXTEST")
    for side, price, count, _fee in fills:
        effect = ours.apply_fill(T, side, price, count)  # type: ignore[arg-type]
        cash, _closed = theirs.apply_fill(BookSide(side), price, count)  # type: ignore[arg-type]
        assert effect.cash_delta == cash
    snap = ours.snapshot(T)
    assert (snap.position, snap.cost, snap.realized_gross) == (
        theirs.position,
        theirs.position_cost,
        theirs.realized_pnl,
    )
