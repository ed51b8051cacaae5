"""One market's order book, exact, in fixed-point units.

Kalshi's book holds bids only: YES bids and NO bids, each a ladder price -> resting size. A
NO bid at q is a YES ask at 1 - q, so asks are derived, never stored. ``OrderbookState`` is the
mutable book the feed writes (snapshot and delta apply on the hot path); readers get an
``OrderbookSnapshot``, an immutable view built lazily and cached per book version, so any
number of reads between two updates cost one build.

A delta that would drive a level below zero, or any update before the first snapshot, is
rejected: the book is left untouched and flagged ``needs_resync``, because applying it would
silently corrupt every number derived from the book afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Final, Literal

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Price

Level = tuple[int, int]
"""(price in Price units, size in Count units)."""

# apply_delta() results. Plain ints: the hot path compares them without attribute lookups.
APPLIED: Final = 0
NEGATIVE_LEVEL: Final = 1
NO_SNAPSHOT: Final = 2
INVALID_PRICE: Final = 3

REJECT_REASONS: Final = {
    NEGATIVE_LEVEL: "negative_level",
    NO_SNAPSHOT: "no_snapshot",
    INVALID_PRICE: "invalid_price",
}

_ONE: Final = int(ONE_DOLLAR)


class InvalidSnapshotError(ValueError):
    """A snapshot with a price outside (0, 1) dollar or a negative size."""


def _sorted_desc(levels: dict[int, int]) -> tuple[Level, ...]:
    return tuple(sorted(levels.items(), reverse=True))


class OrderbookSnapshot:
    """An immutable view of one book at one version.

    Ladders are tuples of ``(Price, Count)`` ordered **best first**: bids by descending price,
    asks by ascending price. YES asks are derived from NO bids (1 - q) and NO asks from YES
    bids. Sorting happens on first access and is cached.
    """

    __slots__ = (
        "_exchange_ts_ms",
        "_last_update_ns",
        "_no",
        "_no_map",
        "_seq",
        "_ticker",
        "_version",
        "_yes",
        "_yes_map",
    )

    def __init__(
        self,
        ticker: str,
        yes: dict[int, int],
        no: dict[int, int],
        *,
        seq: int | None = None,
        version: int = 0,
        last_update_ns: int | None = None,
        exchange_ts_ms: int | None = None,
    ) -> None:
        """``yes``/``no`` must never change afterwards (``OrderbookState`` hands over its
        ladders and copies them before its next write)."""
        # Read-only properties over private slots (rather than a __setattr__ guard) keep
        # construction cheap: one is built per published book update.
        self._ticker = ticker
        self._seq = seq
        self._version = version
        self._last_update_ns = last_update_ns
        self._exchange_ts_ms = exchange_ts_ms
        self._yes_map = yes
        self._no_map = no
        self._yes: tuple[Level, ...] | None = None
        self._no: tuple[Level, ...] | None = None

    @property
    def ticker(self) -> str:
        return self._ticker

    @property
    def seq(self) -> int | None:
        """Kalshi's seq of the last message applied (per subscription, not per market)."""
        return self._seq

    @property
    def version(self) -> int:
        """Count of changes applied to the book; equal versions mean equal contents."""
        return self._version

    @property
    def last_update_ns(self) -> int | None:
        """Wall-clock ``time.time_ns()`` when the last applied message was received."""
        return self._last_update_ns

    @property
    def exchange_ts_ms(self) -> int | None:
        """Kalshi's timestamp of the last applied delta (snapshots carry none)."""
        return self._exchange_ts_ms

    def __repr__(self) -> str:
        return (
            f"OrderbookSnapshot({self.ticker!r}, seq={self.seq}, yes={len(self._yes_map)} "
            f"levels, no={len(self._no_map)} levels)"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OrderbookSnapshot):
            return NotImplemented
        return (
            self.ticker == other.ticker
            and self._yes_map == other._yes_map
            and self._no_map == other._no_map
        )

    def __hash__(self) -> int:
        return hash((self.ticker, self.yes_bids, self.no_bids))

    # --- ladders ----------------------------------------------------------------------

    @property
    def yes_bids(self) -> tuple[Level, ...]:
        levels: tuple[Level, ...] | None = self._yes
        if levels is None:
            levels = _sorted_desc(self._yes_map)
            self._yes = levels
        return levels

    @property
    def no_bids(self) -> tuple[Level, ...]:
        levels: tuple[Level, ...] | None = self._no
        if levels is None:
            levels = _sorted_desc(self._no_map)
            self._no = levels
        return levels

    @property
    def yes_asks(self) -> tuple[Level, ...]:
        """Offers to sell YES, best (lowest) first: each NO bid at q is a YES ask at 1 - q."""
        return tuple((_ONE - price, size) for price, size in self.no_bids)

    @property
    def no_asks(self) -> tuple[Level, ...]:
        return tuple((_ONE - price, size) for price, size in self.yes_bids)

    @property
    def is_empty(self) -> bool:
        return not self._yes_map and not self._no_map

    def size_at(self, side: Literal["yes", "no"], price: int) -> Count:
        """Resting bid size at ``price`` on ``side`` (0 when no level)."""
        levels = self._yes_map if side == "yes" else self._no_map
        return Count(levels.get(price, 0))

    # --- top of book ------------------------------------------------------------------

    @property
    def best_yes_bid(self) -> Price | None:
        return Price(max(self._yes_map)) if self._yes_map else None

    @property
    def best_no_bid(self) -> Price | None:
        return Price(max(self._no_map)) if self._no_map else None

    @property
    def best_yes_ask(self) -> Price | None:
        return Price(_ONE - max(self._no_map)) if self._no_map else None

    @property
    def best_no_ask(self) -> Price | None:
        return Price(_ONE - max(self._yes_map)) if self._yes_map else None

    @property
    def spread(self) -> Price | None:
        """YES ask minus YES bid (equal to the NO spread); None if a side is empty."""
        bid, ask = self.best_yes_bid, self.best_yes_ask
        return None if bid is None or ask is None else Price(ask - bid)

    @property
    def mid(self) -> Fraction | None:
        """YES mid price in Price units, exact (it can fall between two units)."""
        bid, ask = self.best_yes_bid, self.best_yes_ask
        return None if bid is None or ask is None else Fraction(bid + ask, 2)

    def depth(self, side: Literal["yes", "no"], levels: int) -> Count:
        """Total bid size of the best ``levels`` price levels on ``side``."""
        ladder = self.yes_bids if side == "yes" else self.no_bids
        return Count(sum(size for _, size in ladder[:levels]))

    def imbalance(self, levels: int) -> Fraction | None:
        """(YES bid depth - NO bid depth) / total over the best ``levels``, in [-1, 1].

        NO bids are the YES asks, so +1 means all resting interest wants to buy YES.
        """
        yes, no = self.depth("yes", levels), self.depth("no", levels)
        total = yes + no
        return None if total == 0 else Fraction(yes - no, total)


