"""`ActorComponent`: the live actor as a coordinator component.

Start order: after the trading component (the actor places through its OrderManager and
reads its positions, cash and orders) and after the market data feed whose EventBus
publishes `OrderbookUpdated`. Everything that exists only once those started is a
zero-argument provider read in `start()`.

With RL_ACTOR_ENABLED=false the component starts as STOPPED ("disabled") and does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kalshiflow.actor.action_log import ActionLog
from kalshiflow.actor.adapter import LiveObservationAdapter
from kalshiflow.actor.expiry import DEFAULT_TTL_S, OrderExpiry
from kalshiflow.actor.loading import load_selector
from kalshiflow.actor.market_selection import MarketSelection
from kalshiflow.actor.orders import OrderSink
from kalshiflow.actor.portfolio import OrderBookkeepingPortfolio, PortfolioView
from kalshiflow.actor.selectors import ActionSelector
from kalshiflow.actor.service import ActorService
from kalshiflow.config import Settings
from kalshiflow.events import EventBus
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.kalshi.fixedpoint import count_from_contracts
from kalshiflow.persistence.database import Database
from kalshiflow.trading.action_space import LimitOrderActionSpace

log = logging.getLogger(__name__)


class ActorComponent:
    name = "actor"

    def __init__(
        self,
        settings: Settings,
        bus: EventBus,
        database: Callable[[], Database | None],
        order_sink: Callable[[], OrderSink],
        portfolio: Callable[[], PortfolioView],
        *,
        expiry: Callable[[], OrderExpiry | None] = lambda: None,
        selector: ActionSelector | None = None,
        markets: MarketSelection | None = None,
        action_space: LimitOrderActionSpace | None = None,
        max_hot_markets: int = 10,
    ) -> None:
        """``selector``/``markets``/``action_space`` override what the settings say."""
        self._settings = settings
        self._bus = bus
        self._database = database
        self._order_sink = order_sink
        self._portfolio = portfolio
        self._expiry = expiry
        self._selector = selector
        self._markets = markets
        self._action_space = action_space
        self._max_hot_markets = max_hot_markets
        self._service: ActorService | None = None
        self._state = ComponentState.STOPPED
        self._detail = "not started"

    @classmethod
    def for_trading(
        cls,
        settings: Settings,
        bus: EventBus,
        database: Callable[[], Database | None],
        trading: Any,
        *,
        order_ttl_s: float = DEFAULT_TTL_S,
        **options: Any,
    ) -> ActorComponent:
        """Wired to a `components.trading.TradingComponent` (read after it started): orders
        through its OrderManager, positions/cash/orders from its parts, and the actor's
        orders cancelled after ``order_ttl_s`` seconds."""
        limit = count_from_contracts(settings.risk.max_contracts_per_market)
        return cls(
            settings,
            bus,
            database,
            lambda: trading.order_manager,
            lambda: OrderBookkeepingPortfolio(
                trading.parts.positions, trading.parts.cash, trading.parts.tracker, limit
            ),
            expiry=lambda: OrderExpiry(trading.parts.tracker, trading.order_manager, order_ttl_s),
            **options,
        )

    @property
    def service(self) -> ActorService:
        if self._service is None:
            raise RuntimeError("the actor is not running (RL_ACTOR_ENABLED, or not started)")
        return self._service

    @property
    def running_service(self) -> ActorService | None:
        """The ActorService while it runs, else None (for the API's actor controls)."""
        return self._service

    async def start(self) -> None:
        if not self._settings.actor.enabled:
            self._detail = "disabled (RL_ACTOR_ENABLED=false)"
            return
        await self.start_now()

    async def start_now(self) -> None:
        """Start the actor whatever RL_ACTOR_ENABLED says (the API's startActor)."""
        if self._service is not None:
            return
        actor = self._settings.actor
        self._state = ComponentState.STARTING
        try:
            database = self._database()
            selector = self._selector or await load_selector(actor, database)
            markets = self._markets or MarketSelection(
                actor.target_market_mode,
                self._settings.data_feed.market_tickers,
                max_markets=self._max_hot_markets,
            )
            space = self._action_space or LimitOrderActionSpace.from_settings(actor)
            service = ActorService(
                self._bus,
                LiveObservationAdapter(self._portfolio()),
                selector,
                space,
                self._order_sink(),
                markets,
                action_log=ActionLog(database) if database is not None else None,
                expiry=self._expiry(),
                throttle_ms=actor.tick_throttle_ms,
            )
            await service.start()
        except Exception as err:
            self._state = ComponentState.FAILED
            self._detail = f"{type(err).__name__}: {err}"
            raise
        self._service = service
        self._state = ComponentState.RUNNING

    async def stop(self) -> None:
        if self._service is not None:
            await self._service.stop()
            self._service = None
        self._state = ComponentState.STOPPED
        self._detail = "stopped"

    def health(self) -> ComponentHealth:
        if self._service is not None:
            return self._service.health()
        return ComponentHealth(self.name, self._state, self._detail)


__all__ = ["ActorComponent"]
