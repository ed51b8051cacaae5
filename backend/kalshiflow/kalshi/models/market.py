"""Exchange and market-data wire models: status, markets, events, series, books, trades."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from kalshiflow.kalshi.errors import WireFormatError
from kalshiflow.kalshi.fixedpoint import (
    ONE_DOLLAR,
    Count,
    FixedPointError,
    Price,
    parse_count,
    parse_price,
    price_from_cents,
)
from kalshiflow.kalshi.models._wire import Fields, require_mapping

__all__ = [
    "Event",
    "ExchangeStatus",
    "Market",
    "Orderbook",
    "PriceLevel",
    "PriceRange",
    "Series",
    "Trade",
]

# Response vocabulary for a tradable market ("active" on Kalshi; "open" in the query filter
# vocabulary, which some servers echo back).
_OPEN_STATUSES = frozenset({"active", "open"})


@dataclass(frozen=True, slots=True)
class ExchangeStatus:
    exchange_active: bool
    trading_active: bool
    exchange_estimated_resume_time: datetime | None

    @classmethod
    def from_wire(cls, data: Any) -> ExchangeStatus:
        f = Fields("ExchangeStatus", data)
        if "exchange_active" not in f.data:
            raise f.error("exchange_active", "missing")
        return cls(
            exchange_active=f.bool_("exchange_active"),
            trading_active=f.bool_("trading_active"),
            exchange_estimated_resume_time=f.time("exchange_estimated_resume_time"),
        )


@dataclass(frozen=True, slots=True)
class PriceRange:
    """One band of a market's tick grid: prices in [start, end] on multiples of ``step``."""

    start: Price
    end: Price
    step: Price

    @classmethod
    def from_wire(cls, data: Any) -> PriceRange:
        f = Fields("PriceRange", data)
        return cls(start=f.price("start"), end=f.price("end"), step=f.price("step"))


@dataclass(frozen=True, slots=True)
class Market:
    ticker: str
    event_ticker: str
    market_type: str
    status: str
    title: str
    subtitle: str
    yes_sub_title: str
    no_sub_title: str
    result: str
    open_time: datetime | None
    close_time: datetime | None
    expected_expiration_time: datetime | None
    latest_expiration_time: datetime | None
    yes_bid: Price | None
    yes_ask: Price | None
    no_bid: Price | None
    no_ask: Price | None
    last_price: Price | None
    previous_yes_bid: Price | None
    previous_yes_ask: Price | None
    previous_price: Price | None
    yes_bid_size: Count | None
    yes_ask_size: Count | None
    volume: Count
    volume_24h: Count
    open_interest: Count
    notional_value: Price | None
    settlement_value: Price | None
    can_close_early: bool
    price_level_structure: str
    price_ranges: tuple[PriceRange, ...]
    rules_primary: str
    rules_secondary: str
    created_time: datetime | None
    updated_time: datetime | None

    @property
    def is_open(self) -> bool:
        """True when the market accepts orders."""
        return self.status in _OPEN_STATUSES

    @classmethod
    def from_wire(cls, data: Any) -> Market:
        f = Fields("Market", data)
        return cls(
            ticker=f.str_("ticker"),
            event_ticker=f.opt_str("event_ticker"),
            market_type=f.opt_str("market_type", "binary"),
            status=f.str_("status"),
            title=f.opt_str("title"),
            subtitle=f.opt_str("subtitle"),
            yes_sub_title=f.opt_str("yes_sub_title"),
            no_sub_title=f.opt_str("no_sub_title"),
            result=f.opt_str("result"),
            open_time=f.time("open_time"),
            close_time=f.time("close_time"),
            expected_expiration_time=f.time("expected_expiration_time"),
            latest_expiration_time=f.time("latest_expiration_time"),
            yes_bid=f.opt_price("yes_bid_dollars", "yes_bid"),
            yes_ask=f.opt_price("yes_ask_dollars", "yes_ask"),
            no_bid=f.opt_price("no_bid_dollars", "no_bid"),
            no_ask=f.opt_price("no_ask_dollars", "no_ask"),
            last_price=f.opt_price("last_price_dollars", "last_price"),
            previous_yes_bid=f.opt_price("previous_yes_bid_dollars", "previous_yes_bid"),
            previous_yes_ask=f.opt_price("previous_yes_ask_dollars", "previous_yes_ask"),
            previous_price=f.opt_price("previous_price_dollars", "previous_price"),
            yes_bid_size=f.opt_count("yes_bid_size_fp"),
            yes_ask_size=f.opt_count("yes_ask_size_fp"),
            volume=f.count_or_zero("volume_fp", "volume"),
            volume_24h=f.count_or_zero("volume_24h_fp", "volume_24h"),
            open_interest=f.count_or_zero("open_interest_fp", "open_interest"),
            notional_value=f.opt_price("notional_value_dollars", "notional_value"),
            settlement_value=f.opt_price("settlement_value_dollars", "settlement_value"),
            can_close_early=f.bool_("can_close_early"),
            price_level_structure=f.opt_str("price_level_structure"),
            price_ranges=tuple(PriceRange.from_wire(r) for r in f.objects("price_ranges")),
            rules_primary=f.opt_str("rules_primary"),
            rules_secondary=f.opt_str("rules_secondary"),
            created_time=f.time("created_time"),
            updated_time=f.time("updated_time"),
        )


