"""GraphQL types for system health."""

from __future__ import annotations

import strawberry

from kalshiflow import health as domain

# Registers the domain enum with Strawberry (it returns the same class, so fields can be
# annotated with the domain type and mypy keeps seeing a real enum).
strawberry.enum(domain.ComponentState, name="ComponentState")


@strawberry.type
class ComponentHealth:
    name: str
    state: domain.ComponentState
    detail: str | None

    @classmethod
    def of(cls, h: domain.ComponentHealth) -> ComponentHealth:
        return cls(name=h.name, state=h.state, detail=h.detail or None)


@strawberry.type
class Health:
    status: domain.ComponentState
    version: str
    mode: str = strawberry.field(description="sandbox | hybrid | single")
    components: list[ComponentHealth]
