"""Order vocabulary and book views: the four outcome actions on the single YES book."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kalshiflow.marketdata.orderbook import OrderbookState
from kalshiflow.trading.types import (
    BookView,
    StaticBook,
    best_ask,
    best_bid,
    book_order,
    signed_count,
    yes_mid,
)
from tests.trading.support import c, p


@pytest.mark.parametrize(
    ("outcome", "buy", "price", "side", "yes_price"),
    [
        ("yes", True, "0.56", "bid", "0.56"),  # buy YES at p: bid at p
        ("yes", False, "0.56", "ask", "0.56"),  # sell YES at p: ask at p
        ("no", True, "0.30", "ask", "0.70"),  # buy NO at q: ask at 1 − q
        ("no", False, "0.30", "bid", "0.70"),  # sell NO at q: bid at 1 − q
    ],
)
def test_outcome_orders_on_the_yes_book(
    outcome: str, buy: bool, price: str, side: str, yes_price: str
) -> None:
    assert book_order(outcome, buy, p(price)) == (side, p(yes_price))  # type: ignore[arg-type]


def test_signed_count() -> None:
    assert signed_count("bid", 300) == 300
    assert signed_count("ask", 300) == -300


def test_static_book_sorts_best_first_and_validates() -> None:
    book = StaticBook(yes_bids=((p("0.40"), c("1")), (p("0.45"), c("2"))))
    assert book.yes_bids == ((p("0.45"), c("2")), (p("0.40"), c("1")))
    with pytest.raises(ValueError, match="positive size"):
        StaticBook(no_bids=((p("0.40"), 0),))
    with pytest.raises(ValueError, match="0 < price"):
        StaticBook(no_bids=((p("1"), c("1")),))


def test_best_prices_and_mid() -> None:
    book = StaticBook(yes_bids=((p("0.47"), c("3")),), no_bids=((p("0.48"), c("2")),))
    # the observed demo example: YES bid 0.47, NO bid 0.48 -> YES ask 0.52, NO ask 0.53
    assert (best_bid(book, "yes"), best_ask(book, "yes")) == (p("0.47"), p("0.52"))
    assert (best_bid(book, "no"), best_ask(book, "no")) == (p("0.48"), p("0.53"))
    assert yes_mid(book) == Fraction(p("0.495"))
    empty = StaticBook()
    assert (best_bid(empty, "yes"), best_ask(empty, "no"), yes_mid(empty)) == (None, None, None)


def test_the_live_marketdata_book_is_a_book_view() -> None:
    state = OrderbookState("T")
    state.apply_snapshot([(p("0.47"), c("3")), (p("0.40"), c("1"))], [(p("0.48"), c("2"))], seq=1)
    snapshot: BookView = state.snapshot()
    assert best_bid(snapshot, "yes") == p("0.47")
    assert best_ask(snapshot, "yes") == p("0.52")
    assert yes_mid(snapshot) == state.snapshot().mid
