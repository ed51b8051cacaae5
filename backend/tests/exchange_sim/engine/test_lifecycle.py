"""Market lifecycle: schedule-driven open/close, determination, settlement, expiries."""

from __future__ import annotations

import pytest

from kalshiflow.exchange_sim.engine import (
    BookSide,
    EngineEvent,
    ExchangeError,
    MarketLifecycle,
    MarketSpec,
    MarketStatus,
    OrderRequest,
    OrderStatus,
    PositionUpdate,
    TimeInForce,
)
from tests.exchange_sim.engine.support import EVENT, T0_MS, TICKER, c, m, make_exchange, p, req


def test_markets_open_and_close_on_schedule_and_can_be_added_while_running() -> None:
    ex, clock = make_exchange()
    events: list[EngineEvent] = []
    ex.subscribe(events.append)
    now_s = T0_MS // 1000
    ex.add_market(
        MarketSpec(
            "KXHIGHNY-26NOV22-B47", EVENT, "47-48", open_time=now_s + 60, close_time=now_s + 120
        )
    )
    assert ex.market("KXHIGHNY-26NOV22-B47").status is MarketStatus.INITIALIZED
    with pytest.raises(ExchangeError) as err:
        ex.place_order(req("a", BookSide.BID, "0.40", "1", ticker="KXHIGHNY-26NOV22-B47"))
    assert err.value.code == "market_closed"
    clock.now += 60_000
    ex.tick()
    assert ex.market("KXHIGHNY-26NOV22-B47").status is MarketStatus.ACTIVE
    o = ex.place_order(req("a", BookSide.BID, "0.40", "1", ticker="KXHIGHNY-26NOV22-B47")).order
    clock.now += 60_000
    ex.tick()
    assert ex.market("KXHIGHNY-26NOV22-B47").status is MarketStatus.CLOSED
    assert ex.order("a", o.order_id).status is OrderStatus.CANCELED
    assert ex.orderbook("KXHIGHNY-26NOV22-B47") == ([], [])
    assert ex.reserved("a") == 0
    kinds = [(e.event_type, e.reason) for e in events if isinstance(e, MarketLifecycle)]
    assert kinds == [("created", None), ("activated", "opened"), ("deactivated", "closed")]


def test_close_time_update_moves_the_schedule() -> None:
    ex, clock = make_exchange()
    ex.update_close_time(TICKER, T0_MS // 1000 + 10)
    clock.now += 11_000
    ex.tick()
    assert ex.market(TICKER).status is MarketStatus.CLOSED


def test_determination_and_settlement_pay_one_dollar_per_winner() -> None:
    ex, _ = make_exchange({"yes": "100", "no": "100"})
    ex.place_order(req("no", BookSide.ASK, "0.30", "10"))
    taker = ex.place_order(req("yes", BookSide.BID, "0.30", "10", TimeInForce.IOC))
    fee = taker.fills[0].fee
    assert fee == m("0.147")
    ex.place_order(req("no", BookSide.BID, "0.10", "1"))  # canceled at close
    events: list[EngineEvent] = []
    ex.subscribe(events.append)
    ex.determine_market(TICKER, "yes")
    assert ex.market(TICKER).status is MarketStatus.DETERMINED
    assert ex.reserved("no") == 0
    with pytest.raises(ExchangeError):
        ex.place_order(req("no", BookSide.BID, "0.10", "1"))
    ex.settle_market(TICKER)
    market = ex.market(TICKER)
    assert (market.status, market.open_interest) == (MarketStatus.FINALIZED, 0)
    assert ex.balance("yes") == m("100") - m("3") - fee + m("10")
    assert ex.balance("no") == m("100") - m("7")
    (s,) = ex.settlements("yes")
    assert (s.ticker, s.event_ticker, s.market_result) == (TICKER, EVENT, "yes")
    assert (s.yes_count, s.no_count, s.yes_total_cost, s.no_total_cost) == (c("10"), 0, m("3"), 0)
    assert (s.revenue, s.value, s.fee_cost) == (m("10"), p("1"), fee)
    (s,) = ex.settlements("no")
    assert (s.yes_count, s.no_count, s.no_total_cost, s.revenue) == (0, c("10"), m("7"), 0)
    (pos,) = ex.positions("yes")
    assert (pos.position, pos.realized_pnl) == (0, m("7"))
    kinds = [e.event_type for e in events if isinstance(e, MarketLifecycle)]
    assert kinds == ["deactivated", "determined", "settled"]
    assert {e.account_id for e in events if isinstance(e, PositionUpdate)} == {"yes", "no"}
    with pytest.raises(ExchangeError):
        ex.settle_market(TICKER)


def test_gtc_expiration_cancels_on_tick() -> None:
    ex, clock = make_exchange()
    o = ex.place_order(
        OrderRequest("a", TICKER, BookSide.BID, p("0.40"), c("1"), expiration_ts=T0_MS // 1000 + 5)
    ).order
    clock.now += 4_000
    ex.tick()
    assert ex.order("a", o.order_id).status is OrderStatus.RESTING
    clock.now += 1_000
    ex.tick()
    assert ex.order("a", o.order_id).status is OrderStatus.CANCELED
