"""The API in-process over a real trading core on the local exchange, served by uvicorn on a
free port: for the order tests, until the coordinator wires the trading service into
`kalshiflow up`. The composition root is a plain stand-in exposing the attributes the API
reads (kalshiflow.api.services); everything behind it is real (exchange, database, trading)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import uvicorn

from kalshiflow.api.app import create_app
from kalshiflow.api.loaders import Loaders, build_loaders
from kalshiflow.api.services import Services
from kalshiflow.config import RunMode, Settings
from kalshiflow.coordinator import Coordinator
from kalshiflow.events import EventBus
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.kalshi.hybrid import HybridClientPair
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.persistence.database import Database
from tests.fixtures.app import RunningApp

TOKEN = "trading-api-test-token"


@dataclass
class _Clients:
    pair: HybridClientPair


@dataclass
class _MarketData:
    books: SharedOrderbookState


@dataclass
class _DatabaseComponent:
    database: Database


@dataclass
class StandInCoordinator:
    settings: Settings
    database: _DatabaseComponent
    clients: _Clients
    trading: Any
    bus: EventBus
    marketdata: _MarketData
    version: str = "test"
    mode: RunMode = RunMode.SANDBOX

    def health(self) -> list[ComponentHealth]:
        return [self.trading.health()]

    def overall_state(self) -> ComponentState:
        return ComponentState.RUNNING


@dataclass
class ServedApi:
    app: RunningApp
    token: str
    loaders: list[Loaders] = field(default_factory=list)


@asynccontextmanager
async def serve_api(
    rig: Any, pair: HybridClientPair, database: Database, tmp_path: Path
) -> AsyncIterator[ServedApi]:
    stand_in = StandInCoordinator(
        settings=Settings(),
        database=_DatabaseComponent(database),
        clients=_Clients(pair),
        trading=rig.component,
        bus=rig.component.bus,
        marketdata=_MarketData(rig.books),
    )
    served = ServedApi(app=cast(RunningApp, None), token=TOKEN)

    def recording_loaders(services: Services) -> Loaders:
        loaders = build_loaders(services)
        served.loaders.append(loaders)
        return loaders

    asgi = create_app(
        cast(Coordinator, stand_in), tmp_path / "no-dist", token=TOKEN, loaders=recording_loaders
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(asgi, log_level="warning", lifespan="off", ws="websockets-sansio")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    served.app = RunningApp(process=cast(Any, None), base_url=f"http://127.0.0.1:{port}/")
    try:
        yield served
    finally:
        server.should_exit = True
        await task
        await asgi.state.services.aclose()
        sock.close()
