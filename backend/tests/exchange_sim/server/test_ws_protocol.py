"""Command parsing and reply encoding of the WebSocket server (pure, no sockets)."""

from __future__ import annotations

import orjson
import pytest

from kalshiflow.exchange_sim.server.ws_protocol import (
    CommandError,
    ErrorCode,
    ListSubscriptions,
    Subscribe,
    Unsubscribe,
    UpdateSubscription,
    encode_error,
    encode_list,
    encode_ok_markets,
    encode_subscribed,
    encode_unsubscribed,
    parse_command,
)


def _code(raw: str) -> tuple[ErrorCode, int | None]:
    with pytest.raises(CommandError) as info:
        parse_command(raw)
    return info.value.code, info.value.cmd_id


def test_parses_each_command() -> None:
    sub = parse_command(
        '{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta","ticker"],'
        '"market_tickers":["A","B","A"],"send_initial_snapshot":true}}'
    )
    assert sub == Subscribe(1, ("orderbook_delta", "ticker"), ("A", "B"), True, False)
    single = parse_command(
        '{"id":2,"cmd":"subscribe","params":{"channels":["trade"],"market_ticker":"A"}}'
    )
    assert isinstance(single, Subscribe)
    assert single.market_tickers == ("A",)
    assert parse_command('{"id":3,"cmd":"unsubscribe","params":{"sids":[1,2]}}') == Unsubscribe(
        3, (1, 2)
    )
    assert parse_command(
        '{"id":4,"cmd":"update_subscription","params":{"sids":[5],"action":"add_markets",'
        '"market_tickers":["C"]}}'
    ) == UpdateSubscription(4, 5, "add_markets", ("C",))
    assert parse_command(
        '{"id":5,"cmd":"update_subscription","params":{"sid":6,"action":"get_snapshot"}}'
    ) == UpdateSubscription(5, 6, "get_snapshot", None)
    assert parse_command('{"id":6,"cmd":"list_subscriptions"}') == ListSubscriptions(6)
    # id 0 means "no id" on Kalshi.
    assert parse_command('{"id":0,"cmd":"list_subscriptions"}') == ListSubscriptions(None)


@pytest.mark.parametrize(
    ("raw", "code", "cmd_id"),
    [
        ("not json", ErrorCode.UNABLE_TO_PROCESS, None),
        ("[1,2]", ErrorCode.UNABLE_TO_PROCESS, None),
        ('{"id":"x","cmd":"subscribe"}', ErrorCode.UNABLE_TO_PROCESS, None),
        ('{"id":1,"cmd":"subscribe"}', ErrorCode.PARAMS_REQUIRED, 1),
        ('{"id":2,"cmd":"subscribe","params":{}}', ErrorCode.CHANNELS_REQUIRED, 2),
        ('{"id":3,"cmd":"subscribe","params":{"channels":[]}}', ErrorCode.CHANNELS_REQUIRED, 3),
        ('{"id":4,"cmd":"unsubscribe","params":{}}', ErrorCode.SIDS_REQUIRED, 4),
        ('{"id":5,"cmd":"frobnicate","params":{}}', ErrorCode.UNKNOWN_COMMAND, 5),
        ('{"id":6}', ErrorCode.UNKNOWN_COMMAND, 6),
        ('{"id":7,"cmd":"subscribe","params":{"channels":["nope"]}}', ErrorCode.UNKNOWN_CHANNEL, 7),
        (
            '{"id":8,"cmd":"subscribe","params":{"channels":["trade"],"market_ticker":"A",'
            '"market_tickers":["B"]}}',
            ErrorCode.INVALID_PARAMETER,
            8,
        ),
        (
            '{"id":9,"cmd":"subscribe","params":{"channels":["trade"],"market_tickers":"A"}}',
            ErrorCode.INVALID_PARAMETER,
            9,
        ),
        (
            '{"id":17,"cmd":"subscribe","params":{"channels":["ticker"],"market_ids":["x"]}}',
            ErrorCode.INVALID_PARAMETER,
            17,
        ),
        ('{"id":10,"cmd":"unsubscribe","params":{"sids":["a"]}}', ErrorCode.INVALID_PARAMETER, 10),
        (
            '{"id":11,"cmd":"update_subscription","params":{"sids":[1,2],"action":"add_markets"}}',
            ErrorCode.EXACTLY_ONE_SID,
            11,
        ),
        (
            '{"id":12,"cmd":"update_subscription","params":{"action":"add_markets"}}',
            ErrorCode.EXACTLY_ONE_SID,
            12,
        ),
        (
            '{"id":13,"cmd":"update_subscription","params":{"sid":1,"action":"explode"}}',
            ErrorCode.UNSUPPORTED_ACTION,
            13,
        ),
        ('{"id":14,"cmd":"update_subscription","params":{"sid":1}}', ErrorCode.ACTION_REQUIRED, 14),
        ('{"id":15,"cmd":"update_subscription"}', ErrorCode.PARAMS_REQUIRED, 15),
        (
            '{"id":16,"cmd":"subscribe","params":{"channels":["trade"],"skip_ticker_ack":1}}',
            ErrorCode.INVALID_PARAMETER,
            16,
        ),
    ],
)
def test_error_codes(raw: str, code: ErrorCode, cmd_id: int | None) -> None:
    assert _code(raw) == (code, cmd_id)


def test_reply_shapes() -> None:
    assert orjson.loads(encode_subscribed(1, "orderbook_delta", 1)) == {
        "id": 1,
        "type": "subscribed",
        "msg": {"channel": "orderbook_delta", "sid": 1},
    }
    assert orjson.loads(encode_unsubscribed(2, 2, 7)) == {
        "id": 2,
        "sid": 2,
        "seq": 7,
        "type": "unsubscribed",
    }
    assert orjson.loads(encode_ok_markets(3, 1, 222, ["M1"])) == {
        "id": 3,
        "sid": 1,
        "seq": 222,
        "type": "ok",
        "msg": {"market_tickers": ["M1"]},
    }
    assert orjson.loads(encode_list(4, [("ticker", 2)])) == {
        "id": 4,
        "type": "ok",
        "msg": [{"channel": "ticker", "sid": 2}],
    }
    error = CommandError(ErrorCode.UNKNOWN_CHANNEL, 5)
    assert orjson.loads(encode_error(error)) == {
        "id": 5,
        "type": "error",
        "msg": {"code": 8, "msg": "Unknown channel name"},
    }
    # Without an id (unparseable frame) the reply has no id key at all.
    assert "id" not in orjson.loads(encode_error(CommandError(ErrorCode.UNABLE_TO_PROCESS)))
    not_found = CommandError(ErrorCode.MARKET_NOT_FOUND, 6, market_ticker="NOPE")
    assert orjson.loads(encode_error(not_found))["msg"] == {
        "code": 16,
        "msg": "Market not found",
        "market_ticker": "NOPE",
    }
