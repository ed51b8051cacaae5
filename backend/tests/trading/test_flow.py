"""The trading core end to end on two real matching engines ("production" for prices,
"demo" for orders): action -> risk -> order -> fills -> positions, cash and both ledgers."""

from __future__ import annotations

from fractions import Fraction

from kalshiflow.config import RiskSettings
from kalshiflow.exchange_sim.engine import BookSide, Exchange, OrderRequest, OrderStatus
from kalshiflow.exchange_sim.engine.types import EngineEvent, Fill, OrderUpdate
from kalshiflow.trading.action_space import LimitOrderActionSpace
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.fees import taker_fee
from kalshiflow.trading.ledger import TwoLedgers
from kalshiflow.trading.positions import PositionTracker
from kalshiflow.trading.risk import MarketConditions, RiskManager
from kalshiflow.trading.types import Action, Mark, OrderIntent, StaticBook, yes_mid
from tests.exchange_sim.engine.support import TICKER, make_exchange, req
from tests.trading.support import c, m, p


def book_of(ex: Exchange) -> StaticBook:
    yes, no = ex.orderbook(TICKER)
    return StaticBook(tuple(yes), tuple(no))


class Trader:
    """The smallest wiring of the core parts that an OrderManager does, for account "me"."""

    def __init__(self, demo: Exchange) -> None:
        self.demo = demo
        self.positions = PositionTracker()
        self.cash = CashManager(self.positions)
        self.cash.observe_exchange_balance(demo.balance("me"), at_ms=demo.now_ms())
        self.marks: dict[str, Mark] = {}
        self.risk = RiskManager(
            RiskSettings(), self.positions, self.cash, demo.now_ms, self.marks.get
        )
        self.ledgers = TwoLedgers()
        self.space = LimitOrderActionSpace(c("10"), pricing="cross", max_cross_ticks=10)
        demo.subscribe(self.on_event)

    def on_event(self, event: EngineEvent) -> None:
        if isinstance(event, Fill) and event.account_id == "me":
            effect = self.positions.apply_fill(
                event.ticker, event.side.value, event.price, event.count, event.fee
            )
            self.cash.apply_fill(effect)
            if event.client_order_id is not None:
                self.ledgers.record_fill(event.client_order_id, event.price, event.count, event.fee)
        elif isinstance(event, OrderUpdate) and event.order.account_id == "me":
            o = event.order
            held = any(h.order_id == o.order_id for h in self.cash.holds())
            if o.status is OrderStatus.RESTING:
                if held:
                    self.cash.update_remaining(o.order_id, o.remaining_count)
                else:
                    self.cash.hold(o.order_id, o.ticker, o.side.value, o.price, o.remaining_count)
            elif held:
                self.cash.release(o.order_id)

    def act(self, action: Action, production: StaticBook, key: str) -> OrderIntent | str:
        """One actor step; the intent placed, or the reason/rule why nothing was placed."""
        position = self.positions.position(TICKER)
        result = self.space.to_order(action, TICKER, production, position)
        if not isinstance(result, OrderIntent):
            return result.reason
        now = self.demo.now_ms()
        market = MarketConditions(True, now + 86_400_000, book_as_of_ms=now)
        rejection = self.risk.check(result, market)
        if rejection is not None:
            return rejection.rule
        self.ledgers.record_decision(key, result, production, at_ms=now)
        self.demo.place_order(
            OrderRequest(
                account_id="me",
                ticker=TICKER,
                side=BookSide(result.side),
                price=result.yes_price,
                count=result.count,
                client_order_id=key,
                reduce_only=result.reduce_only,
            )
        )
        return result


