"""FillProcessor: each fill booked once by trade id, into positions, cash, the order and
the demo side of the ledger; a fill may come before the create answer."""

from __future__ import annotations

from typing import Any

from kalshiflow.kalshi.models import Fill
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import OrderSource, OrderStatus
from kalshiflow.trading.fill_processor import BookedFill, FillProcessor
from kalshiflow.trading.ledger import TwoLedgers
from kalshiflow.trading.order_tracker import OrderTracker
from kalshiflow.trading.positions import PositionTracker
from kalshiflow.trading.types import OrderIntent, StaticBook
from tests.trading.support import FakeClock, c, m, p


def ws_fill(trade_id: str, count: str, price: str = "0.4000", **extra: Any) -> Fill:
    """The private channel's current message shape (as the local exchange sends it)."""
    return Fill.from_wire(
        {
            "trade_id": trade_id,
            "order_id": "o1",
            "client_order_id": "c1",
            "market_ticker": "T",
            "is_taker": True,
            "side": "yes",
            "outcome_side": "yes",
            "book_side": "bid",
            "yes_price_dollars": price,
            "count_fp": count,
            "fee_cost": "0.016800",
            "ts": 1_795_000_000,
            "ts_ms": 1_795_000_000_000,
            **extra,
        }
    )


def setup() -> tuple[FillProcessor, PositionTracker, CashManager, OrderTracker, list[BookedFill]]:
    positions = PositionTracker()
    cash = CashManager(positions, m("100"))
    tracker = OrderTracker()
    ledgers = TwoLedgers()
    order = OrderIntent("T", "bid", p("0.40"), c("10"))
    tracker.add_pending("c1", "T", "bid", p("0.40"), c("10"), OrderSource.ACTOR, 1)
    production = StaticBook(((p("0.39"), c("5")),), ((p("0.59"), c("5")),))
    ledgers.record_decision("c1", order, production, 1)
    booked: list[BookedFill] = []
    processor = FillProcessor(positions, cash, tracker, ledgers, FakeClock(), booked.append)
    return processor, positions, cash, tracker, booked


def test_each_trade_id_is_booked_once() -> None:
    processor, positions, cash, tracker, booked = setup()
    first = processor.apply(ws_fill("t1", "1.00"), "ws")
    assert first is not None
    assert processor.apply(ws_fill("t1", "1.00"), "rest") is None  # the backfill sees it again
    assert processor.duplicates == 1
    assert positions.position("T") == c("1")
    # $0.40 plus the exchange's fee $0.0168
    assert cash.cash == m("100") - m("0.40") - m("0.0168")
    assert [b.event.trade_id for b in booked] == ["t1"]
    assert first.event.position_after == c("1")
    # the fill came before the create answer: the order is found by client order id
    order = tracker.require("o1")
    assert (order.status, order.filled) == (OrderStatus.PARTIALLY_FILLED, c("1"))
    assert first.ledger is not None
    assert first.ledger.actual_count == c("1")
    # production offered YES at 1 − 0.59 = 0.41 > our 0.40 limit: no shadow fill
    assert first.ledger.shadow.count == 0


def test_fills_complete_the_order_and_release_its_hold() -> None:
    processor, positions, cash, tracker, _ = setup()
    tracker.acknowledge("c1", "o1", c("0"), c("10"), 2)
    cash.hold("o1", "T", "bid", p("0.40"), c("10"))
    processor.apply(ws_fill("t1", "4.00"), "ws")
    assert cash.reserved_principal == p("0.40") * c("6")
    processor.apply(ws_fill("t2", "6.00"), "rest")
    assert tracker.require("c1").status is OrderStatus.EXECUTED
    assert cash.open_order_count == 0
    assert positions.snapshot("T").cost == m("4")
    assert (processor.booked, processor.backfilled) == (2, 1)


def test_marked_history_is_not_booked() -> None:
    processor, positions, _, _, booked = setup()
    processor.mark_seen(["old"], newest_ms=5)
    assert processor.apply(ws_fill("old", "1.00"), "rest") is None
    assert positions.position("T") == 0
    assert booked == []
    assert processor.newest_ms == 5
