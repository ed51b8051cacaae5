"""Parity: for every recorded update, the live adapter's observation (built from the events
the recorder published while recording) equals the training environment's (built from the
session read back from PostgreSQL), feature by feature."""

from __future__ import annotations

import asyncio

import numpy as np
from sqlalchemy.engine import URL

from kalshiflow.actor.adapter import LiveObservationAdapter
from kalshiflow.actor.features import FEATURE_NAMES, Observation
from kalshiflow.actor.portfolio import FlatPortfolio
from kalshiflow.events import EventBus, OrderbookUpdated
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.persistence.database import Database
from kalshiflow.training.env import MarketAgnosticKalshiEnv
from kalshiflow.training.loader import SessionDataLoader
from kalshiflow.training.sim_orders import SimulatedOrderManager
from tests.actor.support import eventually, recorder


async def test_live_and_training_observations_are_identical(
    sim: SimHandle, database_url: URL
) -> None:
    db = Database(database_url)
    bus = EventBus()
    # The environment's starting portfolio, so the portfolio features agree too.
    start = SimulatedOrderManager("ANY").portfolio_state()
    adapter = LiveObservationAdapter(FlatPortfolio(start))
    sub = bus.subscribe(OrderbookUpdated, maxsize=1_000_000, name="parity")
    live: dict[tuple[str, int], Observation] = {}

    async def capture() -> None:
        async for event in sub:
            adapter.observe(event)
            live[(event.ticker, event.received_ns)] = adapter.observation_for(event)

    task = asyncio.create_task(capture())
    rec, data = recorder(sim, db, bus, markets=10)
    await rec.start()
    try:
        try:
            await eventually(lambda: len(live) >= 150 or task.done(), 20, "150 live updates")
        except AssertionError:
            raise AssertionError(f"{len(live)} {rec.client.counters} {sub.stats()}") from None
        assert not task.done(), task.exception()
    finally:
        await rec.stop()
        sub.close()
        await task
        await data.aclose()
    assert sub.dropped == 0

    session = await SessionDataLoader(database_url).load(rec.session_id)
    await db.dispose()
    assert session.rejected_deltas == 0
    assert session.point_count == len(live)
    env = MarketAgnosticKalshiEnv([session], min_points=2)
    compared = 0
    for episode, (_, ticker) in enumerate(env.episodes):
        env.reset(options={"episode": episode})
        for i, point in enumerate(session.points[ticker]):
            ours = env.observation_at(i)
            theirs = live[(ticker, point.received_ns)]
            for k, name in enumerate(FEATURE_NAMES):
                assert ours[k] == theirs[k], (ticker, i, name, ours[k], theirs[k])
            compared += 1
    assert compared >= 150
    # the comparison is not vacuous: temporal features moved
    stacked = np.stack(list(live.values()))
    assert np.ptp(stacked[:, FEATURE_NAMES.index("momentum")]) > 0
    assert np.ptp(stacked[:, FEATURE_NAMES.index("time_gap")]) > 0
