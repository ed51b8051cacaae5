"""Matching engine and accounting of the simulated Kalshi exchange (pure, synchronous).

Entry point: ``Exchange`` (``engine.exchange``); value and event types in ``engine.types``.
"""

from kalshiflow.exchange_sim.engine.exchange import Exchange, Listener
from kalshiflow.exchange_sim.engine.fees import taker_fee
from kalshiflow.exchange_sim.engine.types import (
    BookChange,
    BookSide,
    EngineEvent,
    Event,
    ExchangeError,
    Fill,
    Market,
    MarketLifecycle,
    MarketSpec,
    MarketStatus,
    Order,
    OrderRequest,
    OrderStatus,
    OrderUpdate,
    PlaceResult,
    PositionUpdate,
    SelfTradePrevention,
    Series,
    Settlement,
    TimeInForce,
    Trade,
)

__all__ = [
    "BookChange",
    "BookSide",
    "EngineEvent",
    "Event",
    "Exchange",
    "ExchangeError",
    "Fill",
    "Listener",
    "Market",
    "MarketLifecycle",
    "MarketSpec",
    "MarketStatus",
    "Order",
    "OrderRequest",
    "OrderStatus",
    "OrderUpdate",
    "PlaceResult",
    "PositionUpdate",
    "SelfTradePrevention",
    "Series",
    "Settlement",
    "TimeInForce",
    "Trade",
    "taker_fee",
]
