"""The Kalshi client pair as a component: built from the resolved endpoints, probed at start.

An unreachable exchange does not stop the app (the dashboard must still say what is wrong):
the component reports DEGRADED with the URL and the variable to check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kalshiflow.components.endpoints import Endpoint
from kalshiflow.config import Settings
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.kalshi.errors import KalshiClientError
from kalshiflow.kalshi.hybrid import HybridClientPair, build_client_pair

log = logging.getLogger(__name__)

EndpointSource = Callable[[], tuple[Endpoint, Endpoint]]


class KalshiClientsComponent:
    name = "kalshi_clients"

    def __init__(self, settings: Settings, endpoints: EndpointSource) -> None:
        # Endpoints are resolved at start: in sandbox mode they exist only once the local
        # exchange is running.
        self._settings = settings
        self._endpoints = endpoints
        self._pair: HybridClientPair | None = None
        self._state = ComponentState.STOPPED
        self._detail = ""

    @property
    def pair(self) -> HybridClientPair:
        if self._pair is None:
            raise RuntimeError("Kalshi clients are not started")
        return self._pair

    async def start(self) -> None:
        self._state = ComponentState.STARTING
        data, trading = self._endpoints()
        trading_settings = self._settings.trading
        self._pair = build_client_pair(
            data_rest_url=data.rest_url,
            trading_rest_url=trading.rest_url,
            data_auth=data.auth(),
            trading_auth=trading.auth(),
            trading_environment="production" if trading.environment == "production" else "demo",
            production_confirmed=trading_settings.production_confirmed,
            data_ws_url=data.ws_url,
            trading_ws_url=trading.ws_url,
        )
        self._detail = (
            f"data: {data.environment} {data.rest_url} (key {data.key_id}) · "
            f"orders: {trading.environment} {trading.rest_url} (key {trading.key_id})"
        )
        problems: list[str] = []
        for side, endpoint, probe in (
            ("data", data, self._pair.data.get_exchange_status),
            ("trading", trading, self._pair.trading.get_exchange_status),
        ):
            try:
                await probe()
            except (KalshiClientError, OSError, TimeoutError) as err:
                var = f"{endpoint.variable_prefix}API_URL"
                problems.append(f"{side} exchange at {endpoint.rest_url} unreachable "
                                f"({type(err).__name__}); check {var}")  # fmt: skip
        if problems:
            self._state = ComponentState.DEGRADED
            self._detail += " · " + "; ".join(problems)
            log.warning("Kalshi clients degraded: %s", "; ".join(problems))
        else:
            self._state = ComponentState.RUNNING

    async def stop(self) -> None:
        if self._pair is not None:
            await self._pair.aclose()
            self._pair = None
        self._state = ComponentState.STOPPED

    def health(self) -> ComponentHealth:
        return ComponentHealth(self.name, self._state, self._detail)
