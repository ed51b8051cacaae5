"""OrderbookClient message handling without a network: apply, record, publish only when the
recorder accepted, rejections, resync on lost messages, trades and ticker.

The stream object is real but never started; messages are fed with ``handle_message`` and
stream events with the client's event handler, exactly as its consumer task would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from kalshiflow.events import (
    EventBus,
    FeedHealthChanged,
    OrderbookUpdated,
    TickerUpdated,
    TradeReceived,
)
from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_config import StreamConfig
from kalshiflow.kalshi.stream_events import StreamEvent, StreamEventKind
from kalshiflow.marketdata.catalog import MarketInfo
from kalshiflow.marketdata.orderbook_client import OrderbookClient
from kalshiflow.persistence.records import DeltaRecord, Record, SnapshotRecord, TradeRecord


class MemorySink:
    """An in-memory stand-in for the WriteQueue that can be told to refuse."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.accepting = True

    def submit(self, record: Record) -> bool:
        if not self.accepting:
            return False
        self.records.append(record)
        return True


@pytest.fixture
async def setup() -> AsyncIterator[tuple[OrderbookClient, MemorySink, EventBus]]:
    stream = KalshiStream(StreamConfig(url="ws://127.0.0.1:9/trade-api/ws/v2"))
    sink = MemorySink()
    bus = EventBus()
    client = OrderbookClient(stream, sink, bus, session_id=42)
    client.books.add(["A", "B"])
    yield client, sink, bus
    await stream.aclose()


def snapshot(ticker: str, seq: int, yes: list[list[str]], no: list[list[str]]) -> dict[str, Any]:
    body: dict[str, Any] = {"market_ticker": ticker, "market_id": "x"}
    if yes:
        body["yes_dollars_fp"] = yes
    if no:
        body["no_dollars_fp"] = no
    return {"type": "orderbook_snapshot", "sid": 1, "seq": seq, "msg": body}


def delta(ticker: str, seq: int, side: str, price: str, size: str) -> dict[str, Any]:
    return {
        "type": "orderbook_delta",
        "sid": 1,
        "seq": seq,
        "msg": {
            "market_ticker": ticker,
            "market_id": "x",
            "price_dollars": price,
            "delta_fp": size,
            "side": side,
            "ts": "2026-06-11T06:31:29.957Z",
            "ts_ms": 1781159489957 + seq,
        },
    }


async def test_apply_record_publish(setup: tuple[OrderbookClient, MemorySink, EventBus]) -> None:
    client, sink, bus = setup
    events = bus.subscribe(OrderbookUpdated)
    client.handle_message(snapshot("A", 1, [["0.4700", "3.00"]], [["0.4800", "2.00"]]), 100)
    client.handle_message(delta("A", 2, "yes", "0.4700", "-1.50"), 101)
    client.handle_message(delta("A", 3, "no", "0.5000", "4.00"), 102)
    book = client.books.get("A")
    assert book is not None
    assert book.yes_bids == ((4700, 150),)
    assert book.no_bids == ((5000, 400), (4800, 200))
    assert book.best_yes_ask == 5000
    assert client.books.is_ready("A")
    assert not client.books.is_ready("B")
    assert sink.records == [
        SnapshotRecord(42, "A", 1, None, 100, ((4700, 300),), ((4800, 200),)),
        DeltaRecord(42, "A", 2, 1781159489959, 101, "yes", 4700, -150),
        DeltaRecord(42, "A", 3, 1781159489960, 102, "no", 5000, 400),
    ]
    got = [events.get_nowait() for _ in range(3)]
    assert [(e.kind, e.seq, e.received_ns) for e in got if e] == [
        ("snapshot", 1, 100),
        ("delta", 2, 101),
        ("delta", 3, 102),
    ]
    assert got[2] is not None
    assert got[2].book == book
    assert got[2].exchange_ts_ms == 1781159489960
    assert got[0] is not None
    assert got[0].book.yes_bids == ((4700, 300),)  # each event keeps the book as it was


async def test_no_event_when_the_recorder_refuses(
    setup: tuple[OrderbookClient, MemorySink, EventBus],
) -> None:
    client, sink, bus = setup
    events = bus.subscribe(OrderbookUpdated)
    client.handle_message(snapshot("A", 1, [["0.4700", "3.00"]], []))
    sink.accepting = False
    client.handle_message(delta("A", 2, "yes", "0.4700", "1.00"))
    # The book still follows the exchange; only the event is withheld.
    assert client.books.get("A").yes_bids == ((4700, 400),)  # type: ignore[union-attr]
    assert len(events) == 1
    health = client.health()
    assert (health.recorded, health.record_drops, health.published) == (1, 1, 1)


