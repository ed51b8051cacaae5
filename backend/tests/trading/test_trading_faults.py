"""The demo WebSocket drops while our orders fill: after the reconnect the fills, positions
and balance we track equal the exchange's exactly, booked (not merely adopted)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.fixedpoint import parse_count, parse_price
from kalshiflow.persistence.tables import Fill as FillRow
from kalshiflow.trading.events import FillReceived, OrderSource, ReconciliationDiscrepancy
from tests.trading.test_order_manager_env import (
    Counterparty,
    Exchange,
    Rig,
    counterparty,
    database,
    eventually,
    intent,
    pair,
    rig,
    sim_config,
)

__all__ = ["counterparty", "database", "pair", "rig", "sim_config"]

P = parse_price
C = parse_count


def assert_matches_exchange(sim: SimHandle, parts: Any) -> None:
    """Positions (count and cost), balance, fills and every order equal the exchange's."""
    ex = Exchange(sim)
    tracked = {
        t: (parts.positions.position(t), parts.positions.snapshot(t).cost)
        for t in parts.positions.open_tickers()
    }
    assert tracked == ex.positions()
    assert parts.cash.expected_exchange_balance == ex.balance()
    assert all(parts.fills.seen(trade_id) for trade_id in ex.trade_ids())
    assert parts.fills.seen_count == len(ex.trade_ids())
    for order in sim.demo.context.exchange.orders(ex.account):
        mine = parts.tracker.require(order.order_id)
        assert (mine.filled, mine.remaining) == (order.fill_count, order.remaining_count)
        assert mine.status.value in (order.status.value, "partially_filled")


async def test_fills_during_a_websocket_outage_are_backfilled_exactly(
    rig: Rig, counterparty: Counterparty
) -> None:
    om = rig.component.order_manager
    faults = rig.sim.demo.context.faults
    a, b = rig.tickers[:2]
    placed = [
        await om.place(intent(a, "bid", "0.40", "10"), OrderSource.ACTOR),
        await om.place(intent(a, "bid", "0.39", "5"), OrderSource.ACTOR),
        await om.place(intent(b, "ask", "0.60", "8"), OrderSource.MANUAL),
    ]
    assert all(r.accepted for r in placed)
    await counterparty.order(a, "ask", P("0.40"), C("2"))  # seen live
    await eventually(lambda: rig.parts.positions.position(a) == C("2"), what="live fill")

    # Outage: the socket drops and upgrades are refused for a while; meanwhile orders fill.
    faults.refuse_ws_upgrades(502, 1.0)
    assert faults.drop_all_ws() >= 1
    await eventually(lambda: not rig.parts.feed.connected.is_set(), what="feed down")
    await counterparty.order(a, "ask", P("0.39"), C("12"))  # fills 8 @0.40 and 4 @0.39
    await counterparty.order(b, "bid", P("0.60"), C("3"))  # sells 3 NO... we ask 0.60
    # a second drop right after the first reconnect, with a fill on its heels
    await eventually(lambda: rig.parts.feed.connected.is_set(), 10.0, "reconnected")
    faults.drop_all_ws()
    await counterparty.order(b, "bid", P("0.61"), C("5"))  # the rest of our ask, at 0.60

    def caught_up() -> bool:
        fills_ok: bool = rig.parts.fills.seen_count == len(rig.exchange.trade_ids())
        cash_ok: bool = rig.parts.cash.expected_exchange_balance == rig.exchange.balance()
        return fills_ok and cash_ok

    await eventually(caught_up, 15.0, "fills backfilled after reconnect")
    await eventually(lambda: rig.parts.feed.active, 10.0, "feed active")
    # a last pass with the feed live and nothing moving: clean, and everything equal
    report = await rig.component.reconcile("test: after the outage")
    assert report.settled
    assert [d.kind for d in report.discrepancies] == []
    assert_matches_exchange(rig.sim, rig.parts)
    assert rig.parts.positions.position(a) == C("14")
    assert rig.parts.positions.position(b) == -C("8")

    # Every fill booked once; the missed ones came from REST; no position or balance had
    # to be adopted (the books were right by booking the fills, not by copying numbers).
    fills = rig.events.of(FillReceived)
    assert len(fills) == len({f.trade_id for f in fills}) == len(rig.exchange.trade_ids())
    assert any(f.via == "rest" for f in fills)
    kinds = {d.kind for d in rig.events.of(ReconciliationDiscrepancy)}
    assert kinds <= {"fill_backfilled", "order_changed", "order_closed"}
    await rig.parts.store.flush()
    async with rig.parts.store._db.session() as session:
        stored = (await session.execute(select(func.count()).select_from(FillRow))).scalar_one()
    assert stored == len(rig.exchange.trade_ids())
    await asyncio.sleep(0)


async def test_a_feed_that_subscribes_late_is_caught_up(
    sim: SimHandle, pair: Any, database: Any, counterparty: Counterparty
) -> None:
    from kalshiflow.events import EventBus
    from kalshiflow.marketdata.shared_state import SharedOrderbookState
    from tests.trading.test_order_manager_env import fresh_book, start_component

    books = SharedOrderbookState()
    ticker = sim.demo.context.exchange.markets()[0].ticker
    fresh_book(books, ticker, [(P("0.40"), 5000)], [(P("0.56"), 5000)])
    sim.demo.context.faults.refuse_ws_upgrades(503, 1.5)
    component = await start_component(
        sim, pair, database, EventBus(), books, feed_subscribe_timeout_s=0.3
    )
    try:
        # Trading starts on REST reconciliation alone, and says the feed is not live.
        assert component.trader.state.value == "trading"
        assert component.health().state == "degraded"
        placed = await component.order_manager.place(
            intent(ticker, "bid", "0.40", "5"), OrderSource.ACTOR
        )
        assert placed.accepted
        await counterparty.order(ticker, "ask", P("0.40"), C("5"))  # before the feed is up
        parts = component.parts
        await eventually(lambda: parts.positions.position(ticker) == C("5"), 10.0, "caught up")
        await eventually(lambda: component.health().state == "running", 5.0, "healthy")
        assert_matches_exchange(sim, parts)
    finally:
        await component.stop()
