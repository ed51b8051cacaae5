"""The trader's fee estimate: hand-computed values, and agreement with the local exchange."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.exchange_sim.engine import fees as exchange_fees
from kalshiflow.trading import fees
from tests.trading.support import c, m, p


@pytest.mark.parametrize(
    ("price", "count", "fee"),
    [
        # 0.07 × 1 × 0.52 × 0.48 = 0.017472 -> rounded up to the centi-cent: 0.0175 (observed)
        ("0.52", "1", "0.0175"),
        # 0.07 × 10 × 0.5 × 0.5 = 0.175 exactly
        ("0.50", "10", "0.175"),
        # 0.07 × 1 × 0.01 × 0.99 = 0.000693 -> 0.0007
        ("0.01", "1", "0.0007"),
        # 0.07 × 10 × 0.40 × 0.60 = 0.168 exactly
        ("0.40", "10", "0.168"),
        # P × (1 − P) is symmetric: buying NO at 0.30 is the YES price 0.70, same fee as 0.30
        ("0.70", "5", "0.0735"),
        ("0.30", "5", "0.0735"),
        # price 0 or 1: no fee
        ("1", "5", "0"),
    ],
)
def test_taker_fee_hand_computed(price: str, count: str, fee: str) -> None:
    assert fees.taker_fee(p(price), c(count)) == m(fee)
    assert fees.fee(p(price), c(count), is_taker=True) == m(fee)


def test_maker_pays_nothing() -> None:
    assert fees.maker_fee(p("0.52"), c("100")) == 0
    assert fees.fee(p("0.52"), c("100"), is_taker=False) == 0


@pytest.mark.parametrize(("price", "count"), [(-1, 100), (10_001, 100), (5000, -1)])
def test_out_of_range_inputs_are_refused(price: int, count: int) -> None:
    with pytest.raises(ValueError, match=r"yes_price|count"):
        fees.taker_fee(price, count)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(price=st.integers(0, 10_000), count=st.integers(0, 10_000_000))
def test_agrees_with_the_exchange_rule(price: int, count: int) -> None:
    ours = fees.taker_fee(price, count)  # type: ignore[arg-type]
    assert ours == exchange_fees.taker_fee(price, count)  # type: ignore[arg-type]
    assert type(ours) is int


@settings(max_examples=200, deadline=None)
@given(low=st.integers(1, 9_999), high=st.integers(1, 9_999), count=st.integers(1, 100_000))
def test_cost_plus_fee_is_dearest_at_the_limit(low: int, high: int, count: int) -> None:
    """Why the reservation uses the fee at the limit: filling a bid lower costs no more."""
    low, high = min(low, high), max(low, high)
    dear = high * count + fees.worst_case_fee(high, count)  # type: ignore[arg-type]
    cheap = low * count + fees.taker_fee(low, count)  # type: ignore[arg-type]
    # the centi-cent round-up can add at most one centi-cent (100 Money) to the cheaper fill
    assert cheap <= dear + 100
