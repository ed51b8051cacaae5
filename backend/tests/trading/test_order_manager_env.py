"""A trading component on the local exchange and a real PostgreSQL, for the trading I/O
tests (imported by test_order_manager*, test_reconciler*, test_trading_faults*, ...).

The simulator runs without participants so that nothing but the test moves the demo books:
fills happen only when the test's counterparty account trades against our orders. The
"production" book the orders are priced from is a `SharedOrderbookState` the test fills.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.engine import URL

from kalshiflow.components.trading import TradingComponent
from kalshiflow.config import RiskSettings, Settings
from kalshiflow.events import EventBus, Subscription
from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.fixedpoint import (
    Count,
    Money,
    Price,
    format_count,
    format_price,
    parse_count,
    parse_price,
)
from kalshiflow.kalshi.hybrid import HybridClientPair, build_client_pair
from kalshiflow.kalshi.stream import StreamConfig
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.persistence.database import Database
from kalshiflow.trading.state_machine import TraderState
from kalshiflow.trading.types import Level, OrderIntent
from tests.fixtures.sim import KalshiTestClient, add_account_client, v2_order

FAST_STREAM = {"backoff_base": 0.05, "backoff_max": 0.5, "backoff_jitter": 0.0}


def sim_config_without_participants(tmp_path: Path) -> SimConfig:
    return SimConfig(
        host="127.0.0.1",
        production_port=0,
        demo_port=0,
        data_dir=tmp_path / "sim",
        seed=1234,
        n_markets=4,
        with_participants=False,
        rate_limits_enabled=False,
    )


def risk_settings(**overrides: Any) -> RiskSettings:
    base: dict[str, Any] = {"max_orders_per_second": 1000, "max_open_orders": 200}
    return RiskSettings(**(base | overrides))


def build_pair(sim: SimHandle) -> HybridClientPair:
    return build_client_pair(
        data_rest_url=sim.production.rest_url,
        trading_rest_url=sim.demo.rest_url,
        data_auth=KalshiAuth.from_key_file(sim.production.key_id, sim.production.private_key_path),
        trading_auth=trading_auth(sim),
        data_ws_url=sim.production.ws_url,
        trading_ws_url=sim.demo.ws_url,
        timeout_s=5.0,
    )


def trading_auth(sim: SimHandle) -> KalshiAuth:
    return KalshiAuth.from_key_file(sim.demo.key_id, sim.demo.private_key_path)


def fresh_book(books: SharedOrderbookState, ticker: str, yes: list[Level], no: list[Level]) -> None:
    """(Re)set the production book of ``ticker``, stamped now (fresh for the risk guard)."""
    books.add([ticker])
    book = books.book(ticker)
    assert book is not None
    book.apply_snapshot(yes, no, seq=1, received_ns=time.time_ns())


@dataclass
class Events:
    """Everything the component published, collected in the background."""

    sub: Subscription[Any]
    seen: list[object] = field(default_factory=list)

    def of(self, kind: type[Any]) -> list[Any]:
        self.drain()
        return [e for e in self.seen if isinstance(e, kind)]

    def drain(self) -> None:
        while (event := self.sub.get_nowait()) is not None:
            self.seen.append(event)


async def eventually(
    check: Callable[[], bool | Awaitable[bool]], timeout_s: float = 5.0, what: str = ""
) -> None:
    """Poll ``check`` until it holds; fail with ``what`` otherwise."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for: {what or check}")
        await asyncio.sleep(0.02)


class Counterparty:
    """Another demo account that trades against our orders to make fills happen."""

    def __init__(self, client: KalshiTestClient) -> None:
        self.client = client

    async def order(self, ticker: str, side: str, price: Price, count: Count) -> dict[str, Any]:
        status, body = await self.client.post(
            "/portfolio/events/orders",
            json=v2_order(ticker, side, format_price(price), format_count(count)),
        )
        assert status in (200, 201), body
        assert isinstance(body, dict)
        return body


