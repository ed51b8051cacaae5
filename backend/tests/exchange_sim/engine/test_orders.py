"""Order handling scenarios: matching, priority, STP, TIF, post/reduce-only, amend, errors."""

from __future__ import annotations

import pytest

from kalshiflow.exchange_sim.engine import (
    BookChange,
    BookSide,
    EngineEvent,
    ExchangeError,
    OrderStatus,
    SelfTradePrevention,
    TimeInForce,
)
from tests.exchange_sim.engine.replay import Replay
from tests.exchange_sim.engine.support import TICKER, c, m, make_exchange, p, req

BID, ASK = BookSide.BID, BookSide.ASK


def test_book_shows_bids_only_with_asks_as_no_bids() -> None:
    ex, _ = make_exchange()
    ex.place_order(req("a", BID, "0.40", "2"))
    ex.place_order(req("a", BID, "0.45", "1"))
    ex.place_order(req("b", ASK, "0.55", "3"))  # sell YES at 0.55 == NO bid at 0.45
    ex.place_order(req("b", ASK, "0.60", "4"))  # NO bid at 0.40
    yes, no = ex.orderbook(TICKER)
    assert yes == [(p("0.40"), c("2")), (p("0.45"), c("1"))]
    assert no == [(p("0.40"), c("4")), (p("0.45"), c("3"))]
    assert ex.orderbook(TICKER, depth=1) == ([(p("0.45"), c("1"))], [(p("0.45"), c("3"))])
    assert ex.best_prices(TICKER) == (p("0.45"), p("0.55"))


def test_price_time_priority_and_partial_fills() -> None:
    ex, _ = make_exchange({"a": "100", "b": "100", "t": "100"})
    first = ex.place_order(req("a", ASK, "0.50", "2")).order
    second = ex.place_order(req("b", ASK, "0.50", "2")).order
    better = ex.place_order(req("b", ASK, "0.49", "1")).order
    result = ex.place_order(req("t", BID, "0.50", "2.50", TimeInForce.IOC))
    assert [(f.price, f.count) for f in result.fills] == [
        (p("0.49"), c("1")),
        (p("0.50"), c("1.50")),
    ]
    maker_fills = {f.trade_id: f.order_id for f in ex.fills("a") + ex.fills("b")}
    assert [maker_fills[f.trade_id] for f in result.fills] == [better.order_id, first.order_id]
    assert ex.order("a", first.order_id).remaining_count == c("0.50")
    assert ex.order("b", second.order_id).remaining_count == c("2")
    assert ex.order("b", second.order_id).queue_position == c("0.50")
    assert result.order.status is OrderStatus.EXECUTED
    assert result.average_fill_price == p("0.4960")  # (0.49×1 + 0.50×1.5) / 2.5


def test_ioc_remainder_is_canceled_and_fok_needs_full_size() -> None:
    ex, _ = make_exchange()
    ex.place_order(req("a", ASK, "0.50", "1"))
    fok = ex.place_order(req("b", BID, "0.50", "2", TimeInForce.FOK))
    assert fok.order.status is OrderStatus.CANCELED
    assert fok.order.fill_count == 0
    assert ex.orderbook(TICKER)[1] == [(p("0.50"), c("1"))]
    ioc = ex.place_order(req("b", BID, "0.50", "2", TimeInForce.IOC))
    assert ioc.order.status is OrderStatus.CANCELED
    assert ioc.order.fill_count == c("1")
    assert ioc.order.remaining_count == 0
    assert ex.orderbook(TICKER) == ([], [])


def test_post_only_cross_is_rejected_with_kalshi_details() -> None:
    ex, _ = make_exchange()
    ex.place_order(req("a", ASK, "0.50", "1"))
    with pytest.raises(ExchangeError) as err:
        ex.place_order(req("b", BID, "0.50", "1", post_only=True))
    assert (err.value.http_status, err.value.code, err.value.details) == (
        400,
        "invalid_order",
        "post only cross",
    )
    ok = ex.place_order(req("b", BID, "0.49", "1", post_only=True))
    assert ok.order.status is OrderStatus.RESTING


