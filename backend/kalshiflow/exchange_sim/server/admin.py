"""The simulator's admin API under ``/_sim/admin``: for tests, demos and chaos drills.

Loopback peers only (403 otherwise), unsigned, JSON in and out. It funds accounts, drives
market lifecycles, sets participant activity and arms faults (see ``faults.py``).

Routes (all relative to ``/_sim/admin``):

=======  ===================================  =============================================
GET      /status                              environment name, activity, armed faults
POST     /accounts/{account_id}/fund          ``{"amount_dollars": "100.00"}`` (creates it)
GET      /accounts/{account_id}               balance view of any account
POST     /markets                             create: ``ticker, event_ticker`` [+ series_ticker,
                                              title, open_time, close_time, price_ranges]
POST     /markets/{ticker}/open|close|settle  lifecycle steps
POST     /markets/{ticker}/determine          ``{"result": "yes"|"no"}``
POST     /activity                            ``{"rate": steps_per_second}``
GET      /faults                              armed faults
DELETE   /faults                              disarm everything
POST     /faults/rest                         ``{"status": 503, "count": 3}``
POST     /faults/rest_latency                 ``{"seconds": 0.2, "duration_s": 10}``
POST     /faults/rest_lost_reply              ``{"seconds": 2, "count": 1}`` handle, answer late
POST     /faults/ws/drop                      drop every WebSocket now -> ``{"dropped": n}``
POST     /faults/ws/refuse                    ``{"status": 502|503, "seconds": 5}``
POST     /faults/ws/skip_seq                  ``{"count": 1}``
POST     /faults/ws/delay                     ``{"seconds": 0.5, "duration_s": 10}``
=======  ===================================  =============================================
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import web

from kalshiflow.exchange_sim.engine.types import (
    Event,
    ExchangeError,
    MarketSpec,
    PriceRange,
    Series,
)
from kalshiflow.exchange_sim.server import errors
from kalshiflow.exchange_sim.server.context import sim_context
from kalshiflow.exchange_sim.server.serialize import balance_json, price_ranges_json
from kalshiflow.kalshi.fixedpoint import FixedPointError, parse_money, parse_price

ADMIN_PREFIX: Final = "/_sim/admin"
_DEFAULT_MARKET_LIFETIME_S: Final = 7 * 24 * 3600

JsonObject = dict[str, object]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(remote: str | None) -> bool:
    if not remote:
        return False
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _bad(problem: str) -> errors.ApiError:
    return errors.nested(400, "invalid_parameters", "invalid parameters", problem)


async def _body(request: web.Request) -> JsonObject:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise _bad("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise _bad("the body must be a JSON object")
    return body


def _number(body: JsonObject, name: str, default: float | None = None) -> float:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(f"{name} must be a number")
    return float(value)


def _int(body: JsonObject, name: str, default: int | None = None) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(f"{name} must be an integer")
    return value


def _str(body: JsonObject, name: str, default: str | None = None) -> str:
    value = body.get(name, default)
    if not isinstance(value, str) or not value:
        raise _bad(f"{name} must be a non-empty string")
    return value


def _market_json(request: web.Request, ticker: str) -> web.Response:
    market = sim_context(request).exchange.market(ticker)
    return web.json_response(
        {
            "ticker": market.ticker,
            "event_ticker": market.event_ticker,
            "status": market.status.value,
            "result": market.result or "",
        }
    )


# --- handlers -----------------------------------------------------------------------------


async def status(request: web.Request) -> web.Response:
    ctx = sim_context(request)
    return web.json_response(
        {
            "environment": ctx.name,
            "activity_rate": ctx.activity.rate if ctx.activity is not None else None,
            "markets": len(ctx.exchange.markets()),
            "faults": ctx.faults.snapshot(),
        }
    )


async def fund(request: web.Request) -> web.Response:
    ctx = sim_context(request)
    body = await _body(request)
    account = request.match_info["account_id"]
    try:
        amount = parse_money(_str(body, "amount_dollars"))
    except FixedPointError as exc:
        raise _bad(f"amount_dollars: {exc}") from None
    if not ctx.exchange.has_account(account):
        ctx.exchange.create_account(account)
    ctx.exchange.fund(account, amount)
    view = ctx.exchange.balance_view(account)
    return web.json_response({"account_id": account, **balance_json(view, ctx.clock_ms())})


async def account(request: web.Request) -> web.Response:
    ctx = sim_context(request)
    account_id = request.match_info["account_id"]
    if not ctx.exchange.has_account(account_id):
        raise errors.not_found(f"no account {account_id!r}")
    view = ctx.exchange.balance_view(account_id)
    return web.json_response({"account_id": account_id, **balance_json(view, ctx.clock_ms())})


def _price_ranges(body: JsonObject) -> tuple[PriceRange, ...] | None:
    raw = body.get("price_ranges")
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise _bad("price_ranges must be a non-empty list of {start, end, step}")
    ranges: list[PriceRange] = []
    try:
        for item in raw:
            if not isinstance(item, dict):
                raise _bad("price_ranges items must be objects")
            ranges.append(
                (parse_price(item["start"]), parse_price(item["end"]), parse_price(item["step"]))
            )
    except (KeyError, FixedPointError) as exc:
        raise _bad(f"price_ranges: {exc}") from None
    return tuple(ranges)


async def create_market(request: web.Request) -> web.Response:
    ctx = sim_context(request)
    exchange = ctx.exchange
    body = await _body(request)
    ticker = _str(body, "ticker")
    event_ticker = _str(body, "event_ticker")
    series_ticker = _str(body, "series_ticker", event_ticker.split("-", 1)[0])
    now_s = ctx.clock_ms() // 1000
    try:
        exchange.series(series_ticker)
    except ExchangeError:
        exchange.add_series(Series(ticker=series_ticker, title=series_ticker))
    try:
        exchange.event(event_ticker)
    except ExchangeError:
        exchange.add_event(
            Event(event_ticker=event_ticker, series_ticker=series_ticker, title=event_ticker)
        )
    spec_kwargs: dict[str, object] = {}
    ranges = _price_ranges(body)
    if ranges is not None:
        spec_kwargs["price_ranges"] = ranges
    market = exchange.add_market(
        MarketSpec(
            ticker=ticker,
            event_ticker=event_ticker,
            title=_str(body, "title", ticker),
            open_time=_int(body, "open_time", now_s - 1),
            close_time=_int(body, "close_time", now_s + _DEFAULT_MARKET_LIFETIME_S),
            yes_sub_title=str(body.get("yes_sub_title", "")),
            **spec_kwargs,  # type: ignore[arg-type]
        )
    )
    return web.json_response(
        {
            "ticker": market.ticker,
            "event_ticker": market.event_ticker,
            "status": market.status.value,
            "price_ranges": price_ranges_json(market.price_ranges),
        },
        status=201,
    )


async def market_step(request: web.Request) -> web.Response:
    exchange = sim_context(request).exchange
    ticker = request.match_info["ticker"]
    step = request.match_info["step"]
    if step == "open":
        exchange.open_market(ticker)
    elif step == "close":
        exchange.close_market(ticker)
    elif step == "settle":
        exchange.settle_market(ticker)
    elif step == "determine":
        result = _str(await _body(request), "result")
        if result not in ("yes", "no"):
            raise _bad(f"result must be yes or no, got {result!r}")
        exchange.determine_market(ticker, "yes" if result == "yes" else "no")
    else:
        raise errors.not_found(f"unknown market step {step!r}")
    return _market_json(request, ticker)


async def set_activity(request: web.Request) -> web.Response:
    ctx = sim_context(request)
    if ctx.activity is None:
        raise errors.nested(409, "no_participants", "this environment has no participants")
    rate = _number(await _body(request), "rate")
    if rate < 0:
        raise _bad("rate must be >= 0 (0 pauses the participants)")
    ctx.activity.set_rate(rate)
    return web.json_response({"activity_rate": ctx.activity.rate})


async def get_faults(request: web.Request) -> web.Response:
    return web.json_response(sim_context(request).faults.snapshot())


async def clear_faults(request: web.Request) -> web.Response:
    faults = sim_context(request).faults
    faults.clear()
    return web.json_response(faults.snapshot())


def _optional_number(body: JsonObject, name: str) -> float | None:
    return None if body.get(name) is None else _number(body, name)


async def fault_rest(request: web.Request) -> web.Response:
    faults = sim_context(request).faults
    body = await _body(request)
    try:
        faults.fail_rest(_int(body, "status"), _int(body, "count", 1))
    except ValueError as exc:
        raise _bad(str(exc)) from None
    return web.json_response(faults.snapshot())


async def fault_rest_latency(request: web.Request) -> web.Response:
    faults = sim_context(request).faults
    body = await _body(request)
    try:
        faults.set_rest_latency(_number(body, "seconds"), _optional_number(body, "duration_s"))
    except ValueError as exc:
        raise _bad(str(exc)) from None
    return web.json_response(faults.snapshot())


async def fault_rest_lost_reply(request: web.Request) -> web.Response:
    faults = sim_context(request).faults
    body = await _body(request)
    try:
        count = _optional_number(body, "count")
        faults.lose_rest_replies(_number(body, "seconds"), 1 if count is None else int(count))
    except ValueError as exc:
        raise _bad(str(exc)) from None
    return web.json_response(faults.snapshot())


async def fault_ws(request: web.Request) -> web.Response:
    faults = sim_context(request).faults
    kind = request.match_info["kind"]
    body = await _body(request)
    try:
        if kind == "drop":
            return web.json_response({"dropped": faults.drop_all_ws()})
        if kind == "refuse":
            faults.refuse_ws_upgrades(_int(body, "status", 503), _number(body, "seconds"))
        elif kind == "skip_seq":
            faults.skip_seq(_int(body, "count", 1))
        elif kind == "delay":
            faults.delay_ws_messages(_number(body, "seconds"), _optional_number(body, "duration_s"))
        else:
            raise errors.not_found(f"unknown WebSocket fault {kind!r}")
    except ValueError as exc:
        raise _bad(str(exc)) from None
    return web.json_response(faults.snapshot())


@web.middleware
async def loopback_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse admin calls from anything but this machine: the admin API is unauthenticated."""
    if request.path.startswith(ADMIN_PREFIX) and not is_loopback(request.remote):
        raise errors.nested(403, "forbidden", "the simulator admin API is loopback-only")
    return await handler(request)


def register(app: web.Application) -> None:
    p = ADMIN_PREFIX
    app.router.add_get(f"{p}/status", status)
    app.router.add_post(f"{p}/accounts/{{account_id}}/fund", fund)
    app.router.add_get(f"{p}/accounts/{{account_id}}", account)
    app.router.add_post(f"{p}/markets", create_market)
    app.router.add_post(f"{p}/markets/{{ticker}}/{{step}}", market_step)
    app.router.add_post(f"{p}/activity", set_activity)
    app.router.add_get(f"{p}/faults", get_faults)
    app.router.add_delete(f"{p}/faults", clear_faults)
    app.router.add_post(f"{p}/faults/rest", fault_rest)
    app.router.add_post(f"{p}/faults/rest_latency", fault_rest_latency)
    app.router.add_post(f"{p}/faults/rest_lost_reply", fault_rest_lost_reply)
    app.router.add_post(f"{p}/faults/ws/{{kind}}", fault_ws)


__all__ = ["ADMIN_PREFIX", "is_loopback", "loopback_only", "register"]
