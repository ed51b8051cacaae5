"""The actor's hot path: observation build, policy inference, update-to-order latency.

* ``observation``: µs per `LiveObservationAdapter.observe` + `build` (history update and the
  52 features) on a 20-level two-sided book with a position and two resting orders; the
  baseline in the same run is the book features alone.
* ``inference``: µs per decision of a 64-64 MLP policy (SB3 PPO default, untrained weights
  are as expensive as trained ones): stable-baselines3 ``predict`` vs the numpy fast path,
  with their agreement on the same observations.
* ``update_to_order``: p50/p99 µs from an `OrderbookUpdated` being published to the order's
  outcome, through the whole ActorService: (a) ``in_process``: an instant order sink (the
  actor's own overhead: bus, coalescing, features, selector, action space, event, log);
  (b) ``local_exchange``: the real OrderManager (risk checks, tracking) placing on the local
  exchange's demo environment over HTTP (client rate limiter at the top tier, so the number
  is latency, not Basic's 10 orders/s).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from kalshiflow.actor.adapter import LiveObservationAdapter
from kalshiflow.actor.features import FLAT, PortfolioState, RestingOrder, book_features
from kalshiflow.actor.market_selection import MarketSelection
from kalshiflow.actor.orders import OrderOutcome
from kalshiflow.actor.portfolio import FlatPortfolio, TrackerPortfolio
from kalshiflow.actor.rl_model import RLModelSelector
from kalshiflow.actor.selectors import HardcodedSelector
from kalshiflow.actor.service import ActorService, percentile
from kalshiflow.actor.spaces import action_space, observation_space
from kalshiflow.config import RiskSettings
from kalshiflow.events import EventBus, OrderbookUpdated
from kalshiflow.kalshi.fixedpoint import Count, Money, Price
from kalshiflow.marketdata.orderbook import OrderbookState
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.trading.action_space import LimitOrderActionSpace
from kalshiflow.trading.types import Action

N_OBS = 20_000
N_INFER = 2_000
N_STEPS = 300


class _Portfolio(FlatPortfolio):
    def resting_orders(self, ticker: str) -> tuple[RestingOrder, ...]:
        return (
            RestingOrder("bid", Price(4300), Count(500), 0),
            RestingOrder("ask", Price(5600), Count(300), 0),
        )


def _book(ticker: str, shift: int = 0) -> OrderbookState:
    book = OrderbookState(ticker)
    yes = [(4500 - 100 * k + shift, 1000 + 37 * k) for k in range(20)]
    no = [(5300 - 100 * k - shift, 900 + 41 * k) for k in range(20)]
    book.apply_snapshot(yes, no, 1, time.time_ns())
    return book


def bench_observation() -> dict[str, float]:
    state = PortfolioState(
        Count(2000), Money(8_000_000), Money(0), Money(10**9), Money(9 * 10**8),
        Money(10**7), Count(10_000),
    )  # fmt: skip
    adapter = LiveObservationAdapter(_Portfolio(state))
    books = [_book("B", shift=100 * (i % 5)).snapshot() for i in range(5)]
    events = [
        OrderbookUpdated("B", i, "delta", books[i % 5], 1_700_000_000_000_000_000 + i * 10**7, None)
        for i in range(N_OBS)
    ]
    t0 = time.perf_counter()
    for e in events:
        adapter.observe(e)
        adapter.observation_for(e)
    full = (time.perf_counter() - t0) / N_OBS * 1e6
    t0 = time.perf_counter()
    for e in events:
        book_features(e.book)
    base = (time.perf_counter() - t0) / N_OBS * 1e6
    return {"observe_and_build_us": round(full, 2), "book_features_only_us": round(base, 2)}


def bench_inference(tmp: Path) -> dict[str, Any]:
    import gymnasium as gym
    from stable_baselines3 import PPO

    class Spaces(gym.Env[Any, Any]):
        observation_space = observation_space()
        action_space = action_space()

    path = tmp / "ppo.zip"
    PPO("MlpPolicy", Spaces(), seed=0, device="cpu").save(path)
    selector = RLModelSelector.load(path)
    rng = np.random.default_rng(0)
    obs = rng.uniform(-1, 1, (N_INFER, 52)).astype(np.float32)
    t0 = time.perf_counter()
    sb3 = [selector.predict_sb3(o) for o in obs]
    sb3_us = (time.perf_counter() - t0) / N_INFER * 1e6
    t0 = time.perf_counter()
    fast = [selector.choose_numpy(o) for o in obs]
    numpy_us = (time.perf_counter() - t0) / N_INFER * 1e6
    agree = sum(a == b for a, b in zip(sb3, fast, strict=True)) / N_INFER
    return {
        "sb3_predict_us": round(sb3_us, 2),
        "numpy_path_us": round(numpy_us, 2),
        "speedup": round(sb3_us / numpy_us, 1),
        "agreement": agree,
        "load_check_agreement": selector.info.agreement,
    }


class _InstantSink:
    async def place(self, intent: Any, source: Any) -> OrderOutcome:
        return OrderOutcome("placed", "", "cid", "oid")


class _AlwaysBuy:
    name = "always"
    version = "always"

    def choose(self, observation: Any) -> int:
        return Action.BUY_YES

    async def select(self, observation: Any) -> int:
        return Action.BUY_YES


async def _drive(actor: ActorService, books: SharedOrderbookState, tickers: list[str]) -> None:
    """Publish updates one market at a time and wait for each step, so latency is measured
    without queueing behind the previous step."""
    await actor.start()
    try:
        for i in range(N_STEPS):
            ticker = tickers[i % len(tickers)]
            book = books.book(ticker)
            assert book is not None
            now = time.time_ns()
            shift = 100 * (i % 3)
            book.apply_snapshot([(4000 + shift, 5000)], [(5000 - shift, 5000)], i + 1, now)
            before = actor.stats.steps
            actor.bus.publish(
                OrderbookUpdated(ticker, i + 1, "snapshot", book.snapshot(), now, None)
            )
            while actor.stats.steps == before:
                await asyncio.sleep(0)
    finally:
        await actor.stop()


def _latency(actor: ActorService) -> dict[str, Any]:
    samples = list(actor.stats.step_latency_us)
    return {
        "p50_us": percentile(samples, 0.5),
        "p99_us": percentile(samples, 0.99),
        "mean_us": round(statistics.fmean(samples), 1),
        "steps": len(samples),
        "orders": actor.stats.orders,
        "rejected": actor.stats.rejected,
    }


async def bench_in_process() -> dict[str, Any]:
    books = SharedOrderbookState()
    tickers = [f"BENCH-{i}" for i in range(4)]
    books.add(tickers)
    actor = ActorService(
        EventBus(), LiveObservationAdapter(FlatPortfolio(FLAT)), HardcodedSelector(),
        LimitOrderActionSpace(Count(100)), _InstantSink(), MarketSelection("all"), throttle_ms=0,
    )  # fmt: skip
    actor.selector = _AlwaysBuy()  # every step places: the slowest path
    await _drive(actor, books, tickers)
    return _latency(actor)


async def bench_local_exchange(tmp: Path) -> dict[str, Any]:
    from kalshiflow.exchange_sim.config import SimConfig
    from kalshiflow.exchange_sim.runner import start_sim
    from kalshiflow.kalshi.auth import KalshiAuth
    from kalshiflow.kalshi.ratelimit import RateLimiter
    from kalshiflow.kalshi.rest import KalshiRestClient
    from kalshiflow.kalshi.trading_client import KalshiTradingClient
    from kalshiflow.trading.cash import CashManager
    from kalshiflow.trading.ledger import TwoLedgers
    from kalshiflow.trading.order_manager import OrderManager
    from kalshiflow.trading.order_tracker import OrderTracker
    from kalshiflow.trading.positions import PositionTracker
    from kalshiflow.trading.risk import RiskManager
    from kalshiflow.trading.state_machine import TraderStateMachine

    sim = await start_sim(
        SimConfig(production_port=0, demo_port=0, data_dir=tmp / "sim", n_markets=4,
                  with_participants=False, rate_limits_enabled=False)
    )  # fmt: skip
    try:
        demo = sim.demo
        auth = KalshiAuth.from_key_file(demo.key_id, demo.private_key_path)
        # The top usage tier, so the client's own rate limiter (10 orders/s on Basic) does not
        # turn this into a measure of the rate limit.
        rest = KalshiRestClient(demo.rest_url, auth, limiter=RateLimiter("prestige"))
        client = KalshiTradingClient(rest)

        def clock() -> int:
            return time.time_ns() // 1_000_000

        positions = PositionTracker()
        cash = CashManager(positions)
        balance = await client.get_balance()
        cash.observe_exchange_balance(balance.balance, clock())
        books = SharedOrderbookState()
        tickers = [m.ticker for m in demo.context.exchange.markets()]
        books.add(tickers)
        risk = RiskManager(
            RiskSettings(max_orders_per_second=100_000, max_open_orders=100_000,
                         max_contracts_per_market=1_000_000,
                         max_total_exposure_dollars=10**9),
            positions, cash, clock, lambda t: None,
        )  # fmt: skip
        state = TraderStateMachine(clock)
        state.calibrate()
        state.start_trading()
        tracker = OrderTracker()
        manager = OrderManager(client, tracker, risk, cash, TwoLedgers(), state, clock, books=books)
        portfolio = TrackerPortfolio(positions, cash, Count(100_000_000))
        actor = ActorService(
            EventBus(), LiveObservationAdapter(portfolio), _AlwaysBuy(),
            LimitOrderActionSpace(Count(100)), manager, MarketSelection("all"), throttle_ms=0,
        )  # fmt: skip
        await _drive(actor, books, tickers)
        await client.aclose()
        return _latency(actor)
    finally:
        await sim.stop()


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-actor-") as tmp:
        out: dict[str, object] = {"observation": bench_observation()}
        out["inference"] = bench_inference(Path(tmp))
        out["update_to_order"] = {
            "in_process": asyncio.run(bench_in_process()),
            "local_exchange": asyncio.run(bench_local_exchange(Path(tmp))),
        }
        return out


if __name__ == "__main__":
    print(json.dumps(run()))
