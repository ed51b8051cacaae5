"""Value types shared by the trading core: book sides, actions, order intents, book views.

Kalshi's V2 order API has a single YES book: ``bid`` buys YES at a YES price, ``ask`` sells
YES at a YES price, which is the same thing as buying NO at ``1 - price``. Everything in the
trading core speaks that vocabulary; the four "outcome" actions map onto it:

====================  =========  ======================
action                book side  YES price
====================  =========  ======================
buy YES at p          bid        p
sell YES at p         ask        p
buy NO at q           ask        1 - q
sell NO at q          bid        1 - q
====================  =========  ======================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction
from typing import Final, Literal, Protocol, TypeAlias

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price

BookSide: TypeAlias = Literal["bid", "ask"]
"""Side of the single YES book: ``bid`` = buy YES, ``ask`` = sell YES (= buy NO)."""

Outcome: TypeAlias = Literal["yes", "no"]

Mark: TypeAlias = int | Fraction
"""A YES price used to value positions, in Price units; a book mid can fall between units."""

Clock: TypeAlias = Callable[[], int]
"""Milliseconds since the Unix epoch. Injected so that tests and replays control time."""

Level: TypeAlias = tuple[int, int]
"""One book level: (price in Price units, size in Count units)."""

MS_PER_DAY: Final = 86_400_000
ZERO: Final = Money(0)
ZERO_COUNT: Final = Count(0)


class Action(IntEnum):
    """The five actions of the RL policies. The integers are the policies' outputs: never
    renumber them, trained models depend on them."""

    HOLD = 0
    BUY_YES = 1
    SELL_YES = 2
    BUY_NO = 3
    SELL_NO = 4


def book_order(outcome: Outcome, buy: bool, outcome_price: Price) -> tuple[BookSide, Price]:
    """Express "buy/sell ``outcome`` at ``outcome_price``" as a (book side, YES price)."""
    if outcome == "yes":
        return ("bid" if buy else "ask"), outcome_price
    return ("ask" if buy else "bid"), Price(ONE_DOLLAR - outcome_price)


def signed_count(side: BookSide, count: int) -> int:
    """Position change of a fill: a bid adds YES (+), an ask adds NO (-)."""
    return count if side == "bid" else -count


@dataclass(frozen=True, slots=True)
class OrderIntent:
    """A limit order the trader wants to place, before risk checks and before it has ids.

    ``side`` is the V2 YES-book side, ``yes_price`` is in Price units and ``count`` in Count
    units. ``action`` is the policy action it came from (None for a manual order).
    ``reduce_only`` orders may only shrink the current position (Kalshi's reduce_only flag is
    set on them too).
    """

    ticker: str
    side: BookSide
    yes_price: Price
    count: Count
    action: Action | None = None
    reduce_only: bool = False
    reason: str = ""


class BookView(Protocol):
    """The read side of an order book that the trading core needs: bid ladders of both
    outcomes, **best first** (descending price), in Price/Count units.

    `kalshiflow.marketdata.orderbook.OrderbookSnapshot` satisfies it as is; tests use
    `StaticBook`.
    """

    @property
    def yes_bids(self) -> Sequence[Level]: ...

    @property
    def no_bids(self) -> Sequence[Level]: ...


@dataclass(frozen=True, slots=True)
class StaticBook:
    """An immutable book built from level lists in any order (sorted best first here)."""

    yes_bids: tuple[Level, ...] = ()
    no_bids: tuple[Level, ...] = ()

    def __post_init__(self) -> None:
        for name in ("yes_bids", "no_bids"):
            levels: tuple[Level, ...] = getattr(self, name)
            for price, size in levels:
                if not 0 < price < ONE_DOLLAR or size <= 0:
                    raise ValueError(
                        f"{name}: level ({price}, {size}) needs 0 < price < {ONE_DOLLAR} "
                        "Price units and a positive size"
                    )
            object.__setattr__(self, name, tuple(sorted(levels, reverse=True)))


def best_bid(book: BookView, outcome: Outcome) -> Price | None:
    """Highest bid for ``outcome`` in that outcome's own price, or None if empty."""
    levels = book.yes_bids if outcome == "yes" else book.no_bids
    return Price(levels[0][0]) if levels else None


def best_ask(book: BookView, outcome: Outcome) -> Price | None:
    """Lowest offer for ``outcome`` in that outcome's own price: a bid for the other outcome
    at q is an offer of this one at 1 - q."""
    other = book.no_bids if outcome == "yes" else book.yes_bids
    return Price(ONE_DOLLAR - other[0][0]) if other else None


def yes_mid(book: BookView) -> Fraction | None:
    """Exact YES mid (best YES bid + best YES ask) / 2, None when a side is empty."""
    bid, ask = best_bid(book, "yes"), best_ask(book, "yes")
    return None if bid is None or ask is None else Fraction(bid + ask, 2)
