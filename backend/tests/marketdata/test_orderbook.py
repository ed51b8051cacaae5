"""OrderbookState and OrderbookSnapshot: exact apply, rejection, derived asks, immutability."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.marketdata.orderbook import (
    APPLIED,
    INVALID_PRICE,
    NEGATIVE_LEVEL,
    NO_SNAPSHOT,
    InvalidSnapshotError,
    OrderbookSnapshot,
    OrderbookState,
)


def ready_book(yes: list[tuple[int, int]], no: list[tuple[int, int]]) -> OrderbookState:
    book = OrderbookState("T")
    book.apply_snapshot(yes, no, seq=1, received_ns=10, exchange_ts_ms=None)
    return book


def test_snapshot_then_deltas_exact() -> None:
    book = ready_book([(4700, 300), (4600, 150)], [(4800, 200)])
    assert book.apply_delta(True, 4700, -100, 2, 11, 1000) == APPLIED
    assert book.apply_delta(False, 4900, 5, 3, 12, 1001) == APPLIED
    assert book.apply_delta(True, 4600, -150, 4, 13, 1002) == APPLIED  # level removed
    snap = book.snapshot()
    assert snap.yes_bids == ((4700, 200),)
    assert snap.no_bids == ((4900, 5), (4800, 200))
    assert snap.seq == 4
    assert snap.last_update_ns == 13
    assert snap.exchange_ts_ms == 1002
    assert book.version == 4


def test_derived_asks_and_top_of_book() -> None:
    # Kalshi's documented example: yes bid 0.47, no bid 0.48 => yes ask 0.52, no ask 0.53.
    snap = ready_book([(4700, 300), (4500, 100)], [(4800, 200), (4000, 50)]).snapshot()
    assert snap.best_yes_bid == 4700
    assert snap.best_no_bid == 4800
    assert snap.best_yes_ask == 5200
    assert snap.best_no_ask == 5300
    assert snap.yes_asks == ((5200, 200), (6000, 50))
    assert snap.no_asks == ((5300, 300), (5500, 100))
    assert snap.spread == 500
    assert snap.mid == Fraction(4700 + 5200, 2)
    assert snap.depth("yes", 1) == 300
    assert snap.depth("yes", 5) == 400
    assert snap.depth("no", 2) == 250
    assert snap.imbalance(1) == Fraction(300 - 200, 500)
    assert snap.size_at("no", 4000) == 50
    assert snap.size_at("no", 4100) == 0
    book = ready_book([(4700, 300), (4500, 100)], [(4800, 200), (4000, 50)])
    assert (book.best_yes_bid, book.best_yes_ask, book.best_no_bid, book.best_no_ask) == (
        4700,
        5200,
        4800,
        5300,
    )
    assert (book.spread, book.mid, book.depth("no", 1), book.imbalance(1)) == (
        500,
        snap.mid,
        200,
        snap.imbalance(1),
    )


def test_empty_sides() -> None:
    snap = ready_book([], [(4800, 200)]).snapshot()
    assert snap.best_yes_bid is None
    assert snap.best_no_ask is None
    assert snap.best_yes_ask == 5200
    assert snap.spread is None
    assert snap.mid is None
    assert snap.imbalance(3) == Fraction(-1)
    assert OrderbookState("E").snapshot().imbalance(3) is None


def test_negative_level_is_rejected_and_book_untouched() -> None:
    book = ready_book([(4700, 300)], [])
    before = book.snapshot()
    assert book.apply_delta(True, 4700, -301, 2) == NEGATIVE_LEVEL
    assert book.apply_delta(False, 3000, -1, 3) == NEGATIVE_LEVEL  # absent level
    assert book.rejects == 2
    assert book.needs_resync
    assert book.snapshot() is before  # same version: nothing changed
    assert book.snapshot().yes_bids == ((4700, 300),)
    assert book.seq == 1


def test_delta_before_snapshot_and_bad_price_rejected() -> None:
    book = OrderbookState("T")
    assert book.apply_delta(True, 4700, 100, 1) == NO_SNAPSHOT
    assert book.snapshot().is_empty
    book.apply_snapshot([], [], seq=2)
    assert book.apply_delta(True, 0, 100, 3) == INVALID_PRICE
    assert book.apply_delta(True, 10_000, 100, 3) == INVALID_PRICE
    assert book.rejects == 3
    assert book.snapshot().is_empty


def test_snapshot_resets_resync_flag_and_rejects_bad_levels() -> None:
    book = ready_book([(4700, 300)], [])
    book.apply_delta(True, 4700, -400, 2)
    assert book.needs_resync
    with pytest.raises(InvalidSnapshotError, match="negative"):
        book.apply_snapshot([(4700, -1)], [], seq=3)
    with pytest.raises(InvalidSnapshotError, match="outside"):
        book.apply_snapshot([(10_500, 1)], [], seq=3)
    assert book.snapshot().yes_bids == ((4700, 300),)  # failed snapshots changed nothing
    book.apply_snapshot([(4000, 1), (4100, 0)], [], seq=4)
    assert not book.needs_resync
    assert book.snapshot().yes_bids == ((4000, 1),)  # zero-size level skipped


def test_invalidate_empties_until_next_snapshot() -> None:
    book = ready_book([(4700, 300)], [(100, 1)])
    book.invalidate()
    assert not book.ready
    assert book.snapshot().is_empty
    assert book.apply_delta(True, 4700, 1, 2) == NO_SNAPSHOT


def test_snapshot_is_cached_per_version_and_immutable() -> None:
    book = ready_book([(4700, 300)], [(4800, 200)])
    first = book.snapshot()
    assert book.snapshot() is first
    with pytest.raises(AttributeError):
        first.seq = 9  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del first.ticker
    book.apply_delta(True, 4700, 5, 2)
    second = book.snapshot()
    assert second is not first
    assert first.yes_bids == ((4700, 300),)  # the old view did not move
    assert second.yes_bids == ((4700, 305),)
    assert first != second
    assert second == OrderbookSnapshot("T", {4700: 305}, {4800: 200})


# --- property tests -----------------------------------------------------------------------

prices = st.integers(min_value=1, max_value=9_999)
sizes = st.integers(min_value=1, max_value=100_000)
ladders = st.dictionaries(prices, sizes, max_size=20)
ops = st.lists(
    st.tuples(st.booleans(), prices, st.integers(min_value=-50_000, max_value=50_000)),
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(yes=ladders, no=ladders, deltas=ops, every=st.integers(min_value=1, max_value=4))
def test_apply_matches_a_reference_model(
    yes: dict[int, int], no: dict[int, int], deltas: list[tuple[bool, int, int]], every: int
) -> None:
    """Snapshots taken every ``every`` deltas (the book shares its ladders with the latest
    snapshot and copies on write) never change afterwards."""
    book = OrderbookState("P")
    book.apply_snapshot(list(yes.items()), list(no.items()), seq=0)
    model = {True: dict(yes), False: dict(no)}
    Ladder = tuple[tuple[int, int], ...]
    views: list[tuple[OrderbookSnapshot, Ladder, Ladder]] = []
    applied = rejected = 0
    for seq, (is_yes, price, delta) in enumerate(deltas, start=1):
        side = model[is_yes]
        new = side.get(price, 0) + delta
        result = book.apply_delta(is_yes, price, delta, seq)
        if new < 0:
            assert result == NEGATIVE_LEVEL
            rejected += 1
        else:
            assert result == APPLIED
            applied += 1
            if new == 0:
                side.pop(price, None)
            else:
                side[price] = new
        if seq % every == 0:
            snap = book.snapshot()
            views.append((snap, snap.yes_bids, snap.no_bids))
            assert all(size > 0 for _, size in snap.yes_bids + snap.no_bids)
    snap = book.snapshot()
    assert snap.yes_bids == tuple(sorted(model[True].items(), reverse=True))
    assert snap.no_bids == tuple(sorted(model[False].items(), reverse=True))
    assert snap.yes_asks == tuple((10_000 - p, s) for p, s in snap.no_bids)
    assert [p for p, _ in snap.yes_asks] == sorted(p for p, _ in snap.yes_asks)
    assert book.rejects == rejected
    assert book.version == 1 + applied
    # Earlier snapshots were not changed by later deltas.
    for view, yes_then, no_then in views:
        assert view.yes_bids == yes_then
        assert view.no_bids == no_then
        assert view == OrderbookSnapshot("P", dict(yes_then), dict(no_then))


@settings(max_examples=150, deadline=None)
@given(yes=ladders, no=ladders, n=st.integers(min_value=1, max_value=25))
def test_derived_numbers_are_consistent(yes: dict[int, int], no: dict[int, int], n: int) -> None:
    book = OrderbookState("P")
    book.apply_snapshot(list(yes.items()), list(no.items()), seq=0)
    snap = book.snapshot()
    if yes and no:
        assert snap.best_yes_ask == 10_000 - max(no)
        assert snap.spread == snap.best_yes_ask - max(yes)
        assert snap.mid is not None
        assert snap.mid * 2 == max(yes) + snap.best_yes_ask
    depth_yes = sum(s for _, s in sorted(yes.items(), reverse=True)[:n])
    assert snap.depth("yes", n) == depth_yes
    imbalance = snap.imbalance(n)
    if imbalance is not None:
        assert -1 <= imbalance <= 1
