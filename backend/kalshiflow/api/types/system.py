"""The system: components, trader state, and where data and orders go (never keys)."""

from __future__ import annotations

import strawberry

from kalshiflow import health as domain
from kalshiflow.api.types.health import ComponentHealth


@strawberry.type(description="One side of the client pair. Key ids only: keys never leave.")
class ExchangeEnvironment:
    environment: str = strawberry.field(description="production | demo | simulated")
    rest_url: str
    ws_url: str | None
    key_id: str | None


@strawberry.type
class System:
    status: domain.ComponentState
    version: str
    mode: str = strawberry.field(description="sandbox | hybrid | single")
    components: list[ComponentHealth]
    trader_state: str | None = strawberry.field(
        description="starting | calibrating | trading | paused | recovering | stopped; null "
        "while the trading service is not running."
    )
    data: ExchangeEnvironment | None = strawberry.field(
        description="Where market data comes from (null until the clients start)."
    )
    trading: ExchangeEnvironment | None = strawberry.field(description="Where orders go.")
    production_trading_confirmed: bool
    watched_markets: int = strawberry.field(description="Markets with a live book.")
