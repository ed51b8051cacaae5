"""P&L through the whole I/O path with hand-computed numbers: a taker buy with its fee, a
maker sell that closes part, marks at the production and at the demo mid, settlement."""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import select

from kalshiflow.kalshi.fixedpoint import parse_count, parse_money, parse_price
from kalshiflow.persistence.tables import PortfolioSnapshot, PositionSnapshot
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import OrderSource, PortfolioChanged, ReconciliationDiscrepancy
from kalshiflow.trading.portfolio import Portfolio
from kalshiflow.trading.positions import PositionTracker
from tests.trading.support import FakeClock
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


async def test_pnl_with_fees_marks_and_settlement(rig: Rig, counterparty: Counterparty) -> None:
    t = rig.tickers[0]
    om = rig.component.order_manager
    parts = rig.parts
    # The counterparty offers 10 YES at 0.40; we take them: 10 × 0.40 = $4.00 plus the taker
    # fee 0.07 × 10 × 0.40 × 0.60 = $0.168 (already a whole centi-cent).
    await counterparty.order(t, "ask", P("0.40"), C("10"))
    bought = await om.place(intent(t, "bid", "0.40", "10"), OrderSource.ACTOR)
    assert bought.accepted
    await eventually(lambda: parts.positions.position(t) == C("10"), what="bought")
    assert parts.cash.cash == M("10000") - M("4") - M("0.168")
    assert parts.cash.cash == rig.exchange.balance()

    # Marks: production YES 0.50/0.54 (mid 0.52).
    rig.fresh(t, bid="0.50", ask="0.54")
    view = rig.component.portfolio.view("test")
    [position] = view.positions
    assert (position.position, position.cost, position.average_cost) == (C("10"), M("4"), P("0.40"))
    assert position.unrealized_production == M("1.20")  # 10 × (0.52 − 0.40)
    assert position.unrealized_demo is None  # the demo book is empty: no mid
    assert (view.realized, view.fees_paid) == (-M("0.168"), M("0.168"))

    # We sell 4 at 0.55 as maker (no fee): realized 4 × (0.55 − 0.40) = $0.60; the cost of
    # the 6 left is 4.00 − 4.00 × 4/10 = $2.40.
    sold = await om.place(intent(t, "ask", "0.55", "4"), OrderSource.MANUAL)
    assert sold.accepted
    await counterparty.order(t, "bid", P("0.55"), C("4"))
    await eventually(lambda: parts.positions.position(t) == C("6"), what="sold 4")
    view = rig.component.portfolio.view("test")
    assert view.realized == M("0.60") - M("0.168")
    assert view.positions[0].cost == M("2.40")
    assert view.unrealized_production == M("0.72")  # 6 × 0.52 − 2.40
    assert view.cash == M("9995.832") + M("2.20")
    assert view.balance == rig.exchange.balance()
    assert view.value == view.cash + M("2.40") + M("0.72")
    # The demo book now quotes 0.30/0.36 (mid 0.33): 6 × 0.33 − 2.40 = −$0.42 there.
    await counterparty.order(t, "bid", P("0.30"), C("1"))
    await counterparty.order(t, "ask", P("0.36"), C("1"))
    await rig.component.refresh_demo_marks()
    view = rig.component.portfolio.view("test")
    assert view.positions[0].unrealized_demo == -M("0.42")
    assert view.unrealized_demo == -M("0.42")

    # YES wins: 6 × $1 paid out; the market realizes 6 − 2.40 = $3.60 more.
    ex = rig.sim.demo.context.exchange
    ex.determine_market(t, "yes")
    ex.settle_market(t)
    # No fill says so: the exchange's position message (0) disagrees with ours (6), which
    # makes the trader reconcile on its own and book the settlement.
    await eventually(lambda: parts.positions.position(t) == 0, 10.0, "settlement booked")
    found = [d.kind for d in rig.events.of(ReconciliationDiscrepancy)]
    assert found == ["settlement"]
    view = rig.component.portfolio.view("test")
    assert view.realized == M("0.60") + M("3.60") - M("0.168")  # $4.032
    assert view.cash == M("10004.032")
    assert view.cash == rig.exchange.balance()
    assert view.positions[0].position == 0
    assert view.unrealized_production == 0

    # snapshots: one per fill and one per reconciliation, with the position rows
    await parts.store.flush()
    async with parts.store._db.session() as session:
        snaps = (await session.execute(select(PortfolioSnapshot))).scalars().all()
        rows = (await session.execute(select(PositionSnapshot))).scalars().all()
    reasons = [s.reason for s in snaps]
    assert reasons.count("fill") == 2
    assert snaps[-1].realized == M("4.032")
    assert snaps[-1].cash == M("10004.032")
    assert any(r.ticker == t and r.position == C("6") for r in rows)
    published = rig.events.of(PortfolioChanged)
    assert published[-1].realized == M("4.032")


def test_value_without_marks_counts_positions_at_cost() -> None:
    positions = PositionTracker()
    cash = CashManager(positions, M("100"))
    positions.apply_fill("T", "ask", P("0.30"), C("5"))  # 5 NO at 0.70: $3.50
    cash.apply_fill(positions.apply_fill("U", "bid", P("0.25"), C("2")))  # 2 YES: $0.50
    marks = {"T": Fraction(P("0.20"))}
    portfolio = Portfolio(positions, cash, FakeClock(), marks.get)
    view = portfolio.view("unit")
    by_ticker = {p.ticker: p for p in view.positions}
    # NO at 0.70 marked at YES 0.20 (NO 0.80): 5 × 0.80 − 3.50 = +0.50; U has no mark.
    assert by_ticker["T"].unrealized_production == M("0.50")
    assert by_ticker["T"].average_cost == P("0.70")
    assert by_ticker["U"].unrealized_production is None
    assert view.unrealized_production == M("0.50")
    assert view.value == view.cash + M("3.50") + M("0.50") + M("0.50")