@dataclass
class Exchange:
    """The demo account as the exchange sees it (exact units), read in-process."""

    sim: SimHandle

    @property
    def account(self) -> str:
        return self.sim.demo.account_id

    def balance(self) -> Money:
        return self.sim.demo.context.exchange.balance(self.account)

    def positions(self) -> dict[str, tuple[int, int]]:
        return {
            v.ticker: (v.position, v.position_cost)
            for v in self.sim.demo.context.exchange.positions(self.account)
            if v.position
        }

    def resting(self) -> list[Any]:
        from kalshiflow.exchange_sim.engine import OrderStatus

        return [
            o
            for o in self.sim.demo.context.exchange.orders(self.account)
            if o.status is OrderStatus.RESTING
        ]

    def trade_ids(self) -> set[str]:
        return {f.trade_id for f in self.sim.demo.context.exchange.fills(self.account)}


def make_settings(risk: RiskSettings | None = None) -> Settings:
    return Settings(risk=risk or risk_settings())


def stream_config(url: str) -> StreamConfig:
    return StreamConfig(url=url, **FAST_STREAM)  # type: ignore[arg-type]


@pytest.fixture
def sim_config(tmp_path: Path) -> SimConfig:
    return sim_config_without_participants(tmp_path)


@pytest.fixture
async def pair(sim: SimHandle) -> AsyncIterator[HybridClientPair]:
    p = build_pair(sim)
    yield p
    await p.aclose()


@pytest.fixture
async def database(database_url: URL) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
async def counterparty(sim: SimHandle, tmp_path: Path) -> AsyncIterator[Counterparty]:
    async with aiohttp.ClientSession() as session:
        client = add_account_client(session, sim.demo, sim.config.data_dir, "counterparty")
        yield Counterparty(client)


async def test_the_harness_sees_an_empty_open_demo_market(
    sim: SimHandle, pair: HybridClientPair
) -> None:
    markets = await pair.trading.get_market(sim.demo.context.exchange.markets()[0].ticker)
    assert markets.is_open
    assert Exchange(sim).resting() == []
    assert TraderState.TRADING.value == "trading"


async def start_component(
    sim: SimHandle,
    pair: HybridClientPair,
    database: Database,
    bus: EventBus,
    books: SharedOrderbookState,
    risk: RiskSettings | None = None,
    **options: Any,
) -> TradingComponent:
    component = TradingComponent(
        make_settings(risk),
        lambda: pair,
        lambda: database,
        bus,
        lambda: trading_auth(sim),
        lambda: books,
        stream_config=stream_config,
        reconcile_interval_s=options.pop("reconcile_interval_s", 3600.0),
        snapshot_interval_s=options.pop("snapshot_interval_s", 3600.0),
        **options,
    )
    await component.start()
    return component


def intent(ticker: str, side: str, price: str, count: str, **extra: Any) -> OrderIntent:
    return OrderIntent(ticker, side, parse_price(price), parse_count(count), **extra)  # type: ignore[arg-type]


@dataclass
class Rig:
    """One started component with everything a test needs around it."""

    sim: SimHandle
    component: TradingComponent
    books: SharedOrderbookState
    events: Events
    exchange: Exchange
    tickers: list[str]

    @property
    def parts(self) -> Any:
        return self.component.parts

    def fresh(self, ticker: str, bid: str = "0.40", ask: str = "0.44") -> None:
        """A fresh production book: YES bid ``bid`` × 50, YES ask ``ask`` × 50."""
        no_bid = parse_price("1") - parse_price(ask)
        fresh_book(self.books, ticker, [(parse_price(bid), 5000)], [(no_bid, 5000)])


@pytest.fixture
async def rig(sim: SimHandle, pair: HybridClientPair, database: Database) -> AsyncIterator[Rig]:
    bus = EventBus()
    events = Events(bus.subscribe(maxsize=100_000, name="test"))
    books = SharedOrderbookState()
    component = await start_component(sim, pair, database, bus, books)
    tickers = [m.ticker for m in sim.demo.context.exchange.markets()]
    r = Rig(sim, component, books, events, Exchange(sim), tickers)
    for t in tickers:
        r.fresh(t)
    try:
        yield r
    finally:
        await component.stop()