def test_self_trade_taker_at_cross_cancels_the_taker_remainder() -> None:
    ex, _ = make_exchange()
    ex.place_order(req("b", ASK, "0.49", "1"))
    own = ex.place_order(req("a", ASK, "0.50", "1")).order
    result = ex.place_order(req("a", BID, "0.55", "3"))
    assert [f.count for f in result.fills] == [c("1")]
    assert result.order.status is OrderStatus.CANCELED
    assert ex.order("a", own.order_id).status is OrderStatus.RESTING
    assert ex.orderbook(TICKER) == ([], [(p("0.50"), c("1"))])


def test_self_trade_maker_cancels_the_resting_order_and_keeps_matching() -> None:
    ex, _ = make_exchange()
    own = ex.place_order(req("a", ASK, "0.50", "1")).order
    ex.place_order(req("b", ASK, "0.51", "1"))
    result = ex.place_order(req("a", BID, "0.55", "3", stp=SelfTradePrevention.MAKER))
    assert ex.order("a", own.order_id).status is OrderStatus.CANCELED
    assert [(f.price, f.count) for f in result.fills] == [(p("0.51"), c("1"))]
    assert ex.orderbook(TICKER) == ([(p("0.55"), c("2"))], [])


def test_client_order_id_reuse_is_409_even_after_cancel() -> None:
    ex, _ = make_exchange()
    order = ex.place_order(req("a", BID, "0.40", "1", client_order_id="x1")).order
    ex.cancel_order("a", order.order_id)
    with pytest.raises(ExchangeError) as err:
        ex.place_order(req("a", BID, "0.40", "1", client_order_id="x1"))
    assert (err.value.http_status, err.value.code) == (409, "order_already_exists")
    # another account may use the same id
    ex.place_order(req("b", BID, "0.40", "1", client_order_id="x1"))
    assert ex.order_by_client_id("a", "x1").order_id == order.order_id


def test_cancel_of_finished_order_is_404() -> None:
    ex, _ = make_exchange()
    order = ex.place_order(req("a", BID, "0.40", "1")).order
    snapshot, reduced = ex.cancel_order("a", order.order_id)
    assert (snapshot.status, reduced) == (OrderStatus.CANCELED, c("1"))
    with pytest.raises(ExchangeError) as err:
        ex.cancel_order("a", order.order_id)
    assert err.value.http_status == 404
    with pytest.raises(ExchangeError):
        ex.cancel_order("b", "no-such-order")


def test_rejections() -> None:
    ex, _ = make_exchange({"a": "1", "b": "1000"})
    cases = [
        (req("a", BID, "0.405", "1"), 400, "invalid_price"),  # off the cent grid
        (req("a", BID, "1.00", "1"), 400, "invalid_price"),
        (req("a", BID, "0.40", "0"), 400, "invalid_order_size"),
        (req("a", BID, "0.40", "10"), 400, "insufficient_balance"),
        (req("a", BID, "0.40", "1", ticker="NOPE"), 404, "not_found"),
        (req("a", BID, "0.40", "1", reduce_only=True), 400, "invalid_order"),
    ]
    for request, status, code in cases:
        with pytest.raises(ExchangeError) as err:
            ex.place_order(request)
        assert (err.value.http_status, err.value.code) == (status, code), request
    # a resting order needs exactly its cost: 2 × 0.40
    ex2, _ = make_exchange({"a": "0.80"})
    ex2.place_order(req("a", BID, "0.40", "2"))
    assert ex2.balance("a") == 0
    # one that crosses also needs the fee's upper bound: 0.07 × 2 × 0.25 = 0.035
    ex3, _ = make_exchange({"a": "0.835", "b": "10"})
    ex3.place_order(req("b", ASK, "0.40", "2"))
    ex3.place_order(req("a", BID, "0.40", "2"))
    # fee charged: 0.07 × 2 × 0.4 × 0.6 = 0.0336
    assert ex3.balance("a") == m("0.835") - m("0.80") - m("0.0336")
    ex4, _ = make_exchange({"a": "0.834", "b": "10"})
    ex4.place_order(req("b", ASK, "0.40", "2"))
    with pytest.raises(ExchangeError) as err:
        ex4.place_order(req("a", BID, "0.40", "2"))
    assert err.value.code == "insufficient_balance"


def test_rejection_emits_nothing_and_changes_nothing() -> None:
    ex, _ = make_exchange({"a": "1"})
    events: list[EngineEvent] = []
    ex.subscribe(events.append)
    with pytest.raises(ExchangeError):
        ex.place_order(req("a", BID, "0.40", "10"))
    assert events == []
    assert ex.balance("a") == m("1")
    assert ex.orders("a") == []


