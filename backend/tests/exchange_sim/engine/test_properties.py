"""Property tests: random sequences of orders, cancels, amends, decreases, determinations
and settlements keep the books uncrossed, the replayed events equal to the engine state,
and cash and contracts conserved.

Conservation invariant (exact, in Money):
    Σ_accounts (available + reserved)  +  fees collected by the exchange
      +  $1 × Σ_markets open interest (YES/NO pairs outstanding)   ==   Σ deposits
because every execution moves exactly $1 per newly created pair from the two buyers into
the pair, every netting redemption moves $1 per pair back, fees go to the exchange, and
settlement pays $1 per pair to the winning side. Contracts: in every unsettled market the
signed positions sum to zero and open interest equals the sum of the long-YES positions.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kalshiflow.exchange_sim.engine import (
    BookSide,
    Exchange,
    ExchangeError,
    MarketSpec,
    MarketStatus,
    OrderRequest,
    OrderStatus,
    SelfTradePrevention,
    TimeInForce,
)
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR
from tests.exchange_sim.engine.replay import Replay
from tests.exchange_sim.engine.support import EVENT, T0_MS, m, make_exchange

ACCOUNTS = ("a", "b", "c", "d")
TICKERS = ("KXHIGHNY-26NOV22-B45", "KXHIGHNY-26NOV22-B47")
DEPOSIT = {"a": "50", "b": "50", "c": "5", "d": "2"}  # small balances exercise rejections


@dataclass(frozen=True)
class Op:
    kind: str
    account: int
    market: int
    side: BookSide
    price_cents: int
    count_hundredths: int
    tif: TimeInForce
    stp: SelfTradePrevention
    post_only: bool
    reduce_only: bool
    pick: int


ops = st.builds(
    Op,
    kind=st.sampled_from(
        ["place"] * 8 + ["cancel", "amend", "amend", "decrease", "determine", "settle", "tick"]
    ),
    account=st.integers(0, len(ACCOUNTS) - 1),
    market=st.integers(0, len(TICKERS)),  # == len -> a market added on the fly
    side=st.sampled_from(list(BookSide)),
    price_cents=st.integers(40, 60) | st.integers(1, 99),
    count_hundredths=st.integers(1, 1200) | st.sampled_from([100, 200, 500]),
    tif=st.sampled_from(list(TimeInForce)),
    stp=st.sampled_from(list(SelfTradePrevention)),
    post_only=st.booleans(),
    reduce_only=st.integers(0, 9).map(lambda x: x == 0),
    pick=st.integers(0, 50),
)


def check_invariants(ex: Exchange, replay: Replay, deposits: int) -> None:
    replay.check()
    replay.check_positions()
    total: int = ex.fees_collected()
    for account_id in ex.accounts():
        assert ex.balance(account_id) >= 0, f"{account_id} overspent"
        assert ex.reserved(account_id) >= 0
        total += ex.balance(account_id) + ex.reserved(account_id)
    positions: dict[str, list[int]] = defaultdict(list)
    for account_id in ex.accounts():
        for view in ex.positions(account_id):
            positions[view.ticker].append(view.position)
    for market in ex.markets():
        total += market.open_interest * ONE_DOLLAR
        held = positions.get(market.ticker, [])
        assert sum(held) == 0, f"contracts not conserved in {market.ticker}"
        assert market.open_interest == sum(x for x in held if x > 0)
    assert total == deposits, "cash not conserved"
    for account_id in ex.accounts():
        fills_per_order: dict[str, int] = defaultdict(int)
        for fill in ex.fills(account_id):
            fills_per_order[fill.order_id] += fill.count
        for order in ex.orders(account_id):
            assert order.fill_count == fills_per_order.get(order.order_id, 0)
            assert order.fill_count + order.remaining_count <= order.initial_count
            if order.status is not OrderStatus.RESTING:
                assert order.remaining_count == 0


def run_ops(sequence: list[Op]) -> None:
    ex, clock = make_exchange(DEPOSIT, tickers=TICKERS)
    deposits = sum(m(v) for v in DEPOSIT.values())
    replay = Replay(ex)
    tickers = list(TICKERS)
    for i, op in enumerate(sequence):
        account = ACCOUNTS[op.account]
        if op.market == len(TICKERS):
            ticker = f"KXHIGHNY-26NOV22-T{i}"
            ex.add_market(
                MarketSpec(ticker, EVENT, "new", T0_MS // 1000 - 10, T0_MS // 1000 + 86_400)
            )
            tickers.append(ticker)
        else:
            ticker = tickers[op.market]
        resting = ex.orders(account, status=OrderStatus.RESTING)
        target = resting[op.pick % len(resting)] if resting else None
        try:
            if op.kind == "place":
                ex.place_order(
                    OrderRequest(
                        account_id=account,
                        ticker=ticker,
                        side=op.side,
                        price=op.price_cents * 100,  # type: ignore[arg-type]
                        count=op.count_hundredths,  # type: ignore[arg-type]
                        time_in_force=op.tif,
                        self_trade_prevention=op.stp,
                        post_only=op.post_only,
                        reduce_only=op.reduce_only,
                        # mostly fresh ids, sometimes a reuse (must be 409)
                        client_order_id=f"co-{i if op.pick % 10 else op.pick}",
                    )
                )
            elif op.kind == "cancel" and target:
                ex.cancel_order(account, target.order_id)
            elif op.kind == "amend" and target:
                ex.amend_order(
                    account,
                    target.order_id,
                    op.price_cents * 100,  # type: ignore[arg-type]
                    target.fill_count + op.count_hundredths,  # type: ignore[arg-type]
                )
            elif op.kind == "decrease" and target:
                ex.decrease_order(
                    account,
                    target.order_id,
                    reduce_by=op.count_hundredths % (target.remaining_count + 1) or 1,  # type: ignore[arg-type]
                )
            elif op.kind == "determine" and op.pick % 4 == 0:
                ex.determine_market(ticker, "yes" if op.pick % 8 else "no")
            elif op.kind == "settle":
                if ex.market(ticker).status is MarketStatus.DETERMINED:
                    ex.settle_market(ticker)
            elif op.kind == "tick":
                clock.now += op.pick * 1000
                ex.tick()
        except ExchangeError as err:
            rejected: int | None = err.http_status
        else:
            rejected = None
        assert rejected is None or 400 <= rejected < 500
        check_invariants(ex, replay, deposits)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ops, min_size=5, max_size=60))
def test_random_operation_sequences_keep_every_invariant(sequence: list[Op]) -> None:
    run_ops(sequence)


def random_op(rng: random.Random) -> Op:
    """Long, busy sequences (hypothesis' shrinking-friendly lists stay short)."""
    return Op(
        kind=rng.choice(["place"] * 12 + ["cancel", "amend", "decrease", "tick"])
        if rng.random() > 0.01
        else rng.choice(["determine", "settle"]),
        account=rng.randrange(len(ACCOUNTS)),
        market=rng.randrange(len(TICKERS)) if rng.random() > 0.01 else len(TICKERS),
        side=rng.choice(list(BookSide)),
        price_cents=rng.randint(35, 65),
        count_hundredths=rng.choice([100, 200, 300, rng.randint(1, 1000)]),
        tif=rng.choice([TimeInForce.GTC, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]),
        stp=rng.choice(list(SelfTradePrevention)),
        post_only=rng.random() < 0.1,
        reduce_only=rng.random() < 0.1,
        pick=rng.randrange(51),
    )


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32))
def test_long_busy_sequences_keep_every_invariant(seed: int) -> None:
    rng = random.Random(seed)
    run_ops([random_op(rng) for _ in range(250)])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(BookSide)), st.integers(1, 99), st.integers(1, 500)),
        min_size=1,
        max_size=40,
    )
)
def test_fills_never_exceed_order_size(orders: list[tuple[BookSide, int, int]]) -> None:
    ex, _ = make_exchange({"a": "1000", "b": "1000"})
    for i, (side, cents, count) in enumerate(orders):
        result = ex.place_order(
            OrderRequest(ACCOUNTS[i % 2], TICKERS[0], side, cents * 100, count)  # type: ignore[arg-type]
        )
        assert sum(f.count for f in result.fills) == result.order.fill_count <= count
    for account_id in ("a", "b"):
        for order in ex.orders(account_id):
            filled = sum(f.count for f in ex.fills(account_id, order_id=order.order_id))
            assert filled == order.fill_count <= order.initial_count
