"""Where the API finds the services: the one place that knows the coordinator's attributes.

Resolvers never reach into the coordinator themselves; they ask ``Services``. When the
wiring changes (a service renamed, moved into another component) only this module changes.
A service that is not built (or not started yet) reads as None and the field that needs
it answers with a clear error or an empty value, instead of the whole API failing.

Attributes read from the coordinator (see the report to the lead):
  ``settings``, ``version``, ``mode``, ``health()``, ``overall_state()``,
  ``database.database``, ``clients.pair``,
  ``bus`` (EventBus), ``marketdata`` (``.books``: SharedOrderbookState, ``.catalog``:
  MarketCatalog), ``trading`` (TradingComponent: ``.order_manager``, ``.portfolio``,
  ``.trader``, ``.parts.risk``, ``.parts.tracker``, ``.parts.ledgers``), ``actor``
  (ActorService: ``pause()``, ``resume()``, ``paused``, ``running``, ``stats``,
  ``open_breakers()``, ``selector``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kalshiflow.api.book_router import BookRouter
from kalshiflow.api.demo_books import DemoBooks
from kalshiflow.api.market_directory import MarketDirectory
from kalshiflow.events import EventBus

if TYPE_CHECKING:
    from kalshiflow.actor.service import ActorService
    from kalshiflow.components.actor import ActorComponent
    from kalshiflow.config import Settings
    from kalshiflow.coordinator import Coordinator
    from kalshiflow.kalshi.hybrid import HybridClientPair
    from kalshiflow.kalshi.stream import StreamHealth
    from kalshiflow.marketdata.catalog import MarketCatalog
    from kalshiflow.marketdata.shared_state import SharedOrderbookState
    from kalshiflow.persistence.database import Database
    from kalshiflow.trading.ledger import TwoLedgers
    from kalshiflow.trading.order_manager import OrderManager
    from kalshiflow.trading.order_tracker import OrderTracker
    from kalshiflow.trading.portfolio import Portfolio
    from kalshiflow.trading.risk import RiskManager
    from kalshiflow.trading.state_machine import TraderStateMachine


class ServiceUnavailableError(RuntimeError):
    """A field needs a service that is not running; the message names it."""


class Services:
    def __init__(self, coordinator: Coordinator) -> None:
        self.coordinator = coordinator
        self.markets = MarketDirectory(self)
        self.demo_books = DemoBooks(self)
        # Used only when the coordinator has no bus yet, so subscriptions still work (they
        # just receive nothing but what the API itself publishes).
        self._fallback_bus = EventBus()
        self.book_router = BookRouter(self.bus)

    # --- always there --------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.coordinator.settings

    # --- started components --------------------------------------------------------------

    def database(self) -> Database | None:
        try:
            return self.coordinator.database.database
        except RuntimeError:
            return None

    def clients(self) -> HybridClientPair | None:
        try:
            return self.coordinator.clients.pair
        except RuntimeError:
            return None

    def require_clients(self) -> HybridClientPair:
        pair = self.clients()
        if pair is None:
            raise ServiceUnavailableError("the Kalshi clients are not started; see `health`")
        return pair

    def require_database(self) -> Database:
        db = self.database()
        if db is None:
            raise ServiceUnavailableError("the database is not started; see `health`")
        return db

    # --- services the coordinator gains as they are built ---------------------------------

    def bus(self) -> EventBus:
        bus = _attr(self.coordinator, "bus")
        if isinstance(bus, EventBus):
            return bus
        marketdata_bus = _attr(_attr(self.coordinator, "marketdata"), "bus")
        if isinstance(marketdata_bus, EventBus):
            return marketdata_bus
        return self._fallback_bus

    def books(self) -> SharedOrderbookState | None:
        books: SharedOrderbookState | None = _attr(_attr(self.coordinator, "marketdata"), "books")
        return books

    def catalog(self) -> MarketCatalog | None:
        catalog: MarketCatalog | None = _attr(_attr(self.coordinator, "marketdata"), "catalog")
        return catalog

    def _trading_parts(self) -> Any:
        return _attr(_attr(self.coordinator, "trading"), "parts")

    def risk(self) -> RiskManager | None:
        risk: RiskManager | None = _attr(self._trading_parts(), "risk")
        return risk

    def trader_state(self) -> TraderStateMachine | None:
        machine: TraderStateMachine | None = _attr(self._trading_parts(), "state")
        return machine

    def order_manager(self) -> OrderManager | None:
        manager: OrderManager | None = _attr(self._trading_parts(), "orders")
        return manager

    def order_tracker(self) -> OrderTracker | None:
        tracker: OrderTracker | None = _attr(self._trading_parts(), "tracker")
        return tracker

    def ledgers(self) -> TwoLedgers | None:
        ledgers: TwoLedgers | None = _attr(self._trading_parts(), "ledgers")
        return ledgers

    def portfolio(self) -> Portfolio | None:
        portfolio: Portfolio | None = _attr(self._trading_parts(), "portfolio")
        return portfolio

    def require_trading(self) -> tuple[OrderManager, OrderTracker]:
        manager, tracker = self.order_manager(), self.order_tracker()
        if manager is None or tracker is None:
            raise ServiceUnavailableError(
                "the trading service is not running (see `health`): orders need it"
            )
        return manager, tracker

    def actor(self) -> ActorService | None:
        actor: ActorService | None = _attr(self.coordinator, "actor")
        return actor

    def data_stream_health(self) -> StreamHealth | None:
        """The market-data WebSocket (production), when the recorder runs."""
        client = _attr(_attr(self.coordinator, "marketdata"), "client")
        return None if client is None else client.health().stream

    def trading_stream_health(self) -> StreamHealth | None:
        """The trading environment's private WebSocket (fills, orders, positions)."""
        feed = _attr(self._trading_parts(), "feed")
        return None if feed is None else feed.stream_health()

    def actor_component(self) -> ActorComponent | None:
        component: ActorComponent | None = _attr(self.coordinator, "actor_component")
        return component

    async def aclose(self) -> None:
        await self.book_router.aclose()
        await self.demo_books.aclose()


def _attr(obj: object, name: str) -> Any:
    """``obj.name`` or None; a property that raises because its component is not started
    reads as None too."""
    if obj is None:
        return None
    try:
        return getattr(obj, name, None)
    except RuntimeError:
        return None


__all__ = ["ServiceUnavailableError", "Services"]