def test_buy_then_sell_through_both_engines() -> None:
    prod, _ = make_exchange({"mm": "100000"})
    demo, _ = make_exchange({"mm": "100000", "me": "1000"})
    # production: YES bids 0.45 × 5, 0.44 × 10; YES offers 0.50 × 3, 0.51 × 8
    for side, price, count in [
        (BookSide.BID, "0.45", "5"),
        (BookSide.BID, "0.44", "10"),
        (BookSide.ASK, "0.50", "3"),
        (BookSide.ASK, "0.51", "8"),
    ]:
        prod.place_order(req("mm", side, price, count))
    # demo is thinner and priced differently: YES offers 0.49 × 4 and 0.53 × 20, bid 0.40 × 5
    for side, price, count in [
        (BookSide.ASK, "0.49", "4"),
        (BookSide.ASK, "0.53", "20"),
        (BookSide.BID, "0.40", "5"),
    ]:
        demo.place_order(req("mm", side, price, count))
    trader = Trader(demo)
    production = book_of(prod)
    trader.marks[TICKER] = yes_mid(production) or 0

    # SELL_YES with nothing held: the action space places nothing
    assert trader.act(Action.SELL_YES, production, "s0") == "no YES position to sell"

    # BUY_YES crossing: production YES ask 0.50 is 5 ticks above the 0.45 bid (<= 10)
    buy = trader.act(Action.BUY_YES, production, "b1")
    assert isinstance(buy, OrderIntent)
    assert (buy.side, buy.yes_price, buy.count) == ("bid", p("0.50"), c("10"))
    # demo: 4 fill at 0.49 as taker (fee 0.07 × 4 × 0.49 × 0.51 = 0.069972 -> 0.0700),
    # 6 rest at 0.50
    fee = taker_fee(p("0.49"), c("4"))
    assert fee == m("0.07")
    snap = trader.positions.snapshot(TICKER)
    assert (snap.position, snap.cost, snap.fees_paid) == (c("4"), m("1.96"), fee)
    assert trader.cash.expected_exchange_balance == demo.balance("me")
    assert trader.cash.open_order_count == 1
    # 1000 − 1.96 − 0.07 = 997.97 cash; 6 × 0.50 = 3.00 held at the exchange
    assert trader.cash.cash == m("997.97")
    assert trader.cash.reserved_principal == m("3")

    # two ledgers: production would have filled 3 at 0.50 (0.51 is beyond the limit);
    # demo filled 4 at 0.49: gap (0.49 − 0.50) × 4 = −0.04 (demo was kinder), ratio +1/10
    record = trader.ledgers.get("b1")
    assert record is not None
    assert (record.shadow.count, record.shadow.avg_price) == (c("3"), Fraction(p("0.50")))
    assert (record.actual_count, record.realism_gap) == (c("4"), Fraction(-m("0.04")))
    assert record.fill_ratio_gap == Fraction(1, 10)
    assert record.production_mid == Fraction(p("0.475"))

    # marked at the production mid 0.475: 4 × (0.475 − 0.49) = −0.06
    assert trader.positions.unrealized(TICKER, p("0.475")) == -m("0.06")

    # cancel the rest of the buy first: a sell at 0.45 would cross our own 0.50 bid and the
    # exchange's self-trade prevention would cancel it
    (resting,) = trader.cash.holds()
    demo.cancel_order("me", resting.order_id)
    assert trader.cash.open_order_count == 0
    assert trader.cash.reserved == 0

    # SELL_YES crossing: sell the 4 held into the production YES bid 0.45; on demo it rests
    # above the 0.40 bid. It only reduces, so the risk checks let it through.
    sell = trader.act(Action.SELL_YES, production, "s1")
    assert isinstance(sell, OrderIntent)
    assert (sell.side, sell.yes_price, sell.count, sell.reduce_only) == (
        "ask",
        p("0.45"),
        c("4"),
        True,
    )
    assert trader.cash.open_order_count == 1
    assert trader.cash.reserved_principal == 0  # closing YES holds no cash
    assert trader.cash.expected_exchange_balance == demo.balance("me")
    # the resting reduce-only sell already covers the position: no second sell
    trader.space = LimitOrderActionSpace(c("10"))
    pending = trader.cash.resting_count(TICKER, "ask")
    again = trader.space.to_order(
        Action.SELL_YES, TICKER, production, trader.positions.position(TICKER), pending
    )
    assert not isinstance(again, OrderIntent)

    # the kill switch refuses everything, even a reducing order
    trader.risk.engage("test over")
    assert trader.act(Action.BUY_YES, production, "b2") == "kill_switch"
    assert trader.act(Action.BUY_NO, production, "b3") == "kill_switch"
