"""What a ``KalshiStream`` hands to its consumer, and the bounded queue it goes through.

The reader of the WebSocket must never wait for a slow consumer (Kalshi drops clients whose
socket buffers fill, and pings would go unanswered), so the hand-off is a queue that refuses
data messages beyond a bound instead of blocking. Control events (resync, reconnect, ...) are
never refused: they are few (at most one outstanding resync per subscription) and losing one
would leave a consumer holding a book it should have dropped.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kalshiflow.kalshi.stream_protocol import StreamClosedError


class StreamEventKind(StrEnum):
    MESSAGE = "message"
    """A Kalshi data message (``orderbook_snapshot``, ``orderbook_delta``, ``trade``, ``ticker``,
    ``fill``, ``market_position``, ``user_order``, ``market_lifecycle_v2``, ``event_lifecycle``,
    ...) in ``message``, exactly as parsed from the wire."""

    CONNECTED = "connected"
    """The first connection is open; subscriptions are being established."""

    RECONNECTED = "reconnected"
    """A new connection replaced a lost one. Every subscription gets a new sid and (for
    orderbooks) fresh snapshots: drop all state derived from earlier messages."""

    DISCONNECTED = "disconnected"
    """The connection was lost (``reason`` says why); the stream is reconnecting by itself."""

    RESYNC = "resync"
    """Messages of subscription ``sub_key`` were lost (seq gap, out-of-order message, consumer
    too slow, terminal channel error). Drop state for ``market_tickers`` (all markets of the
    subscription); for orderbooks fresh snapshots follow, other channels must be reconciled
    by REST if their content matters."""

    SUBSCRIPTION_ERROR = "subscription_error"
    """Kalshi refused to restore subscription ``sub_key`` after a reconnect (``reason`` holds
    the error): ``market_tickers`` are no longer covered. A market that no longer exists is
    dropped alone and the subscription continues; any other refusal removes the subscription
    from the stream's desired set."""


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One item delivered to the consumer.

    ``message`` is the parsed Kalshi JSON object for MESSAGE events (keys ``type``, ``sid``,
    ``seq`` when the channel has one, ``msg``) and empty otherwise. Consumers must not mutate it.
    ``sub_key`` is the stream's stable subscription key (unlike ``sid``, it survives reconnects).
    """

    kind: StreamEventKind
    message: Mapping[str, Any] = field(default_factory=dict)
    sub_key: int | None = None
    channel: str | None = None
    market_tickers: frozenset[str] = frozenset()
    reason: str = ""

    @property
    def type(self) -> str | None:
        """Kalshi message type of a MESSAGE event (``"orderbook_delta"``, ...)."""
        value = self.message.get("type")
        return value if isinstance(value, str) else None


class EventQueue:
    """Bounded for data messages, unbounded for control events, never blocking the producer.

    When a refused message has put the queue into overflow, ``on_drained`` is called once the
    number of queued data messages falls to ``low_water``: only then is it useful to ask Kalshi
    for fresh snapshots, which would otherwise be refused as well.
    """

    def __init__(self, max_messages: int, low_water: int) -> None:
        if max_messages < 1:
            raise ValueError(f"queue bound must be >= 1 message, got {max_messages}")
        if not 0 <= low_water < max_messages:
            raise ValueError(
                f"queue low-water mark must be within [0, {max_messages}), got {low_water}"
            )
        self._items: deque[StreamEvent] = deque()
        self._messages = 0
        self._max = max_messages
        self._low_water = low_water
        self._nonempty = asyncio.Event()
        self._closed = False
        self._overflowing = False
        self.on_drained: Callable[[], None] | None = None

    @property
    def message_count(self) -> int:
        return self._messages

    def __len__(self) -> int:
        return len(self._items)

    def offer_message(self, event: StreamEvent) -> bool:
        """Queue a data message, or return False (and enter overflow) when full."""
        if self._closed:
            return True  # nobody will read it; not the consumer's fault, not an overflow
        if self._messages >= self._max:
            self._overflowing = True
            return False
        self._items.append(event)
        self._messages += 1
        self._nonempty.set()
        return True

    def put_control(self, event: StreamEvent) -> None:
        if self._closed:
            return
        self._items.append(event)
        self._nonempty.set()

    def get_nowait(self) -> StreamEvent | None:
        if not self._items:
            if self._closed:
                raise StreamClosedError("the stream is closed")
            return None
        event = self._items.popleft()
        if event.kind is StreamEventKind.MESSAGE:
            self._messages -= 1
            if self._overflowing and self._messages <= self._low_water:
                self._overflowing = False
                if self.on_drained is not None:
                    self.on_drained()
        return event

    async def get(self) -> StreamEvent:
        while not self._items:
            if self._closed:
                raise StreamClosedError("the stream is closed")
            self._nonempty.clear()
            await self._nonempty.wait()
        event = self.get_nowait()
        assert event is not None  # the loop above guarantees an item
        return event

    def close(self) -> None:
        """Wake waiting consumers; events already queued can still be read."""
        self._closed = True
        self._nonempty.set()
