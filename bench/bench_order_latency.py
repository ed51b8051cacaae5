"""Decision-to-acknowledged latency of `OrderManager.place` against the local exchange.

A local exchange (both environments, no participants, no rate limits) runs in this process;
the OrderManager is wired like the trading component's but without the database (the
durable pending row costs one INSERT round trip on top; measured by the component tests,
not here). Each sample places a resting bid from intent to the exchange's answer:
trader-state gate, market status (client cache), risk check, two-ledger record, signed
REST create, tracking and cash hold. In the same run:

* ``baseline_client_place``: the bare `KalshiTradingClient.place_order` of the same kind of
  order (signing + HTTP + matching), so ``overhead`` is what the trading path adds;
* ``risk_check_us``: `RiskManager.check` alone on the live manager (every rule runs);
* ``market_conditions_us``: building the market conditions (cached market status + the
  production book's freshness).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from kalshiflow.config import RiskSettings
from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import start_sim
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.kalshi.hybrid import build_client_pair
from kalshiflow.kalshi.models import OrderRequest
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import OrderSource
from kalshiflow.trading.ledger import TwoLedgers
from kalshiflow.trading.order_manager import OrderManager
from kalshiflow.trading.order_tracker import OrderTracker
from kalshiflow.trading.positions import PositionTracker
from kalshiflow.trading.risk import RiskManager
from kalshiflow.trading.state_machine import TraderStateMachine
from kalshiflow.trading.types import OrderIntent

ORDERS = 300
WARMUP = 20
RISK_CHECKS = 20_000


def _ms(ns: list[int]) -> dict[str, float]:
    ordered = sorted(ns)
    return {
        "p50_ms": round(ordered[len(ordered) // 2] / 1e6, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1e6, 3),
        "mean_ms": round(statistics.fmean(ordered) / 1e6, 3),
    }


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


async def _run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        sim = await start_sim(
            SimConfig(
                production_port=0,
                demo_port=0,
                data_dir=Path(tmp) / "sim",
                n_markets=4,
                with_participants=False,
                rate_limits_enabled=False,
            )
        )
        pair = build_client_pair(
            data_rest_url=sim.production.rest_url,
            trading_rest_url=sim.demo.rest_url,
            data_auth=None,
            trading_auth=KalshiAuth.from_key_file(sim.demo.key_id, sim.demo.private_key_path),
            trading_ws_url=sim.demo.ws_url,
            # The client's own token bucket would pace a basic account to 10 orders/s and
            # the bench would measure the pacing: use the largest tier (the sim has no limit).
            trading_rate_tier="prestige",
        )
        try:
            tickers = [m.ticker for m in sim.demo.context.exchange.markets()]
            books = SharedOrderbookState()
            books.add(tickers)
            positions = PositionTracker()
            cash = CashManager(positions)
            cash.observe_exchange_balance((await pair.trading.get_balance()).balance, _now_ms())
            settings = RiskSettings(
                max_contracts_per_market=1_000_000,
                max_total_exposure_dollars=10**6,
                max_open_orders=100_000,
                max_orders_per_second=10**9,
                min_cash_reserve_dollars=0,
            )
            risk = RiskManager(settings, positions, cash, _now_ms, lambda _t: None)
            state = TraderStateMachine(_now_ms)
            state.calibrate()
            state.start_trading()
            om = OrderManager(
                pair.trading, OrderTracker(), risk, cash, TwoLedgers(), state, _now_ms,
                books=books,
            )  # fmt: skip

            def refresh() -> None:
                for t in tickers:
                    book = books.book(t)
                    assert book is not None
                    book.apply_snapshot([(4000, 5000)], [(5600, 5000)], 1, time.time_ns())

            placed: list[int] = []
            for i in range(WARMUP + ORDERS):
                if i % 50 == 0:
                    refresh()
                order = OrderIntent(
                    tickers[i % len(tickers)], "bid", Price(100 * (1 + i % 30)), Count(100)
                )
                start = time.perf_counter_ns()
                result = await om.place(order, OrderSource.ACTOR)
                elapsed = time.perf_counter_ns() - start
                if not result.accepted:
                    raise RuntimeError(f"bench order refused: {result}")
                if i >= WARMUP:
                    placed.append(elapsed)

            baseline: list[int] = []
            for i in range(WARMUP + ORDERS):
                request = OrderRequest(tickers[i % len(tickers)], "bid", Count(100), Price(3500))
                start = time.perf_counter_ns()
                await pair.trading.place_order(request)
                elapsed = time.perf_counter_ns() - start
                if i >= WARMUP:
                    baseline.append(elapsed)

            refresh()
            conditions = await om.market_conditions(tickers[0])
            intent = OrderIntent(tickers[0], "bid", Price(200), Count(100))
            start = time.perf_counter_ns()
            for _ in range(RISK_CHECKS):
                risk.evaluate(intent, conditions)
            evaluate_us = (time.perf_counter_ns() - start) / RISK_CHECKS / 1000
            start = time.perf_counter_ns()
            for _ in range(RISK_CHECKS):
                risk.check(intent, conditions)
            check_us = (time.perf_counter_ns() - start) / RISK_CHECKS / 1000
            start = time.perf_counter_ns()
            for _ in range(2_000):
                await om.market_conditions(tickers[0])
            conditions_us = (time.perf_counter_ns() - start) / 2_000 / 1000

            place = _ms(placed)
            base = _ms(baseline)
            return {
                "orders": ORDERS,
                "resting_orders_at_end": cash.open_order_count,
                "order_manager_place": place,
                "baseline_client_place": base,
                "overhead_p50_ms": round(place["p50_ms"] - base["p50_ms"], 3),
                "risk_check_us": round(check_us, 2),
                "risk_evaluate_all_rules_us": round(evaluate_us, 2),
                "market_conditions_us": round(conditions_us, 2),
            }
        finally:
            await pair.aclose()
            await sim.stop()


def run() -> dict[str, object]:
    return asyncio.run(_run())


if __name__ == "__main__":
    print(json.dumps(run()))
