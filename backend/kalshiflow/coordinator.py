"""Composition root: builds every service from Settings, starts them in order, stops them in
reverse, and reports their health. Nothing else in the package constructs I/O objects."""

from __future__ import annotations

import logging
from typing import Literal

from kalshiflow import __version__
from kalshiflow.actor.service import ActorService
from kalshiflow.components.actor import ActorComponent
from kalshiflow.components.base import Component
from kalshiflow.components.clients import KalshiClientsComponent
from kalshiflow.components.database import DatabaseComponent
from kalshiflow.components.deferred import Deferred
from kalshiflow.components.endpoints import Endpoint, data_endpoint, trading_endpoint
from kalshiflow.components.recorder import RecorderComponent
from kalshiflow.components.sandbox import SandboxExchangeComponent
from kalshiflow.components.trading import TradingComponent
from kalshiflow.config import RunMode, Settings
from kalshiflow.events import EventBus
from kalshiflow.health import ComponentHealth, ComponentState, overall
from kalshiflow.marketdata.service import MarketDataService

log = logging.getLogger(__name__)


Profile = Literal["all", "record"]


class Coordinator:
    """`profile="record"` stops after the recorder (`kalshiflow record`); "all" is `up`."""

    def __init__(self, settings: Settings, *, profile: Profile = "all") -> None:
        self.settings = settings
        self.profile = profile
        self.version = __version__
        # One bus for the process: the recorder publishes accepted updates, the actor, the
        # trader and the API subscribe.
        self.bus = EventBus()
        self.database = DatabaseComponent(settings.database)
        self.components: list[Component] = [self.database]
        # Sandbox mode: the local exchange is started before anything that talks to Kalshi,
        # and the clients are pointed at it (kalshiflow.components.sandbox).
        self.sandbox: SandboxExchangeComponent | None = None
        if settings.mode is RunMode.SANDBOX:
            self.sandbox = SandboxExchangeComponent(settings)
            self.components.append(self.sandbox)
        else:
            # Load both keys now: a bad key must stop the start before anything runs, with
            # the variable to fix (SettingsError), not fail later inside a client.
            data_endpoint(settings).auth()
            trading_endpoint(settings).auth()
        self.clients = KalshiClientsComponent(settings, self._endpoints)
        self.components.append(self.clients)
        self._recorder = Deferred("recorder", self._build_recorder)
        self.components.append(self._recorder)
        self.trading: TradingComponent | None = None
        self.actor_component: ActorComponent | None = None
        if profile == "all":
            # Orders go through the trader only; the actor is one more client of it.
            self.trading = TradingComponent(
                settings,
                clients=lambda: self.clients.pair,
                database=lambda: self.database.database,
                bus=self.bus,
                trading_auth=lambda: self._endpoints()[1].auth(),
                books=lambda: self.recorder.books,
            )
            self.actor_component = ActorComponent.for_trading(
                settings, self.bus, lambda: self.database.database, self.trading
            )
            self.components += [self.trading, self.actor_component]
        self._started: list[Component] = []

    @property
    def marketdata(self) -> MarketDataService:
        """Production books and market catalog (the recorder's feed)."""
        return self.recorder.market_data

    @property
    def actor(self) -> ActorService | None:
        """The running actor loop, or None when disabled or not started."""
        return None if self.actor_component is None else self.actor_component.running_service

    @property
    def recorder(self) -> RecorderComponent:
        return self._recorder.inner

    def _build_recorder(self) -> RecorderComponent:
        data, _ = self._endpoints()
        return RecorderComponent(
            self.database.database,
            stream_url=data.ws_url,
            auth=data.auth(),
            data_client=self.clients.pair.data,
            feed=self.settings.data_feed,
            bus=self.bus,
        )

    def _endpoints(self) -> tuple[Endpoint, Endpoint]:
        if self.sandbox is not None:
            return self.sandbox.data_endpoint, self.sandbox.trading_endpoint
        return data_endpoint(self.settings), trading_endpoint(self.settings)

    @property
    def mode(self) -> RunMode:
        return self.settings.mode

    async def start(self) -> None:
        """Start in order; if one fails, stop what already started and re-raise."""
        for component in self.components:
            log.info("starting %s", component.name)
            try:
                await component.start()
            except BaseException:
                self._started.append(component)  # partially started: give it a chance to clean
                await self.stop()
                raise
            self._started.append(component)

    async def stop(self) -> None:
        # The bus closes last: stopping components may still publish their final state.
        try:
            await self._stop_components()
        finally:
            self.bus.close()

    async def _stop_components(self) -> None:
        while self._started:
            component = self._started.pop()
            try:
                await component.stop()
            except Exception:
                log.exception("stopping %s failed", component.name)

    def health(self) -> list[ComponentHealth]:
        return [c.health() for c in self.components]

    def overall_state(self) -> ComponentState:
        return overall(self.health())
