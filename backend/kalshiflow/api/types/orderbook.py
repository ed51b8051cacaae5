"""Order books as the API shows them: one YES/NO ladder, asks derived from the other side.

Kalshi's book holds bids only. A NO bid at q is a YES ask at 1 - q, so ``yesAsks`` is
derived from the NO bids (and ``noAsks`` from the YES bids); the dashboard never has to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum

import strawberry

from kalshiflow.api.scalars import Contracts, Dollars, contracts, dollars
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR
from kalshiflow.kalshi.models import Orderbook as RestOrderbook
from kalshiflow.marketdata.orderbook import OrderbookSnapshot


@strawberry.enum(description="Where a book comes from.")
class BookSource(StrEnum):
    LIVE = "live"  # maintained from the exchange's WebSocket (snapshot + deltas)
    REST = "rest"  # one REST read (markets not watched live, and the demo book)


@strawberry.type(description="Resting size at one price.")
class PriceLevel:
    price: Dollars
    size: Contracts


@strawberry.type(description="One market's book, best level first on every ladder.")
class Orderbook:
    ticker: str
    environment: str = strawberry.field(description="production | demo | simulated")
    source: BookSource
    ready: bool = strawberry.field(
        description="False while a live book waits for its first or a fresh snapshot."
    )
    yes_bids: list[PriceLevel]
    yes_asks: list[PriceLevel] = strawberry.field(description="Derived: NO bid q -> YES ask 1-q.")
    no_bids: list[PriceLevel]
    no_asks: list[PriceLevel] = strawberry.field(description="Derived: YES bid q -> NO ask 1-q.")
    best_yes_bid: Dollars | None
    best_yes_ask: Dollars | None
    spread: Dollars | None
    seq: int | None = strawberry.field(description="Kalshi's sequence number (live books).")
    updated_at: datetime | None


def _levels(levels: Sequence[tuple[int, int]], depth: int | None) -> list[PriceLevel]:
    chosen = levels if depth is None else levels[:depth]
    return [PriceLevel(price=dollars(p), size=contracts(c)) for p, c in chosen]


def _ladder(
    ticker: str,
    yes_desc: Sequence[tuple[int, int]],
    no_desc: Sequence[tuple[int, int]],
    depth: int | None,
    *,
    environment: str,
    source: BookSource,
    ready: bool,
    seq: int | None,
    updated_at: datetime | None,
) -> Orderbook:
    one = int(ONE_DOLLAR)
    best_bid = yes_desc[0][0] if yes_desc else None
    best_ask = one - no_desc[0][0] if no_desc else None
    return Orderbook(
        ticker=ticker,
        environment=environment,
        source=source,
        ready=ready,
        yes_bids=_levels(yes_desc, depth),
        yes_asks=_levels([(one - p, c) for p, c in no_desc], depth),
        no_bids=_levels(no_desc, depth),
        no_asks=_levels([(one - p, c) for p, c in yes_desc], depth),
        best_yes_bid=None if best_bid is None else dollars(best_bid),
        best_yes_ask=None if best_ask is None else dollars(best_ask),
        spread=None if best_bid is None or best_ask is None else dollars(best_ask - best_bid),
        seq=seq,
        updated_at=updated_at,
    )


def from_snapshot(
    book: OrderbookSnapshot, depth: int | None, *, environment: str, ready: bool
) -> Orderbook:
    ns = book.last_update_ns
    return _ladder(
        book.ticker,
        book.yes_bids,
        book.no_bids,
        depth,
        environment=environment,
        source=BookSource.LIVE,
        ready=ready,
        seq=book.seq,
        updated_at=None if ns is None else datetime.fromtimestamp(ns / 1e9, UTC),
    )


def from_rest(book: RestOrderbook, depth: int | None, *, environment: str) -> Orderbook:
    # REST ladders are ascending with the best bid last.
    yes = [(lvl.price, lvl.count) for lvl in reversed(book.yes)]
    no = [(lvl.price, lvl.count) for lvl in reversed(book.no)]
    return _ladder(
        book.ticker,
        yes,
        no,
        depth,
        environment=environment,
        source=BookSource.REST,
        ready=True,
        seq=None,
        updated_at=datetime.now(UTC),
    )


class SnapshotViews:
    """The API view of the newest book per (market, depth), built once per book version:
    when one update fans out to many subscribers of the same market, each of them would
    otherwise rebuild the same ladders. Holds one entry per market and depth."""

    def __init__(self) -> None:
        self._views: dict[tuple[str, int], tuple[tuple[object, ...], Orderbook]] = {}

    def get(
        self, book: OrderbookSnapshot, depth: int, *, environment: str, ready: bool
    ) -> Orderbook:
        key = (book.ticker, depth)
        stamp = (book.version, book.seq, book.last_update_ns, environment, ready)
        hit = self._views.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        view = from_snapshot(book, depth, environment=environment, ready=ready)
        self._views[key] = (stamp, view)
        return view

    def forget(self, ticker: str) -> None:
        for key in [k for k in self._views if k[0] == ticker]:
            del self._views[key]
