"""RiskManager: every rule refuses with its name and reason; kill switch; freshness; limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.config import RiskSettings
from kalshiflow.trading import risk as r
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.positions import PositionTracker
from kalshiflow.trading.risk import MarketConditions, RiskLimits, RiskManager, RiskRejection
from kalshiflow.trading.types import MS_PER_DAY, BookSide, Mark, OrderIntent
from tests.trading.support import FakeClock, c, m, p

T = "KXTEST-26"


@dataclass
class Desk:
    clock: FakeClock
    positions: PositionTracker
    cash: CashManager
    risk: RiskManager
    marks: dict[str, Mark] = field(default_factory=dict)

    def market(self, **changes: object) -> MarketConditions:
        base: dict[str, object] = {
            "is_open": True,
            "close_ts_ms": self.clock.now_ms + MS_PER_DAY,
            "book_as_of_ms": self.clock.now_ms - 100,
            "book_resyncing": False,
        }
        base.update(changes)
        return MarketConditions(**base)  # type: ignore[arg-type]

    def check(
        self, side: BookSide, price: str, count: str, *, reduce_only: bool = False, **market: object
    ) -> RiskRejection | None:
        intent = OrderIntent(T, side, p(price), c(count), reduce_only=reduce_only)
        return self.risk.check(intent, self.market(**market))


def desk(balance: str = "1000", **limits: object) -> Desk:
    clock = FakeClock()
    positions = PositionTracker()
    cash = CashManager(positions)
    cash.observe_exchange_balance(m(balance), at_ms=clock())
    marks: dict[str, Mark] = {}
    settings = RiskSettings.model_validate(limits)
    risk = RiskManager(settings, positions, cash, clock, marks.get)
    return Desk(clock, positions, cash, risk, marks)


def test_limits_convert_exactly_from_settings() -> None:
    limits = RiskLimits.from_settings(RiskSettings(), max_book_age_ms=2500)
    assert limits == RiskLimits(
        max_contracts_per_market=c("100"),
        max_total_exposure=m("500"),
        max_open_orders=50,
        max_orders_per_second=5,
        max_daily_loss=m("100"),
        min_cash_reserve=m("50"),
        close_window_ms=10 * 60_000,
        max_book_age_ms=2500,
    )


def test_a_normal_order_passes() -> None:
    assert desk().check("bid", "0.40", "10") is None


def test_kill_switch_blocks_everything_until_released() -> None:
    d = desk()
    d.positions.apply_fill(T, "bid", p("0.40"), c("10"))
    event = d.risk.engage("operator pressed stop")
    assert event is not None
    assert (event.engaged, event.reason, event.at_ms) == (True, "operator pressed stop", d.clock())
    assert d.risk.engaged
    assert d.risk.engage("again") is None  # already engaged: no second event
    for side in ("bid", "ask"):  # even a reducing sell is refused
        rejection = d.check(side, "0.40", "1")
        assert rejection == RiskRejection(
            "kill_switch", "kill switch is engaged (operator pressed stop); release it to trade"
        )
    released = d.risk.release("checked")
    assert released is not None
    assert not released.engaged
    assert d.risk.release("twice") is None
    assert d.check("bid", "0.40", "1") is None


@pytest.mark.parametrize(
    ("side", "price", "count", "reduce_only", "words"),
    [
        ("bid", "0.40", "0", False, "count must be positive"),
        ("bid", "1", "1", False, "outside"),
        ("bid", "0", "1", False, "outside"),
        ("ask", "0.40", "1", True, "would not only reduce"),
    ],
)
def test_order_shape(side: BookSide, price: str, count: str, reduce_only: bool, words: str) -> None:
    rejection = desk().check(side, price, count, reduce_only=reduce_only)
    assert rejection is not None
    assert rejection.rule == "order_shape"
    assert words in rejection.reason


def test_market_must_be_open_on_the_trading_environment() -> None:
    d = desk()
    rejection = d.check("bid", "0.40", "1", is_open=False)
    assert rejection == RiskRejection("market_open", f"{T} is not open on the trading environment")
    closed = d.check("bid", "0.40", "1", close_ts_ms=d.clock() - 1)
    assert closed is not None
    assert closed.rule == "market_open"


def test_data_freshness_guard() -> None:
    d = desk()
    now = d.clock()
    no_book = d.check("bid", "0.40", "1", book_as_of_ms=None)
    assert no_book == RiskRejection("data_freshness", f"no production book for {T} yet")
    stale = d.check("bid", "0.40", "1", book_as_of_ms=now - 5001)
    assert stale == RiskRejection(
        "data_freshness", f"production book of {T} is 5001 ms old, limit 5000 ms"
    )
    resync = d.check("bid", "0.40", "1", book_resyncing=True)
    assert resync is not None
    assert resync.rule == "data_freshness"
    assert "resynced" in resync.reason
    assert d.check("bid", "0.40", "1", book_as_of_ms=now - 5000) is None  # at the limit: ok


def test_no_new_positions_near_the_close_but_reducing_passes() -> None:
    d = desk()
    d.positions.apply_fill(T, "bid", p("0.40"), c("10"))
    soon = d.clock() + 9 * 60_000  # closes in 9 minutes; window is 10
    rejection = d.check("bid", "0.40", "1", close_ts_ms=soon)
    assert rejection == RiskRejection(
        "close_window", f"{T} closes in 540 s; no new positions within 10 min of close"
    )
    assert d.check("ask", "0.40", "10", close_ts_ms=soon) is None  # selling the 10 YES


def test_max_open_orders_counts_every_resting_order() -> None:
    d = desk(max_open_orders=2)
    d.positions.apply_fill(T, "bid", p("0.40"), c("10"))
    d.cash.hold("o1", T, "bid", p("0.10"), c("1"))
    d.cash.hold("o2", T, "bid", p("0.10"), c("1"))
    rejection = d.check("ask", "0.60", "1")  # even a reducing order rests
    assert rejection == RiskRejection("max_open_orders", "would be 3 resting orders, limit 2")


def test_max_contracts_per_market_counts_resting_same_side_orders() -> None:
    d = desk()
    d.positions.apply_fill(T, "bid", p("0.40"), c("95"))
    d.cash.hold("o1", T, "bid", p("0.30"), c("3"))
    rejection = d.check("bid", "0.40", "5")
    # 95 held + 3 resting + 5 ordered = 103 > 100
    assert rejection == RiskRejection(
        "max_contracts_per_market",
        f"{T} position could reach 103 YES contracts (held 95 YES, resting 3, order 5), limit 100",
    )
    assert d.check("bid", "0.40", "2") is None  # exactly 100
    assert d.check("ask", "0.40", "90") is None  # reducing: passes


def test_max_contracts_on_the_no_side() -> None:
    d = desk()
    d.positions.apply_fill(T, "ask", p("0.60"), c("98"))  # 98 NO
    rejection = d.check("ask", "0.60", "3")
    assert rejection is not None
    assert rejection.rule == "max_contracts_per_market"
    assert "101 NO contracts" in rejection.reason


def test_a_sell_larger_than_the_position_is_not_reducing() -> None:
    d = desk(max_contracts_per_market=5)
    d.positions.apply_fill(T, "bid", p("0.40"), c("5"))
    d.cash.hold("s1", T, "ask", p("0.50"), c("4"))
    # 4 already resting to sell + 3 more = 7 > 5 held: it would open 2 NO
    intent = OrderIntent(T, "ask", p("0.50"), c("3"))
    assert not d.risk.is_reducing(intent)
    assert d.risk.is_reducing(OrderIntent(T, "ask", p("0.50"), c("1")))
    flagged = d.check("ask", "0.50", "3", reduce_only=True)
    assert flagged is not None
    assert flagged.rule == "order_shape"


def test_max_total_exposure() -> None:
    d = desk(max_total_exposure_dollars=Decimal("5"))
    d.positions.apply_fill(T, "bid", p("0.40"), c("10"))  # cost $4.00
    # bid 5 at 0.30 adds $1.50: 4.00 + 1.50 = 5.50 > 5
    rejection = d.check("bid", "0.30", "5")
    assert rejection == RiskRejection(
        "max_total_exposure",
        "total exposure would be $5.5 (positions $4, resting $0, order $1.5), limit $5",
    )
    assert d.check("bid", "0.20", "5") is None  # 4.00 + 1.00 = 5.00: at the limit
    assert d.check("ask", "0.45", "10") is None  # closing YES adds no exposure


def test_min_cash_reserve_includes_the_fee_buffer() -> None:
    d = desk(balance="60")
    # bid 30 at 0.40 holds 12.00 + fee 0.07 × 30 × 0.4 × 0.6 = 0.504: 60 − 12.504 = 47.496 < 50
    rejection = d.check("bid", "0.40", "30")
    assert rejection == RiskRejection(
        "min_cash_reserve",
        "available cash would fall to $47.496 (order holds $12.504 with fees), reserve $50",
    )
    # bid 20 at 0.40 holds 8.00 + 0.336 = 8.336 -> 51.664 left
    assert d.check("bid", "0.40", "20") is None


def test_max_daily_loss_uses_realized_plus_unrealized_since_the_day_began() -> None:
    d = desk(max_daily_loss_dollars=Decimal("1"))
    d.positions.apply_fill(T, "bid", p("0.40"), c("10"))
    d.marks[T] = p("0.40")
    assert d.check("bid", "0.40", "1") is None  # takes today's baseline: P&L 0
    d.positions.apply_fill(T, "bid", p("0.40"), c("1"))  # 11 YES at 0.40 now
    d.marks[T] = p("0.31")  # 11 × −0.09 = −0.99: not yet
    assert d.risk.day_pnl() == -m("0.99")
    assert d.check("bid", "0.40", "1") is None
    d.marks[T] = p("0.30")  # (checks place nothing) 11 × −0.10 = −1.10
    rejection = d.check("bid", "0.40", "1")
    assert rejection == RiskRejection(
        "max_daily_loss",
        "today's loss is $1.1 (realized + unrealized), limit $1; only reducing orders until "
        "tomorrow",
    )
    assert d.check("ask", "0.30", "5") is None  # reducing passes
    d.clock.advance(MS_PER_DAY)  # a new UTC day: new baseline
    assert d.check("bid", "0.40", "1", close_ts_ms=d.clock() + MS_PER_DAY) is None


def test_start_day_resets_the_baseline() -> None:
    d = desk(max_daily_loss_dollars=Decimal("1"))
    d.positions.apply_fill(T, "bid", p("0.40"), c("10"))
    d.marks[T] = p("0.40")
    d.risk.day_pnl()
    d.marks[T] = p("0.20")
    assert d.risk.day_pnl() == -m("2")
    d.risk.start_day()
    assert d.risk.day_pnl() == 0


def test_max_orders_per_second_is_a_sliding_window() -> None:
    d = desk(max_orders_per_second=3)
    for _ in range(3):
        assert d.check("bid", "0.40", "1") is None
        d.clock.advance(300)  # accepted at t = 0, 300, 600
    # t = 900: three in the last second
    rejection = d.check("bid", "0.40", "1")
    assert rejection == RiskRejection(
        "max_orders_per_second", "3 orders in the last 1000 ms, limit 3 per second"
    )
    d.clock.advance(100)  # t = 1000: the order at t = 0 left the window
    assert d.check("bid", "0.40", "1") is None
    assert d.risk.orders_in_window() == 3


def test_rejected_orders_do_not_count_against_the_rate() -> None:
    d = desk(max_orders_per_second=1)
    assert d.check("bid", "0.40", "1", is_open=False) is not None
    assert d.check("bid", "0.40", "1") is None


def test_evaluate_lists_every_failing_rule_and_counts_nothing() -> None:
    d = desk(balance="60", max_orders_per_second=1)
    d.risk.engage("test")
    intent = OrderIntent(T, "bid", p("0.40"), c("200"))
    found = d.risk.evaluate(intent, d.market(book_as_of_ms=None))
    assert [x.rule for x in found] == [
        "kill_switch",
        "data_freshness",
        "max_contracts_per_market",
        "min_cash_reserve",
    ]
    d.risk.release("test")
    assert d.risk.orders_in_window() == 0


def test_update_limits_at_run_time() -> None:
    d = desk()
    limits = d.risk.update_limits(max_contracts_per_market=5, max_book_age_ms=1000)
    assert limits.max_contracts_per_market == c("5")
    assert limits.max_book_age_ms == 1000
    assert d.risk.limits.max_total_exposure == m("500")  # untouched
    rejection = d.check("bid", "0.40", "6")
    assert rejection is not None
    assert rejection.rule == "max_contracts_per_market"


def test_update_limits_is_validated_and_all_or_nothing() -> None:
    d = desk()
    before = d.risk.limits
    with pytest.raises(ValueError, match="max_open_orders") as info:
        d.risk.update_limits(max_contracts_per_market=7, max_open_orders=0)
    assert "risk limits not changed" in str(info.value)
    with pytest.raises(ValueError, match="6 decimals"):
        d.risk.update_limits(max_total_exposure_dollars=Decimal("1.0000001"))
    with pytest.raises(ValueError, match="max_book_age_ms"):
        d.risk.update_limits(max_book_age_ms=-1)
    assert d.risk.limits == before


def test_rule_names_are_stable() -> None:
    assert {
        r.KILL_SWITCH,
        r.ORDER_SHAPE,
        r.MARKET_OPEN,
        r.DATA_FRESHNESS,
        r.CLOSE_WINDOW,
        r.MAX_OPEN_ORDERS,
        r.MAX_CONTRACTS_PER_MARKET,
        r.MAX_TOTAL_EXPOSURE,
        r.MIN_CASH_RESERVE,
        r.MAX_DAILY_LOSS,
        r.MAX_ORDERS_PER_SECOND,
    } == {
        "kill_switch",
        "order_shape",
        "market_open",
        "data_freshness",
        "close_window",
        "max_open_orders",
        "max_contracts_per_market",
        "max_total_exposure",
        "min_cash_reserve",
        "max_daily_loss",
        "max_orders_per_second",
    }


@settings(max_examples=200, deadline=None)
@given(
    held=st.integers(1, 20_000),
    long=st.booleans(),
    resting=st.integers(0, 20_000),
    count=st.integers(1, 20_000),
    price=st.integers(1, 9_999),
    mark=st.integers(0, 10_000),
    balance=st.integers(0, 100_000_000),
)
def test_reducing_orders_pass_every_exposure_rule(
    held: int, long: bool, resting: int, count: int, price: int, mark: int, balance: int
) -> None:
    d = desk(
        balance="0",
        max_contracts_per_market=1,
        max_total_exposure_dollars=Decimal("0"),
        max_daily_loss_dollars=Decimal("0"),
    )
    d.cash.observe_exchange_balance(balance, at_ms=0)  # type: ignore[arg-type]
    d.positions.apply_fill(T, "bid" if long else "ask", 5000, held)  # type: ignore[arg-type]
    d.marks[T] = mark
    side: BookSide = "ask" if long else "bid"  # the closing side
    if resting:
        d.cash.hold("r", T, side, price, resting)  # type: ignore[arg-type]
    intent = OrderIntent(T, side, price, count)  # type: ignore[arg-type]
    reducing = count + resting <= held
    assert d.risk.is_reducing(intent) is reducing
    rules = {x.rule for x in d.risk.evaluate(intent, d.market(close_ts_ms=d.clock() + 1))}
    exposure_rules = {
        "close_window",
        "max_contracts_per_market",
        "max_total_exposure",
        "min_cash_reserve",
        "max_daily_loss",
    }
    if reducing:
        assert not rules & exposure_rules
    else:  # it opens the other side: the close window (1 ms left) refuses it
        assert "close_window" in rules
        # and the position limit (1 contract) does iff the worst case exceeds it
        worst = count + resting - held
        assert ("max_contracts_per_market" in rules) is (worst > c("1"))
