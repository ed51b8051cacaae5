"""Sandbox mode: the local Kalshi exchange (`kalshiflow sim`) started inside the app.

With no Kalshi credentials at all, kalshiflow still runs end to end: this component starts
both environments of the local exchange (a busy "production" for data, a thin "demo" for
orders) on free loopback ports, and publishes their URLs and key files so the client pair is
built exactly as it would be for Kalshi, just with other URLs and keys.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kalshiflow.components.endpoints import Endpoint
from kalshiflow.config import Settings
from kalshiflow.health import ComponentHealth, ComponentState

if TYPE_CHECKING:
    from kalshiflow.exchange_sim.runner import SimHandle

log = logging.getLogger(__name__)


class SandboxExchangeComponent:
    name = "local_exchange"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._handle: SimHandle | None = None
        self._state = ComponentState.STOPPED
        self._detail = ""

    @property
    def data_endpoint(self) -> Endpoint:
        return self._endpoint("production")

    @property
    def trading_endpoint(self) -> Endpoint:
        return self._endpoint("demo")

    def _endpoint(self, which: str) -> Endpoint:
        if self._handle is None:
            raise RuntimeError("local exchange is not started")
        env = self._handle.production if which == "production" else self._handle.demo
        return Endpoint(
            environment=which,
            rest_url=env.rest_url,
            ws_url=env.ws_url,
            key_id=env.key_id,
            key_content=None,
            key_path=env.private_key_path,
            variable_prefix="local exchange key ",
        )

    async def start(self) -> None:
        from kalshiflow.exchange_sim.config import SimConfig
        from kalshiflow.exchange_sim.runner import start_sim

        self._state = ComponentState.STARTING
        sandbox = self._settings.sandbox
        config = SimConfig(
            host="127.0.0.1",
            production_port=0,
            demo_port=0,
            data_dir=self._settings.database.data_dir / "sim",
            seed=sandbox.seed,
            n_markets=sandbox.markets,
        )
        self._handle = await start_sim(config)
        data, trading = self.data_endpoint, self.trading_endpoint
        self._detail = f"production {data.rest_url} · demo {trading.rest_url}"
        self._state = ComponentState.RUNNING
        log.info("local exchange running: %s", self._detail)

    async def stop(self) -> None:
        if self._handle is not None:
            await self._handle.stop()
            self._handle = None
        self._state = ComponentState.STOPPED

    def health(self) -> ComponentHealth:
        return ComponentHealth(self.name, self._state, self._detail)
