"""Reconciler on the local exchange: adopts orders it did not know, closes orders the
exchange finished, records each discrepancy; the actor may not trade before it passed."""

from __future__ import annotations

import asyncio

import aiohttp

from kalshiflow.events import EventBus
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.fixedpoint import parse_count, parse_price
from kalshiflow.kalshi.hybrid import HybridClientPair
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.persistence.database import Database
from kalshiflow.trading.events import OrderSource, OrderStatus, ReconciliationDiscrepancy
from kalshiflow.trading.order_manager import TRADER_STATE
from kalshiflow.trading.state_machine import TraderState
from tests.fixtures.sim import KalshiTestClient, v2_order
from tests.trading.test_order_manager_env import (
    Counterparty,
    Rig,
    counterparty,
    database,
    eventually,
    fresh_book,
    intent,
    pair,
    rig,
    sim_config,
    start_component,
)
from tests.trading.test_trading_faults import assert_matches_exchange

__all__ = ["counterparty", "database", "pair", "rig", "sim_config"]

P = parse_price
C = parse_count


async def test_adopts_unknown_orders_and_closes_finished_ones(rig: Rig) -> None:
    a, b = rig.tickers[:2]
    om = rig.component.order_manager
    placed = await om.place(intent(a, "bid", "0.30", "4"), OrderSource.ACTOR)
    assert placed.accepted
    # Stop listening, then change the account behind the trader's back: a new order placed
    # with the same key elsewhere, and our order canceled.
    feed = rig.parts.feed
    assert feed is not None
    await feed.stop()
    async with aiohttp.ClientSession() as session:
        same_account = KalshiTestClient.for_env(session, rig.sim.demo)
        status, body = await same_account.post(
            "/portfolio/events/orders", json=v2_order(b, "ask", "0.7000", "3.00")
        )
        assert status in (200, 201), body
        foreign_id = body["order_id"]
        status, body = await same_account.delete(
            f"/portfolio/events/orders/{placed.order.order_id}"
        )
        assert status == 200, body
    assert rig.parts.tracker.require(placed.order.client_order_id).is_resting

    report = await rig.component.reconcile("test")
    kinds = sorted(d.kind for d in report.discrepancies)
    assert kinds == ["order_adopted", "order_closed"]
    adopted = rig.parts.tracker.require(foreign_id)
    assert (adopted.source, adopted.status, adopted.remaining) == (
        OrderSource.RECONCILIATION,
        OrderStatus.RESTING,
        C("3"),
    )
    closed = rig.parts.tracker.require(placed.order.client_order_id)
    assert closed.status is OrderStatus.CANCELED
    # cash holds follow: only the adopted ask (3 NO at 0.30 = $0.90) is held
    assert rig.parts.cash.reserved_principal == P("0.30") * C("3")
    assert rig.parts.cash.expected_exchange_balance == rig.exchange.balance()
    published = rig.events.of(ReconciliationDiscrepancy)
    assert sorted(d.kind for d in published) == kinds
    assert all(d.detail for d in published)
    # a second pass finds nothing new
    assert (await rig.component.reconcile("again")).clean


async def test_actor_waits_until_reconciliation_passed(
    sim: SimHandle, pair: HybridClientPair, database: Database
) -> None:
    books = SharedOrderbookState()
    ticker = sim.demo.context.exchange.markets()[0].ticker
    fresh_book(books, ticker, [(P("0.40"), 100)], [(P("0.56"), 100)])
    faults = sim.demo.context.faults
    faults.fail_rest(503, 10_000)  # the exchange fails every request at start
    component = await start_component(
        sim, pair, database, EventBus(), books, reconcile_interval_s=0.2
    )
    try:
        assert component.trader.state is TraderState.RECOVERING
        assert component.health().state == "degraded"
        refused = await component.order_manager.place(
            intent(ticker, "bid", "0.40", "1"), OrderSource.ACTOR
        )
        assert refused.rejection is not None
        assert refused.rejection.rule == TRADER_STATE
        assert sim.demo.context.exchange.orders(sim.demo.account_id) == []
        faults.clear()
        while faults.take_rest_failure() is not None:
            pass
        await eventually(
            lambda: component.trader.state is TraderState.TRADING, 10.0, "trading after recovery"
        )
        states = [e.current for e in component.trader.history]
        assert states[-2:] == [TraderState.CALIBRATING, TraderState.TRADING]
        fresh_book(books, ticker, [(P("0.40"), 100)], [(P("0.56"), 100)])
        accepted = await component.order_manager.place(
            intent(ticker, "bid", "0.40", "1"), OrderSource.ACTOR
        )
        assert accepted.accepted
    finally:
        await component.stop()


async def test_reconciling_while_orders_fill_never_double_counts(
    rig: Rig, counterparty: Counterparty
) -> None:
    """Reconciliations race live fills; numbers are adopted only in a quiet window, so the
    books never take a fill twice (or lose one) and no position/balance drift appears."""
    om = rig.component.order_manager
    a, b = rig.tickers[:2]
    for price in ("0.40", "0.39", "0.38"):
        assert (await om.place(intent(a, "bid", price, "10"), OrderSource.ACTOR)).accepted
        assert (
            await om.place(intent(b, "ask", "0.6" + price[-1], "10"), OrderSource.ACTOR)
        ).accepted

    async def trade() -> None:
        for i in range(12):
            if i % 2:
                await counterparty.order(a, "ask", P("0.38"), C("2"))
            else:
                await counterparty.order(b, "bid", P("0.62"), C("2"))
            await asyncio.sleep(0.03)

    trading = asyncio.create_task(trade())
    reports = []
    while not trading.done():
        reports.append(await rig.component.reconcile("racing"))
    await trading
    await eventually(
        lambda: rig.parts.fills.seen_count == len(rig.exchange.trade_ids()), 10.0, "all fills"
    )
    reports.append(await rig.component.reconcile("quiet"))
    assert reports[-1].settled
    assert reports[-1].clean
    kinds = {d.kind for r in reports for d in r.discrepancies}
    assert not kinds & {"position", "balance"}, kinds
    assert_matches_exchange(rig.sim, rig.parts)
    assert rig.parts.positions.position(a) == C("12")
    assert rig.parts.positions.position(b) == -C("10")  # only the 0.60 ask is reached
