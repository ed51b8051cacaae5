"""Value types of the simulated exchange engine: requests, orders, markets and emitted events.

Every price, count and amount is a scaled integer from ``kalshiflow.kalshi.fixedpoint``
(``Price`` = 1/10,000 $, ``Count`` = 1/100 contract, ``Money`` = 1/1,000,000 $). Times are
integers: ``*_ms`` fields are epoch milliseconds, ``open_time``/``close_time`` epoch seconds
(what Kalshi's market endpoints speak).

Orders carry only the YES price (Kalshi's V2 order model): a ``BookSide.BID`` at ``p`` buys
YES at ``p``; a ``BookSide.ASK`` at ``p`` sells YES at ``p``, which on Kalshi is the same as
buying NO at ``1 - p``. Positions are signed: ``+`` YES contracts, ``-`` NO contracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from kalshiflow.kalshi.fixedpoint import CENT, ONE_DOLLAR, Count, Money, Price

ZERO_COUNT: Final = Count(0)
ZERO_MONEY: Final = Money(0)


class BookSide(StrEnum):
    BID = "bid"  # buy YES at the YES price
    ASK = "ask"  # sell YES at the YES price == buy NO at 1 - price


class TimeInForce(StrEnum):
    GTC = "good_till_canceled"
    IOC = "immediate_or_cancel"
    FOK = "fill_or_kill"


class SelfTradePrevention(StrEnum):
    TAKER_AT_CROSS = "taker_at_cross"  # cancel the incoming order's remainder
    MAKER = "maker"  # cancel the resting order of the same account and keep matching


class OrderStatus(StrEnum):
    RESTING = "resting"
    CANCELED = "canceled"
    EXECUTED = "executed"


class MarketStatus(StrEnum):
    """Kalshi's market response vocabulary."""

    INITIALIZED = "initialized"  # created, not yet open
    ACTIVE = "active"  # open for trading
    CLOSED = "closed"  # trading over, result unknown
    DETERMINED = "determined"  # result known, not yet paid
    FINALIZED = "finalized"  # settled: winners paid


MarketResult = Literal["yes", "no"]
BookLevelSide = Literal["yes", "no"]
LifecycleReason = Literal["opened", "closed"]
LifecycleType = Literal[
    "created", "activated", "deactivated", "close_date_updated", "determined", "settled"
]


class ExchangeError(Exception):
    """A rejected request, carrying the HTTP status and Kalshi error code to answer with."""

    def __init__(
        self, http_status: int, code: str, message: str, details: str | None = None
    ) -> None:
        super().__init__(f"{http_status} {code}: {message}" + (f" ({details})" if details else ""))
        self.http_status = http_status
        self.code = code
        self.message = message
        self.details = details


# --- markets -------------------------------------------------------------------------------

PriceRange = tuple[Price, Price, Price]  # (start, end, step), inclusive, as Kalshi's price_ranges
LINEAR_CENT: tuple[PriceRange, ...] = ((Price(0), ONE_DOLLAR, CENT),)


@dataclass(frozen=True, slots=True)
class Series:
    ticker: str
    title: str
    category: str = "Economics"
    frequency: str = "daily"
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    event_ticker: str
    series_ticker: str
    title: str
    sub_title: str = ""
    category: str = "Economics"
    mutually_exclusive: bool = True


@dataclass(frozen=True, slots=True)
class MarketSpec:
    """What ``Exchange.add_market`` needs to list a market (its event must exist)."""

    ticker: str
    event_ticker: str
    title: str
    open_time: int  # epoch s
    close_time: int  # epoch s
    yes_sub_title: str = ""
    no_sub_title: str = ""
    expected_expiration_time: int | None = None  # epoch s; defaults to close_time
    price_ranges: tuple[PriceRange, ...] = LINEAR_CENT
    rules_primary: str = ""
    strike_type: str = ""
    floor_strike: str | None = None
    cap_strike: str | None = None
    can_close_early: bool = True


