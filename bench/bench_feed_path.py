"""Orderbook deltas per second on one core along the feed path, from WebSocket frame bytes
to an applied book (target >= 300,000/s).

Input: pre-encoded JSON text frames exactly as Kalshi (and the local exchange) send them,
``{"type":"orderbook_delta","sid":1,"seq":N,"msg":{market_ticker, market_id, price_dollars,
delta_fp, side, ts, ts_ms}}``, a valid random walk over 100 markets after one snapshot each.

Three nested measurements, each with the functions the live feed runs:

* ``parse_seq_apply``: the stages the target names. ``decode_message`` (orjson, the
  stream's decoder), the stream's per-sid ``SeqTracker`` check, ``wire.delta_fields`` (the
  client's exact price/size parsing), the market lookup in ``SharedOrderbookState`` and
  ``OrderbookState.apply_delta``.
* ``client_path``: the whole live path: decode, seq check, the stream's hand-off to its
  consumer (a ``StreamEvent`` through its ``EventQueue``), then
  ``OrderbookClient.handle_message`` (parse, apply, a ``DeltaRecord`` submitted to an
  accepting in-memory sink, the bus check). No bus subscriber, so no event is built.
* ``with_subscriber``: the client path plus one conflating ``OrderbookUpdated`` subscriber,
  so every delta also builds an immutable book snapshot and an event.

Baseline measured in the same run: ``orjson.loads`` of every frame alone (the parse floor).
Times are CPU seconds of this process (``time.process_time``): "per second on one core"
without counting other load on a shared machine.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any

import orjson

N_MARKETS = 100
N_DELTAS = 200_000
REPEATS = 3
SID = 1


def _frames(seed: int = 11) -> tuple[list[bytes], list[bytes]]:
    from kalshiflow.kalshi.fixedpoint import format_count, format_price

    rng = random.Random(seed)
    tickers = [f"KXBENCH-26NOV-M{m:03d}" for m in range(N_MARKETS)]
    seq = 0
    snapshots: list[bytes] = []
    live: list[dict[str, dict[int, int]]] = []
    for ticker in tickers:
        yes = {p * 100: rng.randint(1, 50) * 100 for p in range(30, 50)}
        no = {p * 100: rng.randint(1, 50) * 100 for p in range(30, 50)}
        live.append({"yes": dict(yes), "no": dict(no)})
        seq += 1
        body = {
            "market_ticker": ticker,
            "market_id": "6f1d2b0e-5c1a-4b8e-9a57-6b3c1c0a7e11",
            "yes_dollars_fp": [[format_price(p), format_count(c)] for p, c in sorted(yes.items())],
            "no_dollars_fp": [[format_price(p), format_count(c)] for p, c in sorted(no.items())],
        }
        snapshots.append(
            orjson.dumps({"type": "orderbook_snapshot", "sid": SID, "seq": seq, "msg": body})
        )
    deltas: list[bytes] = []
    ts_ms = 1_781_159_489_957
    for _ in range(N_DELTAS):
        m = rng.randrange(N_MARKETS)
        side = "yes" if rng.random() < 0.5 else "no"
        price = rng.randint(25, 55) * 100
        level = live[m][side]
        current = level.get(price, 0)
        if current and rng.random() < 0.5:
            delta = -min(current, rng.randint(1, 20) * 100)
        else:
            delta = rng.randint(1, 20) * 100
        if current + delta:
            level[price] = current + delta
        else:
            level.pop(price, None)
        seq += 1
        ts_ms += rng.randint(0, 3)
        deltas.append(
            b'{"type":"orderbook_delta","sid":%d,"seq":%d,"msg":{"market_ticker":"%s",'
            b'"market_id":"6f1d2b0e-5c1a-4b8e-9a57-6b3c1c0a7e11","price_dollars":"%s",'
            b'"delta_fp":"%s","side":"%s","ts":"2026-06-11T06:31:29.957Z","ts_ms":%d}}'
            % (
                SID,
                seq,
                tickers[m].encode(),
                format_price(price).encode(),
                format_count(delta).encode(),
                side.encode(),
                ts_ms,
            )
        )
    return snapshots, deltas


class _MemorySink:
    """Accepts everything into batches of 1,000 that are then let go, like the WriteQueue's
    batches once written (retaining every record would make the garbage collector, not the
    feed, dominate the measurement)."""

    def __init__(self) -> None:
        self.batch: list[object] = []
        self.accepted = 0

    def submit(self, record: object) -> bool:
        batch = self.batch
        batch.append(record)
        if len(batch) >= 1000:
            self.accepted += len(batch)
            batch.clear()
        return True


def _client(subscriber: bool) -> tuple[Any, Any]:
    from kalshiflow.events import EventBus, OrderbookUpdated
    from kalshiflow.kalshi.stream import KalshiStream
    from kalshiflow.kalshi.stream_config import StreamConfig
    from kalshiflow.marketdata.orderbook_client import OrderbookClient

    bus = EventBus()
    if subscriber:
        bus.subscribe(OrderbookUpdated, policy="conflate", maxsize=N_MARKETS)
    # The stream is never started: the benchmark feeds frames to the same code directly.
    stream = KalshiStream(StreamConfig(url="ws://127.0.0.1:9/trade-api/ws/v2"))
    client = OrderbookClient(stream, _MemorySink(), bus, session_id=1)  # type: ignore[arg-type]
    return client, bus


def _prepared(subscriber: bool) -> tuple[Any, Any]:
    from kalshiflow.kalshi.stream_protocol import decode_message
    from kalshiflow.kalshi.stream_seq import SeqTracker

    snapshots, _ = _FRAMES
    client, _bus = _client(subscriber)
    client.books.add(orjson.loads(s)["msg"]["market_ticker"] for s in snapshots)
    tracker = SeqTracker()
    for frame in snapshots:
        msg = decode_message(frame)
        tracker.check(msg["seq"])
        client.handle_message(msg)
    return client, tracker


def _core_pass() -> float:
    """decode -> seq check -> parse -> apply."""
    from kalshiflow.kalshi.stream_protocol import decode_message
    from kalshiflow.kalshi.stream_seq import SeqStatus
    from kalshiflow.marketdata.orderbook import APPLIED
    from kalshiflow.marketdata.wire import delta_fields

    client, tracker = _prepared(False)
    books = client.books.books()
    ok = SeqStatus.OK
    started = time.process_time()
    for frame in _FRAMES[1]:
        msg = decode_message(frame)
        seq = msg["seq"]
        if tracker.check(seq) is not ok:
            raise RuntimeError("benchmark frames out of sequence")
        body = msg["msg"]
        is_yes, price, delta = delta_fields(body)
        book = books[body["market_ticker"]]
        if book.apply_delta(is_yes, price, delta, seq, 0, body.get("ts_ms")) != APPLIED:
            raise RuntimeError("benchmark delta rejected")
    return time.process_time() - started


def _client_pass(subscriber: bool) -> tuple[float, Any]:
    """decode -> seq check -> stream hand-off -> OrderbookClient.handle_message."""
    from kalshiflow.kalshi.stream_events import EventQueue, StreamEvent, StreamEventKind
    from kalshiflow.kalshi.stream_protocol import decode_message
    from kalshiflow.kalshi.stream_seq import SeqStatus

    client, tracker = _prepared(subscriber)
    queue = EventQueue(10_000, 5_000)
    handle = client.handle_message
    message_kind = StreamEventKind.MESSAGE
    ok = SeqStatus.OK
    started = time.process_time()
    for frame in _FRAMES[1]:
        msg = decode_message(frame)
        if tracker.check(msg["seq"]) is not ok:
            raise RuntimeError("benchmark frames out of sequence")
        queue.offer_message(StreamEvent(message_kind, msg, 1, "orderbook_delta"))
        event = queue.get_nowait()
        assert event is not None
        handle(event.message)
    return time.process_time() - started, client


def _parse_floor(deltas: list[bytes]) -> float:
    loads = orjson.loads
    started = time.process_time()
    for frame in deltas:
        loads(frame)
    return time.process_time() - started


_FRAMES: tuple[list[bytes], list[bytes]] = ([], [])


async def _measure() -> dict[str, object]:
    global _FRAMES
    _FRAMES = _frames()
    deltas = _FRAMES[1]
    core = min(_core_pass() for _ in range(REPEATS))
    client_runs = [_client_pass(False) for _ in range(REPEATS)]
    client_path = min(t for t, _ in client_runs)
    with_sub = min(_client_pass(True)[0] for _ in range(REPEATS))
    floor = min(_parse_floor(deltas) for _ in range(REPEATS))
    counters = client_runs[0][1].counters
    n = len(deltas)
    return {
        "deltas": n,
        "markets": N_MARKETS,
        "client_applied": counters.deltas,
        "client_rejects": counters.rejects,
        "parse_seq_apply_per_s": round(n / core),
        "parse_seq_apply_us_per_delta": round(core / n * 1e6, 3),
        "client_path_per_s": round(n / client_path),
        "client_path_us_per_delta": round(client_path / n * 1e6, 3),
        "with_subscriber_per_s": round(n / with_sub),
        "baseline_orjson_loads_per_s": round(n / floor),
        "target_per_s": 300_000,
    }


def run() -> dict[str, object]:
    # The client touches the running loop only for resync requests; give it one anyway.
    return asyncio.run(_measure())


if __name__ == "__main__":
    print(json.dumps(run()))
