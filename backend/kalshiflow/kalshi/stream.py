"""``KalshiStream``: a resilient client for Kalshi's trade-api v2 WebSocket.

The same code talks to Kalshi (``wss://external-api-ws.kalshi.com/trade-api/ws/v2``) and to
the local exchange (``kalshiflow sim``). It owns one connection at a time and:

* signs every upgrade request (``GET /trade-api/ws/v2``) with a ``HeaderSigner``;
* keeps the *desired* subscriptions (channel + markets) and restores them, with new sids, on
  every reconnect, so callers subscribe once;
* routes messages by sid and checks ``seq`` per sid: a gap or out-of-order message resyncs that
  one subscription (``get_snapshot``, falling back to unsubscribe + subscribe) and discards its
  stale messages until the fresh snapshots arrive;
* reconnects with exponential backoff + jitter after a close, reset, refused upgrade
  (502/503/...) or silence beyond ``liveness_timeout``;
* never blocks its reader on the consumer: a bounded queue; a subscription whose messages do
  not fit is cut off, announced with a RESYNC event, and resynced once the consumer caught up.

What the consumer receives (``events()`` / ``next_event()``), one ``StreamEvent`` at a time:

* ``MESSAGE``: ``event.message`` is Kalshi's parsed JSON object, unchanged (``type``, ``sid``,
  ``seq`` where the channel has one, ``msg``); ``event.sub_key`` is the stable key returned by
  ``subscribe()`` (sids change on reconnect, keys do not); ``event.channel`` its channel.
  Types: ``orderbook_snapshot``, ``orderbook_delta``, ``ticker``, ``trade``, ``fill``,
  ``market_position``, ``user_order``, ``market_lifecycle_v2``, ``event_lifecycle``, ...
* ``CONNECTED`` (first connection) / ``RECONNECTED`` (later ones): comes before any message of
  that connection. After RECONNECTED drop everything derived from earlier messages: every
  subscription is restored with a new sid, orderbooks start again with snapshots.
* ``DISCONNECTED``: the connection was lost (``reason``); state is stale until RECONNECTED.
* ``RESYNC``: messages of ``sub_key`` were lost (seq gap, out-of-order message, consumer too
  slow, terminal channel error). Drop state for ``market_tickers``. For ``orderbook_delta``
  the stream then discards that subscription's messages until a fresh snapshot per market has
  arrived, so the next message a consumer sees for each of those markets is a snapshot. Other
  channels have no snapshot: reconcile over REST if their content matters (fills, orders).
* ``SUBSCRIPTION_ERROR``: restoring a subscription after a reconnect failed (``reason`` holds
  Kalshi's error) and ``market_tickers`` are no longer covered. If a single market no longer
  exists (error 16) only that market is dropped and the subscription continues; otherwise
  the whole subscription left the desired set (``stream.subscriptions()`` tells which).

Ordering: events are delivered in the order the stream produced them; for one subscription,
messages keep Kalshi's order. ``seq`` continuity has been checked before delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from websockets.exceptions import ConnectionClosed

from kalshiflow.kalshi.stream_backoff import Backoff
from kalshiflow.kalshi.stream_config import DEMO_WS_URL, PRODUCTION_WS_URL, StreamConfig
from kalshiflow.kalshi.stream_connection import (
    HeaderSigner,
    TrackedConnection,
    describe_connect_error,
    is_fatal,
    open_connection,
)
from kalshiflow.kalshi.stream_events import EventQueue, StreamEvent, StreamEventKind
from kalshiflow.kalshi.stream_gate import Admission, admit
from kalshiflow.kalshi.stream_health import ConnectionState, StreamCounters, StreamHealth
from kalshiflow.kalshi.stream_protocol import (
    REPLY_TYPES,
    TERMINAL_ERROR_CODES,
    KalshiWsError,
    Message,
    ProtocolError,
    StreamClosedError,
    StreamNotConnectedError,
    WsErrorCode,
    decode_message,
    error_from_reply,
    subscribed_sid,
    subscription_list,
    update_params,
)
from kalshiflow.kalshi.stream_session import TASK_PREFIX, ConnectionLost, Session
from kalshiflow.kalshi.stream_subscriptions import (
    ManagedSubscription,
    SubscriptionInfo,
    SubscriptionRegistry,
    SubscriptionState,
)
from kalshiflow.kalshi.stream_sync import ALL_VERSIONS, SubscriptionSync

__all__ = [
    "DEMO_WS_URL",
    "PRODUCTION_WS_URL",
    "ConnectionState",
    "HeaderSigner",
    "KalshiStream",
    "KalshiWsError",
    "StreamClosedError",
    "StreamConfig",
    "StreamEvent",
    "StreamEventKind",
    "StreamHealth",
    "StreamNotConnectedError",
    "SubscriptionInfo",
    "SubscriptionState",
    "WsErrorCode",
]

log = logging.getLogger(__name__)

_RESERVED_PARAMS = frozenset({"channels", "market_ticker", "market_tickers", "sids", "sid"})


class KalshiStream:
    """A self-healing Kalshi WebSocket connection. Use as ``async with KalshiStream(...)``."""

    def __init__(
        self,
        config: StreamConfig | None = None,
        *,
        auth: HeaderSigner | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._config = config or StreamConfig()
        self._auth = auth
        cfg = self._config
        self._backoff = Backoff(
            cfg.backoff_base, cfg.backoff_max, jitter=cfg.backoff_jitter, rng=rng or random.Random()
        )
        self._registry = SubscriptionRegistry()
        self._queue = EventQueue(cfg.queue_max_messages, cfg.low_water)
        self._queue.on_drained = self._on_queue_drained
        self._sync = SubscriptionSync(self._registry, cfg, self._queue.put_control)
        self._counters = StreamCounters()
        self._state = ConnectionState.IDLE
        self._session: Session | None = None
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._closing = False
        self._last_error: str | None = None
        self._last_frame_at: float | None = None
        self._cmd_id = 0

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start connecting in the background (idempotent). Subscribing works before or after."""
        self._check_open()
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"{TASK_PREFIX}:supervisor")

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def wait_connected(self) -> None:
        """Wait until a connection is open (subscriptions may still be restoring).

        Bound it with ``asyncio.timeout``; raises StreamClosedError if the stream closes.
        """
        self._check_open()
        await self._connected.wait()
        self._check_open()

    async def reconnect(self, reason: str = "reconnect requested") -> None:
        """Drop the current connection; the stream reconnects and restores subscriptions."""
        if self._session is not None:
            self._session.abort(reason)

    async def aclose(self) -> None:
        """Close the connection, stop every task, wake consumers (they see the queue end)."""
        self._closing = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])
        self._finish_closed()

    def _finish_closed(self) -> None:
        self._closing = True
        self._state = ConnectionState.CLOSED
        self._connected.set()  # wake wait_connected(), which then raises StreamClosedError
        self._queue.close()
        closed = StreamClosedError("the Kalshi stream was closed")
        for sub in self._registry:
            sub.fail_waiters(ALL_VERSIONS, closed)

    def _check_open(self) -> None:
        if self._closing:
            raise StreamClosedError("the Kalshi stream is closed; create a new KalshiStream")

    # -- consumer side ---------------------------------------------------------------------

    async def next_event(self) -> StreamEvent:
        """The next event; raises StreamClosedError once closed and drained."""
        return await self._queue.get()

    def next_event_nowait(self) -> StreamEvent | None:
        return self._queue.get_nowait()

    async def events(self) -> AsyncIterator[StreamEvent]:
        """Iterate events until the stream is closed."""
        while True:
            try:
                event = await self._queue.get()
            except StreamClosedError:
                return
            yield event

    # -- subscriptions ---------------------------------------------------------------------

    async def subscribe(
        self,
        channels: str | Sequence[str],
        market_tickers: Iterable[str] | None = None,
        *,
        params: Mapping[str, object] | None = None,
    ) -> tuple[SubscriptionInfo, ...]:
        """Subscribe to each channel for ``market_tickers`` (None: all markets).

        Returns once Kalshi confirmed every channel (waiting through reconnects if needed), one
        ``SubscriptionInfo`` per channel in order. ``params`` adds subscribe options such as
        ``{"send_initial_snapshot": True}``. If any channel is refused, the others are undone
        and ``KalshiWsError`` (with Kalshi's numbered ``code``) is raised.
        """
        self._check_open()
        channel_list = [channels] if isinstance(channels, str) else list(channels)
        if not channel_list:
            raise ValueError("subscribe() needs at least one channel, e.g. ['orderbook_delta']")
        if isinstance(market_tickers, str):
            raise TypeError("market_tickers must be a list of tickers, not one string")
        tickers = None if market_tickers is None else list(market_tickers)
        extra = dict(params or {})
        if reserved := _RESERVED_PARAMS & extra.keys():
            raise ValueError(
                f"params may not set {sorted(reserved)}: pass channels and market_tickers "
                "as arguments; the stream manages sids itself"
            )
        subs = [self._registry.create(channel, tickers, extra) for channel in channel_list]
        waiters = [sub.wait_version(sub.version) for sub in subs]
        for sub in subs:
            self._kick(sub)
        try:
            await asyncio.gather(*waiters)
        except BaseException:
            for sub in subs:
                if not sub.removed:
                    self._drop(sub)
            raise
        return tuple(sub.info() for sub in subs)

    async def unsubscribe(self, key: int) -> None:
        """Forget subscription ``key`` and unsubscribe it on the server if connected."""
        sub = self._registry.get(key)
        self._registry.remove(sub)
        sub.resolve_waiters(ALL_VERSIONS)
        session = self._session
        if session is not None and session.alive:
            await self._sync.reconcile(session, sub)

    async def update_subscription(
        self,
        key: int,
        *,
        add_markets: Iterable[str] = (),
        delete_markets: Iterable[str] = (),
    ) -> SubscriptionInfo:
        """Add and/or remove markets of subscription ``key`` (update_subscription).

        The change is part of the desired state at once (a reconnect applies it too); returns
        when Kalshi confirmed it. A refusal rolls the market set back and raises KalshiWsError.
        """
        self._check_open()
        sub = self._registry.get(key)
        if sub.desired_tickers is None:
            raise ValueError(
                f"subscription {key} ({sub.channel}) covers all markets; it has no market list "
                "to update"
            )
        add = set(add_markets)
        delete = set(delete_markets)
        if both := add & delete:
            raise ValueError(f"markets both added and deleted: {sorted(both)}")
        add -= sub.desired_tickers
        delete &= sub.desired_tickers
        if not add and not delete:
            return sub.info()
        sub.desired_tickers = (sub.desired_tickers | add) - delete
        sub.version += 1
        waiter = sub.wait_version(sub.version)
        self._kick(sub)
        await waiter
        return sub.info()

    async def request_snapshot(self, key: int, market_tickers: Iterable[str] | None = None) -> None:
        """Ask for fresh orderbook snapshots (update_subscription ``get_snapshot``).

        Snapshots then arrive as ordinary MESSAGE events. While disconnected this returns at
        once: the resubscription after the reconnect brings snapshots anyway.
        """
        self._check_open()
        sub = self._registry.get(key)
        session = self._session
        if session is None:
            return
        async with sub.lock:
            if sub.sid is None or not session.alive:
                return
            tickers = set(market_tickers) if market_tickers is not None else sub.server_tickers
            with contextlib.suppress(ConnectionLost):
                await session.command(
                    "update_subscription", update_params(sub.sid, "get_snapshot", tickers or ())
                )

    async def list_subscriptions(self) -> list[dict[str, Any]]:
        """The server's view of this connection's subscriptions (``[{"channel", "sid"}, ...]``)."""
        self._check_open()
        session = self._session
        if session is None:
            raise StreamNotConnectedError("the Kalshi stream is not connected right now")
        try:
            reply = await session.command("list_subscriptions")
        except ConnectionLost:
            raise StreamNotConnectedError(
                "the connection dropped during list_subscriptions"
            ) from None
        return subscription_list(reply)

    def subscriptions(self) -> tuple[SubscriptionInfo, ...]:
        """The desired subscriptions with their current sid and state."""
        return self._registry.infos()

    def subscription(self, key: int) -> SubscriptionInfo:
        return self._registry.get(key).info()

    # -- health ----------------------------------------------------------------------------

    def health(self) -> StreamHealth:
        now = time.monotonic()
        session = self._session
        last_frame = session.ws.last_frame_at if session is not None else self._last_frame_at
        c = self._counters
        return StreamHealth(
            state=self._state,
            connected=session is not None and session.alive,
            url=self._config.url,
            last_message_age=None if last_frame is None else max(0.0, now - last_frame),
            connected_for=None if session is None else now - session.opened_at,
            connects=c.connects,
            reconnects=max(0, c.connects - 1),
            connect_failures=c.connect_failures,
            disconnects=c.disconnects,
            silences=c.silences,
            gaps=c.gaps,
            resyncs=c.resyncs,
            overflows=c.overflows,
            dropped_messages=c.dropped_messages,
            discarded_messages=c.discarded_messages,
            messages_received=c.messages_received,
            protocol_errors=c.protocol_errors,
            queue_depth=len(self._queue),
            last_error=self._last_error,
            subscriptions=self._registry.infos(),
        )

    # -- connection supervisor -------------------------------------------------------------

    async def _run(self) -> None:
        try:
            while not self._closing:
                self._state = ConnectionState.CONNECTING
                try:
                    ws = await open_connection(self._config, self._auth)
                except Exception as exc:
                    self._last_error = describe_connect_error(exc)
                    if is_fatal(exc):
                        log.error("Kalshi stream cannot connect: %s", self._last_error)
                        break
                    self._counters.connect_failures += 1
                    await self._pause()
                    continue
                await self._serve(ws)
                if not self._closing:
                    await self._pause()
        finally:
            self._finish_closed()

    async def _pause(self) -> None:
        self._state = ConnectionState.BACKOFF
        delay = self._backoff.next_delay()
        log.warning(
            "Kalshi stream %s: reconnecting in %.2fs (%s)",
            self._config.url,
            delay,
            self._last_error or "disconnected",
        )
        await asyncio.sleep(delay)

    async def _serve(self, ws: TrackedConnection) -> None:
        session = Session(ws, self._config.command_timeout, self._next_command_id)
        self._session = session
        self._counters.connects += 1
        self._state = ConnectionState.CONNECTED
        self._connected.set()
        self._registry.forget_connection()
        first = self._counters.connects == 1
        kind = StreamEventKind.CONNECTED if first else StreamEventKind.RECONNECTED
        log.info(
            "Kalshi stream connected to %s (connection #%d)",
            self._config.url,
            self._counters.connects,
        )
        self._queue.put_control(StreamEvent(kind, reason=f"connection #{self._counters.connects}"))
        for sub in self._registry:
            session.spawn(self._sync.reconcile(session, sub), f"restore:{sub.key}")
        reason = "closed"
        try:
            reason = await self._read(session)
        finally:
            self._session = None
            self._connected.clear()
            self._last_frame_at = ws.last_frame_at
            if session.abort_reason is not None:
                reason = session.abort_reason
                ws.transport.abort()
            await session.end()
            with contextlib.suppress(Exception):
                await ws.close()
            self._registry.forget_connection()
            self._counters.disconnects += 1
            if time.monotonic() - session.opened_at >= self._config.backoff_reset_after:
                self._backoff.reset()
            if not self._closing:
                self._last_error = reason
                self._queue.put_control(StreamEvent(StreamEventKind.DISCONNECTED, reason=reason))

    async def _read(self, session: Session) -> str:
        """Read frames until the connection ends; return why it ended."""
        ws = session.ws
        liveness = self._config.liveness_timeout
        while True:
            remaining = ws.last_frame_at + liveness - time.monotonic()
            if remaining <= 0:
                self._counters.silences += 1
                session.abort_reason = f"no frame for {liveness:g}s (liveness timeout)"
                return session.abort_reason
            try:
                async with asyncio.timeout(remaining):
                    raw = await ws.recv()
            except TimeoutError:
                continue  # pings may have arrived meanwhile; the loop re-checks last_frame_at
            except ConnectionClosed as exc:
                return session.abort_reason or f"connection closed: {exc}"
            self._on_frame(session, raw)

    def _next_command_id(self) -> int:
        self._cmd_id += 1
        return self._cmd_id

    # -- inbound routing -------------------------------------------------------------------

    def _on_frame(self, session: Session, raw: str | bytes) -> None:
        self._counters.messages_received += 1
        try:
            msg = decode_message(raw)
        except ProtocolError as exc:
            self._counters.protocol_errors += 1
            log.warning("Kalshi stream skipped a frame: %s", exc)
            return
        mtype = msg.get("type")
        if "id" in msg and session.resolve(msg):
            self._after_reply(msg)
            return
        if mtype == "error":
            self._on_unsolicited_error(session, msg)
            return
        sid = msg.get("sid")
        if mtype == "subscribed":
            # A reply to a command that already timed out or was cancelled: do not leave an
            # orphan subscription running on the server.
            with contextlib.suppress(ProtocolError):
                orphan = subscribed_sid(msg)
                if self._registry.by_sid(orphan) is None:
                    session.spawn(self._sync.drop_sid(session, orphan), f"orphan:{orphan}")
            return
        if mtype in REPLY_TYPES:
            return
        if isinstance(sid, int):
            sub = self._registry.by_sid(sid)
            if sub is None:
                self._counters.discarded_messages += 1  # e.g. just unsubscribed
                return
            self._on_data(session, sub, msg)
            return
        if not self._queue.offer_message(StreamEvent(StreamEventKind.MESSAGE, msg)):
            self._counters.dropped_messages += 1

    def _after_reply(self, reply: Message) -> None:
        sid, seq = reply.get("sid"), reply.get("seq")
        if isinstance(sid, int) and isinstance(seq, int):
            sub = self._registry.by_sid(sid)
            if sub is not None:
                sub.tracker.advance_if_next(seq)

    def _on_data(self, session: Session, sub: ManagedSubscription, msg: Message) -> None:
        if sub.state is SubscriptionState.OVERFLOWED:
            self._counters.dropped_messages += 1
            return
        verdict, detail = admit(sub, msg)
        if verdict is Admission.DISCARD:
            self._counters.discarded_messages += 1
            return
        if verdict is Admission.GAP or verdict is Admission.GAP_DELIVER:
            self._counters.gaps += 1
            self._begin_resync(session, sub, detail)
            if verdict is Admission.GAP:
                self._counters.discarded_messages += 1
                return
        self._deliver(sub, msg)

    def _deliver(self, sub: ManagedSubscription, msg: Message) -> None:
        event = StreamEvent(StreamEventKind.MESSAGE, msg, sub.key, sub.channel)
        if self._queue.offer_message(event):
            return
        # The consumer fell behind. Dropping this one message silently would corrupt its book,
        # so the whole subscription is cut off, announced, and resynced once the queue drains.
        self._counters.dropped_messages += 1
        self._counters.overflows += 1
        self._counters.resyncs += 1
        self._sync.notify_resync(
            sub,
            f"consumer fell behind: event queue full ({self._config.queue_max_messages} messages)",
        )
        sub.state = SubscriptionState.OVERFLOWED

    def _on_queue_drained(self) -> None:
        session = self._session
        for sub in self._registry:
            if sub.state is not SubscriptionState.OVERFLOWED:
                continue
            if session is None or sub.sid is None:
                sub.state = SubscriptionState.PENDING
            elif sub.snapshot_channel:
                self._sync.enter_resync(session, sub)
            else:
                sub.state = SubscriptionState.ACTIVE
                sub.tracker.reset()

    def _on_unsolicited_error(self, session: Session, msg: Message) -> None:
        error = error_from_reply(msg, "subscription")
        body = msg.get("msg")
        sid = msg.get("sid")
        if sid is None and isinstance(body, Mapping):
            sid = body.get("sid")
        sub = self._registry.by_sid(sid) if isinstance(sid, int) else None
        if sub is None or error.code not in TERMINAL_ERROR_CODES:
            log.warning("Kalshi stream error not tied to a command: %s", error)
            return
        # Kalshi ends the subscription on terminal errors: subscribe afresh.
        self._counters.resyncs += 1
        self._sync.notify_resync(sub, f"terminal channel error: {error}")
        sub.state = SubscriptionState.RESYNCING
        session.spawn(self._sync.restart(session, sub), f"restart:{sub.key}")

    # -- resync ----------------------------------------------------------------------------

    def _begin_resync(self, session: Session, sub: ManagedSubscription, reason: str) -> None:
        if sub.state is SubscriptionState.OVERFLOWED or sub.needs_anchor:
            return  # already recovering; the snapshot it waits for covers this too
        self._counters.resyncs += 1
        self._sync.notify_resync(sub, reason)
        if sub.snapshot_channel:
            self._sync.enter_resync(session, sub)

    # -- applying desired state ------------------------------------------------------------

    def _kick(self, sub: ManagedSubscription) -> None:
        session = self._session
        if session is not None and session.alive:
            session.spawn(self._sync.reconcile(session, sub), f"reconcile:{sub.key}")

    def _drop(self, sub: ManagedSubscription) -> None:
        self._registry.remove(sub)
        self._kick(sub)
