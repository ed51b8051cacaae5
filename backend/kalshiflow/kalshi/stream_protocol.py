"""Wire format of Kalshi's trade-api v2 WebSocket: commands out, parsed messages in.

Commands are JSON text frames ``{"id": n, "cmd": ..., "params": {...}}``; every command gets
exactly one reply carrying the same ``id``: ``subscribed``, ``unsubscribed``, ``ok`` or
``error`` (the stream sends one channel per ``subscribe`` and one sid per ``unsubscribe`` so
that this holds). Data messages carry ``type``, ``sid``, optionally ``seq``, and ``msg``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import Any, Final

import orjson

Message = dict[str, Any]
"""A parsed Kalshi message: the JSON object exactly as received."""

# Channels whose subscription state can be rebuilt from a snapshot (get_snapshot / resubscribe).
SNAPSHOT_CHANNELS: Final = frozenset({"orderbook_delta"})

REPLY_TYPES: Final = frozenset({"subscribed", "unsubscribed", "ok", "error", "list_subscriptions"})


class WsErrorCode(IntEnum):
    """Kalshi's numbered WebSocket error codes (AsyncAPI "Error Codes")."""

    UNABLE_TO_PROCESS = 1
    PARAMS_REQUIRED = 2
    CHANNELS_REQUIRED = 3
    SIDS_REQUIRED = 4
    UNKNOWN_COMMAND = 5
    ALREADY_SUBSCRIBED = 6
    UNKNOWN_SID = 7
    UNKNOWN_CHANNEL = 8
    AUTH_REQUIRED = 9
    CHANNEL_ERROR = 10
    INVALID_PARAMETER = 11
    EXACTLY_ONE_SID = 12
    UNSUPPORTED_ACTION = 13
    MARKET_TICKER_REQUIRED = 14
    ACTION_REQUIRED = 15
    MARKET_NOT_FOUND = 16
    INTERNAL_ERROR = 17
    COMMAND_TIMEOUT = 18
    SUBSCRIPTION_BUFFER_OVERFLOW = 25
    MARKET_LIMIT_EXCEEDED = 26
    TOO_MANY_REQUESTS = 27


# Kalshi documents these as terminal for the subscription: the client must resubscribe.
TERMINAL_ERROR_CODES: Final = frozenset(
    {
        WsErrorCode.CHANNEL_ERROR,
        WsErrorCode.INTERNAL_ERROR,
        WsErrorCode.SUBSCRIPTION_BUFFER_OVERFLOW,
    }
)


class ProtocolError(ValueError):
    """A frame that is not a JSON object (the stream counts and skips it)."""


class KalshiWsError(Exception):
    """Kalshi answered a command with ``{"type": "error", "msg": {"code": n, "msg": ...}}``."""

    def __init__(self, code: int, message: str, *, command: str, market_ticker: str | None = None):
        self.code = code
        self.message = message
        self.command = command
        self.market_ticker = market_ticker
        try:
            name = WsErrorCode(code).name.lower()
        except ValueError:
            name = "unknown_code"
        where = f" (market {market_ticker})" if market_ticker else ""
        super().__init__(f"Kalshi rejected {command}: error {code} {name}: {message}{where}")


class StreamClosedError(RuntimeError):
    """The stream was closed with ``aclose()``; no more events or commands."""


class StreamNotConnectedError(RuntimeError):
    """A command that only makes sense on a live connection was issued while disconnected."""


def encode_command(cmd_id: int, cmd: str, params: Mapping[str, object] | None = None) -> bytes:
    body: dict[str, object] = {"id": cmd_id, "cmd": cmd}
    if params is not None:
        body["params"] = dict(params)
    return orjson.dumps(body)


def subscribe_params(
    channel: str,
    market_tickers: Iterable[str] | None,
    extra: Mapping[str, object] | None = None,
) -> dict[str, object]:
    params: dict[str, object] = dict(extra or {})
    params["channels"] = [channel]
    if market_tickers is not None:
        params["market_tickers"] = sorted(market_tickers)
    return params


def update_params(sid: int, action: str, market_tickers: Iterable[str]) -> dict[str, object]:
    return {"sids": [sid], "market_tickers": sorted(market_tickers), "action": action}


def decode_message(raw: str | bytes) -> Message:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ProtocolError(f"frame is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ProtocolError(f"frame is JSON {type(value).__name__}, expected an object")
    return value


def error_from_reply(reply: Mapping[str, Any], command: str) -> KalshiWsError:
    body = reply.get("msg")
    if not isinstance(body, Mapping):
        return KalshiWsError(0, f"malformed error reply: {reply!r}", command=command)
    code = body.get("code")
    text = body.get("msg")
    ticker = body.get("market_ticker")
    return KalshiWsError(
        code if isinstance(code, int) else 0,
        text if isinstance(text, str) else "",
        command=command,
        market_ticker=ticker if isinstance(ticker, str) else None,
    )


def subscribed_sid(reply: Mapping[str, Any]) -> int:
    """The sid of a ``subscribed`` reply (``msg.sid``; some servers put it top-level)."""
    body = reply.get("msg")
    sid = body.get("sid") if isinstance(body, Mapping) else None
    if sid is None:
        sid = reply.get("sid")
    if not isinstance(sid, int):
        raise ProtocolError(f"subscribed reply without an integer sid: {reply!r}")
    return sid


def subscription_list(reply: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Entries of a list_subscriptions reply (current ``msg: [...]`` or older ``subscriptions``)."""
    for value in (reply.get("msg"), reply.get("subscriptions")):
        if isinstance(value, list):
            return [dict(entry) for entry in value if isinstance(entry, Mapping)]
        if isinstance(value, Mapping) and isinstance(value.get("subscriptions"), list):
            return [dict(e) for e in value["subscriptions"] if isinstance(e, Mapping)]
    return []


def market_ticker_of(message: Mapping[str, Any]) -> str | None:
    body = message.get("msg")
    if isinstance(body, Mapping):
        ticker = body.get("market_ticker")
        if isinstance(ticker, str):
            return ticker
    return None
