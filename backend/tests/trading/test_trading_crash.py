"""A crash with resting orders, fills in flight and orders half-sent: the restarted trader
(same database, same exchange) equals the exchange and no order was ever sent twice."""

from __future__ import annotations

from collections import Counter

import aiohttp
from sqlalchemy import func, select

from kalshiflow.events import EventBus
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.fixedpoint import parse_count, parse_price
from kalshiflow.kalshi.hybrid import HybridClientPair
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.tables import Fill as FillRow
from kalshiflow.trading.events import OrderSource, OrderStatus
from kalshiflow.trading.order_tracker import TrackedOrder
from kalshiflow.trading.reconciler import NOT_ON_EXCHANGE
from kalshiflow.trading.state_machine import TraderState
from tests.fixtures.sim import KalshiTestClient, v2_order
from tests.trading.test_order_manager_env import (
    Counterparty,
    Events,
    Exchange,
    counterparty,
    database,
    eventually,
    fresh_book,
    intent,
    pair,
    sim_config,
    start_component,
)
from tests.trading.test_trading_faults import assert_matches_exchange

__all__ = ["counterparty", "database", "pair", "sim_config"]

P = parse_price
C = parse_count


def pending(cid: str, ticker: str, at_ms: int) -> TrackedOrder:
    return TrackedOrder(
        cid, None, ticker, "bid", P("0.20"), C("2"), C("0"), C("2"),
        OrderStatus.PENDING, OrderSource.ACTOR, at_ms, at_ms,
    )  # fmt: skip


async def test_restart_after_a_crash_equals_the_exchange(
    sim: SimHandle, pair: HybridClientPair, database: Database, counterparty: Counterparty
) -> None:
    from kalshiflow.marketdata.shared_state import SharedOrderbookState

    books = SharedOrderbookState()
    tickers = [m.ticker for m in sim.demo.context.exchange.markets()]
    a, b = tickers[:2]
    for t in tickers:
        fresh_book(books, t, [(P("0.40"), 5000)], [(P("0.56"), 5000)])
    first = await start_component(sim, pair, database, EventBus(), books)
    om = first.order_manager
    x = await om.place(intent(a, "bid", "0.40", "10"), OrderSource.ACTOR)
    y = await om.place(intent(b, "ask", "0.60", "6"), OrderSource.MANUAL)
    assert x.accepted
    assert y.accepted
    await counterparty.order(a, "ask", P("0.40"), C("3"))
    await eventually(lambda: first.parts.positions.position(a) == C("3"), what="live fill")
    await first.parts.store.flush()

    # Two orders caught between the database and the exchange: one written but never sent,
    # one that reached the exchange although its answer never came back.
    now = first.parts.state.history[-1].at_ms
    await first.parts.store.insert_pending(pending("never-sent", a, now), None)
    await first.parts.store.insert_pending(pending("answer-lost", b, now), None)
    async with aiohttp.ClientSession() as session:
        ours = KalshiTestClient.for_env(session, sim.demo)
        status, body = await ours.post(
            "/portfolio/events/orders",
            json=v2_order(b, "bid", "0.2000", "2.00", client_order_id="answer-lost"),
        )
        assert status in (200, 201), body

    # Fills in flight, then the crash: nothing is flushed, nothing stopped cleanly.
    await counterparty.order(a, "ask", P("0.40"), C("4"))
    first.abandon()
    # While the trader is down, more fills.
    await counterparty.order(a, "ask", P("0.40"), C("3"))
    await counterparty.order(b, "bid", P("0.60"), C("2"))

    events = EventBus()
    seen = Events(events.subscribe(maxsize=100_000))
    second = await start_component(sim, pair, database, events, books)
    try:
        parts = second.parts
        assert [(e.previous, e.current) for e in parts.state.history] == [
            (TraderState.STARTING, TraderState.CALIBRATING),
            (TraderState.CALIBRATING, TraderState.TRADING),
        ]
        assert_matches_exchange(sim, second.parts)
        # Positions came back by replaying stored fills and booking the missed ones from
        # REST, not by copying the exchange's numbers.
        report = parts.reconciler.last_report
        assert report is not None
        assert report.settled
        kinds = Counter(d.kind for d in report.discrepancies)
        assert "position" not in kinds
        assert kinds["fill_backfilled"] == 3  # the one in flight and the two while down
        assert parts.positions.position(a) == C("10")
        assert parts.positions.position(b) == -C("2")
        tracked_x = parts.tracker.require(x.order.client_order_id)
        assert (tracked_x.status, tracked_x.filled) == (OrderStatus.EXECUTED, C("10"))
        tracked_y = parts.tracker.require(y.order.client_order_id)
        assert (tracked_y.status, tracked_y.remaining) == (OrderStatus.PARTIALLY_FILLED, C("4"))
        never = parts.tracker.require("never-sent")
        assert (never.status, never.rejection_rule) == (OrderStatus.REJECTED, NOT_ON_EXCHANGE)
        lost = parts.tracker.require("answer-lost")
        assert (lost.status, lost.source) == (OrderStatus.RESTING, OrderSource.ACTOR)
        # No client order id reached the exchange twice; "never-sent" was not sent at all.
        exchange_orders = sim.demo.context.exchange.orders(sim.demo.account_id)
        ids = Counter(o.client_order_id for o in exchange_orders)
        assert max(ids.values()) == 1
        assert set(ids) == {x.order.client_order_id, y.order.client_order_id, "answer-lost"}
        # The restart booked the fills it missed and stores each fill once.
        await parts.store.flush()
        async with parts.store._db.session() as session:
            stored = (await session.execute(select(func.count()).select_from(FillRow))).scalar_one()
        assert stored == len(Exchange(sim).trade_ids())
        # The second ledger survived the crash: the decision-time production data of x
        # came back from its row, and all ten demo fills (three before, seven after the
        # crash) landed on it, so its realism gap covers the whole order.
        ledger = parts.ledgers.get(x.order.client_order_id)
        assert ledger is not None
        assert (ledger.production_bid, ledger.production_ask) == (P("0.40"), P("0.44"))
        assert ledger.actual_count == C("10")
        assert ledger.actual_notional == P("0.40") * C("10")
        assert seen.of(object)
        # And it keeps trading.
        more = await second.order_manager.place(intent(a, "ask", "0.45", "1"), OrderSource.ACTOR)
        assert more.accepted
    finally:
        await second.stop()


