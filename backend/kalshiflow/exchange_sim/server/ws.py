"""Kalshi's WebSocket endpoint ``GET /trade-api/ws/v2`` for one simulated environment.

The handler does what Kalshi's edge does before any command is read:

1. a fault-injected outage answers the upgrade with 502/503 (like a load balancer would);
2. the upgrade must be signed (``timestamp + "GET" + "/trade-api/ws/v2"``); failures get
   Kalshi's HTTP 401 bodies and no upgrade;
3. after the upgrade, one task reads commands, one writes queued frames, one pings every
   ``ping_interval_s`` with payload ``heartbeat``.

The fan-out itself (subscriptions, seq, snapshots, slow-client protection) lives in
``ws_fanout``; message shapes in ``ws_channels``; command parsing in ``ws_protocol``.

Dependencies come from the app: ``app[SIM_CONTEXT]`` (exchange, key registry, faults, clock)
and, optionally, ``app[WS_HUB]`` / ``app[WS_CONFIG]``. Call :func:`setup_ws` when building the
app to create the hub eagerly; otherwise the first upgrade creates one per app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Callable
from typing import Final

from aiohttp import WSCloseCode, WSMsgType, web

from kalshiflow.exchange_sim.server.auth import AuthError, authenticate, has_signature_headers
from kalshiflow.exchange_sim.server.context import SIM_CONTEXT
from kalshiflow.exchange_sim.server.ws_fanout import Connection, WsConfig, WsHub
from kalshiflow.exchange_sim.server.ws_protocol import CommandError, ErrorCode, encode_error

log = logging.getLogger(__name__)

WS_PATH: Final = "/trade-api/ws/v2"
WS_HUB = web.AppKey("kalshiflow_ws_hub", WsHub)
WS_CONFIG = web.AppKey("kalshiflow_ws_config", WsConfig)
# Open sockets of apps built with setup_ws, closed with 1001 when the app shuts down.
WS_SOCKETS = web.AppKey("kalshiflow_ws_sockets", set[web.WebSocketResponse])
HEARTBEAT_PAYLOAD: Final = b"heartbeat"
OVERFLOW_REASON: Final = b"Subscription buffer overflow (error 25): reconnect and resubscribe"

TRANSPORT_HIGH_WATER: Final = 1024 * 1024


def text_frames(payloads: list[bytes]) -> bytes:
    """Unmasked final TEXT frames (RFC 6455 server-to-client), concatenated.

    The writer task frames batches itself so a batch is one socket write; aiohttp's own
    writer issues one write per frame. Control frames (ping, close) still go through aiohttp;
    every write is a whole frame, so the two never interleave inside a frame.
    """
    parts: list[bytes] = []
    for payload in payloads:
        size = len(payload)
        if size < 126:
            parts.append(bytes((0x81, size)))
        elif size < 65_536:
            parts.append(b"\x81\x7e" + size.to_bytes(2, "big"))
        else:
            parts.append(b"\x81\x7f" + size.to_bytes(8, "big"))
        parts.append(payload)
    return b"".join(parts)


# Hubs created on first use for apps built without setup_ws (weak: they die with the app).
_lazy_hubs: weakref.WeakKeyDictionary[web.Application, WsHub] = weakref.WeakKeyDictionary()


def setup_ws(app: web.Application, config: WsConfig | None = None, *, route: bool = True) -> WsHub:
    """Create the app's hub now (``app[SIM_CONTEXT]`` must be set) and mount the route."""
    ctx = app[SIM_CONTEXT]
    cfg = config if config is not None else app.get(WS_CONFIG, WsConfig())
    hub = WsHub(ctx.exchange, ctx.faults, cfg)
    app[WS_HUB] = hub
    if route:
        app.router.add_get(WS_PATH, handle_ws)

    sockets: set[web.WebSocketResponse] = set()
    app[WS_SOCKETS] = sockets

    async def _going_away(_: web.Application) -> None:
        # aiohttp waits for open handlers on shutdown; a WebSocket never ends by itself.
        for ws in list(sockets):
            with contextlib.suppress(Exception):
                async with asyncio.timeout(1):
                    await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")

    async def _close_hub(_: web.Application) -> None:
        hub.close()

    app.on_shutdown.append(_going_away)
    app.on_cleanup.append(_close_hub)
    return hub


def hub_for(app: web.Application) -> WsHub:
    """The app's hub: the one from :func:`setup_ws`, else one created on first use."""
    hub = app.get(WS_HUB)
    if hub is not None:
        return hub
    hub = _lazy_hubs.get(app)
    if hub is None:
        ctx = app[SIM_CONTEXT]
        hub = WsHub(ctx.exchange, ctx.faults, app.get(WS_CONFIG, WsConfig()))
        _lazy_hubs[app] = hub
    return hub


