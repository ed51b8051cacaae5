"""Exact parsing of market-data messages: current and legacy shapes, memoised strings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.kalshi.fixedpoint import format_count, format_price
from kalshiflow.marketdata import wire


def test_current_delta() -> None:
    body = {"market_ticker": "T", "price_dollars": "0.4700", "delta_fp": "-3.00", "side": "yes"}
    assert wire.delta_fields(body) == (True, 4700, -300)


def test_sub_cent_and_fractional() -> None:
    body = {"price_dollars": "0.0015", "delta_fp": "0.01", "side": "no"}
    assert wire.delta_fields(body) == (False, 15, 1)


def test_legacy_delta_in_cents_and_contracts() -> None:
    assert wire.delta_fields({"price": 96, "delta": -54, "side": "yes"}) == (True, 9600, -5400)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ({"price_dollars": "0.47", "delta_fp": "1.00", "side": "maybe"}, "side"),
        ({"price_dollars": "0.47001", "delta_fp": "1.00", "side": "yes"}, "precision"),
        ({"price_dollars": "0.47", "delta_fp": "1.001", "side": "yes"}, "precision"),
        ({"price_dollars": "abc", "delta_fp": "1.00", "side": "yes"}, "decimal"),
        ({"delta_fp": "1.00", "side": "yes"}, "price"),
    ],
)
def test_bad_deltas_raise(body: dict[str, object], match: str) -> None:
    with pytest.raises(wire.MessageError, match=match):
        wire.delta_fields(body)


def test_snapshot_shapes_sorted_and_empty_sides() -> None:
    current = {"yes_dollars_fp": [["0.4800", "2.00"], ["0.4700", "3.00"]]}  # no side: empty
    assert wire.snapshot_levels(current) == ([(4700, 300), (4800, 200)], [])
    legacy_dollars = {"yes_dollars": [["0.080", 300]], "no_dollars": None}
    assert wire.snapshot_levels(legacy_dollars) == ([(800, 30_000)], [])
    legacy_cents = {"yes": [[8, 300]], "no": [[54, 20]]}
    assert wire.snapshot_levels(legacy_cents) == ([(800, 30_000)], [(5400, 2000)])
    with pytest.raises(wire.MessageError, match="price, size"):
        wire.snapshot_levels({"yes_dollars_fp": [["0.47"]]})


def test_optional_fields() -> None:
    body = {"yes_price_dollars": "0.5200", "no_price": 48, "count_fp": "1.50", "volume": 7}
    assert wire.optional_price(body, "yes_price_dollars", "yes_price") == 5200
    assert wire.optional_price(body, "no_price_dollars", "no_price") == 4800
    assert wire.optional_price(body, "missing_dollars") is None
    assert wire.optional_count(body, "count_fp", "count") == 150
    assert wire.optional_count(body, "volume_fp", "volume") == 700
    assert wire.optional_int({"ts_ms": True}, "ts_ms") is None


@settings(max_examples=200, deadline=None)
@given(price=st.integers(0, 10_000), count=st.integers(-(10**9), 10**9))
def test_memoised_parse_equals_exact_parse(price: int, count: int) -> None:
    for _ in range(2):  # second round hits the memo
        assert wire.price_units(format_price(price)) == price
        assert wire.count_units(format_count(count)) == count
