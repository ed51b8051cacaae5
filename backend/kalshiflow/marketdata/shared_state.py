"""``SharedOrderbookState``: the registry of live books that the actor, API and dashboard read.

The orderbook client is the only writer (it adds, updates and removes books); everyone else
reads immutable ``OrderbookSnapshot``s, so readers never see a half-applied update and never
need a lock (everything runs on one event loop).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kalshiflow.marketdata.orderbook import OrderbookSnapshot, OrderbookState


@dataclass(frozen=True, slots=True)
class SharedStateStats:
    markets: int  # books registered
    ready: int  # books with a snapshot applied and not invalidated since
    awaiting_resync: int  # books whose data was lost and that wait for a fresh snapshot
    levels: int  # price levels over all books
    rejects: int  # updates refused by the books (negative level, no snapshot, bad price)


class SharedOrderbookState:
    def __init__(self) -> None:
        self._books: dict[str, OrderbookState] = {}

    # --- readers ----------------------------------------------------------------------

    def get(self, ticker: str) -> OrderbookSnapshot | None:
        """The latest snapshot of ``ticker``, or None when the market is not watched."""
        book = self._books.get(ticker)
        return None if book is None else book.snapshot()

    def is_ready(self, ticker: str) -> bool:
        book = self._books.get(ticker)
        return book is not None and book.ready

    def tickers(self) -> tuple[str, ...]:
        return tuple(sorted(self._books))

    def snapshots(self) -> dict[str, OrderbookSnapshot]:
        return {ticker: book.snapshot() for ticker, book in self._books.items()}

    def __contains__(self, ticker: object) -> bool:
        return ticker in self._books

    def __len__(self) -> int:
        return len(self._books)

    def stats(self) -> SharedStateStats:
        books = self._books.values()
        return SharedStateStats(
            markets=len(self._books),
            ready=sum(1 for b in books if b.ready),
            awaiting_resync=sum(1 for b in books if b.needs_resync),
            levels=sum(b.level_count for b in books),
            rejects=sum(b.rejects for b in books),
        )

    # --- writer (the orderbook client) --------------------------------------------------

    def book(self, ticker: str) -> OrderbookState | None:
        """The mutable book; for the feed only."""
        return self._books.get(ticker)

    def books(self) -> dict[str, OrderbookState]:
        """The live mapping, for the feed's hot path (one dict lookup per message)."""
        return self._books

    def add(self, tickers: Iterable[str]) -> list[str]:
        """Register empty (not ready) books; returns the tickers that were new."""
        added = []
        for ticker in tickers:
            if ticker not in self._books:
                self._books[ticker] = OrderbookState(ticker)
                added.append(ticker)
        return added

    def remove(self, tickers: Iterable[str]) -> list[str]:
        removed = []
        for ticker in tickers:
            if self._books.pop(ticker, None) is not None:
                removed.append(ticker)
        return removed


__all__ = ["SharedOrderbookState", "SharedStateStats"]
