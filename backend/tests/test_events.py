"""The event bus: typed routing, bounded queues, conflate / drop_oldest, async iteration."""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass

import pytest

from kalshiflow.events import (
    BusClosedError,
    EventBus,
    FeedHealthChanged,
    OrderbookUpdated,
    TradeReceived,
)
from kalshiflow.marketdata.orderbook import OrderbookState


def book_event(ticker: str, seq: int) -> OrderbookUpdated:
    book = OrderbookState(ticker)
    book.apply_snapshot([(5000, seq)], [], seq=seq)
    return OrderbookUpdated(ticker, seq, "delta", book.snapshot(), seq, None)


def trade(ticker: str, n: int) -> TradeReceived:
    return TradeReceived(ticker, f"t{n}", 5000, 5000, 100, "yes", None, n)


@dataclass(frozen=True, slots=True)
class Custom:
    """Other domains add their own event types; the bus needs nothing from them."""

    value: int


def test_events_are_frozen() -> None:
    event = book_event("A", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.seq = 2  # type: ignore[misc]


async def test_routing_by_type_and_catch_all() -> None:
    bus = EventBus()
    books = bus.subscribe(OrderbookUpdated)
    trades = bus.subscribe(TradeReceived)
    everything = bus.subscribe()
    assert bus.publish(book_event("A", 1)) == 2
    assert bus.publish(trade("A", 1)) == 2
    assert bus.publish(Custom(3)) == 1
    assert [e.seq for e in [books.get_nowait()] if e] == [1]
    assert books.get_nowait() is None
    assert trades.get_nowait() == trade("A", 1)
    seen = [everything.get_nowait() for _ in range(3)]
    assert [type(e) for e in seen] == [OrderbookUpdated, TradeReceived, Custom]
    assert bus.has_subscribers(Custom)
    assert bus.has_subscribers(FeedHealthChanged)  # via the catch-all
    everything.close()
    assert not bus.has_subscribers(FeedHealthChanged)


async def test_drop_oldest_counts_drops_and_never_blocks() -> None:
    bus = EventBus()
    slow = bus.subscribe(TradeReceived, policy="drop_oldest", maxsize=3, name="slow")
    for n in range(10):
        bus.publish(trade("A", n))  # nobody reads: publish must still return at once
    assert slow.dropped == 7
    got = [slow.get_nowait() for _ in range(3)]
    assert [e.trade_id for e in got if e] == ["t7", "t8", "t9"]
    stats = slow.stats()
    assert (stats.name, stats.dropped, stats.delivered, stats.queued) == ("slow", 7, 3, 0)


async def test_conflate_keeps_latest_per_ticker_in_place() -> None:
    bus = EventBus()
    sub = bus.subscribe(OrderbookUpdated, policy="conflate", maxsize=10)
    for seq in range(1, 6):
        bus.publish(book_event("A", seq))
        bus.publish(book_event("B", seq * 10))
    bus.publish(book_event("C", 1))
    assert len(sub) == 3
    got = [sub.get_nowait() for _ in range(3)]
    assert [(e.ticker, e.seq) for e in got if e] == [("A", 5), ("B", 50), ("C", 1)]
    assert sub.conflated == 8
    assert sub.dropped == 0


async def test_conflate_drops_oldest_key_beyond_bound() -> None:
    bus = EventBus()
    sub = bus.subscribe(OrderbookUpdated, policy="conflate", maxsize=2)
    for ticker in "ABC":
        bus.publish(book_event(ticker, 1))
    assert sub.dropped == 1
    got = [sub.get_nowait() for _ in range(2)]
    assert [e.ticker for e in got if e] == ["B", "C"]


async def test_custom_conflation_key() -> None:
    bus = EventBus()
    sub = bus.subscribe(Custom, policy="conflate", key=lambda e: e.value % 2)
    for value in range(6):
        bus.publish(Custom(value))
    got = [sub.get_nowait() for _ in range(2)]
    assert [e.value for e in got if e] == [4, 5]


async def test_async_for_wakes_on_publish_and_ends_on_close() -> None:
    bus = EventBus()
    sub = bus.subscribe(TradeReceived)
    received: list[str] = []

    async def consume() -> None:
        async for event in sub:
            received.append(event.trade_id)

    task = asyncio.create_task(consume())
    await asyncio.sleep(0)
    bus.publish(trade("A", 1))
    await asyncio.sleep(0)
    bus.publish(trade("A", 2))
    bus.publish(trade("A", 3))
    sub.close()  # queued events are still delivered, then the loop ends
    await asyncio.wait_for(task, 1.0)
    assert received == ["t1", "t2", "t3"]
    assert bus.publish(trade("A", 4)) == 0  # closed subscriptions receive nothing
    with pytest.raises(BusClosedError):
        await sub.get()


async def test_slow_subscriber_does_not_hold_up_a_fast_one() -> None:
    bus = EventBus()
    fast = bus.subscribe(TradeReceived, maxsize=10_000)
    slow = bus.subscribe(TradeReceived, maxsize=5)
    got: list[str] = []

    async def consume() -> None:
        async for event in fast:
            got.append(event.trade_id)
            if len(got) == 1000:
                return

    task = asyncio.create_task(consume())
    for n in range(1000):
        bus.publish(trade("A", n))
        if n % 100 == 0:
            await asyncio.sleep(0)
    await asyncio.wait_for(task, 1.0)
    assert len(got) == 1000
    assert slow.dropped == 995
    assert fast.dropped == 0


async def test_bus_close_ends_all_iterators() -> None:
    bus = EventBus()
    subs = [bus.subscribe() for _ in range(3)]

    async def drain(sub: object) -> int:
        return len([e async for e in sub])  # type: ignore[attr-defined]

    tasks = [asyncio.create_task(drain(s)) for s in subs]
    await asyncio.sleep(0)
    bus.publish(Custom(1))
    bus.close()
    assert await asyncio.wait_for(asyncio.gather(*tasks), 1.0) == [1, 1, 1]
    assert bus.stats() == []


def test_bad_subscription_arguments() -> None:
    bus = EventBus()
    with pytest.raises(ValueError, match="policy"):
        bus.subscribe(Custom, policy="latest")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="maxsize"):
        bus.subscribe(Custom, maxsize=0)
