"""Kalshi WebSocket commands: parsing client frames and encoding the command replies.

Everything here is pure (no sockets, no engine) so the validation order, which decides which
numbered error a malformed command gets, is testable on its own and matches Kalshi's:

* frame is not a JSON object, or ``id`` is not an integer -> 1 "Unable to process message"
* ``cmd`` unknown -> 5; ``params`` missing where the command needs it -> 2
* subscribe: ``channels`` missing/empty -> 3, a name we do not know -> 8, ``market_ticker``
  together with ``market_tickers`` or a malformed ticker list -> 11
* unsubscribe: ``sids`` missing/empty -> 4, not integers -> 11
* update_subscription: ``action`` missing -> 15, unknown -> 13, not exactly one sid -> 12

Checks that need connection or exchange state (unknown sid 7, market required 14, market not
found 16, authentication 9) happen in the fan-out hub, which raises :class:`CommandError` too.
Error 6 ("Already subscribed") is retired on Kalshi (re-subscribing is idempotent), so it is
never produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import orjson

from kalshiflow.kalshi.stream_protocol import WsErrorCode

# One table of Kalshi's numbered error codes for both sides of the protocol: the client
# (kalshi/stream_protocol.py) and this server must never disagree about a number.
ErrorCode = WsErrorCode


# Kalshi's human-readable texts for each code (AsyncAPI error table).
ERROR_TEXT: Final[dict[ErrorCode, str]] = {
    ErrorCode.UNABLE_TO_PROCESS: "Unable to process message",
    ErrorCode.PARAMS_REQUIRED: "Params required",
    ErrorCode.CHANNELS_REQUIRED: "Channels required",
    ErrorCode.SIDS_REQUIRED: "Subscription IDs required",
    ErrorCode.UNKNOWN_COMMAND: "Unknown command",
    ErrorCode.ALREADY_SUBSCRIBED: "Already subscribed",
    ErrorCode.UNKNOWN_SID: "Unknown subscription ID",
    ErrorCode.UNKNOWN_CHANNEL: "Unknown channel name",
    ErrorCode.AUTH_REQUIRED: "Authentication required",
    ErrorCode.CHANNEL_ERROR: "Channel error",
    ErrorCode.INVALID_PARAMETER: "Invalid parameter",
    ErrorCode.EXACTLY_ONE_SID: "Exactly one subscription ID is required",
    ErrorCode.UNSUPPORTED_ACTION: "Unsupported action",
    ErrorCode.MARKET_TICKER_REQUIRED: "Market Ticker required",
    ErrorCode.ACTION_REQUIRED: "Action required",
    ErrorCode.MARKET_NOT_FOUND: "Market not found",
    ErrorCode.INTERNAL_ERROR: "Internal error",
    ErrorCode.SUBSCRIPTION_BUFFER_OVERFLOW: "Subscription buffer overflow",
}


class Channel:
    """Channel names a client may subscribe to (the ones the simulator feeds)."""

    ORDERBOOK_DELTA: Final = "orderbook_delta"
    TICKER: Final = "ticker"
    TRADE: Final = "trade"
    FILL: Final = "fill"
    MARKET_POSITIONS: Final = "market_positions"
    USER_ORDERS: Final = "user_orders"
    MARKET_LIFECYCLE_V2: Final = "market_lifecycle_v2"


CHANNELS: Final[frozenset[str]] = frozenset(
    {
        Channel.ORDERBOOK_DELTA,
        Channel.TICKER,
        Channel.TRADE,
        Channel.FILL,
        Channel.MARKET_POSITIONS,
        Channel.USER_ORDERS,
        Channel.MARKET_LIFECYCLE_V2,
    }
)
# Channels that carry only the connection's own account data, or need an authenticated
# connection for another reason (Kalshi lists orderbook_delta as auth-required).
AUTH_CHANNELS: Final[frozenset[str]] = frozenset(
    {Channel.ORDERBOOK_DELTA, Channel.FILL, Channel.MARKET_POSITIONS, Channel.USER_ORDERS}
)
PRIVATE_CHANNELS: Final[frozenset[str]] = frozenset(
    {Channel.FILL, Channel.MARKET_POSITIONS, Channel.USER_ORDERS}
)
# Channels whose subscriptions must name markets, and channels that take no market filter.
MARKETS_REQUIRED: Final[frozenset[str]] = frozenset({Channel.ORDERBOOK_DELTA})
NO_MARKET_FILTER: Final[frozenset[str]] = frozenset({Channel.MARKET_LIFECYCLE_V2})
# Channels whose messages carry a per-subscription ``seq``.
SEQUENCED: Final[frozenset[str]] = frozenset({Channel.ORDERBOOK_DELTA})


class Action:
    ADD_MARKETS: Final = "add_markets"
    DELETE_MARKETS: Final = "delete_markets"
    GET_SNAPSHOT: Final = "get_snapshot"


ACTIONS: Final[frozenset[str]] = frozenset(
    {Action.ADD_MARKETS, Action.DELETE_MARKETS, Action.GET_SNAPSHOT}
)


class CommandError(Exception):
    """A command that fails with one of Kalshi's numbered WebSocket errors."""

    def __init__(
        self,
        code: ErrorCode,
        cmd_id: int | None = None,
        *,
        detail: str | None = None,
        market_ticker: str | None = None,
    ) -> None:
        self.code = code
        self.cmd_id = cmd_id
        # Kalshi's texts are terse; ``detail`` says what to fix and goes after them.
        self.text = ERROR_TEXT[code] if detail is None else f"{ERROR_TEXT[code]}: {detail}"
        self.market_ticker = market_ticker
        super().__init__(f"{int(code)} {self.text}")