def test_amend_priority_rules() -> None:
    ex, _ = make_exchange({"a": "100", "b": "100", "t": "100"})
    a = ex.place_order(req("a", BID, "0.40", "5")).order
    b = ex.place_order(req("b", BID, "0.40", "5")).order
    # decrease via amend keeps priority
    _, after = ex.amend_order("a", a.order_id, p("0.40"), c("4"))
    assert after.remaining_count == c("4")
    assert ex.order("b", b.order_id).queue_position == c("4")
    # increase loses priority
    ex.amend_order("a", a.order_id, p("0.40"), c("6"))
    assert ex.order("a", a.order_id).queue_position == c("5")
    assert ex.order("b", b.order_id).queue_position == 0
    # decrease_order keeps priority
    ex.decrease_order("b", b.order_id, reduce_by=c("1"))
    assert ex.order("a", a.order_id).queue_position == c("4")
    # price change loses priority; moving back puts it behind b
    ex.amend_order("b", b.order_id, p("0.41"), c("4"))
    ex.amend_order("b", b.order_id, p("0.40"), c("4"))
    assert ex.order("b", b.order_id).queue_position == c("6")
    assert ex.orderbook(TICKER)[0] == [(p("0.40"), c("10"))]
    # an amended price that crosses executes
    ex.place_order(req("t", ASK, "0.45", "2"))
    before, after = ex.amend_order("a", a.order_id, p("0.45"), c("6"))
    assert before.price == p("0.40")
    assert after.fill_count == c("2")
    assert after.remaining_count == c("4")
    assert after.taker_fees == m("0.0347")  # 0.07 × 2 × 0.45 × 0.55 = 0.03465 -> 0.0347


def test_decrease_to_zero_cancels() -> None:
    ex, _ = make_exchange()
    o = ex.place_order(req("a", BID, "0.40", "5")).order
    assert ex.decrease_order("a", o.order_id, reduce_to=c("2")).remaining_count == c("2")
    assert ex.decrease_order("a", o.order_id, reduce_to=c("0")).status is OrderStatus.CANCELED
    assert ex.orderbook(TICKER) == ([], [])
    assert ex.reserved("a") == 0


def test_netting_redeems_pairs_and_realizes_pnl() -> None:
    ex, _ = make_exchange({"a": "100", "b": "100", "c": "100"})
    # a buys 10 NO at 0.40 (sells YES at 0.60) from b's YES bid
    ex.place_order(req("b", BID, "0.60", "10"))
    ex.place_order(req("a", ASK, "0.60", "10", TimeInForce.IOC))
    assert ex.market(TICKER).open_interest == c("10")
    (pos,) = ex.positions("a")
    assert (pos.position, pos.position_cost) == (-c("10"), m("4.00"))
    cash_before = ex.balance("a")
    # a buys 4 YES at 0.70: closes 4 NO, each YES+NO pair redeems for $1
    ex.place_order(req("c", ASK, "0.70", "4"))
    result = ex.place_order(req("a", BID, "0.70", "4", TimeInForce.IOC))
    fee = result.fills[0].fee
    assert fee == m("0.0588")  # 0.07 × 4 × 0.7 × 0.3 = 0.0588
    (pos,) = ex.positions("a")
    assert pos.position == -c("6")
    assert pos.position_cost == m("2.40")
    assert pos.realized_pnl == m("-0.40")  # bought NO at 0.40, closed at 0.30
    assert ex.balance("a") == cash_before - m("2.80") + m("4.00") - fee
    # c sold YES it did not hold -> c holds 4 NO; open interest unchanged (10 - 4 + 4)
    assert ex.market(TICKER).open_interest == c("10")


def test_resting_closing_orders_reserve_nothing() -> None:
    ex, _ = make_exchange({"a": "100", "b": "100"})
    ex.place_order(req("b", ASK, "0.30", "5"))
    ex.place_order(req("a", BID, "0.30", "5", TimeInForce.IOC))  # a: +5 YES
    ex.place_order(req("a", ASK, "0.80", "3"))  # sells YES it holds: closes only
    assert ex.reserved("a") == 0
    ex.place_order(req("a", ASK, "0.90", "4"))  # 2 close, 2 open NO at 0.10
    assert ex.reserved("a") == m("0.20")


