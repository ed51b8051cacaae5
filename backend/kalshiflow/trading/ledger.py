"""Two ledgers: what the demo account really got, next to what production would have given.

The actor trades the demo account but prices from the production book, and demo books are
thin and different. For every demo order the ledger records, at decision time, the
production top of book and a **shadow fill**: the same limit order walked through the
production book level by level, IOC-like (it takes what is there up to its limit and never
rests). Demo fills are added as they arrive. The **realism gap** of an order is

* ``realism_gap = (actual average price − shadow average price) × actual filled count``
  (Money, YES prices, raw sign), and ``adverse_gap``, the same number signed so that
  positive means the demo fill was *worse* for us than production would have been (paid
  more on a bid, received less on an ask);
* ``fill_ratio_gap = actual filled / ordered − shadow filled / ordered``.

Averages are exact `Fraction`s of Price units and the gaps `Fraction`s of Money units: an
average of several levels is rarely a whole unit and rounding it would bias the sums.
`summarise_by_market` and `summarise_by_day` are pure aggregations; persistence is separate.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from itertools import takewhile
from typing import Final

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price
from kalshiflow.trading.types import (
    MS_PER_DAY,
    ZERO,
    ZERO_COUNT,
    BookSide,
    BookView,
    Level,
    OrderIntent,
    best_ask,
    best_bid,
    yes_mid,
)

_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()


@dataclass(frozen=True, slots=True)
class ShadowFill:
    """What a limit order would have taken from a book: per-level (YES price, count)."""

    count: Count
    notional: Money  # sum of YES price × count over the levels taken
    levels: tuple[Level, ...]

    @property
    def avg_price(self) -> Fraction | None:
        """Average YES price in Price units, None when nothing would have filled."""
        return Fraction(self.notional, self.count) if self.count else None


def shadow_fill(book: BookView, side: BookSide, yes_price: Price, count: Count) -> ShadowFill:
    """Walk ``book`` best level first as an immediate-or-cancel order would.

    Ladders are best first, so the walk stops at the first level beyond the limit.
    A bid at ``yes_price`` takes YES offers (NO bids at q are YES offers at 1 − q) priced at
    or below it; an ask takes YES bids at or above it.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    if side == "bid":
        offers = ((ONE_DOLLAR - q, size) for q, size in book.no_bids)
        eligible = takewhile(lambda level: level[0] <= yes_price, offers)
    elif side == "ask":
        eligible = takewhile(lambda level: level[0] >= yes_price, book.yes_bids)
    else:
        raise ValueError(f"side must be 'bid' or 'ask', got {side!r}")
    left = int(count)
    taken: list[Level] = []
    notional = 0
    for price, size in eligible:
        if left <= 0:
            break
        take = min(left, size)
        taken.append((price, take))
        notional += price * take
        left -= take
    return ShadowFill(Count(count - left), Money(notional), tuple(taken))


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One demo order in both ledgers."""

    order_key: str  # the client_order_id
    ticker: str
    side: BookSide
    yes_price: Price
    count: Count
    decided_at_ms: int
    production_bid: Price | None  # best YES bid on production at decision time
    production_ask: Price | None  # best YES ask
    production_mid: Fraction | None
    shadow: ShadowFill
    actual_count: Count = ZERO_COUNT
    actual_notional: Money = ZERO
    actual_fees: Money = ZERO

    @property
    def actual_avg_price(self) -> Fraction | None:
        return Fraction(self.actual_notional, self.actual_count) if self.actual_count else None

    @property
    def realism_gap(self) -> Fraction | None:
        """(actual avg − shadow avg) × actual filled, Money; None unless both filled."""
        actual, shadow = self.actual_avg_price, self.shadow.avg_price
        if actual is None or shadow is None:
            return None
        return (actual - shadow) * self.actual_count

    @property
    def adverse_gap(self) -> Fraction | None:
        """`realism_gap` signed so that positive means the demo fill was worse for us."""
        gap = self.realism_gap
        if gap is None:
            return None
        return gap if self.side == "bid" else -gap

    @property
    def fill_ratio_gap(self) -> Fraction:
        return Fraction(self.actual_count - self.shadow.count, self.count)

    @property
    def day(self) -> str:
        """UTC date of the decision, ISO format."""
        return date.fromordinal(_EPOCH_ORDINAL + self.decided_at_ms // MS_PER_DAY).isoformat()


class TwoLedgers:
    """Keeps the `OrderRecord` of every demo order, keyed by client order id."""

    def __init__(self) -> None:
        self._records: dict[str, OrderRecord] = {}

    def record_decision(
        self, order_key: str, intent: OrderIntent, production_book: BookView, at_ms: int
    ) -> OrderRecord:
        """Record an order when it is sent, with the production book it was priced from."""
        if order_key in self._records:
            raise ValueError(f"order {order_key} is already in the ledger")
        if intent.count <= 0:
            raise ValueError(f"order {order_key}: count must be positive, got {intent.count}")
        record = OrderRecord(
            order_key=order_key,
            ticker=intent.ticker,
            side=intent.side,
            yes_price=intent.yes_price,
            count=intent.count,
            decided_at_ms=at_ms,
            production_bid=best_bid(production_book, "yes"),
            production_ask=best_ask(production_book, "yes"),
            production_mid=yes_mid(production_book),
            shadow=shadow_fill(production_book, intent.side, intent.yes_price, intent.count),
        )
        self._records[order_key] = record
        return record

    def restore(self, record: OrderRecord) -> None:
        """Put back a record read from the database after a restart, so fills that arrive
        later still land in the second ledger."""
        self._records[record.order_key] = record

    def record_fill(
        self, order_key: str, yes_price: Price, count: Count, fee: Money = ZERO
    ) -> OrderRecord:
        """Add one demo fill of the order (fills of unknown orders raise KeyError: they are
        not the actor's and belong to no shadow)."""
        old = self._records.get(order_key)
        if old is None:
            raise KeyError(f"order {order_key} was never recorded in the ledger")
        if count <= 0:
            raise ValueError(f"order {order_key}: fill count must be positive, got {count}")
        if old.actual_count + count > old.count:
            raise ValueError(
                f"order {order_key}: fills of {old.actual_count + count} exceed its "
                f"{old.count} Count units"
            )
        new = dataclasses.replace(
            old,
            actual_count=Count(old.actual_count + count),
            actual_notional=Money(old.actual_notional + yes_price * count),
            actual_fees=Money(old.actual_fees + fee),
        )
        self._records[order_key] = new
        return new

    def get(self, order_key: str) -> OrderRecord | None:
        return self._records.get(order_key)

    def records(self) -> tuple[OrderRecord, ...]:
        return tuple(self._records.values())


@dataclass(frozen=True, slots=True)
class GapSummary:
    """Realism gap of a group of orders (one market, or one day)."""

    key: str
    orders: int
    ordered: Count
    actual_filled: Count
    shadow_filled: Count
    compared_orders: int  # orders where both the demo and the shadow filled something
    realism_gap: Fraction  # sum over compared orders, Money
    adverse_gap: Fraction  # sum over compared orders, Money, positive = demo worse

    @property
    def fill_ratio_gap(self) -> Fraction:
        """(actual filled − shadow filled) / ordered, over the group."""
        return Fraction(self.actual_filled - self.shadow_filled, self.ordered)


def summarise(key: str, records: Iterable[OrderRecord]) -> GapSummary:
    orders = ordered = actual = shadow = compared = 0
    realism = adverse = Fraction(0)
    for r in records:
        orders += 1
        ordered += r.count
        actual += r.actual_count
        shadow += r.shadow.count
        gap, bad = r.realism_gap, r.adverse_gap
        if gap is not None and bad is not None:
            compared += 1
            realism += gap
            adverse += bad
    if orders == 0:
        raise ValueError(f"{key}: no orders to summarise")
    return GapSummary(
        key, orders, Count(ordered), Count(actual), Count(shadow), compared, realism, adverse
    )


def _group(records: Iterable[OrderRecord], by_day: bool) -> dict[str, GapSummary]:
    groups: dict[str, list[OrderRecord]] = {}
    for r in records:
        groups.setdefault(r.day if by_day else r.ticker, []).append(r)
    return {k: summarise(k, rs) for k, rs in sorted(groups.items())}


def summarise_by_market(records: Iterable[OrderRecord]) -> dict[str, GapSummary]:
    return _group(records, by_day=False)


def summarise_by_day(records: Iterable[OrderRecord]) -> dict[str, GapSummary]:
    """Grouped by the UTC date of the decision (``YYYY-MM-DD``)."""
    return _group(records, by_day=True)