@dataclass(frozen=True, slots=True)
class Event:
    event_ticker: str
    series_ticker: str
    title: str
    sub_title: str
    category: str
    collateral_return_type: str
    mutually_exclusive: bool
    strike_date: datetime | None
    strike_period: str
    last_updated_ts: datetime | None
    markets: tuple[Market, ...]

    @classmethod
    def from_wire(cls, data: Any, markets: Any = None) -> Event:
        """``markets`` lets ``GET /events/{t}`` pass its deprecated top-level market list."""
        f = Fields("Event", data)
        nested = f.objects("markets") or (markets if isinstance(markets, list) else ())
        return cls(
            event_ticker=f.str_("event_ticker"),
            series_ticker=f.opt_str("series_ticker"),
            title=f.opt_str("title"),
            sub_title=f.opt_str("sub_title"),
            category=f.opt_str("category"),
            collateral_return_type=f.opt_str("collateral_return_type"),
            mutually_exclusive=f.bool_("mutually_exclusive"),
            strike_date=f.time("strike_date"),
            strike_period=f.opt_str("strike_period"),
            last_updated_ts=f.time("last_updated_ts"),
            markets=tuple(Market.from_wire(m) for m in nested),
        )


@dataclass(frozen=True, slots=True)
class Series:
    ticker: str
    title: str
    frequency: str
    category: str
    tags: tuple[str, ...]
    fee_type: str
    # A JSON float on the wire (e.g. 1 or 0.5); kept as Decimal so fee maths stays exact.
    fee_multiplier: Decimal | None
    volume: Count | None

    @classmethod
    def from_wire(cls, data: Any) -> Series:
        f = Fields("Series", data)
        return cls(
            ticker=f.str_("ticker"),
            title=f.opt_str("title"),
            frequency=f.opt_str("frequency"),
            category=f.opt_str("category"),
            tags=f.str_tuple("tags"),
            fee_type=f.opt_str("fee_type"),
            fee_multiplier=f.decimal("fee_multiplier"),
            volume=f.opt_count("volume_fp", "volume"),
        )


@dataclass(frozen=True, slots=True)
class PriceLevel:
    price: Price
    count: Count


def _levels(model: str, field: str, raw: Any, *, legacy_cents: bool) -> tuple[PriceLevel, ...]:
    if raw is None:  # an empty side is sent as null (legacy) or left out (current)
        return ()
    if not isinstance(raw, list):
        raise WireFormatError(model, field, f"expected a list of [price, count], got {raw!r}")
    levels: list[PriceLevel] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, list | tuple) or len(entry) < 2:
            raise WireFormatError(model, f"{field}[{i}]", f"expected [price, count], got {entry!r}")
        price_raw, count_raw = entry[0], entry[1]
        try:
            if legacy_cents:
                if isinstance(price_raw, bool) or not isinstance(price_raw, int):
                    raise FixedPointError(f"price: expected integer cents, got {price_raw!r}")
                price = price_from_cents(price_raw)
            else:
                price = parse_price(price_raw)
            count = parse_count(count_raw)
        except FixedPointError as exc:
            raise WireFormatError(model, f"{field}[{i}]", str(exc)) from None
        levels.append(PriceLevel(price, count))
    # Docs say ascending with the best bid last; some sources say best first. Sort so the
    # order is known regardless of what the server did.
    levels.sort(key=lambda level: level.price)
    return tuple(levels)