class OrderbookState:
    """The live book of one market; written only by the feed, read through ``snapshot()``."""

    __slots__ = (
        "_cache",
        "_no",
        "_no_shared",
        "_yes",
        "_yes_shared",
        "exchange_ts_ms",
        "last_update_ns",
        "needs_resync",
        "ready",
        "rejects",
        "seq",
        "ticker",
        "version",
    )

    def __init__(self, ticker: str) -> None:
        self.ticker = ticker
        self._yes: dict[int, int] = {}
        self._no: dict[int, int] = {}
        # True while the cached snapshot holds the very dict (see apply_delta).
        self._yes_shared = False
        self._no_shared = False
        self.seq: int | None = None
        self.version = 0
        self.last_update_ns: int | None = None
        self.exchange_ts_ms: int | None = None
        self.ready = False  # a snapshot has been applied since the last invalidation
        self.needs_resync = False
        self.rejects = 0
        self._cache: OrderbookSnapshot | None = None

    def __repr__(self) -> str:
        return (
            f"OrderbookState({self.ticker!r}, seq={self.seq}, ready={self.ready}, "
            f"yes={len(self._yes)}, no={len(self._no)})"
        )

    def apply_snapshot(
        self,
        yes: Iterable[Level],
        no: Iterable[Level],
        seq: int | None,
        received_ns: int | None = None,
        exchange_ts_ms: int | None = None,
    ) -> None:
        """Replace the book. Zero-size levels are skipped; raises InvalidSnapshotError (and
        leaves the book as it was) for a price outside (0, 1) or a negative size."""
        new_yes = self._ladder(yes)
        new_no = self._ladder(no)
        self._yes = new_yes
        self._no = new_no
        self._yes_shared = self._no_shared = False
        self.seq = seq
        self.last_update_ns = received_ns
        self.exchange_ts_ms = exchange_ts_ms
        self.ready = True
        self.needs_resync = False
        self.version += 1

    def _ladder(self, levels: Iterable[Level]) -> dict[int, int]:
        ladder: dict[int, int] = {}
        for price, size in levels:
            if not 0 < price < _ONE:
                raise InvalidSnapshotError(
                    f"{self.ticker}: snapshot price {price} is outside (0, {_ONE}) Price units"
                )
            if size < 0:
                raise InvalidSnapshotError(
                    f"{self.ticker}: snapshot size {size} at price {price} is negative"
                )
            if size:
                ladder[price] = ladder.get(price, 0) + size
        return ladder

    def apply_delta(
        self,
        is_yes: bool,
        price: int,
        delta: int,
        seq: int | None,
        received_ns: int | None = None,
        exchange_ts_ms: int | None = None,
    ) -> int:
        """Add ``delta`` (signed, Count units) to the bid size at ``price``.

        Returns APPLIED, or a reject code (NEGATIVE_LEVEL, NO_SNAPSHOT, INVALID_PRICE) after
        which the book is unchanged, counted in ``rejects`` and flagged ``needs_resync``.
        """
        if not self.ready:
            self.rejects += 1
            self.needs_resync = True
            return NO_SNAPSHOT
        if not 0 < price < _ONE:
            self.rejects += 1
            self.needs_resync = True
            return INVALID_PRICE
        # Copy-on-write: the latest snapshot shares the ladders; only the side about to
        # change is copied, and only once per snapshot.
        if is_yes:
            levels = self._yes
            if self._yes_shared:
                levels = self._yes = dict(levels)
                self._yes_shared = False
        else:
            levels = self._no
            if self._no_shared:
                levels = self._no = dict(levels)
                self._no_shared = False
        size = levels.get(price, 0) + delta
        if size > 0:
            levels[price] = size
        elif size == 0:
            levels.pop(price, None)
        else:
            self.rejects += 1
            self.needs_resync = True
            return NEGATIVE_LEVEL
        self.seq = seq
        self.last_update_ns = received_ns
        self.exchange_ts_ms = exchange_ts_ms
        self.version += 1
        return APPLIED

    def invalidate(self) -> None:
        """Forget the book (lost messages): readers see it empty and not ready until the next
        snapshot."""
        self._yes = {}
        self._no = {}
        self._yes_shared = self._no_shared = False
        self.ready = False
        self.needs_resync = True
        self.version += 1

    def snapshot(self) -> OrderbookSnapshot:
        """The current immutable view; repeated calls without an update return the same one."""
        cached = self._cache
        if cached is not None and cached.version == self.version:
            return cached
        self._yes_shared = self._no_shared = True
        snap = OrderbookSnapshot(
            self.ticker,
            self._yes,
            self._no,
            seq=self.seq,
            version=self.version,
            last_update_ns=self.last_update_ns,
            exchange_ts_ms=self.exchange_ts_ms,
        )
        self._cache = snap
        return snap

    # Reads: the derived numbers come from the cached snapshot of the current version, so
    # they cost nothing extra between two updates.

    @property
    def best_yes_bid(self) -> Price | None:
        return self.snapshot().best_yes_bid

    @property
    def best_yes_ask(self) -> Price | None:
        return self.snapshot().best_yes_ask

    @property
    def best_no_bid(self) -> Price | None:
        return self.snapshot().best_no_bid

    @property
    def best_no_ask(self) -> Price | None:
        return self.snapshot().best_no_ask

    @property
    def spread(self) -> Price | None:
        return self.snapshot().spread

    @property
    def mid(self) -> Fraction | None:
        return self.snapshot().mid

    def depth(self, side: Literal["yes", "no"], levels: int) -> Count:
        return self.snapshot().depth(side, levels)

    def imbalance(self, levels: int) -> Fraction | None:
        return self.snapshot().imbalance(levels)

    # Cheap reads that need no snapshot (the feed and health use them).

    @property
    def level_count(self) -> int:
        return len(self._yes) + len(self._no)

    def size_at(self, side: Literal["yes", "no"], price: int) -> Count:
        levels = self._yes if side == "yes" else self._no
        return Count(levels.get(price, 0))


__all__ = [
    "APPLIED",
    "INVALID_PRICE",
    "NEGATIVE_LEVEL",
    "NO_SNAPSHOT",
    "REJECT_REASONS",
    "InvalidSnapshotError",
    "Level",
    "OrderbookSnapshot",
    "OrderbookState",
]
