"""Wire models: current fixed-point payloads, legacy integer payloads, malformed input."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.kalshi.errors import WireFormatError
from kalshiflow.kalshi.fixedpoint import Count, Price, format_count, format_money, format_price
from kalshiflow.kalshi.models import (
    AccountLimits,
    Balance,
    BatchCancelResult,
    BatchCreateResult,
    CancelOrderResponse,
    CreateOrderResponse,
    DecreaseOrderResponse,
    Event,
    EventPosition,
    ExchangeStatus,
    Fill,
    Market,
    MarketPosition,
    Order,
    Orderbook,
    OrderRequest,
    Series,
    Settlement,
    Trade,
)
from kalshiflow.kalshi.models.orders import AmendOrderResponse


def test_market_current_shape() -> None:
    market = Market.from_wire(
        {
            "ticker": "KXBTC-26JUN11-B100",
            "event_ticker": "KXBTC-26JUN11",
            "market_type": "binary",
            "status": "active",
            "yes_bid_dollars": "0.4700",
            "yes_ask_dollars": "0.5200",
            "no_bid_dollars": "0.4800",
            "no_ask_dollars": "0.5300",
            "last_price_dollars": "0.5055",
            "liquidity_dollars": "0.0000",
            "volume_fp": "1234.56",
            "volume_24h_fp": "10.00",
            "open_interest_fp": "3.00",
            "yes_bid_size_fp": "3.00",
            "yes_ask_size_fp": "2.50",
            "notional_value_dollars": "1.0000",
            "close_time": "2026-06-11T20:00:00Z",
            "created_time": "2026-06-01T00:00:00.123456789Z",
            "price_level_structure": "tapered_deci_cent",
            "price_ranges": [
                {"start": "0.0000", "end": "0.1000", "step": "0.0010"},
                {"start": "0.1000", "end": "0.9000", "step": "0.0100"},
            ],
            "result": "",
            "can_close_early": True,
        }
    )
    assert market.yes_bid == 4700
    assert market.yes_ask == 5200
    assert market.no_bid == 4800
    assert market.no_ask == 5300
    assert market.last_price == 5055
    assert market.volume == 123456
    assert market.open_interest == 300
    assert market.yes_ask_size == 250
    assert market.notional_value == 10000
    assert market.close_time == datetime(2026, 6, 11, 20, tzinfo=UTC)
    assert market.created_time == datetime(2026, 6, 1, 0, 0, 0, 123456, tzinfo=UTC)
    assert market.price_ranges[0].step == 10
    assert market.price_ranges[1].end == 9000
    assert market.is_open
    assert market.can_close_early


def test_market_legacy_cent_shape() -> None:
    market = Market.from_wire(
        {
            "ticker": "T",
            "event_ticker": "E",
            "status": "closed",
            "yes_bid": 42,
            "yes_ask": 44,
            "no_bid": 56,
            "no_ask": 58,
            "last_price": 43,
            "volume": 100,
            "open_interest": 7,
            "notional_value": 100,
            "tick_size": 1,
        }
    )
    assert (market.yes_bid, market.yes_ask, market.no_bid, market.no_ask) == (
        4200,
        4400,
        5600,
        5800,
    )
    assert market.volume == 10000
    assert market.open_interest == 700
    assert market.notional_value == 10000
    assert not market.is_open


def test_market_prefers_dollars_twin_over_cents() -> None:
    market = Market.from_wire(
        {"ticker": "T", "status": "active", "yes_bid": 42, "yes_bid_dollars": "0.4250"}
    )
    assert market.yes_bid == 4250


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"yes_bid_dollars": "0.12345"}, "yes_bid_dollars"),  # finer than 1/10,000 $
        ({"yes_bid_dollars": "abc"}, "yes_bid_dollars"),
        ({"volume_fp": "1.005"}, "volume_fp"),
        ({"yes_bid": "42"}, "yes_bid"),  # legacy field must be an integer
        ({"ticker": 5}, "ticker"),
        ({"close_time": "yesterday"}, "close_time"),
        ({"price_ranges": {"start": "0"}}, "price_ranges"),
    ],
)
def test_market_malformed_names_field(patch: dict[str, Any], field: str) -> None:
    with pytest.raises(WireFormatError) as info:
        Market.from_wire({"ticker": "T", "status": "active", **patch})
    assert info.value.field == field
    assert f"Market.{field}" in str(info.value)


def test_market_missing_ticker_and_non_object() -> None:
    with pytest.raises(WireFormatError, match=r"Market\.ticker: missing"):
        Market.from_wire({"status": "active"})
    with pytest.raises(WireFormatError, match="expected a JSON object"):
        Market.from_wire(["not", "a", "dict"])


def test_orderbook_current_observed_shape() -> None:
    book = Orderbook.from_wire(
        {"orderbook_fp": {"yes_dollars": [["0.4700", "3.00"]], "no_dollars": [["0.4800", "3.00"]]}},
        "T",
    )
    assert book.ticker == "T"
    assert book.best_yes_bid == 4700
    assert book.best_no_bid == 4800
    assert book.best_yes_ask == 5200
    assert book.best_no_ask == 5300
    assert book.yes[0].count == 300


def test_orderbook_sorted_best_last_whatever_server_order() -> None:
    book = Orderbook.from_wire(
        {
            "orderbook_fp": {
                "yes_dollars": [["0.4700", "1.00"], ["0.4500", "2.00"], ["0.4600", "3.50"]]
            }
        }
    )
    assert [lvl.price for lvl in book.yes] == [4500, 4600, 4700]
    assert book.no == ()
    assert book.best_yes_ask is None


def test_orderbook_legacy_shapes() -> None:
    legacy = {
        "orderbook": {
            "yes": [[42, 13]],
            "no": None,
            "yes_dollars": [["0.4200", 13]],
            "no_dollars": None,
        }
    }
    book = Orderbook.from_wire(legacy, "T")
    assert book.yes[0].price == 4200
    assert book.yes[0].count == 1300
    assert book.no == ()
    cents_only = Orderbook.from_wire({"orderbook": {"yes": [[8, 300]], "no": [[54, 20]]}})
    assert cents_only.best_yes_bid == 800
    assert cents_only.best_no_bid == 5400


def test_orderbook_batch_item_and_malformed() -> None:
    item = {"ticker": "X", "orderbook_fp": {"yes_dollars": [], "no_dollars": [["0.1000", "1.00"]]}}
    assert Orderbook.from_wire(item).ticker == "X"
    with pytest.raises(WireFormatError, match=r"orderbook_fp\.yes_dollars\[0\]"):
        Orderbook.from_wire({"orderbook_fp": {"yes_dollars": [["0.47"]]}})
    with pytest.raises(WireFormatError, match=r"orderbook_fp\.no_dollars\[0\]"):
        Orderbook.from_wire({"orderbook_fp": {"no_dollars": [["x", "1.00"]]}})
    with pytest.raises(WireFormatError, match="orderbook_fp: missing"):
        Orderbook.from_wire({})


def test_trade_current_and_legacy() -> None:
    current = Trade.from_wire(
        {
            "trade_id": "t1",
            "ticker": "T",
            "created_time": "2026-06-11T12:00:00Z",
            "count_fp": "2.50",
            "yes_price_dollars": "0.5200",
            "no_price_dollars": "0.4800",
            "taker_outcome_side": "yes",
            "taker_book_side": "bid",
            "is_block_trade": False,
        }
    )
    assert (current.count, current.yes_price, current.no_price) == (250, 5200, 4800)
    assert current.taker_outcome_side == "yes"
    assert current.taker_book_side == "bid"
    legacy = Trade.from_wire(
        {"trade_id": "t2", "ticker": "T", "count": 3, "yes_price": 52, "taker_side": "no"}
    )
    assert (legacy.count, legacy.yes_price, legacy.no_price) == (300, 5200, 4800)
    assert legacy.taker_outcome_side == "no"
    with pytest.raises(
        WireFormatError, match=r"Trade\.count_fp: missing \(and no legacy 'count'\)"
    ):
        Trade.from_wire({"trade_id": "t", "ticker": "T", "yes_price_dollars": "0.5"})


def test_event_with_nested_markets_and_series() -> None:
    event = Event.from_wire(
        {
            "event_ticker": "E",
            "series_ticker": "S",
            "title": "t",
            "mutually_exclusive": True,
            "markets": [{"ticker": "M1", "status": "active"}],
        }
    )
    assert event.markets[0].ticker == "M1"
    assert event.mutually_exclusive
    top_level = Event.from_wire({"event_ticker": "E"}, [{"ticker": "M2", "status": "active"}])
    assert top_level.markets[0].ticker == "M2"
    series = Series.from_wire(
        {"ticker": "S", "title": "x", "tags": ["a"], "fee_type": "quadratic", "fee_multiplier": 0.5}
    )
    assert series.fee_multiplier == Decimal("0.5")
    assert series.tags == ("a",)


def test_exchange_status_and_limits() -> None:
    status = ExchangeStatus.from_wire({"exchange_active": True, "trading_active": False})
    assert status.exchange_active
    assert not status.trading_active
    limits = AccountLimits.from_wire(
        {
            "usage_tier": "basic",
            "read": {"refill_rate": 200, "bucket_capacity": 200},
            "write": {"refill_rate": 100, "bucket_capacity": 100},
            "grants": [],
        }
    )
    assert limits.write.refill_rate == 100
    assert limits.read.bucket_capacity == 200
    with pytest.raises(WireFormatError, match=r"AccountLimits\.write\.refill_rate"):
        AccountLimits.from_wire(
            {
                "usage_tier": "basic",
                "read": {"refill_rate": 1, "bucket_capacity": 1},
                "write": {"refill_rate": "x", "bucket_capacity": 1},
            }
        )


def test_balance_observed_and_legacy() -> None:
    observed = Balance.from_wire(
        {"balance": 9801, "balance_dollars": "98.0186", "portfolio_value": 198, "updated_ts": 1}
    )
    assert observed.balance == 98_018_600  # exact, not the truncated 9801 cents
    assert observed.portfolio_value == 1_980_000
    assert Balance.from_wire({"balance": 9801}).balance == 98_010_000
    with pytest.raises(WireFormatError, match="balance_dollars"):
        Balance.from_wire({"balance_dollars": 98.01860001})


def test_positions_current_and_legacy() -> None:
    current = MarketPosition.from_wire(
        {
            "ticker": "T",
            "position_fp": "-3.00",
            "market_exposure_dollars": "1.560000",
            "realized_pnl_dollars": "-0.120000",
            "fees_paid_dollars": "0.017500",
            "total_traded_dollars": "2.000000",
            "last_updated_ts": "2026-06-11T12:00:00Z",
        }
    )
    assert current.position == -300  # NO position
    assert current.market_exposure == 1_560_000
    assert current.fees_paid == 17_500
    assert current.realized_pnl == -120_000
    legacy = MarketPosition.from_wire(
        {
            "ticker": "T",
            "position": 5,
            "market_exposure": 250,
            "realized_pnl": 0,
            "fees_paid": 2,
            "total_traded": 250,
            "resting_orders_count": 1,
        }
    )
    assert legacy.position == 500
    assert legacy.market_exposure == 2_500_000
    assert legacy.resting_orders_count == 1
    event = EventPosition.from_wire(
        {"event_ticker": "E", "event_exposure_dollars": "1.000000", "total_cost_shares_fp": "4.00"}
    )
    assert event.event_exposure == 1_000_000
    assert event.total_cost_shares == 400


ORDER_CURRENT = {
    "order_id": "o1",
    "client_order_id": "c1",
    "ticker": "T",
    "side": "yes",
    "action": "buy",
    "outcome_side": "yes",
    "book_side": "bid",
    "type": "limit",
    "status": "resting",
    "yes_price_dollars": "0.5600",
    "no_price_dollars": "0.4400",
    "fill_count_fp": "1.00",
    "remaining_count_fp": "2.50",
    "initial_count_fp": "3.50",
    "taker_fees_dollars": "0.017500",
    "maker_fees_dollars": "0.000000",
    "taker_fill_cost_dollars": "0.560000",
    "maker_fill_cost_dollars": "0.000000",
    "created_time": "2026-06-11T12:00:00.5Z",
}


def test_order_current() -> None:
    order = Order.from_wire(ORDER_CURRENT)
    assert (order.yes_price, order.no_price) == (5600, 4400)
    assert (order.fill_count, order.remaining_count, order.initial_count) == (100, 250, 350)
    assert order.taker_fees == 17_500
    assert order.taker_fill_cost == 560_000
    assert order.book_side == "bid"
    assert order.is_resting


def test_order_legacy_derives_book_side() -> None:
    order = Order.from_wire(
        {
            "order_id": "o",
            "ticker": "T",
            "side": "no",
            "action": "buy",
            "status": "executed",
            "yes_price": 40,
            "no_price": 60,
            "fill_count": 2,
            "remaining_count": 0,
            "initial_count": 2,
            "taker_fees": 3,
        }
    )
    assert order.book_side == "ask"  # buying NO offers YES
    assert (order.yes_price, order.no_price) == (4000, 6000)
    assert order.fill_count == 200
    assert order.taker_fees == 30_000
    v2_only = Order.from_wire(
        {
            "order_id": "o",
            "ticker": "T",
            "book_side": "ask",
            "status": "resting",
            "yes_price_dollars": "0.3000",
            "remaining_count_fp": "1.00",
        }
    )
    assert (v2_only.side, v2_only.action, v2_only.no_price) == ("yes", "sell", 7000)
    with pytest.raises(WireFormatError, match=r"Order\.book_side"):
        Order.from_wire({"order_id": "o", "ticker": "T", "status": "resting"})


def test_fill_current_and_legacy() -> None:
    fill = Fill.from_wire(
        {
            "fill_id": "f1",
            "trade_id": "f1",
            "order_id": "o1",
            "ticker": "T",
            "side": "yes",
            "action": "buy",
            "book_side": "bid",
            "count_fp": "1.00",
            "yes_price_dollars": "0.5200",
            "no_price_dollars": "0.4800",
            "is_taker": True,
            "fee_cost": "0.017500",
            "created_time": "2026-06-11T12:00:00Z",
        }
    )
    assert (fill.count, fill.yes_price, fill.fee_cost) == (100, 5200, 17_500)
    legacy = Fill.from_wire(
        {
            "trade_id": "f2",
            "order_id": "o",
            "market_ticker": "T",
            "side": "no",
            "action": "sell",
            "count": 4,
            "yes_price": 30,
            "is_taker": False,
            "ts": 1781159489,
        }
    )
    assert legacy.fill_id == "f2"
    assert legacy.ticker == "T"
    assert legacy.book_side == "bid"
    assert legacy.count == 400
    assert legacy.no_price == 7000
    assert legacy.created_time == datetime.fromtimestamp(1781159489, tz=UTC)


def test_settlement_current_and_legacy() -> None:
    current = Settlement.from_wire(
        {
            "ticker": "T",
            "event_ticker": "E",
            "market_result": "yes",
            "yes_count_fp": "3.00",
            "no_count_fp": "0.00",
            "yes_total_cost_dollars": "1.500000",
            "revenue": 300,
            "value": 100,
            "fee_cost": "0.020000",
            "settled_time": "2026-06-12T00:00:00Z",
        }
    )
    assert current.yes_count == 300
    assert current.yes_total_cost == 1_500_000
    assert current.revenue == 3_000_000
    assert current.value == 10000
    assert current.fee_cost == 20_000
    legacy = Settlement.from_wire(
        {
            "ticker": "T",
            "market_result": "no",
            "yes_count": 0,
            "no_count": 2,
            "no_total_cost": 80,
            "revenue": 200,
        }
    )
    assert legacy.no_count == 200
    assert legacy.no_total_cost == 800_000


def test_v2_write_responses() -> None:
    created = CreateOrderResponse.from_wire(
        {
            "order_id": "o",
            "client_order_id": "c",
            "average_fee_paid": "0.0175",
            "average_fill_price": "0.5200",
            "fill_count": "1.00",
            "remaining_count": "0.00",
            "ts_ms": 1781159489957,
        }
    )
    assert (created.fill_count, created.remaining_count) == (100, 0)
    assert (created.average_fill_price, created.average_fee_paid) == (5200, 175)
    assert not created.recovered
    resting = CreateOrderResponse.from_wire({"order_id": "o", "remaining_count": "2.00"})
    assert resting.fill_count == 0
    assert resting.average_fill_price is None
    canceled = CancelOrderResponse.from_wire({"order_id": "o", "reduced_by": "2.00", "ts_ms": 1})
    assert canceled.reduced_by == 200
    decreased = DecreaseOrderResponse.from_wire({"order_id": "o", "remaining_count": "1.00"})
    assert decreased.remaining_count == 100
    amended = AmendOrderResponse.from_wire({"order_id": "o", "remaining_count": None, "ts_ms": 2})
    assert amended.remaining_count is None
    with pytest.raises(WireFormatError, match=r"CreateOrderResponse\.remaining_count"):
        CreateOrderResponse.from_wire({"order_id": "o", "remaining_count": "two"})


def test_batch_results_with_item_errors() -> None:
    ok = BatchCreateResult.from_wire(
        {"order_id": "o", "client_order_id": "c", "fill_count": "0.00", "remaining_count": "1.00"}
    )
    assert ok.error is None
    assert ok.remaining_count == 100
    bad = BatchCreateResult.from_wire(
        {"client_order_id": "c", "error": {"code": "invalid_price", "message": "invalid price"}}
    )
    assert bad.error is not None
    assert bad.error.code == "invalid_price"
    cancel = BatchCancelResult.from_wire(
        {"order_id": "o", "reduced_by": "0.00", "error": {"code": "not_found", "message": "nf"}}
    )
    assert cancel.error is not None
    assert cancel.error.code == "not_found"


def test_order_request_wire_and_outcome_conversion() -> None:
    req = OrderRequest("T", "bid", Count(300), Price(5600))
    wire = req.to_wire()
    assert wire["count"] == "3.00"
    assert wire["price"] == "0.5600"
    assert wire["side"] == "bid"
    assert wire["time_in_force"] == "good_till_canceled"
    assert wire["self_trade_prevention_type"] == "taker_at_cross"
    assert len(wire["client_order_id"]) == 36  # generated uuid4
    assert OrderRequest("T", "bid", Count(1), Price(1)).client_order_id != req.client_order_id
    buy_no = OrderRequest.for_outcome("T", "no", "buy", Count(100), Price(4000), post_only=True)
    assert (buy_no.side, buy_no.price, buy_no.post_only) == ("ask", 6000, True)
    sell_no = OrderRequest.for_outcome("T", "no", "sell", Count(100), Price(4000))
    assert (sell_no.side, sell_no.price) == ("bid", 6000)
    sell_yes = OrderRequest.for_outcome("T", "yes", "sell", Count(100), Price(4000))
    assert (sell_yes.side, sell_yes.price) == ("ask", 4000)
    with pytest.raises(ValueError, match="strictly between"):
        OrderRequest("T", "bid", Count(100), Price(10000))
    with pytest.raises(ValueError, match="positive"):
        OrderRequest("T", "bid", Count(0), Price(5000))
    with pytest.raises(ValueError, match="'bid' or 'ask'"):
        OrderRequest("T", "buy", Count(100), Price(5000))  # type: ignore[arg-type]


def test_models_are_frozen() -> None:
    order = Order.from_wire(ORDER_CURRENT)
    with pytest.raises(AttributeError):
        order.status = "canceled"  # type: ignore[misc]


@settings(max_examples=150, deadline=None)
@given(
    levels=st.lists(
        st.tuples(st.integers(1, 9_999), st.integers(1, 10_000_000)),
        unique_by=lambda lv: lv[0],
        max_size=20,
    ),
    fill=st.integers(0, 10_000_000),
    remaining=st.integers(0, 10_000_000),
    price=st.integers(1, 9_999),
)
def test_fixed_point_fields_round_trip_exactly(
    levels: list[tuple[int, int]], fill: int, remaining: int, price: int
) -> None:
    wire = [[format_price(p), format_count(c)] for p, c in levels]
    book = Orderbook.from_wire({"orderbook_fp": {"yes_dollars": wire}})
    assert [(lv.price, lv.count) for lv in book.yes] == sorted(levels)
    order = Order.from_wire(
        {
            **ORDER_CURRENT,
            "yes_price_dollars": format_price(price),
            "no_price_dollars": format_price(10_000 - price),
            "fill_count_fp": format_count(fill),
            "remaining_count_fp": format_count(remaining),
            "initial_count_fp": format_count(fill + remaining),
            "taker_fill_cost_dollars": format_money(price * fill),
        }
    )
    assert (order.yes_price, order.no_price) == (price, 10_000 - price)
    assert (order.fill_count, order.remaining_count) == (fill, remaining)
    assert order.taker_fill_cost == price * fill  # Price x Count is Money, exactly
