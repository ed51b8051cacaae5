"""The actor end to end on the local exchange: production stream -> recorder (PostgreSQL)
-> EventBus -> ActorService -> OrderManager (risk, demo account) -> fills, with every step
in `actor_action` and on the bus."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import URL

from kalshiflow.actor.action_log import ActorActionRepository
from kalshiflow.actor.events import ActorActionTaken
from kalshiflow.actor.features import FEATURE_VERSION, OBSERVATION_SIZE
from kalshiflow.actor.market_selection import MarketSelection
from kalshiflow.actor.selectors import HardcodedSelector
from kalshiflow.components.actor import ActorComponent
from kalshiflow.events import EventBus
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, format_count, format_price
from kalshiflow.persistence.database import Database
from kalshiflow.trading.action_space import LimitOrderActionSpace
from tests.actor.support import client_pair, eventually, recorder, settings, trading
from tests.fixtures.sim import add_account_client, v2_order


@pytest.fixture
async def database(database_url: URL) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


async def test_hardcoded_actor_places_fills_and_records_orders(
    sim: SimHandle, database: Database, tmp_path: Path
) -> None:
    bus = EventBus()
    taken = bus.subscribe(ActorActionTaken, maxsize=100_000, name="test")
    rec, data = recorder(sim, database, bus, markets=5)
    pair = client_pair(sim)
    await rec.start()
    trade = await trading(sim, pair, database, bus, rec)
    # Eager rules and one-contract orders resting at the touch: orders every few updates.
    actor = ActorComponent.for_trading(
        settings(tick_throttle_ms=100),
        bus,
        lambda: database,
        trade,
        selector=HardcodedSelector(entry_imbalance=0.05, max_spread=0.5),
        markets=MarketSelection("all"),
        action_space=LimitOrderActionSpace(Count(100), pricing="join"),
        order_ttl_s=2.0,
    )
    await actor.start()
    service = actor.service
    tracker = trade.parts.tracker
    try:
        await eventually(lambda: len(tracker.resting_orders()) >= 1, 20, "a resting actor order")
        # A counterparty on demo takes the other side of one resting order: a real fill.
        order = max(tracker.resting_orders(), key=lambda o: o.created_ms)  # far from its TTL
        async with aiohttp.ClientSession() as session:
            other = add_account_client(session, sim.demo, sim.config.data_dir, "counterparty")
            side = "ask" if order.side == "bid" else "bid"
            status, body = await other.post(
                "/portfolio/events/orders",
                json=v2_order(order.ticker, side, format_price(order.yes_price),
                              format_count(order.remaining)),
            )  # fmt: skip
            assert status in (200, 201), body
        positions = trade.parts.positions
        await eventually(lambda: positions.position(order.ticker) != 0, 10, "the fill booked")
        await eventually(lambda: service.action_log is not None
                         and service.action_log.written >= 3, 10, "steps written")  # fmt: skip
        # stale actor orders are cancelled after their time-to-live, as in training
        expiry = service.expiry
        assert expiry is not None
        await eventually(lambda: expiry.cancelled >= 1, 10, "a stale order cancelled")
        health = actor.health()
    finally:
        await actor.stop()
        await trade.stop()
        await rec.stop()
        await pair.aclose()
        await data.aclose()

    events: list[ActorActionTaken] = []
    while (e := taken.get_nowait()) is not None:
        events.append(e)
    placed = [e for e in events if e.outcome in ("placed", "filled")]
    assert placed
    assert all(e.client_order_id for e in placed)
    assert {e.selector for e in events} == {"hardcoded"}
    assert order.client_order_id in {e.client_order_id for e in placed}
    assert all(e.step_latency_us > 0 for e in events)
    fills = sim.demo.context.exchange.fills(sim.demo.account_id)
    actor_orders = {e.order_id for e in placed}
    assert fills
    assert all(f.order_id in actor_orders for f in fills), (fills, order)
    # (the counterparty's order may meet another of our resting orders first: any will do)
    assert health.state.value in ("running", "degraded")
    assert "hardcoded" in health.detail

    canceled = [o for o in tracker if o.status.value == "canceled"]
    assert canceled
    assert all(o.source.value == "actor" for o in canceled)
    ours = sim.demo.context.exchange.orders(sim.demo.account_id)
    assert {o.order_id for o in canceled} <= {
        o.order_id for o in ours if o.status.value == "canceled"
    }

    rows = await ActorActionRepository(database).recent(limit=10_000)
    assert len(rows) == len(events)
    by_cid = {r.order_client_id: r for r in rows if r.order_client_id}
    row = by_cid[order.client_order_id]
    assert row.outcome in ("placed", "filled")
    assert row.selector == "hardcoded"
    assert len(row.observation) == OBSERVATION_SIZE
    assert row.feature_version == FEATURE_VERSION
    assert row.order_yes_price == order.yes_price
    assert 0 < row.order_yes_price < ONE_DOLLAR
    assert row.order_count == 100
    assert row.action in (1, 2, 3, 4)
    assert row.step_latency_us >= row.decision_latency_us >= 0
    await asyncio.sleep(0)