def test_reduce_only_is_capped_at_the_position() -> None:
    ex, _ = make_exchange()
    ex.place_order(req("b", ASK, "0.30", "5"))
    ex.place_order(req("a", BID, "0.30", "5", TimeInForce.IOC))
    o = ex.place_order(req("a", ASK, "0.50", "8", reduce_only=True)).order
    assert o.initial_count == c("5")


def test_book_changes_replay_to_the_orderbook() -> None:
    ex, _ = make_exchange()
    replay = Replay(ex)
    changes: list[BookChange] = []
    ex.subscribe(lambda e: changes.append(e) if isinstance(e, BookChange) else None)
    o = ex.place_order(req("a", BID, "0.40", "5")).order
    ex.place_order(req("b", ASK, "0.40", "2", TimeInForce.IOC))
    ex.amend_order("a", o.order_id, p("0.41"), c("6"))
    replay.check()
    assert [(ch.side, ch.price, ch.delta) for ch in changes] == [
        ("yes", p("0.40"), c("5")),
        ("yes", p("0.40"), -c("2")),
        ("yes", p("0.40"), -c("3")),
        ("yes", p("0.41"), c("4")),
    ]


def test_a_failing_listener_does_not_starve_the_others() -> None:
    ex, _ = make_exchange()

    def broken(event: EngineEvent) -> None:
        raise RuntimeError("subscriber bug")

    seen: list[EngineEvent] = []
    ex.subscribe(broken)
    ex.subscribe(seen.append)
    ex.place_order(req("a", BID, "0.40", "1"))
    assert [type(e).__name__ for e in seen] == ["BookChange", "OrderUpdate"]


def test_listener_calling_back_keeps_one_global_event_order() -> None:
    ex, _ = make_exchange()
    seen: list[tuple[str, int]] = []

    def reactive(event: EngineEvent) -> None:
        # a listener that reacts to a book change with an order of its own
        if isinstance(event, BookChange) and event.account_id == "a":
            ex.place_order(req("b", BID, "0.30", "1"))

    ex.subscribe(reactive)
    ex.subscribe(lambda e: seen.append((type(e).__name__, getattr(e, "price", 0))))
    ex.place_order(req("a", BID, "0.40", "1"))
    assert seen == [
        ("BookChange", p("0.40")),
        ("OrderUpdate", 0),
        ("BookChange", p("0.30")),
        ("OrderUpdate", 0),
    ]


def test_rejected_order_leaves_no_position_row() -> None:
    ex, _ = make_exchange({"a": "0.10"})
    with pytest.raises(ExchangeError):
        ex.place_order(req("a", BID, "0.40", "5"))
    assert ex.positions("a") == []


def test_amend_can_rename_the_client_order_id_once_unused() -> None:
    ex, _ = make_exchange()
    o = ex.place_order(req("a", BID, "0.40", "1", client_order_id="first")).order
    ex.place_order(req("a", BID, "0.30", "1", client_order_id="taken"))
    with pytest.raises(ExchangeError) as err:
        ex.amend_order("a", o.order_id, p("0.41"), c("1"), new_client_order_id="taken")
    assert err.value.http_status == 409
    assert ex.order("a", o.order_id).price == p("0.40")
    _, after = ex.amend_order("a", o.order_id, p("0.41"), c("1"), new_client_order_id="second")
    assert after.client_order_id == "second"
    assert ex.order_by_client_id("a", "second").order_id == o.order_id
    with pytest.raises(ExchangeError):
        ex.place_order(req("a", BID, "0.40", "1", client_order_id="first"))


def test_prune_history_keeps_resting_orders_and_client_ids() -> None:
    ex, _ = make_exchange()
    resting = ex.place_order(req("a", BID, "0.10", "1", client_order_id="keep")).order
    for i in range(5):
        ex.place_order(req("b", ASK, "0.50", "1"))
        ex.place_order(req("a", BID, "0.50", "1", TimeInForce.IOC, client_order_id=f"x{i}"))
    assert len(ex.orders("a")) == 6
    assert ex.prune_history("a", keep=2) == 3
    assert [o.client_order_id for o in ex.orders("a")] == ["x4", "x3", "keep"]
    assert len(ex.fills("a")) == 2
    assert ex.order("a", resting.order_id).status is OrderStatus.RESTING
    with pytest.raises(ExchangeError):
        ex.place_order(req("a", BID, "0.40", "1", client_order_id="x0"))
