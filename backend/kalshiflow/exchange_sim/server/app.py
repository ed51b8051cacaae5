"""The aiohttp application of one simulated environment: REST, WebSocket and admin routes.

Request pipeline (outermost first), each a middleware with one job:

1. errors   -- turns ``ApiError`` / ``AuthError`` / engine ``ExchangeError`` into Kalshi bodies
   (admin)  -- ``/_sim/admin`` answers loopback peers only
2. faults   -- injected REST latency and forced 5xx/429 answers (admin-armed)
3. auth     -- portfolio and account calls must carry a valid Kalshi signature
4. limits   -- per-key token buckets (read / write), 429 when a request does not fit
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import web
from aiohttp.typedefs import Middleware

from kalshiflow.exchange_sim.engine.types import ExchangeError
from kalshiflow.exchange_sim.server import admin, errors, rest_market, rest_orders, rest_portfolio
from kalshiflow.exchange_sim.server.auth import AuthError, authenticate
from kalshiflow.exchange_sim.server.context import ACCOUNT_ID, KEY_ID, SIM_CONTEXT, SimContext
from kalshiflow.exchange_sim.server.ratelimit import (
    CANCEL_COST,
    DEFAULT_COST,
    GET_ORDER_COST,
    Bucket,
)

log = logging.getLogger(__name__)

API_PREFIX: Final = "/trade-api/v2"
WS_PATH: Final = "/trade-api/ws/v2"
_SIGNED_PREFIXES: Final = (f"{API_PREFIX}/portfolio", f"{API_PREFIX}/account")
_V2_ORDERS: Final = f"{API_PREFIX}/portfolio/events/orders"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except errors.ApiError as exc:
        return exc.response()
    except AuthError as exc:
        return web.json_response(exc.body, status=exc.status)
    except ExchangeError as exc:
        return errors.from_exchange_error(exc).response()
    except web.HTTPException as exc:
        if exc.status >= 400 and request.path.startswith(API_PREFIX + "/"):
            # Unknown route or method: answer in Kalshi's JSON error shape, not aiohttp's text.
            code = "not_found" if exc.status == 404 else "bad_request"
            return errors.nested(exc.status, code, exc.reason.lower()).response()
        raise
    except asyncio.CancelledError:
        raise
    except Exception:
        # A bug in the simulator: answer like Kalshi's 500 so clients exercise that path.
        log.exception("unhandled error in %s %s", request.method, request.path)
        return errors.for_status(500).response()


@web.middleware
async def fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX + "/"):
        return await handler(request)
    faults = request.app[SIM_CONTEXT].faults
    latency = faults.rest_latency_s()
    if latency > 0:
        await asyncio.sleep(latency)
    status = faults.take_rest_failure()
    if status is not None:
        raise errors.for_status(status)
    lost_reply_delay = faults.take_lost_reply_delay()
    response = await handler(request)
    if lost_reply_delay > 0:
        # The work is done (an order may now exist); only the answer is late.
        await asyncio.sleep(lost_reply_delay)
    return response


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(_SIGNED_PREFIXES):
        ctx = request.app[SIM_CONTEXT]
        account_id = authenticate(
            ctx.keys, request.headers, request.method, request.path, ctx.clock_ms()
        )
        request[ACCOUNT_ID] = account_id
        request[KEY_ID] = request.headers["KALSHI-ACCESS-KEY"]
    return await handler(request)


async def _batch_size(request: web.Request) -> int:
    """Items in a batched write body (1 if unreadable: the handler reports the bad body)."""
    try:
        body = await request.json()
    except ValueError:
        return 1
    items = body.get("orders", body.get("ids")) if isinstance(body, dict) else None
    return max(1, len(items)) if isinstance(items, list) else 1


async def request_cost(request: web.Request) -> tuple[Bucket, int]:
    """Which bucket a request draws from and how many tokens it costs (Kalshi's table)."""
    path, method = request.path, request.method
    if method == "GET":
        if path.startswith(f"{API_PREFIX}/portfolio/orders/") and "batched" not in path:
            return Bucket.READ, GET_ORDER_COST
        return Bucket.READ, DEFAULT_COST
    if not path.startswith(f"{API_PREFIX}/portfolio"):
        return Bucket.READ, DEFAULT_COST
    if path.startswith(_V2_ORDERS):
        if path.endswith("/batched"):
            unit = CANCEL_COST if method == "DELETE" else DEFAULT_COST
            return Bucket.WRITE, unit * await _batch_size(request)
        if method == "DELETE":
            return Bucket.WRITE, CANCEL_COST
    return Bucket.WRITE, DEFAULT_COST


@web.middleware
async def ratelimit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX + "/"):
        return await handler(request)
    limiter = request.app[SIM_CONTEXT].limiter
    if limiter.enabled:
        client = request.get(KEY_ID) or f"addr:{request.remote}"
        bucket, cost = await request_cost(request)
        if not limiter.try_acquire(client, bucket, cost):
            raise errors.too_many_requests()
    return await handler(request)


def _add_ws_route(app: web.Application) -> None:
    """Mount SIM-WS's handler (``server/ws.py``) if that module is present."""
    try:
        ws = importlib.import_module("kalshiflow.exchange_sim.server.ws")
    except ModuleNotFoundError as exc:
        if exc.name != "kalshiflow.exchange_sim.server.ws":
            raise
        log.warning("WebSocket server module not available; %s is not served", WS_PATH)
        return
    setup_ws = getattr(ws, "setup_ws", None)
    if setup_ws is not None:
        # Creates the environment's fan-out hub now (it subscribes to the engine) and mounts.
        setup_ws(app)
    else:
        app.router.add_get(WS_PATH, ws.handle_ws)


def build_app(ctx: SimContext, *, with_admin: bool = True) -> web.Application:
    """The application serving one environment (REST, WebSocket and, by default, admin)."""
    middlewares: list[Middleware] = [error_middleware]
    if with_admin:
        middlewares.append(admin.loopback_only)
    middlewares += [fault_middleware, auth_middleware, ratelimit_middleware]
    app = web.Application(middlewares=middlewares, client_max_size=1024 * 1024)
    app[SIM_CONTEXT] = ctx
    rest_market.register(app, API_PREFIX)
    rest_portfolio.register(app, API_PREFIX)
    rest_orders.register(app, API_PREFIX)
    _add_ws_route(app)
    if with_admin:
        admin.register(app)
    return app
