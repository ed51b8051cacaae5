"""The stream's small parts on their own: backoff, seq tracking, the bounded event queue,
command encoding and reply parsing, configuration checks."""

from __future__ import annotations

import asyncio
import random

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.kalshi.stream_backoff import Backoff
from kalshiflow.kalshi.stream_config import StreamConfig
from kalshiflow.kalshi.stream_events import EventQueue, StreamEvent, StreamEventKind
from kalshiflow.kalshi.stream_gate import Admission, admit
from kalshiflow.kalshi.stream_protocol import (
    KalshiWsError,
    ProtocolError,
    StreamClosedError,
    decode_message,
    encode_command,
    error_from_reply,
    subscribe_params,
    subscribed_sid,
    subscription_list,
    update_params,
)
from kalshiflow.kalshi.stream_seq import SeqStatus, SeqTracker
from kalshiflow.kalshi.stream_subscriptions import SubscriptionRegistry, SubscriptionState

# -- backoff -------------------------------------------------------------------------------


def test_backoff_grows_geometrically_to_the_cap() -> None:
    backoff = Backoff(0.5, 8.0, jitter=0.0)
    assert [backoff.next_delay() for _ in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    backoff.reset()
    assert backoff.next_delay() == 0.5


@settings(max_examples=200, deadline=None)
@given(
    base=st.floats(0.001, 5),
    cap_factor=st.floats(1, 100),
    jitter=st.floats(0, 1),
    attempts=st.integers(0, 200),
    seed=st.integers(0, 2**32),
)
def test_backoff_delay_stays_within_jitter_band(
    base: float, cap_factor: float, jitter: float, attempts: int, seed: int
) -> None:
    backoff = Backoff(base, base * cap_factor, jitter=jitter, rng=random.Random(seed))
    backoff.attempts = attempts
    ceiling = backoff.ceiling()
    delay = backoff.next_delay()
    assert ceiling <= base * cap_factor
    assert ceiling * (1 - jitter) - 1e-12 <= delay <= ceiling + 1e-12


def test_backoff_jitter_spreads_clients() -> None:
    delays = {Backoff(1.0, 1.0, jitter=0.5, rng=random.Random(s)).next_delay() for s in range(20)}
    assert len(delays) == 20
    assert all(0.5 <= d <= 1.0 for d in delays)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base": 0, "maximum": 1}, "base must be > 0"),
        ({"base": 2, "maximum": 1}, "must be >= backoff base"),
        ({"base": 1, "maximum": 2, "jitter": 1.5}, "jitter must be within"),
        ({"base": 1, "maximum": 2, "factor": 0.5}, "factor must be >= 1"),
    ],
)
def test_backoff_rejects_nonsense(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Backoff(**kwargs)  # type: ignore[arg-type]


# -- seq -----------------------------------------------------------------------------------


def test_seq_tracker_classifies() -> None:
    tracker = SeqTracker()
    assert tracker.check(5) is SeqStatus.FIRST
    assert tracker.check(6) is SeqStatus.OK
    assert tracker.check(8) is SeqStatus.GAP
    assert tracker.last == 6  # a bad number does not move the anchor
    assert tracker.check(6) is SeqStatus.STALE
    assert tracker.check(3) is SeqStatus.STALE
    assert tracker.expected() == 7
    tracker.advance_if_next(9)
    assert tracker.last == 6
    tracker.advance_if_next(7)
    assert tracker.last == 7
    tracker.reset(100)
    assert tracker.check(101) is SeqStatus.OK
    tracker.reset()
    assert tracker.check(1) is SeqStatus.FIRST


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 50), min_size=1, max_size=40))
def test_seq_tracker_flags_exactly_the_non_consecutive(seqs: list[int]) -> None:
    tracker = SeqTracker()
    last: int | None = None
    for seq in seqs:
        status = tracker.check(seq)
        if last is None:
            assert status is SeqStatus.FIRST
            last = seq
        elif seq == last + 1:
            assert status is SeqStatus.OK
            last = seq
        else:
            assert status is (SeqStatus.GAP if seq > last + 1 else SeqStatus.STALE)


