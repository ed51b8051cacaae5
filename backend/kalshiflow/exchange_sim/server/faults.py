"""Fault injection shared by the REST middleware, the WebSocket handler and the admin API.

One :class:`FaultInjector` per environment. The admin API arms faults; the servers consult
them on their hot paths with cheap calls. Everything runs on the event loop thread, so no
locking. Time-limited faults use an injectable monotonic clock so tests can control it.

REST (consulted by the REST middleware for every ``/trade-api/v2`` request):
  * :meth:`fail_rest` / :meth:`take_rest_failure`: answer the next N requests with a status
    (5xx or 429) instead of handling them.
  * :meth:`set_rest_latency` / :meth:`rest_latency_s`: sleep before handling each request.
  * :meth:`lose_rest_replies` / :meth:`take_lost_reply_delay`: handle the next N requests,
    then hold their answers back, so a client with a shorter timeout never sees them: the
    "order placed but the answer was lost" case that retries must not duplicate.

WebSocket (consulted by ``server/ws*.py``):
  * :meth:`add_drop_listener` / :meth:`drop_all_ws`: every open connection registers a
    callback; ``drop_all_ws`` calls them all (the handler closes its socket abruptly).
  * :meth:`refuse_ws_upgrades` / :meth:`ws_upgrade_refusal`: answer upgrades with 502/503
    for a while.
  * :meth:`skip_seq` / :meth:`take_seq_skip`: the next sequenced message jumps its seq.
  * :meth:`delay_ws_messages` / :meth:`ws_message_delay_s`: sleep before each outgoing
    message for a while.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

DropListener = Callable[[], None]


@dataclass(slots=True)
class _Timed:
    """A value that applies until ``until`` on the injector's monotonic clock."""

    value: float
    until: float


class FaultInjector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._rest_failures: list[int] = []
        self._rest_latency: _Timed | None = None
        self._lost_replies: list[float] = []
        self._drop_listeners: dict[int, DropListener] = {}
        self._next_listener_id = 0
        self._ws_refusal: _Timed | None = None
        self._seq_skips = 0
        self._ws_delay: _Timed | None = None

    # ---- REST -------------------------------------------------------------------------

    def fail_rest(self, status: int, count: int = 1) -> None:
        """Answer the next ``count`` REST requests with ``status`` (e.g. 500, 503, 429)."""
        if not 400 <= status <= 599:
            raise ValueError(f"fault status must be an HTTP error status (4xx/5xx), got {status}")
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        self._rest_failures.extend([status] * count)

    def take_rest_failure(self) -> int | None:
        """Consume one armed REST failure; ``None`` if the request should be served."""
        if self._rest_failures:
            return self._rest_failures.pop(0)
        return None

    @property
    def pending_rest_failures(self) -> int:
        return len(self._rest_failures)

    def set_rest_latency(self, seconds: float, duration_s: float | None = None) -> None:
        """Delay every REST request by ``seconds`` (for ``duration_s``, or until cleared)."""
        if seconds < 0:
            raise ValueError(f"latency must be >= 0 seconds, got {seconds}")
        until = float("inf") if duration_s is None else self._clock() + duration_s
        self._rest_latency = _Timed(seconds, until) if seconds > 0 else None

    def rest_latency_s(self) -> float:
        return self._active(self._rest_latency)

    def lose_rest_replies(self, seconds: float, count: int = 1) -> None:
        """Handle the next ``count`` requests, then delay each answer by ``seconds``."""
        if seconds <= 0:
            raise ValueError(f"seconds must be > 0, got {seconds}")
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        self._lost_replies.extend([seconds] * count)

    def take_lost_reply_delay(self) -> float:
        """Consume one armed lost reply: how long to hold the answer back (0 = none)."""
        return self._lost_replies.pop(0) if self._lost_replies else 0.0

    # ---- WebSocket --------------------------------------------------------------------

    def add_drop_listener(self, listener: DropListener) -> Callable[[], None]:
        """Register an open connection's drop callback; returns the function to unregister."""
        listener_id = self._next_listener_id
        self._next_listener_id += 1
        self._drop_listeners[listener_id] = listener

        def remove() -> None:
            self._drop_listeners.pop(listener_id, None)

        return remove

    def drop_all_ws(self) -> int:
        """Ask every registered WebSocket connection to drop; returns how many were asked."""
        listeners = list(self._drop_listeners.values())
        self._drop_listeners.clear()
        for listener in listeners:
            listener()
        return len(listeners)

    @property
    def open_ws_connections(self) -> int:
        return len(self._drop_listeners)

    def refuse_ws_upgrades(self, status: int, duration_s: float) -> None:
        """Answer WebSocket upgrades with ``status`` (502 or 503) for ``duration_s`` seconds."""
        if status not in (502, 503):
            raise ValueError(f"upgrade refusal status must be 502 or 503, got {status}")
        self._ws_refusal = _Timed(status, self._clock() + duration_s)

    def ws_upgrade_refusal(self) -> int | None:
        """The status to refuse an upgrade with right now, or ``None`` to accept it."""
        status = self._active(self._ws_refusal)
        return int(status) if status else None

    def skip_seq(self, count: int = 1) -> None:
        """Make the next sequenced WebSocket message skip ``count`` sequence numbers."""
        if count < 1:
            raise ValueError(f"count must be >= 1, got {count}")
        self._seq_skips += count

    def take_seq_skip(self) -> int:
        """Consume the armed skip: how many numbers to add to the next seq (usually 0)."""
        skips, self._seq_skips = self._seq_skips, 0
        return skips

    def delay_ws_messages(self, seconds: float, duration_s: float | None = None) -> None:
        """Delay every outgoing WebSocket message by ``seconds`` (for ``duration_s``)."""
        if seconds < 0:
            raise ValueError(f"delay must be >= 0 seconds, got {seconds}")
        until = float("inf") if duration_s is None else self._clock() + duration_s
        self._ws_delay = _Timed(seconds, until) if seconds > 0 else None

    def ws_message_delay_s(self) -> float:
        return self._active(self._ws_delay)

    # ---- all --------------------------------------------------------------------------

    def clear(self) -> None:
        """Disarm every fault (open connections stay registered)."""
        self._rest_failures.clear()
        self._rest_latency = None
        self._lost_replies.clear()
        self._ws_refusal = None
        self._seq_skips = 0
        self._ws_delay = None

    def snapshot(self) -> dict[str, object]:
        """The armed faults, for the admin API."""
        return {
            "pending_rest_failures": list(self._rest_failures),
            "rest_latency_s": self.rest_latency_s(),
            "pending_lost_replies": list(self._lost_replies),
            "ws_upgrade_refusal": self.ws_upgrade_refusal(),
            "pending_seq_skips": self._seq_skips,
            "ws_message_delay_s": self.ws_message_delay_s(),
            "open_ws_connections": self.open_ws_connections,
        }

    def _active(self, timed: _Timed | None) -> float:
        if timed is None or self._clock() >= timed.until:
            return 0.0
        return timed.value