CHILD = r"""
import asyncio, json, sys, time
from pathlib import Path
from sqlalchemy.engine import make_url
from kalshiflow.components.trading import TradingComponent
from kalshiflow.config import RiskSettings, Settings
from kalshiflow.events import EventBus
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.kalshi.hybrid import build_client_pair
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.persistence.database import Database
from kalshiflow.trading.events import OrderSource
from kalshiflow.trading.types import OrderIntent

async def main() -> None:
    rest, ws, key_id, key_path, db_url, ticker = sys.argv[1:7]
    auth = KalshiAuth.from_key_file(key_id, Path(key_path))
    pair = build_client_pair(data_rest_url=rest, trading_rest_url=rest, data_auth=None,
                             trading_auth=auth, trading_ws_url=ws)
    books = SharedOrderbookState()
    books.add([ticker])
    db = Database(make_url(db_url))
    component = TradingComponent(
        Settings(risk=RiskSettings(max_orders_per_second=1000, max_open_orders=500)),
        lambda: pair, lambda: db, EventBus(), lambda: auth, lambda: books,
        reconcile_interval_s=3600, snapshot_interval_s=3600)
    await component.start()
    om = component.order_manager
    i = 0
    while True:
        books.book(ticker).apply_snapshot([(4000, 5000)], [(5600, 5000)], 1, time.time_ns())
        price = Price(4000 if i == 0 else 100 * (1 + i % 20))
        result = await om.place(OrderIntent(ticker, "bid", price, Count(1000 if i == 0 else 100)),
                                OrderSource.ACTOR)
        assert result.accepted, result
        if i == 0:
            print(json.dumps({"ready": result.order.client_order_id}), flush=True)
        i += 1

asyncio.run(main())
"""


async def test_killed_process_restarts_equal_to_the_exchange(
    sim: SimHandle, pair: HybridClientPair, database: Database, counterparty: Counterparty
) -> None:
    """SIGKILL of a process that is placing orders while its orders fill."""
    import asyncio
    import json
    import os
    import signal
    import sys
    from pathlib import Path

    from kalshiflow.marketdata.shared_state import SharedOrderbookState

    ticker = sim.demo.context.exchange.markets()[0].ticker
    backend = Path(__file__).resolve().parents[2]
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, sim.demo.rest_url, sim.demo.ws_url, sim.demo.key_id,
        str(sim.demo.private_key_path), database.url.render_as_string(hide_password=False),
        ticker, cwd=backend, stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(backend)},
    )  # fmt: skip
    try:
        assert child.stdout is not None
        async with asyncio.timeout(30):
            line = await child.stdout.readline()
        first_cid = json.loads(line)["ready"]
        await counterparty.order(ticker, "ask", P("0.40"), C("3"))
        await asyncio.sleep(0.3)  # the child keeps placing orders; fills are being booked
        await counterparty.order(ticker, "ask", P("0.40"), C("2"))
        child.send_signal(signal.SIGKILL)  # mid-flight: a create may be on its way
    finally:
        if child.returncode is None:
            child.kill()
        await child.wait()
    await counterparty.order(ticker, "ask", P("0.40"), C("4"))  # while nobody watches

    books = SharedOrderbookState()
    fresh_book(books, ticker, [(P("0.40"), 5000)], [(P("0.56"), 5000)])
    restarted = await start_component(sim, pair, database, EventBus(), books)
    try:
        parts = restarted.parts
        assert parts.state.state is TraderState.TRADING
        assert_matches_exchange(sim, parts)
        first = parts.tracker.require(first_cid)
        assert (first.filled, first.remaining) == (C("9"), C("1"))
        exchange_orders = sim.demo.context.exchange.orders(sim.demo.account_id)
        ids = Counter(o.client_order_id for o in exchange_orders)
        assert max(ids.values()) == 1  # nothing was sent twice
        # every order on the exchange was placed by the actor and is known as such
        for order in exchange_orders:
            assert parts.tracker.require(order.order_id).source is OrderSource.ACTOR
        assert not [o for o in parts.tracker if o.status is OrderStatus.PENDING]
        assert len(exchange_orders) > 2
    finally:
        await restarted.stop()
