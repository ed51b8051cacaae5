"""The training environment and its simulated order manager: fills against the recorded
book (taker with the trading fee, resting behind the recorded queue), reward = change in
portfolio value, and the loader's points."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from gymnasium.utils.env_checker import check_env

from kalshiflow.actor.selectors import BaselineSelector, HardcodedSelector
from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.marketdata.orderbook import OrderbookSnapshot
from kalshiflow.persistence.records import TradeRecord
from kalshiflow.trading.fees import taker_fee
from kalshiflow.trading.types import Action, OrderIntent
from kalshiflow.training.env import MarketAgnosticKalshiEnv, rollout
from kalshiflow.training.loader import build_points
from kalshiflow.training.sim_orders import DEFAULT_CASH, SimulatedOrderManager
from tests.training.support import random_walk_records

T = "MKT"


def book(yes: dict[int, int], no: dict[int, int]) -> OrderbookSnapshot:
    return OrderbookSnapshot(T, dict(yes), dict(no))


def trade(yes_price: int, count: int, taker_side: str) -> TradeRecord:
    return TradeRecord(1, f"t{yes_price}{count}{taker_side}", T, yes_price, count, taker_side, None)


def bid(price: int, count: int) -> OrderIntent:
    return OrderIntent(T, "bid", Price(price), Count(count), Action.BUY_YES)


def test_a_crossing_order_takes_the_recorded_levels_and_pays_the_taker_fee() -> None:
    om = SimulatedOrderManager(T)
    om.advance(1_000, Fraction(4750))
    # YES asks: 0.50 × 3 (NO bid 0.50) and 0.51 × 4 (NO bid 0.49)
    b = book({4500: 1000}, {5000: 300, 4900: 400})
    assert om.place(bid(5100, 1000), b) == "placed"  # 7 taken, 3 rest at 0.51
    fees = taker_fee(Price(5000), Count(300)) + taker_fee(Price(5100), Count(400))
    assert om.fees_paid == fees
    assert om.position == 700
    assert om.cash.cash == DEFAULT_CASH - 5000 * 300 - 5100 * 400 - fees
    assert [o.remaining for o in om.orders.values()] == [300]


def test_a_resting_bid_waits_for_the_queue_ahead_then_fills_as_maker() -> None:
    om = SimulatedOrderManager(T)
    om.advance(1_000, Fraction(4750))
    b = book({4500: 500}, {5000: 1000})
    assert om.place(bid(4500, 300), b) == "placed"  # 5 contracts ahead of us
    order = next(iter(om.orders.values()))
    assert order.queue_ahead == 500
    om.on_point(book({4500: 300}, {5000: 1000}), ())  # 2 cancelled ahead of us
    assert order.queue_ahead == 300
    assert om.position == 0
    om.on_point(book({4500: 100}, {5000: 1000}), (trade(4500, 400, "no"),))  # 3 ahead + 1 us
    assert om.position == 100
    assert om.fees_paid == 0
    om.on_point(book({4500: 100}, {5000: 1000}), (trade(4400, 100, "no"),))  # through us
    assert om.position == 200
    om.on_point(book({4400: 100}, {5500: 1000}), ())  # the book crossed our 0.45: all filled
    assert om.position == 300
    assert not om.orders
    assert om.cash.reserved == 0
    assert om.fees_paid == 0


def test_trades_on_the_other_side_do_not_fill_a_bid_and_old_orders_expire() -> None:
    om = SimulatedOrderManager(T, order_ttl_ns=10)
    om.advance(0, Fraction(4750))
    b = book({4500: 0}, {5000: 1000})
    om.place(bid(4500, 300), b)
    om.on_point(b, (trade(4500, 1000, "yes"),))
    assert om.position == 0
    assert om.orders
    om.advance(100, None)
    om.on_point(b, ())
    assert not om.orders
    assert om.cash.reserved == 0


def test_risk_checks_refuse_orders_in_the_simulator_too() -> None:
    om = SimulatedOrderManager(T)
    om.advance(0, Fraction(4750))
    b = book({4500: 500}, {5000: 1000})
    assert om.place(bid(4500, 20_000), b) == "rejected"  # 200 contracts > 100 per market
    assert om.rejections == {"max_contracts_per_market": 1}


def test_the_environment_follows_the_gymnasium_api() -> None:
    session = build_points(1, random_walk_records(updates=300))
    env = MarketAgnosticKalshiEnv([session], episode_length=50)
    check_env(env, skip_render_check=True)


def test_rewards_add_up_to_the_change_in_portfolio_value() -> None:
    session = build_points(1, random_walk_records(updates=600, seed=4))
    env = MarketAgnosticKalshiEnv([session])
    rng = BaselineSelector(seed=2)
    obs, info = env.reset(options={"episode": 0})
    total, done, steps = 0.0, False, 0
    last: dict[str, float] = {}
    while not done:
        assert env.observation_space.contains(obs)
        obs, reward, done, _, last = env.step(rng.choose(obs))
        total += reward
        steps += 1
    assert steps == info["points"]
    om = env.order_manager
    assert len(om.fills) > 0
    assert np.isclose(total, last["value"] - DEFAULT_CASH / 1e6)
    hard = rollout(env, HardcodedSelector().choose, 0)
    assert hard["steps"] == steps


def test_loader_points_follow_every_accepted_update() -> None:
    records = random_walk_records(updates=200)
    session = build_points(1, records)
    books = [r for r in records if type(r).__name__ != "TradeRecord"]
    assert session.point_count == len(books)
    assert session.rejected_deltas == 0
    trades = sum(len(p.trades) for pts in session.points.values() for p in pts)
    pending = len(records) - len(books) - trades
    assert pending >= 0  # trades after a market's last update are not attached to a point
