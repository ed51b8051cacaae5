"""OrderManager against the local exchange and PostgreSQL: place, partial fill, fill,
cancel, amend, decrease; one path for the actor and for people; the kill switch."""

from __future__ import annotations

import asyncio

import aiohttp
from sqlalchemy import select

from kalshiflow.kalshi.fixedpoint import parse_count, parse_money, parse_price
from kalshiflow.persistence.tables import Fill as FillRow
from kalshiflow.persistence.tables import TradeOrder
from kalshiflow.trading.events import (
    FillReceived,
    KillSwitchChanged,
    OrderSource,
    OrderStatus,
    OrderUpdated,
    RiskRejected,
)
from kalshiflow.trading.order_manager import EXCHANGE_UNAVAILABLE
from kalshiflow.trading.risk import KILL_SWITCH
from kalshiflow.trading.state_machine import TraderState
from tests.fixtures.sim import KalshiTestClient, v2_order
from tests.trading.test_order_manager_env import (
    Counterparty,
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
M = parse_money


async def test_startup_reconciles_before_trading(rig: Rig) -> None:
    history = [(e.previous, e.current) for e in rig.parts.state.history]
    assert history == [
        (TraderState.STARTING, TraderState.CALIBRATING),
        (TraderState.CALIBRATING, TraderState.TRADING),
    ]
    assert rig.parts.reconciler.runs == 1
    assert rig.parts.cash.cash == rig.exchange.balance()
    assert rig.component.health().state == "running"


async def test_place_partial_fill_fill_cancel_amend(rig: Rig, counterparty: Counterparty) -> None:
    t = rig.tickers[0]
    om = rig.component.order_manager
    result = await om.place(intent(t, "bid", "0.40", "10"), OrderSource.MANUAL)
    assert result.accepted, result
    cid = result.order.client_order_id
    assert result.order.status is OrderStatus.RESTING
    assert [o.client_order_id for o in rig.exchange.resting()] == [cid]
    # the production book at decision time and the shadow fill are in the ledger
    record = rig.parts.ledgers.get(cid)
    assert record is not None
    assert (record.production_bid, record.production_ask) == (P("0.40"), P("0.44"))
    assert record.shadow.count == 0  # a 0.40 bid takes nothing from a 0.44 offer

    # partial fill: the counterparty sells 3 into our bid (we are maker: no fee)
    await counterparty.order(t, "ask", P("0.40"), C("3"))
    await eventually(lambda: rig.parts.tracker.require(cid).filled == C("3"), what="fill 3")
    order = rig.parts.tracker.require(cid)
    assert (order.status, order.remaining) == (OrderStatus.PARTIALLY_FILLED, C("7"))
    assert rig.parts.positions.position(t) == C("3")
    await eventually(lambda: rig.parts.cash.expected_exchange_balance == rig.exchange.balance())

    # the rest fills
    await counterparty.order(t, "ask", P("0.40"), C("7"))
    await eventually(
        lambda: rig.parts.tracker.require(cid).status is OrderStatus.EXECUTED, what="executed"
    )
    assert rig.parts.positions.position(t) == C("10")
    assert rig.parts.cash.open_order_count == 0
    assert rig.parts.cash.expected_exchange_balance == rig.exchange.balance()
    assert rig.parts.cash.cash == M("10000") - M("4")

    # amend a second order's price and size, then decrease it, then cancel it
    second = await om.place(intent(t, "bid", "0.30", "5"), OrderSource.ACTOR)
    assert second.accepted
    key = second.order.client_order_id
    amended = await om.amend(key, yes_price=P("0.31"), count=C("8"))
    assert (amended.yes_price, amended.count, amended.remaining) == (P("0.31"), C("8"), C("8"))
    [resting] = rig.exchange.resting()
    assert (resting.price, resting.remaining_count) == (P("0.31"), C("8"))
    assert rig.parts.cash.reserved_principal == P("0.31") * C("8")
    decreased = await om.decrease(key, reduce_to=C("2"))
    assert decreased.remaining == C("2")
    assert rig.parts.cash.reserved_principal == P("0.31") * C("2")
    canceled = await om.cancel(key)
    assert canceled.status is OrderStatus.CANCELED
    assert rig.exchange.resting() == []
    assert rig.parts.cash.open_order_count == 0
    assert rig.parts.cash.expected_exchange_balance == rig.exchange.balance()

    # events and rows
    fills = rig.events.of(FillReceived)
    assert [(f.count, f.yes_price, f.via) for f in fills] == [
        (C("3"), P("0.40"), "ws"),
        (C("7"), P("0.40"), "ws"),
    ]
    statuses = [u.status for u in rig.events.of(OrderUpdated) if u.client_order_id == cid]
    assert statuses[0] is OrderStatus.PENDING
    assert statuses[-1] is OrderStatus.EXECUTED
    await rig.parts.store.flush()
    async with rig.parts.store._db.session() as session:
        rows = {o.client_order_id: o for o in (await session.execute(select(TradeOrder))).scalars()}
        fill_rows = (await session.execute(select(FillRow))).scalars().all()
    assert rows[cid].status == "executed"
    assert rows[cid].filled == C("10")
    assert rows[cid].source == "manual"
    assert rows[cid].production_bid == P("0.40")
    assert rows[cid].actual_notional == P("0.40") * C("10")
    assert rows[key].status == "canceled"
    assert rows[key].source == "actor"
    assert sorted(f.count for f in fill_rows) == [C("3"), C("7")]


async def test_actor_and_manual_orders_share_one_path(rig: Rig) -> None:
    t = rig.tickers[1]
    om = rig.component.order_manager
    rig.parts.state.pause("operator paused the actor")
    actor = await om.place(intent(t, "bid", "0.20", "1"), OrderSource.ACTOR)
    assert actor.rejection is not None
    assert actor.rejection.rule == "trader_state"
    manual = await om.place(intent(t, "bid", "0.20", "1"), OrderSource.MANUAL)
    assert manual.accepted
    rig.parts.state.resume()
    # the same risk rules refuse both, with the same reason
    big = [
        await om.place(intent(t, "bid", "0.20", "101"), source)
        for source in (OrderSource.ACTOR, OrderSource.MANUAL)
    ]
    rules = {r.rejection.rule for r in big if r.rejection is not None}
    assert rules == {"max_contracts_per_market"}
    rejected = rig.events.of(RiskRejected)
    assert [r.source for r in rejected] == [
        OrderSource.ACTOR,
        OrderSource.ACTOR,
        OrderSource.MANUAL,
    ]
    assert all(r.reason for r in rejected)


async def test_kill_switch_leaves_zero_resting_orders(rig: Rig) -> None:
    om = rig.component.order_manager
    for t in rig.tickers[:3]:
        for price in ("0.10", "0.11"):
            assert (await om.place(intent(t, "bid", price, "2"), OrderSource.ACTOR)).accepted
        assert (await om.place(intent(t, "ask", "0.90", "1"), OrderSource.MANUAL)).accepted
    # ... and one the trader never placed (another tool on the same account)
    async with aiohttp.ClientSession() as session:
        same_account = KalshiTestClient.for_env(session, rig.sim.demo)
        status, body = await same_account.post(
            "/portfolio/events/orders", json=v2_order(rig.tickers[3], "bid", "0.0500", "1.00")
        )
        assert status in (200, 201), body
    assert len(rig.exchange.resting()) == 10
    canceled = await om.engage_kill_switch("test: stop everything")
    assert canceled == 10
    assert rig.exchange.resting() == []
    assert rig.parts.cash.open_order_count == 0
    blocked = await om.place(intent(rig.tickers[0], "bid", "0.10", "1"), OrderSource.MANUAL)
    assert blocked.rejection is not None
    assert blocked.rejection.rule == KILL_SWITCH
    assert rig.exchange.resting() == []
    assert [e.engaged for e in rig.events.of(KillSwitchChanged)] == [True]
    assert om.release_kill_switch("test: resume")
    assert (await om.place(intent(rig.tickers[0], "bid", "0.10", "1"), OrderSource.MANUAL)).accepted


async def test_kill_switch_catches_an_order_already_on_its_way(rig: Rig) -> None:
    om = rig.component.order_manager
    await om.market_conditions(rig.tickers[0])  # market status cached: the create goes out
    rig.sim.demo.context.faults.set_rest_latency(0.2, duration_s=2.0)
    in_flight = asyncio.create_task(
        om.place(intent(rig.tickers[0], "bid", "0.10", "1"), OrderSource.ACTOR)
    )
    await asyncio.sleep(0.05)  # the create is at the exchange, its answer not back yet
    await om.engage_kill_switch("test: engaged mid-flight")
    result = await in_flight
    assert result.order.status is OrderStatus.CANCELED
    assert rig.exchange.resting() == []


async def test_an_unreachable_exchange_refuses_before_sending(rig: Rig) -> None:
    rig.sim.demo.context.faults.fail_rest(503, 1000)
    result = await rig.component.order_manager.place(
        intent(rig.tickers[2], "bid", "0.10", "1"), OrderSource.MANUAL
    )
    rig.sim.demo.context.faults.clear()
    assert result.rejection is not None
    assert result.rejection.rule == EXCHANGE_UNAVAILABLE
    assert "order not sent" in result.rejection.reason
    assert rig.exchange.resting() == []
