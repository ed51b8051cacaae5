"""Every pre-trade risk rule refuses an order through OrderManager.place, with its reason;
nothing reaches the exchange and the refusal is published and stored."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from kalshiflow.kalshi.fixedpoint import parse_count, parse_price
from kalshiflow.persistence.tables import TradeOrder
from kalshiflow.trading import risk as rules
from kalshiflow.trading.events import OrderSource, OrderStatus, RiskRejected
from kalshiflow.trading.order_manager import PlaceResult, RiskRefusedError
from kalshiflow.trading.types import OrderIntent
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
ALL_RULES = {
    rules.KILL_SWITCH,
    rules.ORDER_SHAPE,
    rules.MARKET_OPEN,
    rules.DATA_FRESHNESS,
    rules.CLOSE_WINDOW,
    rules.MAX_OPEN_ORDERS,
    rules.MAX_CONTRACTS_PER_MARKET,
    rules.MAX_TOTAL_EXPOSURE,
    rules.MIN_CASH_RESERVE,
    rules.MAX_DAILY_LOSS,
    rules.MAX_ORDERS_PER_SECOND,
}


async def test_every_risk_rule_rejects_with_its_reason(
    rig: Rig, counterparty: Counterparty
) -> None:
    om = rig.component.order_manager
    risk = rig.parts.risk
    ex = rig.sim.demo.context.exchange
    a, b, c, d = rig.tickers[:4]
    seen: dict[str, str] = {}

    async def refused(order: OrderIntent, rule: str) -> PlaceResult:
        resting_before = len(rig.exchange.resting())
        result = await om.place(order, OrderSource.ACTOR)
        assert result.rejection is not None, f"{rule}: accepted {result}"
        assert result.rejection.rule == rule, result.rejection
        assert result.order.status is OrderStatus.REJECTED
        assert len(rig.exchange.resting()) == resting_before  # nothing was sent
        seen[rule] = result.rejection.reason
        return result

    # close_window: the market closes in 5 minutes (limit: no new positions 10 min before)
    ex.update_close_time(c, int(time.time()) + 300)
    await refused(intent(c, "bid", "0.40", "1"), rules.CLOSE_WINDOW)
    # market_open: closed on the trading environment
    ex.close_market(d)
    await refused(intent(d, "bid", "0.40", "1"), rules.MARKET_OPEN)
    # data_freshness: the production book is 10 s old, then being resynced
    book = rig.books.book(b)
    assert book is not None
    book.apply_snapshot([(P("0.40"), 100)], [(P("0.56"), 100)], 2, time.time_ns() - 10**10)
    await refused(intent(b, "bid", "0.40", "1"), rules.DATA_FRESHNESS)
    book.invalidate()
    await refused(intent(b, "bid", "0.40", "1"), rules.DATA_FRESHNESS)
    rig.fresh(b)
    # order_shape: reduce-only with nothing to reduce
    await refused(intent(a, "ask", "0.40", "1", reduce_only=True), rules.ORDER_SHAPE)
    # max_contracts_per_market: 101 > 100
    await refused(intent(a, "bid", "0.40", "101"), rules.MAX_CONTRACTS_PER_MARKET)
    # max_total_exposure: 20 × 0.40 = $8 > $5
    risk.update_limits(max_total_exposure_dollars=Decimal("5"))
    await refused(intent(a, "bid", "0.40", "20"), rules.MAX_TOTAL_EXPOSURE)
    risk.update_limits(max_total_exposure_dollars=Decimal("500"))
    # min_cash_reserve: $10,000 − $4 − fee buffer < $9,999
    risk.update_limits(min_cash_reserve_dollars=Decimal("9999"))
    await refused(intent(a, "bid", "0.40", "10"), rules.MIN_CASH_RESERVE)
    risk.update_limits(min_cash_reserve_dollars=Decimal("50"))
    # max_open_orders: one resting order is the limit
    risk.update_limits(max_open_orders=1)
    first = await om.place(intent(a, "bid", "0.10", "1"), OrderSource.MANUAL)
    assert first.accepted
    await refused(intent(a, "bid", "0.11", "1"), rules.MAX_OPEN_ORDERS)
    await om.cancel(first.order.client_order_id)
    risk.update_limits(max_open_orders=200)
    # max_orders_per_second: 1 per second, the second in the same second is refused
    risk.update_limits(max_orders_per_second=1)
    await eventually(lambda: risk.orders_in_window() == 0, 3.0, "rate window empty")
    assert (await om.place(intent(a, "bid", "0.10", "1"), OrderSource.ACTOR)).accepted
    await refused(intent(a, "bid", "0.10", "1"), rules.MAX_ORDERS_PER_SECOND)
    risk.update_limits(max_orders_per_second=1000)
    # max_daily_loss: buy 10 at 0.40, the production mid falls to 0.10: −$3 today
    bought = await om.place(intent(b, "bid", "0.40", "10"), OrderSource.MANUAL)
    assert bought.accepted
    await counterparty.order(b, "ask", P("0.40"), C("10"))
    await eventually(lambda: rig.parts.positions.position(b) == C("10"), what="bought 10")
    rig.fresh(b, bid="0.08", ask="0.12")
    risk.update_limits(max_daily_loss_dollars=Decimal("1"))
    await refused(intent(a, "bid", "0.10", "1"), rules.MAX_DAILY_LOSS)
    # ... but a reducing order still passes (a trader must be able to get out)
    out = await om.place(intent(b, "ask", "0.08", "10"), OrderSource.MANUAL)
    assert out.accepted, out
    risk.update_limits(max_daily_loss_dollars=Decimal("100"))
    # kill_switch
    await om.engage_kill_switch("test")
    await refused(intent(a, "bid", "0.10", "1"), rules.KILL_SWITCH)

    assert set(seen) == ALL_RULES
    assert all(reason for reason in seen.values())
    published = rig.events.of(RiskRejected)
    assert {r.rule for r in published} == ALL_RULES
    await rig.parts.store.flush()
    async with rig.parts.store._db.session() as session:
        rows = (
            (await session.execute(select(TradeOrder).where(TradeOrder.status == "rejected")))
            .scalars()
            .all()
        )
    assert {r.rejection_rule for r in rows} == ALL_RULES
    assert all(r.rejection_reason for r in rows)


async def test_growing_an_order_by_amend_passes_the_same_rules(rig: Rig) -> None:
    om = rig.component.order_manager
    a = rig.tickers[0]
    placed = await om.place(intent(a, "bid", "0.10", "60"), OrderSource.MANUAL)
    assert placed.accepted
    key = placed.order.client_order_id
    # 60 -> 120 resting contracts: past max_contracts_per_market (100), refused before sending
    with pytest.raises(RiskRefusedError) as refused:
        await om.amend(key, yes_price=P("0.10"), count=C("120"))
    assert refused.value.rejection.rule == rules.MAX_CONTRACTS_PER_MARKET
    resting = [o for o in rig.exchange.resting() if o.client_order_id == key]
    assert [o.remaining_count for o in resting] == [C("60")]  # unchanged on the exchange
    assert any(r.rule == rules.MAX_CONTRACTS_PER_MARKET for r in rig.events.of(RiskRejected))
    # A change within the limits still goes through.
    amended = await om.amend(key, yes_price=P("0.11"), count=C("80"))
    assert (amended.yes_price, amended.remaining) == (P("0.11"), C("80"))
