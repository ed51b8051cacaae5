"""Opening one signed WebSocket connection to Kalshi (or the local exchange).

Each attempt is signed afresh: Kalshi rejects timestamps a few seconds old, so headers from an
earlier attempt cannot be reused after a backoff.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol, cast

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, InvalidStatus, InvalidURI

from kalshiflow.kalshi.stream_config import StreamConfig


class HeaderSigner(Protocol):
    """What the stream needs from ``kalshiflow.kalshi.auth.KalshiAuth``."""

    def headers(self, method: str, path: str) -> dict[str, str]: ...


_SECRET_HEADERS = frozenset({"kalshi-access-signature"})


class _RedactingLogger(logging.LoggerAdapter[logging.Logger]):
    """The websockets library logs every handshake header at DEBUG; the signature is a
    credential (replayable within Kalshi's timestamp window), so its value is masked."""

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        if (
            len(args) == 2
            and isinstance(args[0], str)
            and args[0].lower() in _SECRET_HEADERS
            and isinstance(msg, str)
            and msg.endswith("%s: %s")
        ):
            args = (args[0], "<redacted>")
        super().log(level, msg, *args, **kwargs)

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        return msg, kwargs


_WIRE_LOGGER = _RedactingLogger(logging.getLogger("websockets.client"), {})


class TrackedConnection(ClientConnection):
    """A client connection that remembers when any frame last arrived.

    ``recv()`` only surfaces data frames, but Kalshi's heartbeat pings (answered by the library)
    are what proves a quiet connection alive, so every frame counts for liveness.
    """

    last_frame_at: float = 0.0

    def process_event(self, event: Any) -> None:
        super().process_event(event)
        # time.monotonic, not loop.time: health is read outside the loop's clock (uvloop).
        self.last_frame_at = time.monotonic()


async def open_connection(config: StreamConfig, signer: HeaderSigner | None) -> TrackedConnection:
    """Connect and return an open connection; raises on refusal, reset or timeout."""
    headers = signer.headers("GET", config.signing_path) if signer is not None else {}
    connection = await connect(
        config.url,
        additional_headers=headers,
        create_connection=TrackedConnection,
        open_timeout=config.open_timeout,
        close_timeout=config.close_timeout,
        # Liveness is judged by the stream from frame arrival, not by the library's pong
        # timeout, so that one rule (``liveness_timeout``) decides when to reconnect.
        ping_interval=config.ping_interval,
        ping_timeout=None,
        max_size=config.max_message_bytes,
        # The library's own queue limits are about memory; the stream never lets it grow since
        # its reader drains frames immediately into its own bounded queue.
        proxy=config.proxy,
        logger=_WIRE_LOGGER,
    )
    tracked = cast(TrackedConnection, connection)
    tracked.last_frame_at = time.monotonic()
    return tracked


def is_fatal(exc: BaseException) -> bool:
    """Errors retrying cannot fix (a malformed URL)."""
    return isinstance(exc, InvalidURI)


def describe_connect_error(exc: BaseException) -> str:
    """Say what failed without echoing request headers (they hold the signature)."""
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        hint = ""
        if status in (401, 403):
            hint = (
                ": check the API key id and private key for this environment and that the"
                " system clock is correct"
            )
        return f"upgrade refused with HTTP {status}{hint}"
    if isinstance(exc, InvalidHandshake):
        return f"handshake failed: {type(exc).__name__}: {exc}"
    if isinstance(exc, TimeoutError):
        return "opening handshake timed out"
    if isinstance(exc, OSError):
        return f"connection failed: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"