# --- parsed commands ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subscribe:
    cmd_id: int | None
    channels: tuple[str, ...]
    market_tickers: tuple[str, ...] | None  # None = no market filter given
    send_initial_snapshot: bool = False
    skip_ticker_ack: bool = False
    use_yes_price: bool = False  # orderbook_delta: NO levels in YES prices (1 - NO price)


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    cmd_id: int | None
    sids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class UpdateSubscription:
    cmd_id: int | None
    sid: int
    action: str
    market_tickers: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class ListSubscriptions:
    cmd_id: int | None


Command = Subscribe | Unsubscribe | UpdateSubscription | ListSubscriptions


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _market_tickers(params: dict[str, object], cmd_id: int | None) -> tuple[str, ...] | None:
    if "market_id" in params or "market_ids" in params:
        # Refused rather than ignored: ignoring the filter would silently mean "all markets".
        raise CommandError(
            ErrorCode.INVALID_PARAMETER,
            cmd_id,
            detail="market_id/market_ids are not supported by the simulator; use market_tickers",
        )
    single = params.get("market_ticker")
    many = params.get("market_tickers")
    if single is not None and many is not None:
        raise CommandError(
            ErrorCode.INVALID_PARAMETER,
            cmd_id,
            detail="market_ticker and market_tickers are mutually exclusive",
        )
    if single is not None:
        if not isinstance(single, str) or not single:
            raise CommandError(
                ErrorCode.INVALID_PARAMETER, cmd_id, detail="market_ticker must be a string"
            )
        return (single,)
    if many is not None:
        if not isinstance(many, list) or not all(isinstance(t, str) and t for t in many):
            raise CommandError(
                ErrorCode.INVALID_PARAMETER,
                cmd_id,
                detail="market_tickers must be an array of strings",
            )
        # Keep the client's order but drop duplicates: a market is in a subscription once.
        return tuple(dict.fromkeys(many))
    return None


def _flag(params: dict[str, object], name: str, cmd_id: int | None) -> bool:
    value = params.get(name, False)
    if not isinstance(value, bool):
        raise CommandError(
            ErrorCode.INVALID_PARAMETER, cmd_id, detail=f"{name} must be true or false"
        )
    return value


def _params(frame: dict[str, object], cmd_id: int | None) -> dict[str, object]:
    params = frame.get("params")
    if params is None:
        raise CommandError(ErrorCode.PARAMS_REQUIRED, cmd_id)
    if not isinstance(params, dict):
        raise CommandError(ErrorCode.INVALID_PARAMETER, cmd_id, detail="params must be an object")
    return params


def _parse_subscribe(frame: dict[str, object], cmd_id: int | None) -> Subscribe:
    params = _params(frame, cmd_id)
    channels = params.get("channels")
    if channels is None or channels == []:
        raise CommandError(ErrorCode.CHANNELS_REQUIRED, cmd_id)
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        raise CommandError(
            ErrorCode.INVALID_PARAMETER, cmd_id, detail="channels must be an array of strings"
        )
    for channel in channels:
        if channel not in CHANNELS:
            raise CommandError(ErrorCode.UNKNOWN_CHANNEL, cmd_id, detail=channel)
    return Subscribe(
        cmd_id=cmd_id,
        channels=tuple(dict.fromkeys(channels)),
        market_tickers=_market_tickers(params, cmd_id),
        send_initial_snapshot=_flag(params, "send_initial_snapshot", cmd_id),
        skip_ticker_ack=_flag(params, "skip_ticker_ack", cmd_id),
        use_yes_price=_flag(params, "use_yes_price", cmd_id),
    )


def _parse_unsubscribe(frame: dict[str, object], cmd_id: int | None) -> Unsubscribe:
    params = _params(frame, cmd_id)
    sids = params.get("sids")
    if sids is None or sids == []:
        raise CommandError(ErrorCode.SIDS_REQUIRED, cmd_id)
    if not isinstance(sids, list) or not all(_is_int(s) for s in sids):
        raise CommandError(
            ErrorCode.INVALID_PARAMETER, cmd_id, detail="sids must be an array of integers"
        )
    return Unsubscribe(cmd_id=cmd_id, sids=tuple(dict.fromkeys(int(s) for s in sids)))


