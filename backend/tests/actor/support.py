"""A live stack on the local exchange for the actor's end-to-end tests: the recorder (real
stream, WriteQueue, PostgreSQL) publishing on an EventBus, and the trading component
(OrderManager on the demo environment)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from kalshiflow.components.recorder import RecorderComponent
from kalshiflow.components.trading import TradingComponent
from kalshiflow.config import DataFeedSettings, RiskSettings, Settings
from kalshiflow.events import EventBus
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.hybrid import HybridClientPair, build_client_pair
from kalshiflow.kalshi.rest import KalshiRestClient
from kalshiflow.kalshi.stream import StreamConfig
from kalshiflow.persistence.database import Database
from kalshiflow.trading.state_machine import TraderState

FAST_STREAM: dict[str, Any] = {"backoff_base": 0.05, "backoff_max": 0.5, "backoff_jitter": 0.0}


def stream_config(url: str) -> StreamConfig:
    return StreamConfig(url=url, **FAST_STREAM)


def recorder(
    sim: SimHandle, db: Database, bus: EventBus, markets: int = 5
) -> tuple[RecorderComponent, KalshiDataClient]:
    env = sim.production
    auth = KalshiAuth.from_key_file(env.key_id, env.private_key_path)
    data = KalshiDataClient(KalshiRestClient(env.rest_url, auth))
    service = RecorderComponent(
        db,
        stream_url=env.ws_url,
        auth=auth,
        data_client=data,
        feed=DataFeedSettings(market_mode="discovery", market_limit=markets),
        sync_interval_s=0.5,
        bus=bus,
    )
    return service, data


def client_pair(sim: SimHandle) -> HybridClientPair:
    return build_client_pair(
        data_rest_url=sim.production.rest_url,
        trading_rest_url=sim.demo.rest_url,
        data_auth=KalshiAuth.from_key_file(sim.production.key_id, sim.production.private_key_path),
        trading_auth=KalshiAuth.from_key_file(sim.demo.key_id, sim.demo.private_key_path),
        data_ws_url=sim.production.ws_url,
        trading_ws_url=sim.demo.ws_url,
        timeout_s=5.0,
    )


def settings(**actor: Any) -> Settings:
    risk = RiskSettings(max_orders_per_second=1000, max_open_orders=200)
    base: dict[str, Any] = {"tick_throttle_ms": 50, "target_market_mode": "all",
                            "contract_size": 1}  # fmt: skip
    return Settings.model_validate({"risk": risk.model_dump(), "actor": base | actor})


async def trading(
    sim: SimHandle, pair: HybridClientPair, db: Database, bus: EventBus, rec: RecorderComponent
) -> TradingComponent:
    component = TradingComponent(
        settings(),
        lambda: pair,
        lambda: db,
        bus,
        lambda: KalshiAuth.from_key_file(sim.demo.key_id, sim.demo.private_key_path),
        lambda: rec.client.books,
        stream_config=stream_config,
        reconcile_interval_s=3600.0,
        snapshot_interval_s=3600.0,
    )
    await component.start()
    await eventually(lambda: component.trader.state is TraderState.TRADING, 10, "trading")
    return component


async def eventually(
    check: Callable[[], bool | Awaitable[bool]], timeout_s: float = 10.0, what: str = ""
) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for: {what or check}")
        await asyncio.sleep(0.05)
