"""Public market-data endpoints: exchange status, markets, orderbooks, trades, events, series.

These work unsigned, like Kalshi's. Every list is cursor-paginated with Kalshi's limits.
"""

from __future__ import annotations

from typing import Final

from aiohttp import web

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.engine.types import Market, MarketStatus
from kalshiflow.exchange_sim.server import errors, serialize
from kalshiflow.exchange_sim.server.context import sim_context
from kalshiflow.exchange_sim.server.rest_common import (
    paginate,
    query_bool,
    query_int,
    query_limit,
    query_list,
    seconds_to_ms,
)

MAX_MARKETS_LIMIT: Final = 1000
MAX_TRADES_LIMIT: Final = 1000
MAX_EVENTS_LIMIT: Final = 200
MAX_ORDERBOOK_DEPTH: Final = 100
MAX_BATCH_ORDERBOOKS: Final = 100

# The query vocabulary differs from the response vocabulary (``active`` is rejected).
STATUS_FILTERS: Final[dict[str, frozenset[MarketStatus]]] = {
    "unopened": frozenset({MarketStatus.INITIALIZED}),
    "open": frozenset({MarketStatus.ACTIVE}),
    "paused": frozenset(),  # the simulator never pauses a market
    "closed": frozenset({MarketStatus.CLOSED, MarketStatus.DETERMINED}),
    "settled": frozenset({MarketStatus.FINALIZED}),
}


def _status_filter(request: web.Request, operation: str) -> frozenset[MarketStatus] | None:
    raw = request.query.get("status")
    if not raw:
        return None
    statuses: set[MarketStatus] = set()
    for part in raw.split(","):
        try:
            statuses |= STATUS_FILTERS[part]
        except KeyError:
            allowed = ", ".join(STATUS_FILTERS)
            raise errors.bare_validation(
                operation, f"status must be one of {allowed}, got {part!r}"
            ) from None
    return frozenset(statuses)


def market_with_quotes(exchange: Exchange, market: Market) -> serialize.JsonObject:
    yes, no = exchange.orderbook(market.ticker, depth=1)
    return serialize.market_json(market, yes, no)


async def exchange_status(request: web.Request) -> web.Response:
    return web.json_response(
        {
            "exchange_active": True,
            "trading_active": True,
            "exchange_estimated_resume_time": None,
        }
    )


async def get_markets(request: web.Request) -> web.Response:
    op = "GetMarkets"
    exchange = sim_context(request).exchange
    limit = query_limit(request, op, MAX_MARKETS_LIMIT)
    statuses = _status_filter(request, op)
    min_close = query_int(request, "min_close_ts", op)
    max_close = query_int(request, "max_close_ts", op)
    mve_filter = request.query.get("mve_filter", "")
    if mve_filter not in ("", "only", "exclude"):
        raise errors.bare_validation(op, f"mve_filter must be only or exclude, got {mve_filter!r}")
    tickers = set(query_list(request, "tickers"))
    # One event ticker today; a comma list (up to 10) was accepted in 2025 and still is here.
    event_tickers = query_list(request, "event_ticker")
    markets = exchange.markets(
        event_ticker=event_tickers[0] if len(event_tickers) == 1 else None,
        series_ticker=request.query.get("series_ticker") or None,
    )
    wanted_events = set(event_tickers) if len(event_tickers) > 1 else None
    selected = [
        m
        for m in markets
        if (statuses is None or m.status in statuses)
        and (not tickers or m.ticker in tickers)
        and (wanted_events is None or m.event_ticker in wanted_events)
        and (min_close is None or m.close_time >= min_close)
        and (max_close is None or m.close_time <= max_close)
        # The simulator lists no multivariate (combo) markets.
        and mve_filter != "only"
    ]
    page, cursor = paginate(selected, lambda m: m.ticker, limit, request.query.get("cursor"))
    return web.json_response(
        {"markets": [market_with_quotes(exchange, m) for m in page], "cursor": cursor}
    )


async def get_market(request: web.Request) -> web.Response:
    exchange = sim_context(request).exchange
    market = exchange.market(request.match_info["ticker"])
    return web.json_response({"market": market_with_quotes(exchange, market)})


def _depth(request: web.Request, op: str) -> int:
    depth = query_int(request, "depth", op) or 0
    if not 0 <= depth <= MAX_ORDERBOOK_DEPTH:
        raise errors.bare_validation(
            op, f"depth must be between 0 and {MAX_ORDERBOOK_DEPTH}, got {depth}"
        )
    return depth


async def get_orderbook(request: web.Request) -> web.Response:
    op = "GetMarketOrderbook"
    depth = _depth(request, op)
    yes, no = sim_context(request).exchange.orderbook(request.match_info["ticker"], depth)
    return web.json_response({"orderbook_fp": serialize.orderbook_fp_json(yes, no)})


