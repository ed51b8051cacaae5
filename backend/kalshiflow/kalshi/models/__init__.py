"""Typed, immutable wire models of trade-api v2 with exact fixed-point fields.

Every model has ``from_wire(dict)``, which reads the current fixed-point fields
(``*_dollars``, ``*_fp``) and falls back to the legacy integer-cent fields, raising
``WireFormatError`` (naming the field) on malformed payloads.
"""

from kalshiflow.kalshi.errors import WireFormatError
from kalshiflow.kalshi.models.market import (
    Event,
    ExchangeStatus,
    Market,
    Orderbook,
    PriceLevel,
    PriceRange,
    Series,
    Trade,
)
from kalshiflow.kalshi.models.orders import (
    AmendOrderResponse,
    BatchCancelResult,
    BatchCreateResult,
    BookSide,
    CancelOrderResponse,
    CreateOrderResponse,
    DecreaseOrderResponse,
    OrderRequest,
    SelfTradePrevention,
    TimeInForce,
    new_client_order_id,
)
from kalshiflow.kalshi.models.portfolio import (
    AccountLimits,
    Balance,
    BucketLimit,
    EventPosition,
    Fill,
    MarketPosition,
    Order,
    Settlement,
    book_side_of,
)

__all__ = [
    "AccountLimits",
    "AmendOrderResponse",
    "Balance",
    "BatchCancelResult",
    "BatchCreateResult",
    "BookSide",
    "BucketLimit",
    "CancelOrderResponse",
    "CreateOrderResponse",
    "DecreaseOrderResponse",
    "Event",
    "EventPosition",
    "ExchangeStatus",
    "Fill",
    "Market",
    "MarketPosition",
    "Order",
    "OrderRequest",
    "Orderbook",
    "PriceLevel",
    "PriceRange",
    "SelfTradePrevention",
    "Series",
    "Settlement",
    "TimeInForce",
    "Trade",
    "WireFormatError",
    "book_side_of",
    "new_client_order_id",
]