@dataclass(frozen=True, slots=True)
class Orderbook:
    """Resting bids of both sides; each tuple ascending by price, best bid LAST.

    NO levels are in NO prices: a NO bid at q is a YES ask at 1 - q.
    """

    ticker: str
    yes: tuple[PriceLevel, ...]
    no: tuple[PriceLevel, ...]

    @property
    def best_yes_bid(self) -> Price | None:
        return self.yes[-1].price if self.yes else None

    @property
    def best_no_bid(self) -> Price | None:
        return self.no[-1].price if self.no else None

    @property
    def best_yes_ask(self) -> Price | None:
        return Price(ONE_DOLLAR - self.no[-1].price) if self.no else None

    @property
    def best_no_ask(self) -> Price | None:
        return Price(ONE_DOLLAR - self.yes[-1].price) if self.yes else None

    @classmethod
    def from_wire(cls, data: Any, ticker: str = "") -> Orderbook:
        """Parse a ``GET /markets/{t}/orderbook`` body or one ``/markets/orderbooks`` item."""
        root = require_mapping("Orderbook", "<root>", data)
        if isinstance(root.get("ticker"), str):
            ticker = root["ticker"]
        if root.get("orderbook_fp") is not None:
            book = require_mapping("Orderbook", "orderbook_fp", root["orderbook_fp"])
            return cls(
                ticker=ticker,
                yes=_levels(
                    "Orderbook",
                    "orderbook_fp.yes_dollars",
                    book.get("yes_dollars"),
                    legacy_cents=False,
                ),
                no=_levels(
                    "Orderbook",
                    "orderbook_fp.no_dollars",
                    book.get("no_dollars"),
                    legacy_cents=False,
                ),
            )
        if "orderbook" not in root:
            raise WireFormatError(
                "Orderbook", "orderbook_fp", "missing (and no legacy 'orderbook')"
            )
        book = require_mapping("Orderbook", "orderbook", root["orderbook"] or {})
        # Legacy bodies carry both the cent lists and their dollar twins; prefer the dollars.
        if "yes_dollars" in book or "no_dollars" in book:
            return cls(
                ticker=ticker,
                yes=_levels(
                    "Orderbook",
                    "orderbook.yes_dollars",
                    book.get("yes_dollars"),
                    legacy_cents=False,
                ),
                no=_levels(
                    "Orderbook", "orderbook.no_dollars", book.get("no_dollars"), legacy_cents=False
                ),
            )
        return cls(
            ticker=ticker,
            yes=_levels("Orderbook", "orderbook.yes", book.get("yes"), legacy_cents=True),
            no=_levels("Orderbook", "orderbook.no", book.get("no"), legacy_cents=True),
        )


@dataclass(frozen=True, slots=True)
class Trade:
    trade_id: str
    ticker: str
    created_time: datetime | None
    count: Count
    yes_price: Price
    no_price: Price
    taker_outcome_side: str  # "yes" | "no"
    taker_book_side: str  # "bid" | "ask" ("" on legacy servers)
    is_block_trade: bool

    @classmethod
    def from_wire(cls, data: Any) -> Trade:
        f = Fields("Trade", data)
        yes_price = f.price("yes_price_dollars", "yes_price")
        no_price = f.opt_price("no_price_dollars", "no_price")
        return cls(
            trade_id=f.str_("trade_id"),
            ticker=f.str_("ticker"),
            created_time=f.time("created_time"),
            count=f.count("count_fp", "count"),
            yes_price=yes_price,
            no_price=Price(ONE_DOLLAR - yes_price) if no_price is None else no_price,
            taker_outcome_side=f.opt_str("taker_outcome_side") or f.opt_str("taker_side"),
            taker_book_side=f.opt_str("taker_book_side"),
            is_block_trade=f.bool_("is_block_trade"),
        )
