"""Turn engine events into the JSON of Kalshi's WebSocket channel messages (current shapes).

Each function returns the encoded ``msg`` object only; :func:`envelope` wraps it with
``type``/``sid``/``seq``. Splitting the two lets the fan-out encode a message body once and
reuse it for every subscription, which only differs in ``sid`` and ``seq``.

Conventions (Kalshi, after the 2026-03 fixed-point cut): prices are 4-decimal dollar strings,
counts 2-decimal ``*_fp`` strings, money fields exact 6-decimal dollar strings, ``ts`` fields
epoch seconds (``ts_ms`` milliseconds) except the RFC3339 ``ts`` of ``orderbook_delta``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Final

import orjson

from kalshiflow.exchange_sim.engine.types import (
    LINEAR_CENT,
    BookChange,
    BookSide,
    Event,
    Fill,
    Market,
    MarketLifecycle,
    Order,
    PositionUpdate,
    Trade,
)
from kalshiflow.kalshi.fixedpoint import (
    ONE_DOLLAR,
    Count,
    Price,
    format_count,
    format_money,
    format_price,
)

# Markets in the engine have no UUID; Kalshi's messages carry one. A name-based UUID keeps it
# stable across restarts and identical in both environments, like the real ticker->id map.
_MARKET_NS: Final = uuid.UUID("6f1d2b0e-5c1a-4b8e-9a57-6b3c1c0a7e11")
_market_ids: dict[str, str] = {}
_price_text: dict[int, str] = {}
_count_text: dict[int, str] = {}


class _LastTimestamp:
    """The most recent ms -> RFC3339 conversion: a burst of deltas shares one timestamp."""

    __slots__ = ("ms", "text")

    def __init__(self) -> None:
        self.ms = -1
        self.text = ""


_last_ts = _LastTimestamp()


def market_id(ticker: str) -> str:
    """The stable UUID the simulator reports as ``market_id`` for ``ticker``."""
    found = _market_ids.get(ticker)
    if found is None:
        found = str(uuid.uuid5(_MARKET_NS, ticker))
        _market_ids[ticker] = found
    return found


def price_text(price: int) -> str:
    # Books use a few hundred price levels at most; caching the strings keeps the delta
    # path free of repeated decimal formatting.
    text = _price_text.get(price)
    if text is None:
        text = format_price(price)
        if len(_price_text) < 100_000:
            _price_text[price] = text
    return text


def count_text(count: int) -> str:
    text = _count_text.get(count)
    if text is None:
        text = format_count(count)
        if len(_count_text) < 100_000:
            _count_text[count] = text
    return text


def rfc3339_ms(ts_ms: int) -> str:
    """``1781159489957`` -> ``"2026-06-11T06:31:29.957Z"`` (cached: bursts share a ms)."""
    if _last_ts.ms == ts_ms:
        return _last_ts.text
    seconds, millis = divmod(ts_ms, 1000)
    text = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{millis:03d}Z"
    _last_ts.ms = ts_ms
    _last_ts.text = text
    return text


def rfc3339_s(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(type_: str, sid: int, seq: int | None, body: bytes) -> bytes:
    if seq is None:
        return b'{"type":"%b","sid":%d,"msg":%b}' % (type_.encode(), sid, body)
    return b'{"type":"%b","sid":%d,"seq":%d,"msg":%b}' % (type_.encode(), sid, seq, body)


def envelope_prefix(type_: str, sid: int) -> bytes:
    """``{"type":T,"sid":N,"seq":`` for the hot path: append seq, ``,"msg":``, body, ``}``."""
    return b'{"type":"%b","sid":%d,"seq":' % (type_.encode(), sid)


def _outcome(side: BookSide) -> str:
    # V2 orders: bid = buy YES (outcome yes); ask = sell YES = buy NO (outcome no).
    return "yes" if side is BookSide.BID else "no"


# --- orderbook_delta ------------------------------------------------------------------------


def levels_fp(levels: list[tuple[Price, Count]]) -> list[list[str]]:
    return [[price_text(price), count_text(count)] for price, count in levels]


def snapshot_body(
    ticker: str,
    yes: list[tuple[Price, Count]],
    no: list[tuple[Price, Count]],
    *,
    use_yes_price: bool = False,
) -> bytes:
    """``use_yes_price``: NO levels re-expressed at their YES price (1 - NO price), in the
    same order (best last)."""
    msg: dict[str, object] = {"market_ticker": ticker, "market_id": market_id(ticker)}
    if use_yes_price:
        no = [(Price(ONE_DOLLAR - price), count) for price, count in no]
    # Kalshi omits a side's key entirely when that side of the book is empty.
    if yes:
        msg["yes_dollars_fp"] = levels_fp(yes)
    if no:
        msg["no_dollars_fp"] = levels_fp(no)
    return orjson.dumps(msg)


def delta_body(change: BookChange, *, own: bool, use_yes_price: bool = False) -> bytes:
    """``own``: the subscriber's order caused the change, so Kalshi adds its client_order_id.
    ``use_yes_price``: a NO level is reported at its YES price."""
    price = change.price
    if use_yes_price and change.side == "no":
        price = Price(ONE_DOLLAR - price)
    msg: dict[str, object] = {
        "market_ticker": change.ticker,
        "market_id": market_id(change.ticker),
        "price_dollars": price_text(price),
        "delta_fp": count_text(change.delta),
        "side": change.side,
        "ts": rfc3339_ms(change.ts_ms),
        "ts_ms": change.ts_ms,
    }
    if own and change.client_order_id is not None:
        msg["client_order_id"] = change.client_order_id
    return orjson.dumps(msg)


# --- ticker ----------------------------------------------------------------------------------


def ticker_body(
    market: Market,
    best_yes_bid: tuple[Price, Count] | None,
    best_no_bid: tuple[Price, Count] | None,
    last_trade_size: Count,
    ts_ms: int,
) -> bytes:
    yes_bid, yes_bid_size = best_yes_bid if best_yes_bid else (Price(0), Count(0))
    if best_no_bid:
        yes_ask, yes_ask_size = Price(ONE_DOLLAR - best_no_bid[0]), best_no_bid[1]
    else:
        # An empty NO side means nobody sells YES: Kalshi shows the ask at $1 with no size.
        yes_ask, yes_ask_size = ONE_DOLLAR, Count(0)
    last = market.last_price if market.last_price is not None else Price(0)
    return orjson.dumps(
        {
            "market_ticker": market.ticker,
            "market_id": market_id(market.ticker),
            "price_dollars": price_text(last),
            "yes_bid_dollars": price_text(yes_bid),
            "yes_ask_dollars": price_text(yes_ask),
            "yes_bid_size_fp": count_text(yes_bid_size),
            "yes_ask_size_fp": count_text(yes_ask_size),
            "last_trade_size_fp": count_text(last_trade_size),
            "volume_fp": count_text(market.volume),
            "open_interest_fp": count_text(market.open_interest),
            # Whole dollars; Kalshi's documented example is half the contract count
            # (contracts are $1 notional pairs, half paid by each side).
            "dollar_volume": market.volume // 200,
            "dollar_open_interest": market.open_interest // 200,
            "ts": ts_ms // 1000,
            "ts_ms": ts_ms,
            "time": rfc3339_s(ts_ms),
        }
    )


# --- trade ------------------------------------------------------------------------------------


def trade_body(trade: Trade) -> bytes:
    outcome = _outcome(trade.taker_side)
    return orjson.dumps(
        {
            "trade_id": trade.trade_id,
            "market_ticker": trade.ticker,
            "yes_price_dollars": price_text(trade.yes_price),
            "no_price_dollars": price_text(ONE_DOLLAR - trade.yes_price),
            "count_fp": count_text(trade.count),
            "taker_side": outcome,
            "taker_outcome_side": outcome,
            "taker_book_side": trade.taker_side.value,
            "is_block_trade": False,
            "ts": trade.ts_ms // 1000,
            "ts_ms": trade.ts_ms,
        }
    )


# --- private channels -------------------------------------------------------------------------


def fill_body(fill: Fill) -> bytes:
    outcome = _outcome(fill.side)
    msg: dict[str, object] = {
        "trade_id": fill.trade_id,
        "order_id": fill.order_id,
        "market_ticker": fill.ticker,
        "exchange_index": 0,
        "is_taker": fill.is_taker,
        "side": outcome,
        "yes_price_dollars": price_text(fill.price),
        "count_fp": count_text(fill.count),
        "fee_cost": format_money(fill.fee),
        "action": "buy",
        "outcome_side": outcome,
        "book_side": fill.side.value,
        "ts": fill.ts_ms // 1000,
        "ts_ms": fill.ts_ms,
        "post_position_fp": count_text(fill.post_position),
        "purchased_side": outcome,
    }
    if fill.client_order_id is not None:
        msg["client_order_id"] = fill.client_order_id
    return orjson.dumps(msg)


def position_body(update: PositionUpdate) -> bytes:
    return orjson.dumps(
        {
            "user_id": update.account_id,
            "market_ticker": update.ticker,
            "position_fp": count_text(update.position),
            "position_cost_dollars": format_money(update.position_cost),
            "realized_pnl_dollars": format_money(update.realized_pnl),
            "fees_paid_dollars": format_money(update.fees_paid),
            "position_fee_cost_dollars": format_money(update.fees_paid),
            "volume_fp": count_text(update.volume),
        }
    )


def user_order_body(order: Order) -> bytes:
    outcome = _outcome(order.side)
    msg: dict[str, object] = {
        "order_id": order.order_id,
        "user_id": order.account_id,
        "ticker": order.ticker,
        "status": order.status.value,
        "side": outcome,
        "is_yes": outcome == "yes",
        "outcome_side": outcome,
        "book_side": order.side.value,
        "yes_price_dollars": price_text(order.price),
        "fill_count_fp": count_text(order.fill_count),
        "remaining_count_fp": count_text(order.remaining_count),
        "initial_count_fp": count_text(order.initial_count),
        "taker_fill_cost_dollars": format_money(order.taker_fill_cost),
        "maker_fill_cost_dollars": format_money(order.maker_fill_cost),
        "taker_fees_dollars": format_money(order.taker_fees),
        "maker_fees_dollars": format_money(order.maker_fees),
        "client_order_id": order.client_order_id or "",
        "self_trade_prevention_type": order.self_trade_prevention.value,
        "created_time": rfc3339_ms(order.created_ts_ms),
        "created_ts_ms": order.created_ts_ms,
        "last_update_time": rfc3339_ms(order.last_update_ts_ms),
        "last_updated_ts_ms": order.last_update_ts_ms,
        "subaccount_number": 0,
    }
    if order.expiration_ts is not None:
        msg["expiration_time"] = rfc3339_s(order.expiration_ts * 1000)
        msg["expiration_ts_ms"] = order.expiration_ts * 1000
    return orjson.dumps(msg)


# --- lifecycle --------------------------------------------------------------------------------


def _price_level_structure(market: Market) -> str:
    return "linear_cent" if market.price_ranges == LINEAR_CENT else "custom"


def _created_fields(market: Market, msg: dict[str, object]) -> None:
    msg["exchange_index"] = 0
    msg["open_ts"] = market.open_time
    msg["close_ts"] = market.close_time
    msg["price_level_structure"] = _price_level_structure(market)
    msg["price_ranges"] = [
        {"start": format_price(start), "end": format_price(end), "step": format_price(step)}
        for start, end, step in market.price_ranges
    ]
    metadata: dict[str, object] = {
        "name": market.title,
        "title": market.title,
        "yes_sub_title": market.yes_sub_title,
        "no_sub_title": market.no_sub_title,
        "rules_primary": market.rules_primary,
        "rules_secondary": "",
        "can_close_early": market.can_close_early,
        "event_ticker": market.event_ticker,
        "expected_expiration_ts": market.expected_expiration_time,
    }
    if market.strike_type:
        metadata["strike_type"] = market.strike_type
    # Strikes are numbers in Kalshi's lifecycle metadata; the engine keeps their text.
    for key, value in (("floor_strike", market.floor_strike), ("cap_strike", market.cap_strike)):
        if value is not None:
            metadata[key] = float(value) if "." in value else int(value)
    msg["additional_metadata"] = metadata


def lifecycle_body(event: MarketLifecycle) -> bytes:
    """Kalshi sends each optional key only with the event types it belongs to."""
    kind = event.event_type
    msg: dict[str, object] = {"market_ticker": event.ticker, "event_type": kind}
    if kind == "created" and event.market is not None:
        _created_fields(event.market, msg)
    elif kind == "close_date_updated" and event.close_ts is not None:
        msg["close_ts"] = event.close_ts
    elif kind == "determined":
        if event.result is not None:
            msg["result"] = event.result
        if event.determination_ts is not None:
            msg["determination_ts"] = event.determination_ts
        if event.settlement_value is not None:
            msg["settlement_value"] = format_price(event.settlement_value)
    elif kind == "settled" and event.settled_ts is not None:
        msg["settled_ts"] = event.settled_ts
    elif kind in ("activated", "deactivated"):
        msg["is_deactivated"] = kind == "deactivated"
    return orjson.dumps(msg)


def event_lifecycle_body(event: Event) -> bytes:
    return orjson.dumps(
        {
            "event_ticker": event.event_ticker,
            "exchange_index": 0,
            "title": event.title,
            "subtitle": event.sub_title,
            "collateral_return_type": "MECNET" if event.mutually_exclusive else "",
            "series_ticker": event.series_ticker,
        }
    )


__all__ = [
    "count_text",
    "delta_body",
    "envelope",
    "envelope_prefix",
    "event_lifecycle_body",
    "fill_body",
    "levels_fp",
    "lifecycle_body",
    "market_id",
    "position_body",
    "price_text",
    "rfc3339_ms",
    "snapshot_body",
    "ticker_body",
    "trade_body",
    "user_order_body",
]
