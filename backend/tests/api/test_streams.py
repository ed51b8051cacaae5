"""The bus-to-subscription plumbing: one bus subscription for all book listeners, newest
book wins for a slow listener, strict streams end with a reason when events were lost."""

from __future__ import annotations

import asyncio
import time

import pytest

from kalshiflow.api.book_router import BookRouter
from kalshiflow.api.streams import SlowConsumerError, drain
from kalshiflow.events import EventBus, OrderbookUpdated
from kalshiflow.marketdata.orderbook import OrderbookState


def update(ticker: str, seq: int) -> OrderbookUpdated:
    book = OrderbookState(ticker)
    book.apply_snapshot([(4000 + seq, 100)], [(5000, 100)], seq, time.time_ns())
    return OrderbookUpdated(ticker, seq, "snapshot", book.snapshot(), time.time_ns(), None)


async def test_router_holds_one_bus_subscription_for_any_number_of_listeners() -> None:
    bus = EventBus()
    router = BookRouter(lambda: bus)
    a = [router.listen("A") for _ in range(100)]
    b = router.listen("B")
    assert len(bus.stats()) == 1
    bus.publish(update("A", 1))
    await asyncio.sleep(0.01)
    assert all(listener.take() is not None for listener in a)
    assert b.take() is None, "a listener sees only its own market"
    for listener in [*a, b]:
        listener.close()
    assert bus.stats() == [], "the router leaves the bus when nobody listens"
    await router.aclose()


async def test_slow_listener_gets_the_newest_book_only() -> None:
    bus = EventBus()
    router = BookRouter(lambda: bus)
    listener = router.listen("A")
    for seq in (1, 2, 3):
        bus.publish(update("A", seq))
        await asyncio.sleep(0.005)
    event = await asyncio.wait_for(listener.next(), 1)
    assert event.seq == 3
    assert listener.replaced == 2
    assert listener.take() is None
    listener.close()
    await router.aclose()


async def test_router_survives_the_last_listener_leaving_and_a_new_one_arriving() -> None:
    bus = EventBus()
    router = BookRouter(lambda: bus)
    router.listen("A").close()
    again = router.listen("A")
    bus.publish(update("A", 7))
    assert (await asyncio.wait_for(again.next(), 1)).seq == 7
    again.close()
    await router.aclose()


async def test_strict_stream_ends_with_the_number_of_lost_events() -> None:
    bus = EventBus()
    sub = bus.subscribe(int, policy="drop_oldest", maxsize=2, name="api:test")
    for i in range(5):
        bus.publish(i)
    stream = drain(sub, lambda e: e, strict=True)
    with pytest.raises(SlowConsumerError, match="3 events were dropped"):
        await anext(stream)
    assert sub.closed


async def test_lenient_stream_skips_and_converts() -> None:
    bus = EventBus()
    sub = bus.subscribe(int, policy="drop_oldest", maxsize=10, name="api:test")
    for i in range(4):
        bus.publish(i)
    sub.close()
    got = [v async for v in drain(sub, lambda e: e * 10 if e % 2 else None)]
    assert got == [10, 30]


def test_book_views_are_built_once_per_book_version() -> None:
    from kalshiflow.api.types.orderbook import SnapshotViews

    views = SnapshotViews()
    state = OrderbookState("A")
    state.apply_snapshot([(4000, 100)], [(5000, 100)], 1, time.time_ns())
    first = views.get(state.snapshot(), 5, environment="production", ready=True)
    assert views.get(state.snapshot(), 5, environment="production", ready=True) is first
    assert views.get(state.snapshot(), 3, environment="production", ready=True) is not first
    state.apply_snapshot([(4100, 100)], [(5000, 100)], 2, time.time_ns())
    changed = views.get(state.snapshot(), 5, environment="production", ready=True)
    assert changed is not first
    assert changed.best_yes_bid is not None
    assert str(changed.best_yes_bid) == "0.41"
