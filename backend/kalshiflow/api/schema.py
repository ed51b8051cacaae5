"""The Strawberry schema: the contract exported to frontend/schema.graphql."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kalshiflow.api.context import Context
from kalshiflow.api.types.health import ComponentHealth, Health


def resolve_health(info: Info[Context, None]) -> Health:
    coordinator = info.context.coordinator
    return Health(
        status=coordinator.overall_state(),
        version=coordinator.version,
        mode=coordinator.mode.value,
        components=[ComponentHealth.of(h) for h in coordinator.health()],
    )


@strawberry.type
class Query:
    health: Health = strawberry.field(
        resolver=resolve_health, description="Overall state and every component's health."
    )


schema = strawberry.Schema(query=Query)


def export_sdl() -> str:
    return schema.as_str() + "\n"