def _parse_update(frame: dict[str, object], cmd_id: int | None) -> UpdateSubscription:
    params = _params(frame, cmd_id)
    action = params.get("action")
    if action is None or action == "":
        raise CommandError(ErrorCode.ACTION_REQUIRED, cmd_id)
    if not isinstance(action, str) or action not in ACTIONS:
        raise CommandError(ErrorCode.UNSUPPORTED_ACTION, cmd_id, detail=str(action))
    sid = params.get("sid")
    sids = params.get("sids")
    if sid is not None and sids is not None:
        raise CommandError(
            ErrorCode.EXACTLY_ONE_SID, cmd_id, detail="give either sid or sids, not both"
        )
    if sids is not None:
        if not isinstance(sids, list) or len(sids) != 1:
            raise CommandError(ErrorCode.EXACTLY_ONE_SID, cmd_id)
        sid = sids[0]
    if sid is None:
        raise CommandError(ErrorCode.EXACTLY_ONE_SID, cmd_id)
    if not _is_int(sid):
        raise CommandError(ErrorCode.INVALID_PARAMETER, cmd_id, detail="sid must be an integer")
    assert isinstance(sid, int)
    return UpdateSubscription(
        cmd_id=cmd_id, sid=sid, action=action, market_tickers=_market_tickers(params, cmd_id)
    )


def parse_command(raw: str | bytes) -> Command:
    """Parse one client frame into a command, or raise :class:`CommandError`."""
    try:
        frame = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise CommandError(ErrorCode.UNABLE_TO_PROCESS, detail="frame is not valid JSON") from None
    if not isinstance(frame, dict):
        raise CommandError(ErrorCode.UNABLE_TO_PROCESS, detail="frame must be a JSON object")
    raw_id = frame.get("id")
    if raw_id is not None and not _is_int(raw_id):
        raise CommandError(ErrorCode.UNABLE_TO_PROCESS, detail="id must be an integer")
    # Kalshi: "If the id is set to 0, the server treats it as if there was no id."
    cmd_id: int | None = raw_id if raw_id else None
    cmd = frame.get("cmd")
    if cmd == "subscribe":
        return _parse_subscribe(frame, cmd_id)
    if cmd == "unsubscribe":
        return _parse_unsubscribe(frame, cmd_id)
    if cmd == "update_subscription":
        return _parse_update(frame, cmd_id)
    if cmd == "list_subscriptions":
        return ListSubscriptions(cmd_id=cmd_id)
    raise CommandError(ErrorCode.UNKNOWN_COMMAND, cmd_id, detail=str(cmd))


# --- replies ----------------------------------------------------------------------------------


def _with_id(reply: dict[str, object], cmd_id: int | None) -> dict[str, object]:
    if cmd_id is not None:
        return {"id": cmd_id, **reply}
    return reply


def encode_error(error: CommandError, sid: int | None = None) -> bytes:
    msg: dict[str, object] = {"code": int(error.code), "msg": error.text}
    if error.market_ticker is not None:
        msg["market_ticker"] = error.market_ticker
    reply: dict[str, object] = {"type": "error"}
    if sid is not None:
        reply["sid"] = sid
    reply["msg"] = msg
    return orjson.dumps(_with_id(reply, error.cmd_id))


def encode_subscribed(cmd_id: int | None, channel: str, sid: int) -> bytes:
    return orjson.dumps(
        _with_id({"type": "subscribed", "msg": {"channel": channel, "sid": sid}}, cmd_id)
    )


def encode_unsubscribed(cmd_id: int | None, sid: int, seq: int | None) -> bytes:
    reply: dict[str, object] = {"sid": sid}
    if seq is not None:
        reply["seq"] = seq
    reply["type"] = "unsubscribed"
    return orjson.dumps(_with_id(reply, cmd_id))


def encode_ok_markets(
    cmd_id: int | None, sid: int, seq: int | None, market_tickers: list[str] | None
) -> bytes:
    reply: dict[str, object] = {"sid": sid}
    if seq is not None:
        reply["seq"] = seq
    reply["type"] = "ok"
    # skip_ticker_ack subscriptions get the ok without the ticker list.
    reply["msg"] = {} if market_tickers is None else {"market_tickers": market_tickers}
    return orjson.dumps(_with_id(reply, cmd_id))


def encode_list(cmd_id: int | None, subscriptions: list[tuple[str, int]]) -> bytes:
    items = [{"channel": channel, "sid": sid} for channel, sid in subscriptions]
    return orjson.dumps(_with_id({"type": "ok", "msg": items}, cmd_id))


__all__ = [
    "ACTIONS",
    "AUTH_CHANNELS",
    "CHANNELS",
    "ERROR_TEXT",
    "MARKETS_REQUIRED",
    "NO_MARKET_FILTER",
    "PRIVATE_CHANNELS",
    "SEQUENCED",
    "Action",
    "Channel",
    "Command",
    "CommandError",
    "ErrorCode",
    "ListSubscriptions",
    "Subscribe",
    "Unsubscribe",
    "UpdateSubscription",
    "encode_error",
    "encode_list",
    "encode_ok_markets",
    "encode_subscribed",
    "encode_unsubscribed",
    "parse_command",
]
