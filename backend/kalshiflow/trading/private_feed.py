"""`PrivateFeed`: the trading account's private WebSocket channels on the trading
environment (demo): ``fill``, ``user_orders`` and ``market_positions``, through the resilient
`kalshiflow.kalshi.stream.KalshiStream`.

It parses and hands messages on; it keeps no state. Whenever messages may have been lost (a
reconnect, a resync of one of its subscriptions) it calls ``on_gap``: fills and orders have
no snapshot to resync from, so the owner reconciles over REST (backfill) instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from kalshiflow.kalshi.errors import WireFormatError
from kalshiflow.kalshi.models import Fill, Order
from kalshiflow.kalshi.stream import (
    HeaderSigner,
    KalshiStream,
    KalshiWsError,
    StreamConfig,
    StreamEvent,
    StreamEventKind,
    StreamHealth,
    SubscriptionState,
)

log = logging.getLogger(__name__)

CHANNELS = ("fill", "user_orders", "market_positions")
RESUBSCRIBE_DELAY_S = 5.0


class PrivateFeed:
    def __init__(
        self,
        ws_url: str,
        auth: HeaderSigner,
        *,
        on_fill: Callable[[Fill], None],
        on_order: Callable[[Order], None],
        on_gap: Callable[[str], None],
        on_position: Callable[[dict[str, Any]], None] | None = None,
        config: StreamConfig | None = None,
    ) -> None:
        self._config = config or StreamConfig(url=ws_url, backoff_base=0.2, backoff_max=5.0)
        self._auth = auth
        self._on_fill = on_fill
        self._on_order = on_order
        self._on_gap = on_gap
        self._on_position = on_position
        self._stream: KalshiStream | None = None
        self._task: asyncio.Task[None] | None = None
        self._subscribing: asyncio.Task[None] | None = None
        self._late = False
        self.connected = asyncio.Event()
        self.messages = 0
        self.bad_messages = 0
        self.gaps = 0

    def stream_health(self) -> StreamHealth | None:
        """The private WebSocket's health (connected, reconnects, gaps...), once started."""
        return None if self._stream is None else self._stream.health()

    async def start(self, subscribe_timeout_s: float = 10.0) -> bool:
        """Connect and subscribe; waits up to ``subscribe_timeout_s`` for the exchange to
        confirm the channels. False: not confirmed yet; subscribing goes on in the
        background (through reconnects) and ``on_gap`` is called once it succeeded, since
        anything before then was missed."""
        stream = KalshiStream(self._config, auth=self._auth)
        self._stream = stream
        await stream.start()
        self._task = asyncio.create_task(self._consume(stream), name="trading-private-feed")
        self._subscribing = asyncio.create_task(
            self._subscribe(stream), name="trading-private-feed-subscribe"
        )
        done, _ = await asyncio.wait([self._subscribing], timeout=subscribe_timeout_s)
        self._late = not done
        return bool(done)

    async def _subscribe(self, stream: KalshiStream) -> None:
        while True:
            try:
                await stream.subscribe(list(CHANNELS))
            except KalshiWsError as err:
                log.warning("private feed: subscribe refused (%s); retrying", err)
                await asyncio.sleep(RESUBSCRIBE_DELAY_S)
                continue
            if self._late:
                self._on_gap("subscribed after start")
            return

    async def stop(self) -> None:
        tasks = [t for t in (self._task, self._subscribing) if t is not None]
        self._task = self._subscribing = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._stream is not None:
            await self._stream.aclose()
            self._stream = None

    @property
    def active(self) -> bool:
        """Every private channel is subscribed on the current connection."""
        stream = self._stream
        if stream is None:
            return False
        subs = stream.subscriptions()
        return len(subs) == len(CHANNELS) and all(s.state is SubscriptionState.ACTIVE for s in subs)

    async def wait_active(self, timeout_s: float = 10.0, poll_s: float = 0.02) -> bool:
        """Wait until the channels are live again after a reconnect: a REST backfill only
        closes the gap once nothing new can fall between it and the live feed."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                while not self.active:  # noqa: ASYNC110 - the stream offers no event
                    await asyncio.sleep(poll_s)
        return self.active

    def health(self) -> StreamHealth | None:
        return None if self._stream is None else self._stream.health()

    async def _consume(self, stream: KalshiStream) -> None:
        async for event in stream.events():
            try:
                self._handle(event)
            except Exception:  # a handler bug must not end the feed
                log.exception("private feed: handling %s failed", event.kind)

    def _handle(self, event: StreamEvent) -> None:
        kind = event.kind
        if kind is StreamEventKind.MESSAGE:
            self.messages += 1
            msg = event.message.get("msg")
            if not isinstance(msg, dict):
                return
            try:
                if event.type == "fill":
                    self._on_fill(Fill.from_wire(msg))
                elif event.type == "user_order":
                    self._on_order(Order.from_wire(msg))
                elif event.type == "market_position" and self._on_position is not None:
                    self._on_position(msg)
            except WireFormatError as err:
                self.bad_messages += 1
                log.warning("private feed: unreadable %s message: %s", event.type, err)
        elif kind is StreamEventKind.CONNECTED:
            self.connected.set()
        elif kind in (
            StreamEventKind.RECONNECTED,
            StreamEventKind.RESYNC,
            StreamEventKind.SUBSCRIPTION_ERROR,
        ):
            self.connected.set()
            self.gaps += 1
            self._on_gap(f"{kind.value}: {event.reason}".rstrip(": "))
        elif kind is StreamEventKind.DISCONNECTED:
            self.connected.clear()