# -- event queue ---------------------------------------------------------------------------


def _msg(n: int) -> StreamEvent:
    return StreamEvent(StreamEventKind.MESSAGE, {"type": "trade", "n": n}, sub_key=1)


async def test_queue_bounds_messages_but_never_control_events() -> None:
    queue = EventQueue(max_messages=3, low_water=1)
    drained: list[int] = []
    queue.on_drained = lambda: drained.append(queue.message_count)
    assert all(queue.offer_message(_msg(n)) for n in range(3))
    assert not queue.offer_message(_msg(3))
    queue.put_control(StreamEvent(StreamEventKind.RESYNC, sub_key=1, reason="behind"))
    assert len(queue) == 4
    got = [await queue.get() for _ in range(2)]
    assert [e.message["n"] for e in got] == [0, 1]
    assert drained == [1]  # reached the low-water mark once
    assert (await queue.get()).message["n"] == 2
    assert (await queue.get()).kind is StreamEventKind.RESYNC
    assert drained == [1]
    assert queue.get_nowait() is None


async def test_queue_get_waits_and_close_wakes_consumers() -> None:
    queue = EventQueue(max_messages=2, low_water=0)
    waiter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    queue.offer_message(_msg(1))
    assert (await waiter).message["n"] == 1
    blocked = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    queue.close()
    with pytest.raises(StreamClosedError):
        await blocked
    assert queue.offer_message(_msg(2))  # accepted and ignored after close, no overflow


def test_queue_rejects_bad_bounds() -> None:
    with pytest.raises(ValueError, match="queue bound"):
        EventQueue(0, 0)
    with pytest.raises(ValueError, match="low-water"):
        EventQueue(5, 5)


# -- protocol ------------------------------------------------------------------------------


def test_commands_match_kalshi_wire_format() -> None:
    params = subscribe_params("orderbook_delta", ["B", "A"], {"send_initial_snapshot": True})
    assert orjson.loads(encode_command(1, "subscribe", params)) == {
        "id": 1,
        "cmd": "subscribe",
        "params": {
            "send_initial_snapshot": True,
            "channels": ["orderbook_delta"],
            "market_tickers": ["A", "B"],
        },
    }
    assert orjson.loads(encode_command(4, "list_subscriptions")) == {
        "id": 4,
        "cmd": "list_subscriptions",
    }
    assert subscribe_params("fill", None) == {"channels": ["fill"]}
    assert update_params(7, "get_snapshot", {"T2", "T1"}) == {
        "sids": [7],
        "market_tickers": ["T1", "T2"],
        "action": "get_snapshot",
    }


def test_replies_are_parsed_in_every_documented_shape() -> None:
    assert subscribed_sid({"type": "subscribed", "id": 1, "msg": {"channel": "x", "sid": 3}}) == 3
    assert subscribed_sid({"type": "subscribed", "id": 1, "sid": 4}) == 4
    with pytest.raises(ProtocolError, match="without an integer sid"):
        subscribed_sid({"type": "subscribed", "id": 1, "msg": {}})
    entries = [{"channel": "ticker", "sid": 2}]
    assert subscription_list({"type": "ok", "id": 4, "msg": entries}) == entries
    assert subscription_list({"type": "list_subscriptions", "subscriptions": entries}) == entries
    error = error_from_reply(
        {
            "type": "error",
            "id": 5,
            "msg": {"code": 16, "msg": "Market not found", "market_ticker": "X"},
        },
        "subscribe",
    )
    assert isinstance(error, KalshiWsError)
    assert (error.code, error.message, error.market_ticker) == (16, "Market not found", "X")
    assert (
        str(error)
        == "Kalshi rejected subscribe: error 16 market_not_found: Market not found (market X)"
    )


