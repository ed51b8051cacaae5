"""The system: components, trader state, and where data and orders go (never keys)."""

from __future__ import annotations

import strawberry

from kalshiflow import health as domain
from kalshiflow.api.types.health import ComponentHealth
from kalshiflow.kalshi.stream import StreamHealth


@strawberry.type(description="A Kalshi WebSocket connection as the client sees it.")
class StreamStatus:
    state: str = strawberry.field(description="idle | connecting | connected | backoff | closed")
    connected: bool
    last_message_age_s: float | None = strawberry.field(
        description="Seconds since the last frame (data, ping or pong)."
    )
    reconnects: int
    gaps: int = strawberry.field(description="Sequence gaps seen (each triggers a resync).")
    resyncs: int
    messages_received: int
    last_error: str | None

    @classmethod
    def of(cls, h: StreamHealth) -> StreamStatus:
        return cls(
            state=h.state.value,
            connected=h.connected,
            last_message_age_s=None if h.last_message_age is None else round(h.last_message_age, 3),
            reconnects=h.reconnects,
            gaps=h.gaps,
            resyncs=h.resyncs,
            messages_received=h.messages_received,
            last_error=h.last_error,
        )


@strawberry.type(description="One side of the client pair. Key ids only: keys never leave.")
class ExchangeEnvironment:
    environment: str = strawberry.field(description="production | demo | simulated")
    rest_url: str
    ws_url: str | None
    key_id: str | None
    connection: StreamStatus | None = strawberry.field(
        default=None, description="Its WebSocket (null while the service using it is not running)."
    )


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