async def get_orderbooks(request: web.Request) -> web.Response:
    op = "GetMarketOrderbooks"
    tickers = query_list(request, "tickers")
    if not 1 <= len(tickers) <= MAX_BATCH_ORDERBOOKS:
        raise errors.bare_validation(
            op, f"tickers must name 1 to {MAX_BATCH_ORDERBOOKS} markets, got {len(tickers)}"
        )
    depth = _depth(request, op)
    exchange = sim_context(request).exchange
    books = []
    for ticker in tickers:
        yes, no = exchange.orderbook(ticker, depth)
        book = serialize.orderbook_fp_json(yes, no)
        # The batch schema marks both sides required, so an empty side is [] here.
        book.setdefault("yes_dollars", [])
        book.setdefault("no_dollars", [])
        books.append({"ticker": ticker, "orderbook_fp": book})
    return web.json_response({"orderbooks": books})


async def get_trades(request: web.Request) -> web.Response:
    op = "GetTrades"
    limit = query_limit(request, op, MAX_TRADES_LIMIT)
    trades = sim_context(request).exchange.trades(
        request.query.get("ticker") or None,
        min_ts_ms=seconds_to_ms(query_int(request, "min_ts", op)),
        max_ts_ms=seconds_to_ms(query_int(request, "max_ts", op)),
    )
    if query_bool(request, "is_block_trade", op):
        trades = []  # no block trades in the simulator
    page, cursor = paginate(trades, lambda t: t.trade_id, limit, request.query.get("cursor"))
    return web.json_response({"trades": [serialize.trade_json(t) for t in page], "cursor": cursor})


def _event_payload(
    exchange: Exchange, event_ticker: str, markets: list[Market], nested: bool
) -> serialize.JsonObject:
    event = exchange.event(event_ticker)
    updated = max((m.updated_ts_ms for m in markets), default=exchange.now_ms())
    body = serialize.event_json(event, updated)
    if nested:
        body["markets"] = [market_with_quotes(exchange, m) for m in markets]
    return body


async def get_events(request: web.Request) -> web.Response:
    op = "GetEvents"
    exchange = sim_context(request).exchange
    limit = query_limit(request, op, MAX_EVENTS_LIMIT, default=MAX_EVENTS_LIMIT)
    statuses = _status_filter(request, op)
    nested = query_bool(request, "with_nested_markets", op)
    min_close = query_int(request, "min_close_ts", op)
    wanted = set(query_list(request, "tickers"))
    series_ticker = request.query.get("series_ticker") or None
    by_event: dict[str, list[Market]] = {}
    for market in exchange.markets(series_ticker=series_ticker):
        by_event.setdefault(market.event_ticker, []).append(market)
    selected: list[str] = []
    for event in exchange.events(series_ticker):
        markets = by_event.get(event.event_ticker, [])
        if wanted and event.event_ticker not in wanted:
            continue
        if statuses is not None and not any(m.status in statuses for m in markets):
            continue
        if min_close is not None and not any(m.close_time >= min_close for m in markets):
            continue
        selected.append(event.event_ticker)
    page, cursor = paginate(selected, lambda e: e, limit, request.query.get("cursor"))
    events = [_event_payload(exchange, e, by_event.get(e, []), nested) for e in page]
    return web.json_response({"events": events, "cursor": cursor, "milestones": []})


async def get_event(request: web.Request) -> web.Response:
    op = "GetEvent"
    exchange = sim_context(request).exchange
    event_ticker = request.match_info["event_ticker"]
    nested = query_bool(request, "with_nested_markets", op)
    exchange.event(event_ticker)  # 404 before listing markets
    markets = exchange.markets(event_ticker=event_ticker)
    event = _event_payload(exchange, event_ticker, markets, nested)
    return web.json_response(
        {"event": event, "markets": [market_with_quotes(exchange, m) for m in markets]}
    )


async def get_series(request: web.Request) -> web.Response:
    series = sim_context(request).exchange.series(request.match_info["series_ticker"])
    return web.json_response({"series": serialize.series_json(series)})


async def get_series_list(request: web.Request) -> web.Response:
    category = request.query.get("category") or None
    series = [
        serialize.series_json(s)
        for s in sim_context(request).exchange.series_list()
        if category is None or s.category == category
    ]
    return web.json_response({"series": series})


def register(app: web.Application, prefix: str) -> None:
    # Fixed paths before ``/markets/{ticker}`` so "trades" is never read as a ticker.
    app.router.add_get(f"{prefix}/exchange/status", exchange_status)
    app.router.add_get(f"{prefix}/markets", get_markets)
    app.router.add_get(f"{prefix}/markets/trades", get_trades)
    app.router.add_get(f"{prefix}/markets/orderbooks", get_orderbooks)
    app.router.add_get(f"{prefix}/markets/{{ticker}}", get_market)
    app.router.add_get(f"{prefix}/markets/{{ticker}}/orderbook", get_orderbook)
    app.router.add_get(f"{prefix}/events", get_events)
    app.router.add_get(f"{prefix}/events/{{event_ticker}}", get_event)
    app.router.add_get(f"{prefix}/series", get_series_list)
    app.router.add_get(f"{prefix}/series/{{series_ticker}}", get_series)
