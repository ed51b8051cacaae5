"""CashManager: reservations by hand, drift against the exchange, and agreement with the
local exchange's own cash accounting over random order flow."""

from __future__ import annotations

from contextlib import suppress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.exchange_sim.engine import BookSide, ExchangeError, OrderStatus
from kalshiflow.exchange_sim.engine.types import EngineEvent, Fill, OrderUpdate
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.positions import PositionTracker
from tests.exchange_sim.engine.support import TICKER, make_exchange, req
from tests.trading.support import c, m, p

T = "KXTEST-26"


def make() -> tuple[PositionTracker, CashManager]:
    positions = PositionTracker()
    cash = CashManager(positions)
    cash.observe_exchange_balance(m("1000"), at_ms=1)
    return positions, cash


def test_first_balance_is_adopted_and_recorded_as_drift() -> None:
    _, cash = make()
    assert cash.cash == m("1000")
    assert cash.available == m("1000")
    assert cash.synced
    assert cash.last_drift is not None
    assert (cash.last_drift.expected, cash.last_drift.drift) == (0, m("1000"))


def test_bid_holds_price_times_count_plus_worst_case_fee() -> None:
    _, cash = make()
    # bid 10 at 0.40: principal 10 × 0.40 = 4.00; fee buffer 0.07 × 10 × 0.4 × 0.6 = 0.168
    assert cash.reservation_for(T, "bid", p("0.40"), c("10")) == m("4.168")
    cash.hold("o1", T, "bid", p("0.40"), c("10"))
    assert (cash.reserved_principal, cash.reserved, cash.available) == (
        m("4"),
        m("4.168"),
        m("995.832"),
    )
    # the exchange only holds the principal back from its balance
    assert cash.expected_exchange_balance == m("996")
    # ask 5 at 0.70 = buy 5 NO at 0.30: principal 1.50, fee 0.07 × 5 × 0.7 × 0.3 = 0.0735
    cash.hold("o2", T, "ask", p("0.70"), c("5"))
    assert cash.reserved == m("5.7415")
    assert cash.open_order_count == 2
    assert cash.resting_count(T, "bid") == c("10")
    assert cash.release("o1")
    assert cash.release("o2")
    assert (cash.reserved, cash.available, cash.open_order_count) == (0, m("1000"), 0)
    assert not cash.release("o2")


def test_sells_that_close_hold_no_principal_lowest_ask_first() -> None:
    positions, cash = make()
    positions.apply_fill(T, "bid", p("0.40"), c("3"))  # 3 YES
    # an ask closing YES pays out: no principal for the 3 it covers
    assert cash.principal_for(T, "ask", p("0.70"), c("3")) == 0
    cash.hold("hi", T, "ask", p("0.70"), c("2"))
    cash.hold("lo", T, "ask", p("0.60"), c("3"))
    # the 0.60 ask fills first and takes all 3 of closing capacity; the 0.70 ask opens 2 NO
    # at 0.30: principal 0.60
    assert cash.reserved_principal == m("0.60")


def test_fill_moves_cash_and_re_reserves_the_rest() -> None:
    positions, cash = make()
    cash.hold("o1", T, "bid", p("0.40"), c("10"))
    # 4 of them fill as maker (no fee): cash −1.60, 6 still resting
    cash.apply_fill(positions.apply_fill(T, "bid", p("0.40"), c("4")))
    cash.update_remaining("o1", c("6"))
    assert cash.cash == m("998.40")
    # principal 6 × 0.40 = 2.40; fee buffer 0.07 × 6 × 0.24 = 0.1008
    assert (cash.reserved_principal, cash.reserved) == (m("2.40"), m("2.5008"))
    # the exchange says 995.99, we expected 998.40 − 2.40 = 996.00: drift −0.01; adopt it
    drift = cash.observe_exchange_balance(m("995.99"), at_ms=2)
    assert (drift.expected, drift.reported, drift.drift) == (m("996"), m("995.99"), -m("0.01"))
    assert cash.cash == m("998.39")
    assert cash.expected_exchange_balance == m("995.99")
    cash.update_remaining("o1", c("0"))  # fully done: released
    assert cash.open_order_count == 0
    assert cash.reserved == 0


def test_settlement_and_adjustment_credit_cash() -> None:
    positions, cash = make()
    cash.apply_fill(positions.apply_fill(T, "bid", p("0.25"), c("4")))  # −1.00
    cash.apply_settlement(positions.settle(T, "yes"))  # +4.00
    cash.adjust(m("10"))
    assert cash.cash == m("1013")


def test_bad_holds_are_refused() -> None:
    _, cash = make()
    cash.hold("o1", T, "bid", p("0.40"), c("1"))
    with pytest.raises(ValueError, match="already held"):
        cash.hold("o1", T, "bid", p("0.40"), c("1"))
    with pytest.raises(ValueError, match="positive"):
        cash.hold("o2", T, "bid", p("0.40"), c("0"))
    with pytest.raises(ValueError, match="outside"):
        cash.hold("o3", T, "bid", p("1"), c("1"))
    with pytest.raises(KeyError, match="not held"):
        cash.update_remaining("nope", c("1"))


ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("place"),
            st.sampled_from(["a", "b"]),
            st.sampled_from([BookSide.BID, BookSide.ASK]),
            st.integers(1, 99),  # cents
            st.integers(1, 8),  # contracts
        ),
        st.tuples(st.just("cancel"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(ops=ops)
def test_mirrors_the_local_exchange_cash_exactly(ops: list[tuple[object, ...]]) -> None:
    """Feed our account's fills and order updates from the real matching engine into
    PositionTracker + CashManager: our expected balance must equal the engine's balance."""
    ex, _clock = make_exchange({"a": "1000", "b": "1000"})
    positions = PositionTracker()
    cash = CashManager(positions)
    cash.observe_exchange_balance(ex.balance("a"), at_ms=0)

    def on_event(event: EngineEvent) -> None:
        if isinstance(event, Fill) and event.account_id == "a":
            effect = positions.apply_fill(
                event.ticker, event.side.value, event.price, event.count, event.fee
            )
            cash.apply_fill(effect)
        elif isinstance(event, OrderUpdate) and event.order.account_id == "a":
            o = event.order
            held = any(h.order_id == o.order_id for h in cash.holds())
            if o.status is OrderStatus.RESTING and o.remaining_count > 0:
                if held:
                    cash.update_remaining(o.order_id, o.remaining_count)
                else:
                    cash.hold(o.order_id, o.ticker, o.side.value, o.price, o.remaining_count)
            elif held:
                cash.release(o.order_id)

    ex.subscribe(on_event)
    for op in ops:
        if op[0] == "place":
            _, account, side, cents, contracts = op
            order = req(str(account), side, f"0.{cents:02d}", str(contracts))  # type: ignore[arg-type]
            with suppress(ExchangeError):  # refused (e.g. insufficient balance): no change
                ex.place_order(order)
        else:
            resting = [o for o in ex.orders("a") if o.status is OrderStatus.RESTING]
            if resting:
                target = resting[int(op[1]) % len(resting)]  # type: ignore[call-overload]
                ex.cancel_order("a", target.order_id)
        assert cash.expected_exchange_balance == ex.balance("a")
        assert cash.reserved_principal == ex.reserved("a")
        assert positions.position(TICKER) == next(
            (v.position for v in ex.positions("a") if v.ticker == TICKER), 0
        )
    assert cash.open_order_count == sum(
        1 for o in ex.orders("a") if o.status is OrderStatus.RESTING
    )
