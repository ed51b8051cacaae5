"""Engine objects -> Kalshi's current (post fixed-point migration) JSON shapes.

Only the current wire shape is produced: prices as 4-dp dollar strings (``*_dollars``),
counts as 2-dp strings (``*_fp``), money as 6-dp dollar strings, times as RFC3339 strings
(``*_time``) or integers (``*_ts`` seconds, ``*_ts_ms`` milliseconds). The deprecated
``side``/``action`` pair stays on orders and fills because many clients still read it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Final

from kalshiflow.exchange_sim.engine.types import (
    LINEAR_CENT,
    BalanceView,
    BookSide,
    Event,
    Fill,
    Market,
    MarketPositionView,
    Order,
    PriceRange,
    Series,
    Settlement,
    Trade,
)
from kalshiflow.kalshi.fixedpoint import (
    MONEY_SCALE,
    ONE_DOLLAR,
    PRICE_SCALE,
    Count,
    Money,
    Price,
    format_count,
    format_money,
    format_price,
)

JsonObject = dict[str, object]

_ZERO_PRICE: Final = format_price(0)
_ONE_PRICE: Final = format_price(ONE_DOLLAR)
_CENTS_PER_DOLLAR_MONEY: Final = MONEY_SCALE // 100
_MILLI_CENT: Final = Price(10)  # 0.001 $

_TAPERED_DECI_CENT: Final[tuple[PriceRange, ...]] = (
    (Price(0), Price(1000), _MILLI_CENT),
    (Price(1000), Price(9000), Price(100)),
    (Price(9000), ONE_DOLLAR, _MILLI_CENT),
)
_DECI_CENT: Final[tuple[PriceRange, ...]] = ((Price(0), ONE_DOLLAR, _MILLI_CENT),)


# --- small helpers --------------------------------------------------------------------------


def time_from_ms(ts_ms: int) -> str:
    """RFC3339 UTC with milliseconds, as Kalshi's ``*_time`` fields."""
    dt = datetime.fromtimestamp(ts_ms // 1000, tz=UTC)
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{ts_ms % 1000:03d}Z"


def time_from_s(ts_s: int) -> str:
    return f"{datetime.fromtimestamp(ts_s, tz=UTC):%Y-%m-%dT%H:%M:%SZ}"


def money_to_cents(money: int) -> int:
    """Kalshi's legacy integer-cent money fields truncate toward zero."""
    cents = abs(money) // _CENTS_PER_DOLLAR_MONEY
    return -cents if money < 0 else cents


def _no_price(yes_price: int) -> str:
    return format_price(ONE_DOLLAR - yes_price)


def outcome_side(side: BookSide) -> str:
    """bid = buy YES; ask = sell YES, which Kalshi reports as buying NO."""
    return "yes" if side is BookSide.BID else "no"


def price_level_structure(ranges: tuple[PriceRange, ...]) -> str:
    if ranges == LINEAR_CENT:
        return "linear_cent"
    if ranges == _DECI_CENT:
        return "deci_cent"
    if ranges == _TAPERED_DECI_CENT:
        return "tapered_deci_cent"
    return "custom"


def price_ranges_json(ranges: Iterable[PriceRange]) -> list[JsonObject]:
    return [
        {"start": format_price(start), "end": format_price(end), "step": format_price(step)}
        for start, end, step in ranges
    ]


# --- market data ----------------------------------------------------------------------------

Levels = list[tuple[Price, Count]]


def market_json(market: Market, top_yes: Levels, top_no: Levels) -> JsonObject:
    """A Market; ``top_yes``/``top_no`` are the book's best levels (best LAST), may be empty."""
    yes_bid = top_yes[-1] if top_yes else None
    no_bid = top_no[-1] if top_no else None
    last = format_price(market.last_price) if market.last_price is not None else _ZERO_PRICE
    body: JsonObject = {
        "ticker": market.ticker,
        "event_ticker": market.event_ticker,
        "market_type": "binary",
        "title": market.title,
        "subtitle": "",
        "yes_sub_title": market.yes_sub_title,
        "no_sub_title": market.no_sub_title,
        "created_time": time_from_ms(market.created_ts_ms),
        "updated_time": time_from_ms(market.updated_ts_ms),
        "open_time": time_from_s(market.open_time),
        "close_time": time_from_s(market.close_time),
        "expected_expiration_time": time_from_s(market.expected_expiration_time),
        "expiration_time": time_from_s(market.expected_expiration_time),
        "latest_expiration_time": time_from_s(market.expected_expiration_time),
        "settlement_timer_seconds": 0,
        "status": market.status.value,
        "yes_bid_dollars": format_price(yes_bid[0]) if yes_bid else _ZERO_PRICE,
        "yes_bid_size_fp": format_count(yes_bid[1]) if yes_bid else format_count(0),
        # Best YES ask = 1 - best NO bid (the book holds bids only).
        "yes_ask_dollars": _no_price(no_bid[0]) if no_bid else _ONE_PRICE,
        "yes_ask_size_fp": format_count(no_bid[1]) if no_bid else format_count(0),
        "no_bid_dollars": format_price(no_bid[0]) if no_bid else _ZERO_PRICE,
        "no_ask_dollars": _no_price(yes_bid[0]) if yes_bid else _ONE_PRICE,
        "last_price_dollars": last,
        "previous_yes_bid_dollars": _ZERO_PRICE,
        "previous_yes_ask_dollars": _ZERO_PRICE,
        "previous_price_dollars": _ZERO_PRICE,
        "notional_value_dollars": _ONE_PRICE,
        "volume_fp": format_count(market.volume),
        "volume_24h_fp": format_count(market.volume),
        "open_interest_fp": format_count(market.open_interest),
        "liquidity_dollars": _ZERO_PRICE,
        "result": market.result or "",
        "can_close_early": market.can_close_early,
        "expiration_value": "",
        "rules_primary": market.rules_primary,
        "rules_secondary": "",
        "price_level_structure": price_level_structure(market.price_ranges),
        "price_ranges": price_ranges_json(market.price_ranges),
        "is_provisional": False,
        "exchange_index": 0,
    }
    if market.strike_type:
        body["strike_type"] = market.strike_type
    if market.floor_strike is not None:
        body["floor_strike"] = market.floor_strike
    if market.cap_strike is not None:
        body["cap_strike"] = market.cap_strike
    if market.settlement_value is not None:
        body["settlement_value_dollars"] = format_price(market.settlement_value)
    if market.settled_ts_ms is not None:
        body["settlement_ts"] = time_from_ms(market.settled_ts_ms)
    return body


def orderbook_fp_json(yes: Levels, no: Levels) -> JsonObject:
    """``{"orderbook_fp": {...}}`` body; ascending, best last; an empty side is omitted."""
    book: JsonObject = {}
    if yes:
        book["yes_dollars"] = [[format_price(p), format_count(c)] for p, c in yes]
    if no:
        book["no_dollars"] = [[format_price(p), format_count(c)] for p, c in no]
    return book


def trade_json(trade: Trade) -> JsonObject:
    taker_outcome = outcome_side(trade.taker_side)
    return {
        "trade_id": trade.trade_id,
        "ticker": trade.ticker,
        "created_time": time_from_ms(trade.ts_ms),
        "count_fp": format_count(trade.count),
        "yes_price_dollars": format_price(trade.yes_price),
        "no_price_dollars": _no_price(trade.yes_price),
        "taker_side": taker_outcome,
        "taker_outcome_side": taker_outcome,
        "taker_book_side": trade.taker_side.value,
        "is_block_trade": False,
    }


def event_json(event: Event, last_updated_ms: int) -> JsonObject:
    return {
        "event_ticker": event.event_ticker,
        "series_ticker": event.series_ticker,
        "title": event.title,
        "sub_title": event.sub_title,
        "category": event.category,
        # Kalshi's names: MECNET = mutually exclusive netting, DIRECNET = independent.
        "collateral_return_type": "MECNET" if event.mutually_exclusive else "DIRECNET",
        "mutually_exclusive": event.mutually_exclusive,
        "strike_period": "",
        "available_on_brokers": False,
        "last_updated_ts": time_from_ms(last_updated_ms),
    }


def series_json(series: Series) -> JsonObject:
    return {
        "ticker": series.ticker,
        "title": series.title,
        "category": series.category,
        "frequency": series.frequency,
        "tags": list(series.tags),
        "settlement_sources": [],
        "contract_url": "",
        "contract_terms_url": "",
        "fee_type": "quadratic",
        "fee_multiplier": 1,
        "additional_prohibitions": [],
    }


# --- portfolio ------------------------------------------------------------------------------


def order_json(order: Order) -> JsonObject:
    side = outcome_side(order.side)
    return {
        "order_id": order.order_id,
        "user_id": order.account_id,
        "client_order_id": order.client_order_id or "",
        "ticker": order.ticker,
        "side": side,
        "action": "buy",
        "outcome_side": side,
        "book_side": order.side.value,
        "type": "limit",
        "status": order.status.value,
        "yes_price_dollars": format_price(order.price),
        "no_price_dollars": _no_price(order.price),
        "fill_count_fp": format_count(order.fill_count),
        "remaining_count_fp": format_count(order.remaining_count),
        "initial_count_fp": format_count(order.initial_count),
        "taker_fees_dollars": format_money(order.taker_fees),
        "maker_fees_dollars": format_money(order.maker_fees),
        "taker_fill_cost_dollars": format_money(order.taker_fill_cost),
        "maker_fill_cost_dollars": format_money(order.maker_fill_cost),
        "queue_position": 0,
        "expiration_time": (
            time_from_s(order.expiration_ts) if order.expiration_ts is not None else None
        ),
        "created_time": time_from_ms(order.created_ts_ms),
        "last_update_time": time_from_ms(order.last_update_ts_ms),
        "self_trade_prevention_type": order.self_trade_prevention.value,
        "time_in_force": order.time_in_force.value,
        "post_only": order.post_only,
        "reduce_only": order.reduce_only,
        "order_group_id": None,
        "cancel_order_on_pause": False,
        "subaccount_number": 0,
        "exchange_index": 0,
    }


def fill_json(fill: Fill) -> JsonObject:
    side = outcome_side(fill.side)
    return {
        "fill_id": fill.fill_id,
        "trade_id": fill.trade_id,
        "order_id": fill.order_id,
        "ticker": fill.ticker,
        "market_ticker": fill.ticker,
        "side": side,
        "action": "buy",
        "outcome_side": side,
        "book_side": fill.side.value,
        "count_fp": format_count(fill.count),
        "yes_price_dollars": format_price(fill.price),
        "no_price_dollars": _no_price(fill.price),
        "is_taker": fill.is_taker,
        "fee_cost": format_money(fill.fee),
        "created_time": time_from_ms(fill.ts_ms),
        "ts": fill.ts_ms // 1000,
        "subaccount_number": 0,
        "exchange_index": 0,
    }


def balance_json(view: BalanceView, updated_ts_ms: int) -> JsonObject:
    return {
        "balance": money_to_cents(view.balance),
        "balance_dollars": format_money(view.balance),
        "portfolio_value": money_to_cents(view.portfolio_value),
        "portfolio_value_dollars": format_money(view.portfolio_value),
        "updated_ts": updated_ts_ms // 1000,
    }


def traded_by_ticker(fills: Iterable[Fill]) -> dict[str, Money]:
    """What the account paid for its side over all its fills, per market (``total_traded``).

    A bid pays the YES price; an ask (buy NO) pays the NO price, 1 - YES price.
    """
    totals: dict[str, int] = defaultdict(int)
    for fill in fills:
        paid = fill.price if fill.side is BookSide.BID else ONE_DOLLAR - fill.price
        totals[fill.ticker] += paid * fill.count
    return {ticker: Money(total) for ticker, total in totals.items()}


def market_position_json(view: MarketPositionView, total_traded: Money, now_ms: int) -> JsonObject:
    return {
        "ticker": view.ticker,
        "position_fp": format_count(view.position),
        "market_exposure_dollars": format_money(view.position_cost),
        "realized_pnl_dollars": format_money(view.realized_pnl),
        "fees_paid_dollars": format_money(view.fees_paid),
        "total_traded_dollars": format_money(total_traded),
        "resting_orders_count": view.resting_orders_count,
        # A market with only resting orders has no fill time yet; report "now".
        "last_updated_ts": time_from_ms(view.last_updated_ts_ms or now_ms),
        "exchange_index": 0,
    }


def event_positions_json(views: Iterable[MarketPositionView]) -> list[JsonObject]:
    """Per-event sums of the market positions, in order of first appearance."""
    exposure: dict[str, int] = defaultdict(int)
    shares: dict[str, int] = defaultdict(int)
    pnl: dict[str, int] = defaultdict(int)
    fees: dict[str, int] = defaultdict(int)
    for view in views:
        exposure[view.event_ticker] += view.position_cost
        shares[view.event_ticker] += abs(view.position)
        pnl[view.event_ticker] += view.realized_pnl
        fees[view.event_ticker] += view.fees_paid
    return [
        {
            "event_ticker": event_ticker,
            "event_exposure_dollars": format_money(exposure[event_ticker]),
            "total_cost_dollars": format_money(exposure[event_ticker]),
            "total_cost_shares_fp": format_count(shares[event_ticker]),
            "realized_pnl_dollars": format_money(pnl[event_ticker]),
            "fees_paid_dollars": format_money(fees[event_ticker]),
            "exchange_index": 0,
        }
        for event_ticker in exposure
    ]


def settlement_json(settlement: Settlement) -> JsonObject:
    return {
        "ticker": settlement.ticker,
        "event_ticker": settlement.event_ticker,
        "market_result": settlement.market_result,
        "yes_count_fp": format_count(settlement.yes_count),
        "no_count_fp": format_count(settlement.no_count),
        "yes_total_cost_dollars": format_money(settlement.yes_total_cost),
        "no_total_cost_dollars": format_money(settlement.no_total_cost),
        "revenue": money_to_cents(settlement.revenue),
        "revenue_dollars": format_money(settlement.revenue),
        "value": settlement.value * 100 // PRICE_SCALE,
        "value_dollars": format_price(settlement.value),
        "settled_time": time_from_ms(settlement.settled_time_ms),
        "fee_cost": format_money(settlement.fee_cost),
    }