@dataclass(slots=True)
class Market:
    """A listed market. ``Exchange`` owns the live object; readers get copies."""

    ticker: str
    event_ticker: str
    series_ticker: str
    title: str
    yes_sub_title: str
    no_sub_title: str
    open_time: int
    close_time: int
    expected_expiration_time: int
    price_ranges: tuple[PriceRange, ...]
    rules_primary: str
    strike_type: str
    floor_strike: str | None
    cap_strike: str | None
    can_close_early: bool
    status: MarketStatus
    created_ts_ms: int
    updated_ts_ms: int
    result: MarketResult | None = None
    settlement_value: Price | None = None  # YES payout per contract once determined
    determination_ts_ms: int | None = None
    settled_ts_ms: int | None = None
    volume: Count = ZERO_COUNT  # contracts traded, all time
    open_interest: Count = ZERO_COUNT  # YES/NO pairs outstanding
    last_price: Price | None = None

    def copy(self) -> Market:
        # Spelled out: dataclasses.replace costs ~25 µs, and copies are on the hot path.
        return Market(
            self.ticker,
            self.event_ticker,
            self.series_ticker,
            self.title,
            self.yes_sub_title,
            self.no_sub_title,
            self.open_time,
            self.close_time,
            self.expected_expiration_time,
            self.price_ranges,
            self.rules_primary,
            self.strike_type,
            self.floor_strike,
            self.cap_strike,
            self.can_close_early,
            self.status,
            self.created_ts_ms,
            self.updated_ts_ms,
            self.result,
            self.settlement_value,
            self.determination_ts_ms,
            self.settled_ts_ms,
            self.volume,
            self.open_interest,
            self.last_price,
        )


# --- orders --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderRequest:
    account_id: str
    ticker: str
    side: BookSide
    price: Price  # YES price
    count: Count
    time_in_force: TimeInForce = TimeInForce.GTC
    self_trade_prevention: SelfTradePrevention = SelfTradePrevention.TAKER_AT_CROSS
    client_order_id: str | None = None
    post_only: bool = False
    reduce_only: bool = False
    expiration_ts: int | None = None  # epoch s, GTC only


@dataclass(slots=True)
class Order:
    """An order's state. The engine owns the live object; everything it hands out is a copy."""

    order_id: str
    client_order_id: str | None
    account_id: str
    ticker: str
    side: BookSide
    price: Price
    initial_count: Count
    fill_count: Count
    remaining_count: Count
    status: OrderStatus
    time_in_force: TimeInForce
    self_trade_prevention: SelfTradePrevention
    post_only: bool
    reduce_only: bool
    created_ts_ms: int
    last_update_ts_ms: int
    expiration_ts: int | None = None
    taker_fees: Money = ZERO_MONEY
    maker_fees: Money = ZERO_MONEY
    taker_fill_cost: Money = ZERO_MONEY  # what this account paid for its side of the fills
    maker_fill_cost: Money = ZERO_MONEY
    queue_position: Count = ZERO_COUNT  # contracts ahead of this order at its level when read
    # Sum of 7*count*price*(1-price) over taker fills (exact); fees are charged as the
    # increments of ceil(this / 1e8) centi-cents (Kalshi's per-order fee accumulator).
    taker_fee_accumulator: int = 0

    def copy(self) -> Order:
        # Spelled out: dataclasses.replace costs ~25 µs, and copies are on the hot path.
        return Order(
            self.order_id,
            self.client_order_id,
            self.account_id,
            self.ticker,
            self.side,
            self.price,
            self.initial_count,
            self.fill_count,
            self.remaining_count,
            self.status,
            self.time_in_force,
            self.self_trade_prevention,
            self.post_only,
            self.reduce_only,
            self.created_ts_ms,
            self.last_update_ts_ms,
            self.expiration_ts,
            self.taker_fees,
            self.maker_fees,
            self.taker_fill_cost,
            self.maker_fill_cost,
            self.queue_position,
            self.taker_fee_accumulator,
        )


@dataclass(frozen=True, slots=True)
class PlaceResult:
    order: Order  # snapshot after matching
    fills: tuple[Fill, ...]  # this order's (taker) fills
    average_fill_price: Price | None  # count-weighted YES price (nearest); None if no fill
    average_fee_paid: Price | None  # fee per contract in $ (Price units), rounded up


# --- events (all frozen; emitted in order to subscribers) ---------------------------------


