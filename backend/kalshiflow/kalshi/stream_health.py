"""Health of a ``KalshiStream``: live counters and the immutable snapshot handed out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kalshiflow.kalshi.stream_subscriptions import SubscriptionInfo


class ConnectionState(StrEnum):
    IDLE = "idle"  # not started
    CONNECTING = "connecting"
    CONNECTED = "connected"
    BACKOFF = "backoff"  # waiting before the next connection attempt
    CLOSED = "closed"


@dataclass(slots=True)
class StreamCounters:
    """Monotonic counters, mutated only by the stream."""

    messages_received: int = 0  # data frames (JSON) received
    connects: int = 0  # successful handshakes
    connect_failures: int = 0  # refused upgrades (502/503/401...), resets, timeouts
    disconnects: int = 0
    silences: int = 0  # connections dropped for exceeding the liveness timeout
    gaps: int = 0  # seq gaps or out-of-order messages
    resyncs: int = 0  # resyncs started (gap, overflow, terminal channel error)
    overflows: int = 0  # times a subscription was cut off because the consumer fell behind
    dropped_messages: int = 0  # data messages refused by the full queue
    discarded_messages: int = 0  # stale messages skipped (unknown sid, awaiting a snapshot)
    protocol_errors: int = 0  # frames that were not JSON objects


@dataclass(frozen=True, slots=True)
class StreamHealth:
    """Point-in-time health of a stream. Ages are seconds; None when not applicable."""

    state: ConnectionState
    connected: bool
    url: str
    last_message_age: float | None  # since the last frame of any kind (data, ping, pong)
    connected_for: float | None
    connects: int
    reconnects: int  # connects after the first
    connect_failures: int
    disconnects: int
    silences: int
    gaps: int
    resyncs: int
    overflows: int
    dropped_messages: int
    discarded_messages: int
    messages_received: int
    protocol_errors: int
    queue_depth: int
    last_error: str | None
    subscriptions: tuple[SubscriptionInfo, ...]
