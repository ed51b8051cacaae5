"""Keyset pagination and the exact decimal scalars, as properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.api.pagination import BadCursorError, decode_cursor, encode_cursor, paginate
from kalshiflow.api.scalars import SCALAR_MAP, Contracts, Dollars, Money

items_st = st.lists(
    st.tuples(st.integers(-1000, 1000), st.text("ABCXYZ-0123", min_size=1, max_size=6)),
    unique_by=lambda t: t[1],
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(items=items_st, size=st.integers(1, 9))
def test_pages_cover_every_item_once_in_order(items: list[tuple[int, str]], size: int) -> None:
    def key(item: tuple[int, str]) -> tuple[int | str, ...]:
        return (-item[0], item[1])

    seen: list[tuple[int, str]] = []
    after = None
    while True:
        page = paginate(items, key, size, after)
        assert page.total == len(items)
        seen += [item for _, item in page.items]
        if not page.has_next:
            break
        after = encode_cursor(page.items[-1][0])
    assert seen == sorted(items, key=key)


@settings(max_examples=200, deadline=None)
@given(key=st.lists(st.one_of(st.integers(), st.text(max_size=8)), min_size=1, max_size=4))
def test_cursor_round_trips(key: list[int | str]) -> None:
    assert decode_cursor(encode_cursor(tuple(key))) == tuple(key)


@pytest.mark.parametrize("bad", ["", "nope!", encode_cursor(()) + "x", "W3RydWVd"])
def test_foreign_cursors_are_refused(bad: str) -> None:
    with pytest.raises(BadCursorError):
        paginate([1, 2], lambda i: (i, "x"), 1, bad)


@settings(max_examples=300, deadline=None)
@given(units=st.integers(-(10**12), 10**12))
def test_scalars_serialise_exactly_with_fixed_places(units: int) -> None:
    for scalar, scale, places in ((Dollars, 10_000, 4), (Contracts, 100, 2), (Money, 10**6, 6)):
        definition = SCALAR_MAP[scalar]
        value = Decimal(units) / scale
        serialize = definition.serialize
        assert serialize is not None
        text = serialize(value)
        assert len(text.split(".")[1]) == places
        assert Decimal(text) == value
        parse = definition.parse_value
        assert parse is not None
        assert parse(text) == value


def test_scalars_refuse_floats_and_excess_precision() -> None:
    dollars = SCALAR_MAP[Dollars]
    parse = dollars.parse_value
    assert parse is not None
    with pytest.raises(ValueError, match="decimal string"):
        parse(0.56)
    with pytest.raises(ValueError, match="more than 4 decimal places"):
        parse("0.56001")
    serialize = dollars.serialize
    assert serialize is not None
    with pytest.raises(ValueError, match="more than 4 decimal places"):
        serialize(Decimal("0.56001"))
    assert parse("0.560000") == Decimal("0.56")