async def handle_ws(request: web.Request) -> web.StreamResponse:
    """aiohttp handler for ``GET /trade-api/ws/v2``."""
    ctx = request.app[SIM_CONTEXT]
    hub = hub_for(request.app)
    refusal = ctx.faults.ws_upgrade_refusal()
    if refusal is not None:
        return web.Response(status=refusal, text=_refusal_text(refusal))
    account_id: str | None
    try:
        account_id = authenticate(ctx.keys, request.headers, "GET", request.path, ctx.clock_ms())
    except AuthError as exc:
        if not (hub.config.allow_unauthenticated and not has_signature_headers(request.headers)):
            return web.json_response(exc.body, status=exc.status)
        account_id = None

    ws = web.WebSocketResponse(autoping=True, compress=False, max_msg_size=1024 * 1024)
    if not ws.can_prepare(request).ok:
        return web.json_response(
            {"error": {"code": "bad_request", "message": "expected a WebSocket upgrade"}},
            status=400,
        )
    await ws.prepare(request)
    sockets = request.app.get(WS_SOCKETS)
    if sockets is None:
        return await _serve(request, ws, hub, account_id)
    sockets.add(ws)
    try:
        return await _serve(request, ws, hub, account_id)
    finally:
        sockets.discard(ws)


def _refusal_text(status: int) -> str:
    return "502 Bad Gateway" if status == 502 else "503 Service Temporarily Unavailable"


async def _serve(
    request: web.Request, ws: web.WebSocketResponse, hub: WsHub, account_id: str | None
) -> web.WebSocketResponse:
    transport = request.transport
    loop = asyncio.get_running_loop()
    tasks: list[asyncio.Task[None]] = []

    def abort() -> None:
        # Like a dropped TCP connection: no close frame, the client sees a reset/EOF.
        if transport is not None:
            transport.abort()

    def on_overflow(conn: Connection) -> None:
        # Called from inside the engine listener; the socket work happens on a task.
        tasks.append(loop.create_task(_close_overflowed(ws, conn, tasks, abort, hub.config)))

    conn = hub.connect(account_id, on_overflow)
    remove_drop_listener = hub.faults.add_drop_listener(abort)

    async def send_batch(frames: list[bytes]) -> None:
        if transport is None or transport.is_closing() or ws.closed:
            raise ConnectionResetError("WebSocket closed")
        transport.write(text_frames(frames))
        # Backpressure: while the kernel will not take more, frames wait in our bounded
        # queue (where overflow is detected), not in an unbounded transport buffer.
        while transport.get_write_buffer_size() > TRANSPORT_HIGH_WATER:
            await asyncio.sleep(0.002)
            if transport.is_closing():
                raise ConnectionResetError("WebSocket closed")

    def writer_done(task: asyncio.Task[None]) -> None:
        # A writer that dies would leave a silent socket behind; drop it so the client
        # notices and reconnects.
        if task.cancelled():
            return
        error = task.exception()
        if error is not None and not isinstance(error, ConnectionResetError):
            log.error("WebSocket writer failed; dropping the connection", exc_info=error)
        if error is not None:
            abort()

    writer = loop.create_task(conn.run_writer(send_batch, hub.faults.ws_message_delay_s))
    writer.add_done_callback(writer_done)
    pinger = loop.create_task(_ping_loop(ws, hub.config.ping_interval_s))
    tasks.extend((writer, pinger))
    try:
        async for msg in ws:
            if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                hub.handle(conn, msg.data)
            elif msg.type == WSMsgType.ERROR:
                break
    except ConnectionResetError:
        pass
    finally:
        remove_drop_listener()
        hub.disconnect(conn)
        for task in (writer, pinger):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if not ws.closed and not conn.overflowed:
            with contextlib.suppress(Exception):
                await ws.close()
    return ws


async def _ping_loop(ws: web.WebSocketResponse, interval_s: float) -> None:
    if interval_s <= 0:
        return
    while not ws.closed:
        await asyncio.sleep(interval_s)
        if ws.closed:
            return
        try:
            await ws.ping(HEARTBEAT_PAYLOAD)
        except (ConnectionResetError, RuntimeError):
            return


async def _close_overflowed(
    ws: web.WebSocketResponse,
    conn: Connection,
    tasks: list[asyncio.Task[None]],
    abort: Callable[[], None],
    config: WsConfig,
) -> None:
    """Tell the slow client why (error 25 per subscription), close, abort if it won't read."""
    for task in tasks:
        if task is not asyncio.current_task():
            task.cancel()
    try:
        async with asyncio.timeout(config.close_timeout_s):
            for sid in sorted(conn.subs):
                error = CommandError(ErrorCode.SUBSCRIPTION_BUFFER_OVERFLOW)
                await ws.send_frame(encode_error(error, sid=sid), WSMsgType.TEXT)
            await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=OVERFLOW_REASON)
    except (TimeoutError, ConnectionResetError, RuntimeError):
        abort()


__all__ = [
    "HEARTBEAT_PAYLOAD",
    "WS_CONFIG",
    "WS_HUB",
    "WS_PATH",
    "handle_ws",
    "hub_for",
    "setup_ws",
]
