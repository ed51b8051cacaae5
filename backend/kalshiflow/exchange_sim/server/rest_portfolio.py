"""Signed account reads: balance, positions, orders, fills, settlements, rate limits.

The auth middleware has already verified the signature; handlers read the caller's account
from the request and only ever show that account's data.
"""

from __future__ import annotations

from typing import Final

from aiohttp import web

from kalshiflow.exchange_sim.engine.types import OrderStatus
from kalshiflow.exchange_sim.server import errors, serialize
from kalshiflow.exchange_sim.server.context import account_id, sim_context
from kalshiflow.exchange_sim.server.rest_common import (
    paginate,
    query_int,
    query_limit,
    query_list,
    seconds_to_ms,
)
from kalshiflow.kalshi.fixedpoint import Money

MAX_PORTFOLIO_LIMIT: Final = 1000
MAX_EVENT_TICKERS: Final = 10


async def get_balance(request: web.Request) -> web.Response:
    ctx = sim_context(request)
    view = ctx.exchange.balance_view(account_id(request))
    return web.json_response(serialize.balance_json(view, ctx.clock_ms()))


async def get_positions(request: web.Request) -> web.Response:
    op = "GetPositions"
    limit = query_limit(request, op, MAX_PORTFOLIO_LIMIT)
    ticker = request.query.get("ticker") or None
    event_tickers = set(query_list(request, "event_ticker"))
    count_filter = set(query_list(request, "count_filter"))
    unknown = count_filter - {"position", "total_traded"}
    if unknown:
        raise errors.bare_validation(
            op, f"count_filter accepts position and total_traded, got {sorted(unknown)}"
        )
    ctx = sim_context(request)
    account = account_id(request)
    views = [
        v
        for v in ctx.exchange.positions(account)
        if (ticker is None or v.ticker == ticker)
        and (not event_tickers or v.event_ticker in event_tickers)
        and ("position" not in count_filter or v.position != 0)
        and ("total_traded" not in count_filter or v.volume != 0)
    ]
    views.sort(key=lambda v: v.ticker)
    page, cursor = paginate(views, lambda v: v.ticker, limit, request.query.get("cursor"))
    traded = serialize.traded_by_ticker(ctx.exchange.fills(account))
    now = ctx.clock_ms()
    return web.json_response(
        {
            "market_positions": [
                serialize.market_position_json(v, traded.get(v.ticker, Money(0)), now) for v in page
            ],
            "event_positions": serialize.event_positions_json(page),
            "cursor": cursor,
        }
    )


def _order_status(request: web.Request, op: str) -> OrderStatus | None:
    raw = request.query.get("status")
    if not raw:
        return None
    try:
        return OrderStatus(raw)
    except ValueError:
        raise errors.bare_validation(
            op, f"status must be resting, canceled or executed, got {raw!r}"
        ) from None


async def get_orders(request: web.Request) -> web.Response:
    op = "GetOrders"
    limit = query_limit(request, op, MAX_PORTFOLIO_LIMIT)
    event_tickers = query_list(request, "event_ticker")
    if len(event_tickers) > MAX_EVENT_TICKERS:
        raise errors.bare_validation(
            op, f"event_ticker accepts at most {MAX_EVENT_TICKERS} tickers"
        )
    tickers = query_list(request, "ticker")
    status = _order_status(request, op)
    min_ts = seconds_to_ms(query_int(request, "min_ts", op))
    max_ts = seconds_to_ms(query_int(request, "max_ts", op))
    exchange = sim_context(request).exchange
    orders = exchange.orders(
        account_id(request),
        ticker=tickers[0] if len(tickers) == 1 else None,
        event_ticker=event_tickers[0] if len(event_tickers) == 1 else None,
        status=status,
        min_ts_ms=min_ts,
        max_ts_ms=max_ts,
    )
    if len(tickers) > 1:
        orders = [o for o in orders if o.ticker in tickers]
    if len(event_tickers) > 1:
        wanted = set(event_tickers)
        events = {m.ticker: m.event_ticker for m in exchange.markets()}
        orders = [o for o in orders if events.get(o.ticker) in wanted]
    page, cursor = paginate(orders, lambda o: o.order_id, limit, request.query.get("cursor"))
    return web.json_response({"orders": [serialize.order_json(o) for o in page], "cursor": cursor})


async def get_order(request: web.Request) -> web.Response:
    order = sim_context(request).exchange.order(account_id(request), request.match_info["order_id"])
    return web.json_response({"order": serialize.order_json(order)})


async def get_fills(request: web.Request) -> web.Response:
    op = "GetFills"
    limit = query_limit(request, op, MAX_PORTFOLIO_LIMIT)
    fills = sim_context(request).exchange.fills(
        account_id(request),
        ticker=request.query.get("ticker") or None,
        order_id=request.query.get("order_id") or None,
        min_ts_ms=seconds_to_ms(query_int(request, "min_ts", op)),
        max_ts_ms=seconds_to_ms(query_int(request, "max_ts", op)),
    )
    page, cursor = paginate(fills, lambda f: f.fill_id, limit, request.query.get("cursor"))
    return web.json_response({"fills": [serialize.fill_json(f) for f in page], "cursor": cursor})


async def get_settlements(request: web.Request) -> web.Response:
    op = "GetSettlements"
    limit = query_limit(request, op, MAX_PORTFOLIO_LIMIT)
    ticker = request.query.get("ticker") or None
    event_ticker = request.query.get("event_ticker") or None
    min_ts = seconds_to_ms(query_int(request, "min_ts", op))
    max_ts = seconds_to_ms(query_int(request, "max_ts", op))
    settlements = [
        s
        for s in sim_context(request).exchange.settlements(account_id(request))
        if (ticker is None or s.ticker == ticker)
        and (event_ticker is None or s.event_ticker == event_ticker)
        and (min_ts is None or s.settled_time_ms >= min_ts)
        and (max_ts is None or s.settled_time_ms <= max_ts)
    ]
    page, cursor = paginate(settlements, lambda s: s.ticker, limit, request.query.get("cursor"))
    return web.json_response(
        {"settlements": [serialize.settlement_json(s) for s in page], "cursor": cursor}
    )


async def get_limits(request: web.Request) -> web.Response:
    return web.json_response(sim_context(request).limiter.limits_body())


def register(app: web.Application, prefix: str) -> None:
    app.router.add_get(f"{prefix}/portfolio/balance", get_balance)
    app.router.add_get(f"{prefix}/portfolio/positions", get_positions)
    app.router.add_get(f"{prefix}/portfolio/orders", get_orders)
    app.router.add_get(f"{prefix}/portfolio/orders/{{order_id}}", get_order)
    app.router.add_get(f"{prefix}/portfolio/fills", get_fills)
    app.router.add_get(f"{prefix}/portfolio/settlements", get_settlements)
    app.router.add_get(f"{prefix}/account/limits", get_limits)