def test_decode_rejects_non_objects() -> None:
    assert decode_message(b'{"type":"trade"}') == {"type": "trade"}
    with pytest.raises(ProtocolError, match="not JSON"):
        decode_message("{oops")
    with pytest.raises(ProtocolError, match="expected an object"):
        decode_message("[1, 2]")


# -- config --------------------------------------------------------------------------------


def test_config_checks_and_signing_path() -> None:
    config = StreamConfig()
    assert config.url == "wss://external-api-ws.kalshi.com/trade-api/ws/v2"
    assert config.signing_path == "/trade-api/ws/v2"
    assert config.low_water == config.queue_max_messages // 2
    with pytest.raises(ValueError, match="ws:// or wss://"):
        StreamConfig(url="https://external-api.kalshi.com/trade-api/v2")
    with pytest.raises(ValueError, match="liveness_timeout"):
        StreamConfig(liveness_timeout=0)
    with pytest.raises(ValueError, match="resync_method"):
        StreamConfig(resync_method="guess")  # type: ignore[arg-type]


# -- gate ----------------------------------------------------------------------------------


def _book_msg(mtype: str, seq: int, ticker: str) -> dict[str, object]:
    return {"type": mtype, "sid": 1, "seq": seq, "msg": {"market_ticker": ticker}}


def test_gate_checks_seq_and_discards_stale_messages_during_resync() -> None:
    sub = SubscriptionRegistry().create("orderbook_delta", ["A", "B"], {})
    sub.state = SubscriptionState.ACTIVE
    assert admit(sub, _book_msg("orderbook_snapshot", 1, "A"))[0] is Admission.DELIVER
    assert admit(sub, _book_msg("orderbook_delta", 2, "A"))[0] is Admission.DELIVER
    verdict, detail = admit(sub, _book_msg("orderbook_delta", 4, "A"))
    assert verdict is Admission.GAP
    assert detail == "seq gap on sid None: expected 3, got 4"
    assert admit(sub, _book_msg("orderbook_delta", 2, "B"))[0] is Admission.GAP  # out of order

    # What SubscriptionSync.enter_resync sets up:
    sub.state = SubscriptionState.RESYNCING
    sub.needs_anchor = True
    sub.awaiting_snapshot = {"A", "B"}
    assert admit(sub, _book_msg("orderbook_delta", 5, "A"))[0] is Admission.DISCARD
    assert admit(sub, _book_msg("orderbook_snapshot", 9, "A"))[0] is Admission.DELIVER
    assert admit(sub, _book_msg("orderbook_delta", 10, "B"))[0] is Admission.DISCARD
    assert admit(sub, _book_msg("orderbook_delta", 11, "A"))[0] is Admission.DELIVER
    assert sub.state is SubscriptionState.RESYNCING
    assert not sub.resync_wake.is_set()
    assert admit(sub, _book_msg("orderbook_snapshot", 12, "B"))[0] is Admission.DELIVER
    assert sub.info().state is SubscriptionState.ACTIVE
    assert sub.resync_wake.is_set()
    assert admit(sub, _book_msg("orderbook_delta", 13, "B"))[0] is Admission.DELIVER


def test_gate_on_channels_without_snapshots_reanchors_and_delivers() -> None:
    sub = SubscriptionRegistry().create("order_group_updates", None, {})
    sub.state = SubscriptionState.ACTIVE
    msg = {"type": "order_group_updates", "sid": 3, "seq": 1, "msg": {}}
    assert admit(sub, msg)[0] is Admission.DELIVER
    assert admit(sub, {**msg, "seq": 5})[0] is Admission.GAP_DELIVER
    assert admit(sub, {**msg, "seq": 6})[0] is Admission.DELIVER
    assert admit(sub, {"type": "trade", "sid": 3, "msg": {}})[0] is Admission.DELIVER  # no seq
