"""ActorService mechanics on an in-process bus: per-market coalescing (latest update wins),
throttle, pause/resume, the per-market circuit breaker, and the published step events.

The order sink here is a recording stand-in for the OrderManager (the end-to-end tests use
the real one against the local exchange)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from kalshiflow.actor.adapter import LiveObservationAdapter
from kalshiflow.actor.events import ActorActionTaken, ActorStateChanged
from kalshiflow.actor.features import FLAT
from kalshiflow.actor.market_selection import MarketSelection
from kalshiflow.actor.orders import OrderOutcome
from kalshiflow.actor.portfolio import FlatPortfolio
from kalshiflow.actor.selectors import BaselineSelector
from kalshiflow.events import EventBus, OrderbookUpdated
from kalshiflow.kalshi.fixedpoint import Count
from kalshiflow.marketdata.orderbook import OrderbookState
from kalshiflow.trading.action_space import LimitOrderActionSpace
from kalshiflow.trading.types import Action, OrderIntent
from tests.actor.support import eventually


class Always:
    name = "always"
    version = "always-buy-yes"

    def choose(self, observation: Any) -> int:
        return Action.BUY_YES

    async def select(self, observation: Any) -> int:
        return Action.BUY_YES


class Sink:
    def __init__(self, fail: set[str] | None = None, delay_s: float = 0.0) -> None:
        self.placed: list[tuple[OrderIntent, Any]] = []
        self.fail = fail or set()
        self.delay_s = delay_s

    async def place(self, intent: OrderIntent, source: Any) -> OrderOutcome:
        await asyncio.sleep(self.delay_s)
        if intent.ticker in self.fail:
            raise RuntimeError("exchange exploded")
        self.placed.append((intent, source))
        return OrderOutcome("placed", "ok", f"cid-{len(self.placed)}", f"oid-{len(self.placed)}")


class Feed:
    """Publishes book updates the way the OrderbookClient does."""

    def __init__(self, bus: EventBus) -> None:
        self.bus = bus
        self.books: dict[str, OrderbookState] = {}
        self.seq = 0

    def update(self, ticker: str, bid: int = 4500) -> None:
        book = self.books.setdefault(ticker, OrderbookState(ticker))
        self.seq += 1
        now = time.time_ns()
        book.apply_snapshot([(bid, 1000)], [(10_000 - bid - 200, 1000)], self.seq, now)
        self.bus.publish(OrderbookUpdated(ticker, self.seq, "snapshot", book.snapshot(), now, None))


def service(bus: EventBus, sink: Sink, selector: Any = None, **options: Any) -> Any:
    from kalshiflow.actor.service import ActorService

    return ActorService(
        bus,
        LiveObservationAdapter(FlatPortfolio(FLAT)),
        selector or Always(),
        LimitOrderActionSpace(Count(100)),
        sink,
        MarketSelection("all"),
        **options,
    )


async def test_steps_are_coalesced_per_market_and_throttled() -> None:
    bus = EventBus()
    taken = bus.subscribe(ActorActionTaken)
    sink = Sink(delay_s=0.05)
    actor = service(bus, sink, throttle_ms=200)
    await actor.start()
    feed = Feed(bus)
    try:
        for bid in range(4000, 5000, 100):  # ten updates of A while its first step runs
            feed.update("A", bid)
        feed.update("B")
        await eventually(lambda: len(sink.placed) >= 3, 5, "three orders")
        await asyncio.sleep(0.3)
    finally:
        await actor.stop()
    a_orders = [i for i, _ in sink.placed if i.ticker == "A"]
    # the first update's step, then ONE step on the latest update (0.49)
    assert [i.yes_price for i in a_orders] == [4000, 4900]
    assert actor.stats.updates == 11
    assert actor.stats.superseded >= 8
    events = []
    while (e := taken.get_nowait()) is not None:
        events.append(e)
    a_times = [e.acted_ns for e in events if e.ticker == "A"]
    assert a_times[1] - a_times[0] >= 150_000_000  # the throttle held the second step back
    assert {e.outcome for e in events} == {"placed"}
    assert all(src == "actor" for _, src in sink.placed)


async def test_pause_and_resume() -> None:
    bus = EventBus()
    sink = Sink()
    actor = service(bus, sink, throttle_ms=0)
    await actor.start()
    feed = Feed(bus)
    try:
        actor.pause()
        feed.update("A")
        await asyncio.sleep(0.1)
        assert sink.placed == []
        assert actor.health().detail.startswith("paused")
        actor.resume()
        feed.update("A")
        await eventually(lambda: len(sink.placed) == 1, 2, "an order after resume")
    finally:
        await actor.stop()


async def test_a_failing_market_trips_its_circuit_breaker_only() -> None:
    bus = EventBus()
    states = bus.subscribe(ActorStateChanged)
    sink = Sink(fail={"BAD"})
    actor = service(bus, sink, throttle_ms=0, breaker_errors=3, breaker_cooldown_s=60)
    await actor.start()
    feed = Feed(bus)
    try:
        for _ in range(6):
            feed.update("BAD")
            feed.update("GOOD")
            await asyncio.sleep(0.02)
        await eventually(lambda: actor.open_breakers() == ("BAD",), 2, "breaker open")
        for _ in range(3):
            feed.update("BAD")
            feed.update("GOOD")
            await asyncio.sleep(0.02)
        assert actor.stats.errors == 3  # nothing more tried on BAD while the breaker is open
        assert len([i for i, _ in sink.placed if i.ticker == "GOOD"]) >= 6
        health = actor.health()
        assert health.state.value == "degraded"
        assert "circuit breaker open for BAD" in health.detail
    finally:
        await actor.stop()
    reasons = []
    while (e := states.get_nowait()) is not None:
        reasons.append((e.state, e.ticker))
    assert ("breaker_open", "BAD") in reasons


async def test_hold_and_impossible_actions_are_recorded_without_orders() -> None:
    bus = EventBus()
    taken = bus.subscribe(ActorActionTaken)
    sink = Sink()
    actor = service(bus, sink, BaselineSelector(seed=1, hold_probability=0.5), throttle_ms=0)
    await actor.start()
    feed = Feed(bus)
    try:
        for i in range(40):
            feed.update(f"M{i}")
        await eventually(lambda: actor.stats.steps == 40, 3, "40 steps")
    finally:
        await actor.stop()
    events = []
    while (e := taken.get_nowait()) is not None:
        events.append(e)
    outcomes = {e.outcome for e in events}
    assert "hold" in outcomes  # HOLD
    assert "no_order" in outcomes  # a sell with nothing to sell
    assert "placed" in outcomes
    holds = [e for e in events if e.outcome in ("hold", "no_order")]
    assert all(e.order_side is None and e.client_order_id is None for e in holds)
    assert len(sink.placed) == sum(e.outcome == "placed" for e in events)