@dataclass(frozen=True, slots=True)
class BookChange:
    """One price level of the bids-only book changed by ``delta`` contracts.

    ``side`` "yes" levels are YES bids at the YES price; "no" levels are NO bids at the NO
    price (a resting ASK at YES price p is a NO bid at 1 - p), exactly Kalshi's
    ``orderbook_delta`` without ``use_yes_price``.
    """

    ticker: str
    side: BookLevelSide
    price: Price
    delta: Count
    ts_ms: int
    client_order_id: str | None = None  # set when the change was caused by that order's owner
    account_id: str | None = None


@dataclass(frozen=True, slots=True)
class Trade:
    trade_id: str
    ticker: str
    yes_price: Price
    count: Count
    taker_side: BookSide
    ts_ms: int

    @property
    def no_price(self) -> Price:
        return Price(ONE_DOLLAR - self.yes_price)


@dataclass(frozen=True, slots=True)
class Fill:
    fill_id: str
    trade_id: str
    order_id: str
    client_order_id: str | None
    account_id: str
    ticker: str
    side: BookSide  # side of THIS account's order
    price: Price  # YES price of the execution
    count: Count
    is_taker: bool
    fee: Money
    ts_ms: int
    post_position: Count  # signed +YES/-NO after this fill


@dataclass(frozen=True, slots=True)
class OrderUpdate:
    order: Order  # a snapshot copy, never the live order
    ts_ms: int


@dataclass(frozen=True, slots=True)
class PositionUpdate:
    account_id: str
    ticker: str
    position: Count  # signed +YES/-NO
    position_cost: Money  # what the open contracts cost (Kalshi's market_exposure)
    realized_pnl: Money
    fees_paid: Money
    volume: Count  # contracts traded in this market, all time
    ts_ms: int


@dataclass(frozen=True, slots=True)
class MarketLifecycle:
    ticker: str
    event_type: LifecycleType
    ts_ms: int
    open_ts: int | None = None  # epoch s
    close_ts: int | None = None  # epoch s
    result: MarketResult | None = None
    settlement_value: Price | None = None
    determination_ts: int | None = None  # epoch s
    settled_ts: int | None = None  # epoch s
    is_deactivated: bool | None = None
    market: Market | None = None  # snapshot, on "created" (Kalshi's additional_metadata)
    # Why an "activated"/"deactivated" was emitted: "opened" (open_time reached or forced
    # open) or "closed" (close_time reached or closed early). Kalshi itself sends no
    # WebSocket event for these time-based transitions (its activated/deactivated mean a
    # pause ending/starting), so a server that mimics Kalshi exactly can filter on this.
    reason: LifecycleReason | None = None


EngineEvent = BookChange | Trade | Fill | OrderUpdate | PositionUpdate | MarketLifecycle


# --- account views -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarketPositionView:
    ticker: str
    event_ticker: str
    position: Count
    position_cost: Money  # Kalshi's market_exposure: cost of the open contracts
    realized_pnl: Money
    fees_paid: Money
    volume: Count  # Kalshi's total_traded
    resting_orders_count: int
    last_updated_ts_ms: int


@dataclass(frozen=True, slots=True)
class Settlement:
    """One account's payout in one market, like an entry of /portfolio/settlements."""

    ticker: str
    event_ticker: str
    market_result: MarketResult
    yes_count: Count
    no_count: Count
    yes_total_cost: Money
    no_total_cost: Money
    revenue: Money  # $1 per winning contract
    value: Price  # YES payout per contract
    settled_time_ms: int
    fee_cost: Money  # fees paid in this market over its life


@dataclass(frozen=True, slots=True)
class BalanceView:
    balance: Money  # cash available for new orders (Kalshi's balance)
    reserved: Money  # cash held by resting orders
    portfolio_value: Money  # open positions marked at their cost basis


__all__ = [
    "LINEAR_CENT",
    "ZERO_COUNT",
    "ZERO_MONEY",
    "BalanceView",
    "BookChange",
    "BookLevelSide",
    "BookSide",
    "EngineEvent",
    "Event",
    "ExchangeError",
    "Fill",
    "LifecycleReason",
    "LifecycleType",
    "Market",
    "MarketLifecycle",
    "MarketPositionView",
    "MarketResult",
    "MarketSpec",
    "MarketStatus",
    "Order",
    "OrderRequest",
    "OrderStatus",
    "OrderUpdate",
    "PlaceResult",
    "PositionUpdate",
    "PriceRange",
    "SelfTradePrevention",
    "Series",
    "Settlement",
    "TimeInForce",
    "Trade",
]
