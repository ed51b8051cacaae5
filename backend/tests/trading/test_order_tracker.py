"""OrderTracker: monotonic merging of create answers, exchange reads and fills, in any
arrival order; cash holds that follow the order."""

from __future__ import annotations

from itertools import permutations
from typing import Any

import pytest

from kalshiflow.kalshi.models import Order
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import OrderSource, OrderStatus
from kalshiflow.trading.order_tracker import OrderTracker, UnknownOrderError, sync_cash_hold
from kalshiflow.trading.positions import PositionTracker
from tests.trading.support import c, p


def exchange_order(status: str, filled: str, remaining: str, **extra: Any) -> Order:
    return Order.from_wire(
        {
            "order_id": "o1",
            "client_order_id": "c1",
            "ticker": "T",
            "status": status,
            "book_side": "bid",
            "yes_price_dollars": "0.4000",
            "fill_count_fp": filled,
            "remaining_count_fp": remaining,
            "initial_count_fp": "10.00",
            **extra,
        }
    )


def tracker_with_pending() -> OrderTracker:
    tracker = OrderTracker()
    tracker.add_pending("c1", "T", "bid", p("0.40"), c("10"), OrderSource.ACTOR, 1)
    return tracker


def test_lifecycle_pending_resting_partial_executed() -> None:
    tracker = tracker_with_pending()
    assert tracker.require("c1").status is OrderStatus.PENDING
    acked = tracker.acknowledge("c1", "o1", c("0"), c("10"), 2)
    assert acked is not None
    assert acked.status is OrderStatus.RESTING
    assert tracker.require("o1") is tracker.require("c1")
    partial = tracker.apply_fill("o1", c("4"), 3)
    assert partial is not None
    assert (partial.status, partial.filled, partial.remaining) == (
        OrderStatus.PARTIALLY_FILLED,
        c("4"),
        c("6"),
    )
    done = tracker.apply_fill("o1", c("6"), 4)
    assert done is not None
    assert (done.status, done.remaining) == (OrderStatus.EXECUTED, 0)
    assert tracker.open_orders() == ()


# The three reports of one partial fill of 4, in every order they can arrive.
REPORTS = ("ack", "user_order", "fill")


@pytest.mark.parametrize("arrival", list(permutations(REPORTS)))
def test_reports_converge_in_any_arrival_order(arrival: tuple[str, ...]) -> None:
    tracker = tracker_with_pending()
    for report in arrival:
        if report == "ack":
            tracker.acknowledge("c1", "o1", c("0"), c("10"), 5)  # answer before the fill
        elif report == "user_order":
            tracker.apply_exchange_order(exchange_order("resting", "4.00", "6.00"), 5)
        else:
            tracker.apply_fill("o1", c("4"), 5, client_order_id="c1")
    order = tracker.require("c1")
    assert (order.order_id, order.status, order.filled, order.remaining) == (
        "o1",
        OrderStatus.PARTIALLY_FILLED,
        c("4"),
        c("6"),
    )


def test_terminal_status_is_never_left() -> None:
    tracker = tracker_with_pending()
    tracker.acknowledge("c1", "o1", c("0"), c("10"), 2)
    tracker.canceled("c1", 3)
    stale = tracker.apply_exchange_order(exchange_order("resting", "0.00", "10.00"), 4)
    assert stale is None  # nothing changed
    assert (tracker.require("c1").status, tracker.require("c1").remaining) == (
        OrderStatus.CANCELED,
        0,
    )
    late_fill = tracker.apply_fill("o1", c("2"), 5)  # filled just before the cancel
    assert late_fill is not None
    assert (late_fill.status, late_fill.filled) == (OrderStatus.CANCELED, c("2"))


def test_unknown_exchange_orders_are_adopted_with_their_source() -> None:
    tracker = OrderTracker()
    adopted = tracker.apply_exchange_order(
        exchange_order("resting", "1.00", "9.00", client_order_id="elsewhere"), 7
    )
    assert adopted is not None
    assert (adopted.source, adopted.status, adopted.client_order_id) == (
        OrderSource.RECONCILIATION,
        OrderStatus.PARTIALLY_FILLED,
        "elsewhere",
    )
    with pytest.raises(UnknownOrderError):
        tracker.require("nope")
    with pytest.raises(ValueError, match="already tracked"):
        tracker.add_pending("elsewhere", "T", "bid", p("0.4"), c("1"), OrderSource.MANUAL, 1)


def test_rejection_keeps_rule_and_reason() -> None:
    tracker = tracker_with_pending()
    rejected = tracker.reject("c1", "max_total_exposure", "exposure $600 > $500", 9)
    assert (rejected.status, rejected.rejection_rule, rejected.rejection_reason) == (
        OrderStatus.REJECTED,
        "max_total_exposure",
        "exposure $600 > $500",
    )
    event = rejected.event()
    assert event.rejection_rule == "max_total_exposure"


def test_cash_hold_follows_the_order() -> None:
    positions = PositionTracker()
    cash = CashManager(positions)
    tracker = tracker_with_pending()
    sync_cash_hold(cash, tracker.require("c1"))  # pending: nothing rests yet
    assert cash.open_order_count == 0
    acked = tracker.acknowledge("c1", "o1", c("0"), c("10"), 2)
    assert acked is not None
    sync_cash_hold(cash, acked)
    assert cash.reserved_principal == p("0.40") * c("10")
    partial = tracker.apply_fill("o1", c("4"), 3)
    assert partial is not None
    sync_cash_hold(cash, partial)
    assert cash.reserved_principal == p("0.40") * c("6")
    amended = tracker.amended("c1", p("0.42"), c("10"), c("4"), c("6"), 4)
    sync_cash_hold(cash, amended)
    assert cash.reserved_principal == p("0.42") * c("6")
    closed = tracker.canceled("c1", 5)
    assert closed is not None
    sync_cash_hold(cash, closed)
    assert cash.open_order_count == 0
