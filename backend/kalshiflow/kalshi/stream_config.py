"""Settings of a ``KalshiStream``; defaults suit Kalshi production (pings every ~10 s)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

PRODUCTION_WS_URL = "wss://external-api-ws.kalshi.com/trade-api/ws/v2"
DEMO_WS_URL = "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2"

ResyncMethod = Literal["get_snapshot", "resubscribe"]


@dataclass(frozen=True, slots=True)
class StreamConfig:
    url: str = PRODUCTION_WS_URL
    # Reconnect backoff: base * 2**n, capped, minus up to ``backoff_jitter`` of it at random.
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    backoff_jitter: float = 0.5
    # A connection that lived this long resets the backoff to its base.
    backoff_reset_after: float = 30.0
    # Reconnect when no frame at all (data, ping, pong) arrived for this long. Kalshi pings
    # every ~10 s and our own pings draw pongs, so 30 s of silence means a dead connection.
    liveness_timeout: float = 30.0
    # Client pings keep liveness observable on quiet sockets; None sends none.
    ping_interval: float | None = 10.0
    open_timeout: float = 10.0
    close_timeout: float = 2.0
    # Also how long a resync waits for its fresh snapshots before resubscribing instead.
    command_timeout: float = 10.0
    queue_max_messages: int = 10_000
    # Overflowed subscriptions are resynced once the queue drained to this many messages
    # (None: half the bound).
    queue_low_water: int | None = None
    max_message_bytes: int = 16 * 1024 * 1024  # snapshots of deep books are large
    resync_method: ResyncMethod = "get_snapshot"
    proxy: str | Literal[True] | None = True  # True: honour HTTPS_PROXY etc.; None: direct

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("ws", "wss") or not parts.netloc:
            raise ValueError(
                f"stream url must be ws:// or wss://host/path, got {self.url!r} "
                f"(Kalshi production: {PRODUCTION_WS_URL})"
            )
        for name in ("liveness_timeout", "open_timeout", "close_timeout", "command_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"StreamConfig.{name} must be > 0 seconds")
        if self.ping_interval is not None and self.ping_interval <= 0:
            raise ValueError("StreamConfig.ping_interval must be > 0 seconds or None")
        if self.resync_method not in ("get_snapshot", "resubscribe"):
            raise ValueError(
                f"StreamConfig.resync_method must be 'get_snapshot' or 'resubscribe', "
                f"got {self.resync_method!r}"
            )

    @property
    def signing_path(self) -> str:
        """The path signed in the upgrade request (``/trade-api/ws/v2``), no query."""
        return urlsplit(self.url).path or "/"

    @property
    def low_water(self) -> int:
        if self.queue_low_water is not None:
            return self.queue_low_water
        return self.queue_max_messages // 2
