"""LimitOrderActionSpace: join vs cross prices, the max-cross bound, sells only reduce,
the tick grid, and the marketdata snapshot as a book."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.config import ActorSettings
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Price
from kalshiflow.marketdata.orderbook import OrderbookSnapshot
from kalshiflow.trading.action_space import LimitOrderActionSpace, NoOrder, Pricing
from kalshiflow.trading.types import Action, OrderIntent, StaticBook
from tests.trading.support import c, p

T = "KXTEST-26"
# YES bids 0.45 / 0.44, NO bids 0.50 / 0.49:
# best YES bid 0.45, best YES ask 1 − 0.50 = 0.50; best NO bid 0.50, best NO ask 0.55
BOOK = StaticBook(
    yes_bids=((p("0.44"), c("10")), (p("0.45"), c("5"))),
    no_bids=((p("0.50"), c("3")), (p("0.49"), c("8"))),
)


def space(
    pricing: Pricing = "join", max_cross_ticks: int = 2, **kw: object
) -> LimitOrderActionSpace:
    return LimitOrderActionSpace(c("10"), pricing=pricing, max_cross_ticks=max_cross_ticks, **kw)  # type: ignore[arg-type]


def intent(result: OrderIntent | NoOrder) -> OrderIntent:
    assert isinstance(result, OrderIntent), result
    return result


def test_the_action_integers_are_fixed() -> None:
    assert [int(a) for a in Action] == [0, 1, 2, 3, 4]
    assert [a.name for a in Action] == ["HOLD", "BUY_YES", "SELL_YES", "BUY_NO", "SELL_NO"]


def test_hold_is_no_order() -> None:
    assert space().to_order(Action.HOLD, T, BOOK, c("0")) == NoOrder(T, Action.HOLD, "hold")
    with pytest.raises(ValueError, match="7"):
        space().to_order(7, T, BOOK, c("0"))


@pytest.mark.parametrize(
    ("action", "pricing", "ticks", "side", "yes_price"),
    [
        # join the best bid of what is bought
        (Action.BUY_YES, "join", 2, "bid", "0.45"),
        # buy NO joining the best NO bid 0.50 = an ask at YES 1 − 0.50
        (Action.BUY_NO, "join", 2, "ask", "0.50"),
        # cross: take the best YES ask 0.50 — the spread is 5 ticks, within 5
        (Action.BUY_YES, "cross", 5, "bid", "0.50"),
        # ... but with max 2 ticks a buy pays at most 0.45 + 0.02
        (Action.BUY_YES, "cross", 2, "bid", "0.47"),
        # cross NO: best NO ask 0.55 -> ask at YES 0.45
        (Action.BUY_NO, "cross", 5, "ask", "0.45"),
        # capped: NO bid 0.50 + 2 ticks = 0.52 -> YES 0.48
        (Action.BUY_NO, "cross", 2, "ask", "0.48"),
        # max_cross_ticks 0: cross behaves like join
        (Action.BUY_YES, "cross", 0, "bid", "0.45"),
    ],
)
def test_buy_prices(
    action: Action, pricing: Pricing, ticks: int, side: str, yes_price: str
) -> None:
    o = intent(space(pricing, ticks).to_order(action, T, BOOK, c("0")))
    assert (o.side, o.yes_price, o.count, o.reduce_only, o.action) == (
        side,
        p(yes_price),
        c("10"),
        False,
        action,
    )
    assert o.ticker == T
    assert pricing in o.reason


@pytest.mark.parametrize(
    ("action", "position", "pricing", "ticks", "side", "yes_price", "count"),
    [
        # 4 YES held: offer them at the best YES ask 0.50 (count capped at the position)
        (Action.SELL_YES, "4", "join", 2, "ask", "0.50", "4"),
        # sell into the best YES bid 0.45 (5 ticks below the ask, allowed)
        (Action.SELL_YES, "4", "cross", 5, "ask", "0.45", "4"),
        # max 2 ticks below the ask: 0.48
        (Action.SELL_YES, "4", "cross", 2, "ask", "0.48", "4"),
        # 15 NO held: offer NO at the NO ask 0.55 = a YES bid at 0.45; size 10
        (Action.SELL_NO, "-15", "join", 2, "bid", "0.45", "10"),
        # sell NO into the NO bid 0.50 = YES bid at 0.50
        (Action.SELL_NO, "-15", "cross", 5, "bid", "0.50", "10"),
    ],
)
def test_sell_prices_and_sizes(
    action: Action,
    position: str,
    pricing: Pricing,
    ticks: int,
    side: str,
    yes_price: str,
    count: str,
) -> None:
    o = intent(space(pricing, ticks).to_order(action, T, BOOK, c(position)))
    assert (o.side, o.yes_price, o.count, o.reduce_only) == (side, p(yes_price), c(count), True)


@pytest.mark.parametrize(
    ("action", "position", "reason"),
    [
        (Action.SELL_YES, "0", "no YES position to sell"),
        (Action.SELL_YES, "-5", "no YES position to sell"),  # holding NO is not YES
        (Action.SELL_NO, "0", "no NO position to sell"),
        (Action.SELL_NO, "3", "no NO position to sell"),
    ],
)
def test_sells_only_reduce(action: Action, position: str, reason: str) -> None:
    assert space().to_order(action, T, BOOK, c(position)) == NoOrder(T, action, reason)


def test_resting_reducing_orders_are_not_sold_twice() -> None:
    covered = space().to_order(Action.SELL_YES, T, BOOK, c("4"), pending_reduce=c("4"))
    assert covered == NoOrder(T, Action.SELL_YES, "YES position already covered by resting sells")
    rest = intent(space().to_order(Action.SELL_YES, T, BOOK, c("4"), pending_reduce=c("1")))
    assert rest.count == c("3")


def test_empty_book_sides_give_no_order() -> None:
    only_yes = StaticBook(yes_bids=((p("0.45"), c("5")),))
    assert space("cross").to_order(Action.BUY_YES, T, only_yes, c("0")) == NoOrder(
        T, Action.BUY_YES, "no YES offer to cross"
    )
    assert space().to_order(Action.BUY_NO, T, only_yes, c("0")) == NoOrder(
        T, Action.BUY_NO, "no NO bid to join"
    )
    assert space().to_order(Action.SELL_YES, T, only_yes, c("1")) == NoOrder(
        T, Action.SELL_YES, "no YES offer to join"
    )
    # crossing with no bid on the bought side has no bound to cap by: take the ask
    only_no = StaticBook(no_bids=((p("0.50"), c("5")),))
    assert intent(space("cross").to_order(Action.BUY_YES, T, only_no, c("0"))).yes_price == p(
        "0.50"
    )


def test_sub_cent_books_are_put_on_the_tick_grid() -> None:
    # YES bid 0.4550, NO bid 0.5050 -> YES ask 0.4950
    book = StaticBook(yes_bids=((p("0.4550"), c("1")),), no_bids=((p("0.5050"), c("1")),))
    # join a buy rounds down (never above the book): 0.45
    assert intent(space().to_order(Action.BUY_YES, T, book, c("0"))).yes_price == p("0.45")
    # cross rounds the ask up (0.50) but stays within 2 ticks of the bid: floor(0.4750)=0.47
    cross = space("cross").to_order(Action.BUY_YES, T, book, c("0"))
    assert intent(cross).yes_price == p("0.47")
    # with a tenth-of-a-cent grid the book's own prices are kept
    fine = LimitOrderActionSpace(c("10"), tick=Price(10))
    assert intent(fine.to_order(Action.BUY_YES, T, book, c("0"))).yes_price == p("0.455")
    # a join below one tick is clamped to the lowest valid price
    low = StaticBook(yes_bids=((p("0.005"), c("1")),))
    assert intent(space().to_order(Action.BUY_YES, T, low, c("0"))).yes_price == p("0.01")


def test_invalid_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="divide"):
        LimitOrderActionSpace(c("1"), tick=Price(300))
    with pytest.raises(ValueError, match="contract_size"):
        LimitOrderActionSpace(c("0"))
    with pytest.raises(ValueError, match="max_cross_ticks"):
        LimitOrderActionSpace(c("1"), max_cross_ticks=-1)
    with pytest.raises(ValueError, match="pricing"):
        LimitOrderActionSpace(c("1"), pricing="market")  # type: ignore[arg-type]


def test_from_settings_sizes_in_whole_contracts() -> None:
    s = LimitOrderActionSpace.from_settings(ActorSettings(contract_size=7), pricing="cross")
    assert (s.contract_size, s.pricing) == (c("7"), "cross")


def test_the_marketdata_snapshot_is_a_book() -> None:
    snap = OrderbookSnapshot(T, {4500: 500, 4400: 1000}, {5000: 300, 4900: 800})
    for action in Action:
        for pricing in ("join", "cross"):
            ours = space(pricing).to_order(action, T, snap, c("4"))
            assert ours == space(pricing).to_order(action, T, BOOK, c("4"))


levels = st.lists(
    st.tuples(st.integers(1, 9_999), st.integers(1, 10_000)), max_size=5, unique_by=lambda x: x[0]
)


@settings(max_examples=300, deadline=None)
@given(
    yes=levels,
    no=levels,
    action=st.sampled_from(list(Action)),
    pricing=st.sampled_from(["join", "cross"]),
    ticks=st.integers(0, 10),
    tick=st.sampled_from([1, 10, 100, 500]),
    position=st.integers(-5_000, 5_000),
)
def test_every_order_is_valid_and_sells_only_reduce(
    yes: list[tuple[int, int]],
    no: list[tuple[int, int]],
    action: Action,
    pricing: Pricing,
    ticks: int,
    tick: int,
    position: int,
) -> None:
    book = StaticBook(tuple(yes), tuple(no))
    s = LimitOrderActionSpace(c("10"), pricing=pricing, max_cross_ticks=ticks, tick=Price(tick))
    result = s.to_order(action, T, book, position)  # type: ignore[arg-type]
    if isinstance(result, NoOrder):
        return
    assert action is not Action.HOLD
    assert 0 < result.yes_price < ONE_DOLLAR
    assert result.yes_price % tick == 0
    assert type(result.yes_price) is int
    if action in (Action.SELL_YES, Action.SELL_NO):
        held = position if action is Action.SELL_YES else -position
        assert 0 < result.count <= held
        assert result.reduce_only
        # a sell of YES is an ask, a sell of NO a bid: both move the position toward zero
        assert (result.side == "ask") == (action is Action.SELL_YES)
    else:
        assert result.count == c("10")
        assert (result.side == "bid") == (action is Action.BUY_YES)