async def test_negative_level_rejected_and_resynced(
    setup: tuple[OrderbookClient, MemorySink, EventBus],
) -> None:
    client, sink, bus = setup
    feed = bus.subscribe(FeedHealthChanged)
    books = bus.subscribe(OrderbookUpdated)
    client.handle_message(snapshot("A", 1, [["0.4700", "3.00"]], []))
    client.handle_message(snapshot("B", 2, [["0.2000", "1.00"]], []))
    client.handle_message(delta("A", 3, "yes", "0.4700", "-5.00"))  # would go negative
    client.handle_message(delta("A", 4, "yes", "0.4700", "1.00"))  # book awaits a snapshot
    client.handle_message(delta("B", 5, "yes", "0.2000", "1.00"))  # other markets carry on
    health = client.health()
    assert health.rejects == 1
    assert health.reject_reasons == {"negative_level": 1}
    assert health.skipped == 1
    assert health.resyncs == 1
    assert not client.books.is_ready("A")
    assert client.books.get("A").is_empty  # type: ignore[union-attr]
    event = feed.get_nowait()
    assert event is not None
    assert (event.state, event.tickers) == ("resync", ("A",))
    assert [r.seq for r in sink.records if not isinstance(r, TradeRecord)] == [
        1,
        2,
        5,
    ]  # the refused deltas are not recorded
    assert len(books) == 3
    # The fresh snapshot makes the book whole again.
    client.handle_message(snapshot("A", 6, [["0.4600", "2.00"]], []))
    assert client.books.is_ready("A")
    assert client.books.get("A").yes_bids == ((4600, 200),)  # type: ignore[union-attr]
    client.handle_message(delta("A", 7, "yes", "0.4600", "-2.00"))
    assert client.books.get("A").is_empty  # type: ignore[union-attr]
    assert client.health().rejects == 1


async def test_unknown_market_and_malformed(
    setup: tuple[OrderbookClient, MemorySink, EventBus],
) -> None:
    client, sink, _ = setup
    client.handle_message(delta("ZZZ", 1, "yes", "0.4700", "1.00"))
    client.handle_message(snapshot("ZZZ", 2, [["0.4700", "1.00"]], []))
    client.handle_message(snapshot("A", 3, [["0.4700", "1.00"]], []))
    client.handle_message(delta("A", 4, "maybe", "0.4700", "1.00"))
    client.handle_message({"type": "orderbook_delta", "sid": 1, "seq": 5, "msg": "nope"})
    health = client.health()
    assert health.reject_reasons == {"unknown_market": 2, "malformed": 2}
    assert "ZZZ" not in client.books
    assert not client.books.is_ready("A")  # a garbled delta for A means A's book is suspect
    assert [type(r) for r in sink.records] == [SnapshotRecord]


async def test_stream_resync_and_reconnect_drop_books(
    setup: tuple[OrderbookClient, MemorySink, EventBus],
) -> None:
    client, _, bus = setup
    feed = bus.subscribe(FeedHealthChanged)
    client.handle_message(snapshot("A", 1, [["0.4700", "1.00"]], []))
    client.handle_message(snapshot("B", 2, [["0.4700", "1.00"]], []))
    client._on_event(
        StreamEvent(
            StreamEventKind.RESYNC,
            sub_key=1,
            channel="orderbook_delta",
            market_tickers=frozenset({"A"}),
            reason="seq gap",
        )
    )
    assert not client.books.is_ready("A")
    assert client.books.is_ready("B")
    client._on_event(StreamEvent(StreamEventKind.RESYNC, channel="trade", reason="overflow"))
    assert client.books.is_ready("B")  # trade-channel losses do not touch books
    client._on_event(StreamEvent(StreamEventKind.RECONNECTED, reason="connection #2"))
    assert not client.books.is_ready("B")
    states = [feed.get_nowait() for _ in range(2)]
    assert [(e.state, e.tickers) for e in states if e] == [
        ("resync", ("A",)),
        ("reconnected", ()),
    ]
    assert client.health().resyncs == 1


async def test_trades_and_ticker(setup: tuple[OrderbookClient, MemorySink, EventBus]) -> None:
    client, sink, bus = setup
    trades = bus.subscribe(TradeReceived)
    tickers = bus.subscribe(TickerUpdated)
    client.catalog.upsert(MarketInfo("A", "EV-A", "A?", "", "active", None, None, 0, 0, 0, None))
    client.handle_message(
        {
            "type": "trade",
            "sid": 2,
            "msg": {
                "trade_id": "t-1",
                "market_ticker": "A",
                "yes_price_dollars": "0.5200",
                "no_price_dollars": "0.4800",
                "count_fp": "1.00",
                "taker_outcome_side": "yes",
                "ts_ms": 5,
            },
        },
        9,
    )
    client.handle_message(
        {
            "type": "ticker",
            "sid": 3,
            "msg": {
                "market_ticker": "A",
                "price_dollars": "0.5200",
                "yes_bid_dollars": "0.5100",
                "yes_ask_dollars": "0.5300",
                "volume_fp": "12.00",
                "open_interest_fp": "4.00",
                "ts_ms": 6,
            },
        },
        10,
    )
    assert trades.get_nowait() == TradeReceived("A", "t-1", 5200, 4800, 100, "yes", 5, 9)
    assert tickers.get_nowait() == TickerUpdated("A", 5200, 5100, 5300, 1200, 400, 6, 10)
    assert sink.records == [TradeRecord(42, "t-1", "A", 5200, 100, "yes", 5)]
    info = client.catalog.get("A")
    assert info is not None
    assert (info.last_price, info.volume, info.open_interest) == (5200, 1200, 400)
