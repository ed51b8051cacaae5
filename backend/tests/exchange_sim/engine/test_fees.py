"""Taker fee: 0.07 × C × P × (1 − P), rounded up to the centi-cent per order (accumulator)."""

from __future__ import annotations

import pytest

from kalshiflow.exchange_sim.engine import BookSide, TimeInForce
from kalshiflow.exchange_sim.engine.fees import fee_increment, max_taker_fee, taker_fee
from tests.exchange_sim.engine.support import c, m, make_exchange, p, req


@pytest.mark.parametrize(
    ("price", "count", "fee"),
    [
        # 0.07 × 1 × 0.52 × 0.48 = 0.017472 -> 0.0175 (the observed average_fee_paid)
        ("0.52", "1", "0.0175"),
        # 0.07 × 100 × 0.5 × 0.5 = 1.75 exactly: no rounding
        ("0.50", "100", "1.75"),
        # 0.07 × 3 × 0.01 × 0.99 = 0.002079 -> 0.0021
        ("0.01", "3", "0.0021"),
        # 0.07 × 10 × 0.3 × 0.7 = 0.147 exactly
        ("0.30", "10", "0.147"),
        # fractional contracts: 0.07 × 0.5 × 0.9 × 0.1 = 0.00315 -> 0.0032
        ("0.90", "0.50", "0.0032"),
        # sub-penny price: 0.07 × 1 × 0.0015 × 0.9985 = 0.000104842... -> 0.0002
        ("0.0015", "1", "0.0002"),
    ],
)
def test_taker_fee_hand_computed(price: str, count: str, fee: str) -> None:
    assert taker_fee(p(price), c(count)) == m(fee)


def test_accumulator_charges_an_order_like_one_equivalent_fill() -> None:
    # Two 1-contract fills at 0.52: 0.017472 each, 0.034944 together -> 0.0350 total,
    # charged as 0.0175 then 0.0175 (not 0.0175 + 0.0175 rounded separately by luck).
    first, acc = fee_increment(0, p("0.52"), c("1"))
    second, acc = fee_increment(acc, p("0.52"), c("1"))
    assert (first, second) == (m("0.0175"), m("0.0175"))
    # Three fills of 1 at 0.01: 0.000693 each; separately rounded would be 0.0021,
    # the accumulator gives ceil(0.002079) = 0.0021 split 0.0007/0.0007/0.0007.
    fees = []
    acc = 0
    for _ in range(3):
        fee, acc = fee_increment(acc, p("0.01"), c("1"))
        fees.append(fee)
    assert sum(fees) == m("0.0021")
    # Ten fills of 0.1 at 0.5: raw 0.00175 each; total must be 0.0175, not 10 × 0.0018.
    acc = 0
    total = 0
    for _ in range(10):
        fee, acc = fee_increment(acc, p("0.50"), c("0.10"))
        total += fee
    assert total == m("0.0175")


def test_max_fee_bounds_every_price() -> None:
    for cents in range(1, 100):
        assert taker_fee(p(f"0.{cents:02d}"), c("7")) <= max_taker_fee(c("7"))


def test_exchange_charges_taker_only_and_reports_average_fee() -> None:
    ex, _ = make_exchange()
    ex.place_order(req("a", BookSide.ASK, "0.52", "1"))
    result = ex.place_order(req("b", BookSide.BID, "0.60", "1", TimeInForce.IOC))
    assert result.average_fill_price == p("0.52")
    assert result.average_fee_paid == p("0.0175")
    assert result.fills[0].fee == m("0.0175")
    maker_fill = ex.fills("a")[0]
    assert maker_fill.fee == 0
    assert not maker_fill.is_taker
    assert ex.fees_collected() == m("0.0175")
    # b paid 0.52 + 0.0175; a paid 0.48 for NO
    assert ex.balance("b") == m("1000") - m("0.52") - m("0.0175")
    assert ex.balance("a") == m("1000") - m("0.48")
